import { useEffect, useRef, useState, type ReactNode } from 'react';
import { statusId } from '../../model/ids';
import { TEAM_ROLES, type Annotator, type ImageRecord, type TeamRole } from '../../model/types';
import { dataFromDoc, type DocState } from '../../store/docState';
import { exportReturn, exportWorkPackage, gatherFiles, setAssignments, setMember, settle, type GatherFileResult } from '../../store/teamActions';
import { CONSENSUS_ANNOTATOR } from '../../store/consensusActions';
import { assignAll, assignedImages, assignKofN } from '../../team/assign';
import { asTeamRole, can, roleOf } from '../../team/roles';
import { FileButton } from '../FileButton';
import { ProblemList } from '../ProblemList';
import { downloadText } from '../download';
import { routeHref } from '../router';
import { annotatorIdFor, useSettings } from '../settingsStore';
import { useDoc } from '../useDoc';
import { fmt } from '../agreement/Heatmap';
import type { AgreementResult } from '../agreement/computeAgreement';
import { runAgreement, type AgreementJob } from '../agreement/runAgreement';
import { useTeamText, type TeamText } from './teamText';
import { SyncPanel } from '../sync/SyncPanel';
import { useSync } from '../../store/syncActions';
import { forEachFields } from '../../store/packedAnnotations';

export function useMyRole(): TeamRole {
  const doc = useDoc();
  const me = useSettings((s) => s.identity);
  return doc ? roleOf(doc.annotators.values(), me?.id) : 'coordinator';
}

/** The people of the team loop: everyone but the consensus "annotator". */
function people(doc: DocState) {
  return [...doc.annotators.values()].filter((a) => a.id !== CONSENSUS_ANNOTATOR);
}

export function TeamPanel() {
  const doc = useDoc()!;
  const role = useMyRole();
  const t = useTeamText();
  return (
    <section aria-label={t('tab')} className="team-panel">
      <p data-testid="my-role">{t('yourRole', { role: t(`role.${role}`) })}</p>
      {can(role, 'manage-team') ? <CoordinatorView t={t} /> : <AnnotatorView t={t} />}
      {doc.project.package && can(role, 'manage-team') && <AnnotatorView t={t} />}
      <SyncPanel />
    </section>
  );
}

/** "Send my work back": one action that writes the annotator's return file. */
export function SendBackButton() {
  const doc = useDoc()!;
  const me = useSettings((s) => s.identity);
  const t = useTeamText();
  const [saved, setSaved] = useState<string | null>(null);
  const who = doc.project.package?.annotatorId ?? me?.id;
  if (!who) return <p role="alert">{t('needIdentity')}</p>;
  return (
    <>
      <button
        type="button"
        title={t('sendBackHint')}
        onClick={async () => {
          const out = await exportReturn(who);
          downloadText(out.fileName, out.text, 'application/json');
          setSaved(t('sentBack', { file: out.fileName, annotations: t.count('annotations', out.annotations) }));
        }}
      >
        {t('sendBack')}
      </button>
      {saved && <span role="status">{saved}</span>}
    </>
  );
}

function AnnotatorView({ t }: { t: TeamText }) {
  const doc = useDoc()!;
  const me = useSettings((s) => s.identity);
  const who = doc.project.package?.annotatorId ?? me?.id;
  if (!who) return <p role="alert">{t('needIdentity')}</p>;
  const mine = assignedImages(doc.project.assignments, who, [...doc.images.keys()]);
  const done = mine.filter((id) => doc.statuses.get(statusId(id, who))?.state === 'done').length;
  return (
    <div className="card">
      {doc.project.package && <p>{t('packageFrom', { by: doc.project.package.issuedBy, at: t.time(doc.project.package.issuedAt) })}</p>}
      <p data-testid="my-progress">{t('yourImages', { done, total: mine.length })}</p>
      <SendBackButton />
      <p className="muted">{t('sendBackHint')}</p>
    </div>
  );
}

function CoordinatorView({ t }: { t: TeamText }) {
  const doc = useDoc()!;
  const me = useSettings((s) => s.identity);
  const members = people(doc);
  const hasCoordinator = members.some((a) => asTeamRole(a.role) === 'coordinator');
  return (
    <>
      {!hasCoordinator && (
        <div className="card">
          <p>{t('soloHint')}</p>
          {me ? (
            <button type="button" onClick={() => setMember(me.id, me.displayName, 'coordinator')}>
              {t('makeMeCoordinator')}
            </button>
          ) : (
            <p role="alert">{t('needIdentity')}</p>
          )}
        </div>
      )}
      <Members t={t} />
      <Assignment t={t} />
      <Packages t={t} />
      <Gather t={t} />
      <Conflicts t={t} />
      <Dashboard t={t} />
    </>
  );
}

function Members({ t }: { t: TeamText }) {
  const doc = useDoc()!;
  const [name, setName] = useState('');
  const [role, setRole] = useState<TeamRole>('annotator');
  return (
    <div className="card">
      <h2>{t('members')}</h2>
      <table className="grid" data-testid="members">
        <thead>
          <tr>
            <th>{t('memberName')}</th>
            <th>{t('memberId')}</th>
            <th>{t('role')}</th>
          </tr>
        </thead>
        <tbody>
          {people(doc).map((a) => (
            <tr key={a.id}>
              <td>{a.displayName}</td>
              <td>
                <code>{a.id}</code>
              </td>
              <td>
                <select aria-label={`${t('role')}: ${a.displayName}`} value={asTeamRole(a.role) ?? ''} onChange={(e) => setMember(a.id, a.displayName, e.target.value as TeamRole)}>
                  {!asTeamRole(a.role) && <option value="">—</option>}
                  {TEAM_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          setMember(annotatorIdFor(name), name.trim(), role);
          setName('');
        }}
      >
        <label>
          {t('memberName')}
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('role')}
          <select value={role} onChange={(e) => setRole(e.target.value as TeamRole)}>
            {TEAM_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('addMember')}</button>
      </form>
    </div>
  );
}

function annotatorsOf(doc: DocState) {
  return people(doc).filter((a) => asTeamRole(a.role) === 'annotator');
}

function Assignment({ t }: { t: TeamText }) {
  const doc = useDoc()!;
  const annotators = annotatorsOf(doc);
  const images = [...doc.images.values()].sort((a, b) => a.order - b.order);
  const [mode, setMode] = useState<'all' | 'kofn' | 'hand'>('all');
  const [k, setK] = useState(2);
  const current = doc.project.assignments;
  const [hand, setHand] = useState<Set<string>>(() => new Set((current ?? []).flatMap((a) => a.imageIds.map((i) => `${a.annotatorId}\u0000${i}`))));
  if (!annotators.length) {
    return (
      <div className="card">
        <h2>{t('assignment')}</h2>
        <p>{t('noAnnotators')}</p>
      </div>
    );
  }
  const apply = () => {
    const ids = images.map((i) => i.id);
    const who = annotators.map((a) => a.id);
    if (mode === 'all') setAssignments(assignAll(ids, who));
    else if (mode === 'kofn') setAssignments(assignKofN(ids, who, Math.min(Math.max(1, k), who.length)));
    else setAssignments(who.map((a) => ({ annotatorId: a, imageIds: ids.filter((i) => hand.has(`${a}\u0000${i}`)) })));
  };
  return (
    <div className="card">
      <h2>{t('assignment')}</h2>
      <fieldset className="row">
        <legend>{t('assignment')}</legend>
        {(['all', 'kofn', 'hand'] as const).map((m) => (
          <label key={m} className="checkbox">
            <input type="radio" name="assign-mode" checked={mode === m} onChange={() => setMode(m)} />
            {t(`mode.${m}`)}
          </label>
        ))}
        {mode === 'kofn' && (
          <label>
            {t('k')}
            <input type="number" min={1} max={annotators.length} value={k} onChange={(e) => setK(Number(e.target.value))} />
          </label>
        )}
      </fieldset>
      {mode === 'hand' && (
        <ImageGrid
          t={t}
          images={images}
          people={annotators}
          cell={(im, a) => {
            const key = `${a.id}\u0000${im.id}`;
            return (
              <td key={a.id}>
                <input
                  type="checkbox"
                  aria-label={`${im.name}: ${a.displayName}`}
                  checked={hand.has(key)}
                  onChange={(e) => {
                    const next = new Set(hand);
                    if (e.target.checked) next.add(key);
                    else next.delete(key);
                    setHand(next);
                  }}
                />
              </td>
            );
          }}
        />
      )}
      <button type="button" onClick={apply}>
        {t('applyAssignment')}
      </button>
      {current && (
        <ul data-testid="assignment-summary">
          {current.map((a) => (
            <li key={a.annotatorId}>
              {doc.annotators.get(a.annotatorId)?.displayName ?? a.annotatorId}: {t.count('images', a.imageIds.length)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Packages({ t }: { t: TeamText }) {
  const doc = useDoc()!;
  const [embed, setEmbed] = useState(true);
  const [message, setMessage] = useState<string | null>(null);
  // Reviewers get everyone's labels on their images: the review phase, in their own browser.
  const annotators = people(doc).filter((a) => asTeamRole(a.role) === 'annotator' || asTeamRole(a.role) === 'reviewer');
  if (!annotators.length) return null;
  return (
    <div className="card">
      <h2>{t('packages')}</h2>
      <label className="checkbox">
        <input type="checkbox" checked={embed} onChange={(e) => setEmbed(e.target.checked)} />
        {t('embedImages')}
      </label>
      <div className="row">
        {annotators.map((a) => (
          <button
            key={a.id}
            type="button"
            onClick={async () => {
              const out = await exportWorkPackage(a.id, { includeImages: embed });
              if (!out) return;
              downloadText(out.fileName, out.text, 'application/json');
              setMessage(t('packageDone', { name: a.displayName, images: t.count('images', out.images) }));
            }}
          >
            {t(asTeamRole(a.role) === 'reviewer' ? 'exportReviewPackage' : 'exportPackage', { name: a.displayName })}
          </button>
        ))}
      </div>
      {message && <p role="status">{message}</p>}
    </div>
  );
}

function Gather({ t }: { t: TeamText }) {
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<GatherFileResult[]>([]);
  const onFiles = async (files: File[]) => {
    setBusy(true);
    try {
      setResults(await gatherFiles(await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })))));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      className="card drop-zone"
      data-testid="gather"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        void onFiles([...e.dataTransfer.files]);
      }}
    >
      <h2>{t('gather')}</h2>
      <p className="muted">{t('gatherHint')}</p>
      <FileButton accept=".json,application/json" multiple onFiles={(f) => void onFiles(f)}>
        {busy ? t('gathering') : t('chooseReturns')}
      </FileButton>
      {results.some((r) => r.ok) && (
        <table className="grid" data-testid="gather-report">
          <thead>
            <tr>
              <th>{t('reportFile')}</th>
              <th>{t('reportAnnotator')}</th>
              <th>{t('added')}</th>
              <th>{t('updated')}</th>
              <th>{t('deleted')}</th>
              <th>{t('unchanged')}</th>
              <th>{t('conflicts')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r, i) =>
              r.ok ? (
                <tr key={i}>
                  <td>{r.report.file}</td>
                  <td>{r.report.annotator}</td>
                  <td>{r.report.added}</td>
                  <td>{r.report.updated}</td>
                  <td>{r.report.deleted}</td>
                  <td>{r.report.unchanged}</td>
                  <td>
                    {r.report.conflicts}
                    {r.report.skipped ? ` · ${t('skipped', { n: r.report.skipped })}` : ''}
                  </td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      )}
      {results.map((r, i) => (!r.ok ? <ProblemList key={i} title={`${t('refused')}: ${r.file}`} problems={r.problems} /> : null))}
    </div>
  );
}

function Conflicts({ t }: { t: TeamText }) {
  const doc = useDoc()!;
  const list = doc.project.conflicts ?? [];
  return (
    <div className="card" data-testid="conflicts">
      <h2>{t('conflictsTitle')}</h2>
      {!list.length ? (
        <p className="muted">{t('conflictsNone')}</p>
      ) : (
        <ul>
          {list.map((c) => (
            <li key={c.id}>
              {t('conflictWhat', { kind: t.kind(c.recordKind), id: c.recordId, annotator: c.annotatorId, image: doc.images.get(c.imageId)?.name ?? c.imageId, file: c.file })}
              {c.theirs === null && ` (${t('theirsDeleted')})`}{' '}
              <button type="button" onClick={() => settle(c.id, 'ours')}>
                {t('ours')}
              </button>{' '}
              <button type="button" onClick={() => settle(c.id, 'theirs')}>
                {t('theirs')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Images down, people across: the assignment by hand and the progress table share it. */
function ImageGrid({ t, images, people, cell, footer, testId }: { t: TeamText; images: ImageRecord[]; people: Annotator[]; cell: (im: ImageRecord, a: Annotator) => ReactNode; footer?: ReactNode; testId?: string }) {
  return (
    <table className="grid" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('image')}</th>
          {people.map((a) => (
            <th key={a.id}>{a.displayName}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {images.map((im) => (
          <tr key={im.id}>
            <td>{im.name}</td>
            {people.map((a) => cell(im, a))}
          </tr>
        ))}
        {footer}
      </tbody>
    </table>
  );
}

function Dashboard({ t }: { t: TeamText }) {
  /** The later of a person's last file return and the last of their work received live. */
  const lastWork = (file: string | undefined, live: string | undefined) => {
    if (live && (!file || live > file)) return `${t.time(live)} ${t('receivedLive')}`;
    return file ? t.time(file) : t('never');
  };
  const doc = useDoc()!;
  // Whoever was given images or has worked on any: annotators, and reviewers or a coordinator who labelled.
  const labelled = new Set([...doc.statuses.values()].map((s) => s.annotatorId));
  const cols = people(doc).filter((a) => asTeamRole(a.role) === 'annotator' || labelled.has(a.id));
  const images = [...doc.images.values()].sort((a, b) => a.order - b.order);
  const lastReturn = new Map<string, string>();
  for (const e of doc.audit.values()) if (e.action === 'return' && (lastReturn.get(e.actor) ?? '') < e.at) lastReturn.set(e.actor, e.at);
  // Work that came through live sync counts as returned when it arrived.
  const sync = useSync();
  const received = sync.projectId === doc.project.id ? sync.received : {};
  // One set per person, not a scan of the assignment per cell.
  const assignedTo = new Map(cols.map((a) => [a.id, new Set(assignedImages(doc.project.assignments, a.id, images.map((i) => i.id)))]));
  const assigned = (a: string, img: string) => assignedTo.get(a)!.has(img);
  return (
    <div className="card">
      <h2>{t('dashboard')}</h2>
      <ImageGrid
        t={t}
        testId="dashboard"
        images={images}
        people={cols}
        cell={(im, a) => {
          const s = doc.statuses.get(statusId(im.id, a.id));
          const state = s ? s.state : assigned(a.id, im.id) ? 'todo' : 'unassigned';
          return (
            <td key={a.id} className={`state-${state}`}>
              {t(`state.${state}`)}
            </td>
          );
        }}
        footer={
          <tr>
            <th>{t('lastReturn')}</th>
            {cols.map((a) => (
              <td key={a.id}>{lastWork(lastReturn.get(a.id), received[a.id])}</td>
            ))}
          </tr>
        }
      />
      <AgreementSoFar t={t} raters={cols.map((a) => a.id)} />
    </div>
  );
}

function AgreementSoFar({ t, raters }: { t: TeamText; raters: string[] }) {
  const doc = useDoc()!;
  const [result, setResult] = useState<AgreementResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useRef<AgreementJob | null>(null);
  useEffect(() => () => job.current?.cancel(), []);
  const withLabels = new Set<string>();
  forEachFields(doc.annotations, ['annotatorId'], (a) => withLabels.add(a.annotatorId));
  const compared = raters.filter((r) => withLabels.has(r));
  if (compared.length < 2) return null;
  const name = (id: string) => doc.annotators.get(id)?.displayName ?? id;
  const run = () => {
    setError(null);
    const j = runAgreement({ data: dataFromDoc(doc), raters: compared, label: 'class', mode: { kind: 'iou', threshold: 0.5 }, includeAssisted: true }, () => {});
    job.current = j;
    j.result.then(setResult).catch((e: Error) => setError(e.message));
  };
  return (
    <div data-testid="agreement-so-far">
      <h3>{t('agreementSoFar')}</h3>
      <button type="button" onClick={run}>
        {t('computeAgreement')}
      </button>
      {error && <p role="alert">{error}</p>}
      {result && (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('pair')}</th>
                <th>{t('kappa')}</th>
                <th>{t('f1')}</th>
              </tr>
            </thead>
            <tbody>
              {result.pairLabels.map((p) => {
                const s = result.shapes.pairs.find((x) => x.a === p.a && x.b === p.b);
                return (
                  <tr key={`${p.a}-${p.b}`}>
                    <td>
                      {name(p.a)} – {name(p.b)}
                    </td>
                    <td>{fmt(p.kappa, 'n/a')}</td>
                    <td>{fmt(s && s.a_count + s.b_count > 0 ? s.f1 : null, 'n/a')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3>{t('worst')}</h3>
          <ol>
            {result.images
              .filter((i) => i.score > 0)
              .slice(0, 5)
              .map((i) => (
                <li key={i.imageId}>
                  {i.name} ({fmt(i.score, 'n/a')}){' '}
                  <a href={routeHref({ page: 'review', projectId: doc.project.id, imageId: i.imageId, raters: compared })}>{t('review')}</a>
                </li>
              ))}
          </ol>
        </>
      )}
    </div>
  );
}
