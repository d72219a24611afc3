import { useMemo, useState } from 'react';
import { compareRaterShapes, consensusShapes, majorityVote, type ShapeRecord } from '../../agreement';
import type { AttributeValue, Geometry } from '../../model/types';
import { currentSchemaOf, schemaById } from '../../store/actions';
import { acceptConsensusShapes, CONSENSUS_ANNOTATOR, decideDisputed, setConsensusLabel } from '../../store/consensusActions';
import { annotationsOnImage } from '../../store/docState';
import { useSession } from '../../store/sessionStore';
import { viewportImageBounds, type ViewTransform } from '../../viewer/coords';
import type { DrawableShape } from '../../viewer/shapeRenderer';
import { AnnotateViewer } from '../annotate/AnnotateViewer';
import { AttributeField } from '../annotate/AttributesPanel';
import { ToolOverlay } from '../annotate/ToolOverlay';
import { useShapeIndex } from '../annotate/useShapeIndex';
import { useToolController } from '../annotate/useToolController';
import { useOpenProject } from '../ProjectPage';
import { routeHref, type Route } from '../router';
import { useSettings } from '../settingsStore';
import { useDoc } from '../useDoc';
import { useLocalized, useT } from '../i18n';
import { useAgreementText } from './agreementText';

const RATER_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#469990', '#9a6324'];

export function ReviewPage({ route }: { route: Extract<Route, { page: 'review' }> }) {
  const state = useOpenProject(route.projectId);
  const doc = useDoc();
  if (state !== 'open' || !doc) return <main className="page"><p>…</p></main>;
  if (!doc.images.has(route.imageId)) return <main className="page"><p role="alert">Image not found / 画像が見つかりません</p></main>;
  return <Review key={route.imageId} route={route} />;
}

interface Proposal {
  key: string;
  classId: string;
  geometry: Geometry;
  raters: string[];
  /** The annotations it was made from. */
  members: string[];
}

/** Each annotator's shapes in their own colour, unmatched ones drawn thick; consensus accepted, edited or rejected here. */
function Review({ route }: { route: Extract<Route, { page: 'review' }> }) {
  const doc = useDoc()!;
  const t = useAgreementText();
  const tt = useT();
  const loc = useLocalized();
  const me = useSettings((s) => s.identity);
  const schema = currentSchemaOf(doc);
  const image = doc.images.get(route.imageId)!;
  const onImage = annotationsOnImage(doc, image.id);
  const raters = route.raters.length ? route.raters : [...new Set(onImage.map((a) => a.annotatorId))].filter((r) => r !== CONSENSUS_ANNOTATOR);
  const color = new Map(raters.map((r, i) => [r, RATER_COLORS[i % RATER_COLORS.length]]));
  const names = new Map([...doc.annotators.values()].map((a) => [a.id, a.displayName]));
  const className = (id: string) => {
    const c = schema.classes.find((k) => k.id === id);
    return c ? loc(c.name) : id;
  };
  const [rejected, setRejected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState(false);

  const shapes: ShapeRecord[] = onImage
    .filter((a) => a.geometry && raters.includes(a.annotatorId))
    .map((a) => ({ id: a.id, image: a.imageId, classId: a.classId, rater: a.annotatorId, geometry: a.geometry! }));
  const shapeKey = shapes.map((s) => s.id).join(',');
  const { unmatched, proposals } = useMemo(() => {
    const matched = new Set<string>();
    for (let i = 0; i < raters.length; i++)
      for (let j = i + 1; j < raters.length; j++)
        for (const m of compareRaterShapes(shapes, raters[i], raters[j]).matches) {
          matched.add(m.a);
          matched.add(m.b);
        }
    const proposals: Proposal[] = consensusShapes(shapes, raters, { raterCount: raters.length }).flatMap((c) =>
      c.outline.map((g, k) => ({ key: `${c.members.map((m) => m.id).join('+')}#${k}`, classId: c.classId, geometry: g, raters: c.members.map((m) => m.rater), members: c.members.map((m) => m.id) })),
    );
    return { unmatched: new Set(shapes.filter((s) => !matched.has(s.id)).map((s) => s.id)), proposals };
  }, [shapeKey, raters.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps

  const consensusShapesHere = onImage.filter((a) => a.annotatorId === CONSENSUS_ANNOTATOR && a.geometry);
  const open = proposals.filter((p) => !rejected.has(p.key));
  const { index, revision } = useShapeIndex(image.id, CONSENSUS_ANNOTATOR, false);
  const selectedIds = useSession((s) => s.selectedIds);
  const selected = useMemo(() => new Set(selectedIds), [selectedIds]);
  const controller = useToolController({
    schema,
    imageId: image.id,
    annotatorId: CONSENSUS_ANNOTATOR,
    index,
    revision,
    text: { chooseClass: tt('chooseClassFirst'), chooseIdentity: tt('noIdentity'), refused: (r) => tt('shapeRefused', { reason: r }), warning: (w) => tt('shapeWarning', { warning: w }) },
  });

  const labels = onImage.filter((a) => a.geometry === null && raters.includes(a.annotatorId));
  const majority = majorityVote(labels.map((a) => ({ item: image.id, rater: a.annotatorId, label: a.classId })))[0];
  const consensusLabel = onImage.find((a) => a.annotatorId === CONSENSUS_ANNOTATOR && a.geometry === null);

  const shapesInView = (view: ViewTransform): DrawableShape[] => {
    const b = viewportImageBounds(view, 16);
    const out: DrawableShape[] = [];
    for (const s of shapes) out.push({ id: s.id, geometry: s.geometry, color: color.get(s.rater) ?? '#888', emphasis: unmatched.has(s.id) });
    for (const p of open) out.push({ id: p.key, geometry: p.geometry, color: '#ffffff', dashed: true });
    for (const id of index.search(b)) {
      if (id === controller.draggingId) continue;
      const a = doc.annotations.get(id);
      if (a?.geometry) out.push({ id, geometry: a.geometry, color: '#ffe600' });
    }
    return out;
  };

  const accept = (items: Proposal[]) => {
    acceptConsensusShapes(items.map((p) => ({ imageId: image.id, classId: p.classId, geometry: p.geometry, members: p.members })), me?.id ?? 'reviewer');
    setRejected(new Set([...rejected, ...items.map((p) => p.key)]));
  };

  return (
    <main className="annotate-page">
      <header className="annotate-header">
        <a href={routeHref({ page: 'project', projectId: route.projectId, tab: 'agreement' })}>← {t('backToAgreement')}</a>
        <h1>{t('reviewTitle', { name: image.name })}</h1>
      </header>
      <div className="annotate-body">
        <div className="viewer-column">
          <AnnotateViewer
            image={image}
            shapesInView={shapesInView}
            selected={selected}
            revision={revision + shapes.length * 1000 + rejected.size}
            capturePointer={editing && controller.capturePointer}
            onPointer={controller.onPointer}
            overlay={(view) => <ToolOverlay t={view} preview={controller.preview} edit={controller.edit} color="#ffe600" />}
            cursor={editing ? controller.cursor : 'grab'}
            label={t('reviewTitle', { name: image.name })}
          />
        </div>
        <aside className="annotate-side">
          <section aria-label={t('legend')}>
            <h3>{t('legend')}</h3>
            <ul className="legend" data-testid="review-legend">
              {raters.map((r) => (
                <li key={r}>
                  <span className="swatch" style={{ background: color.get(r) }} aria-hidden="true" /> {names.get(r) ?? r}: {shapes.filter((s) => s.rater === r).length} · {t('unmatched')}{' '}
                  {shapes.filter((s) => s.rater === r && unmatched.has(s.id)).length}
                </li>
              ))}
            </ul>
            <p className="muted">{t('unmatchedHighlighted')}</p>
          </section>
          {labels.length > 0 && (
            <section aria-label={t('labelsHere')}>
              <h3>{t('labelsHere')}</h3>
              <ul>
                {labels.map((a) => (
                  <li key={a.id}>
                    {names.get(a.annotatorId) ?? a.annotatorId}: {className(a.classId)}
                    {a.grade !== undefined ? ` (${a.grade})` : ''}
                  </li>
                ))}
              </ul>
              {consensusLabel && (
                <p data-testid="consensus-label">
                  {t('consensus')}: {className(consensusLabel.classId)}
                </p>
              )}
              {majority?.label && (
                <button type="button" onClick={() => setConsensusLabel(image.id, majority.label!, me?.id ?? 'reviewer')}>
                  {t('acceptMajority', { label: className(majority.label) })}
                </button>
              )}
              {majority?.tie && <p>{t('tie', { labels: majority.tied.map(className).join(' / ') })}</p>}
              <label>
                {t('chooseConsensus')}
                <select value={consensusLabel?.classId ?? ''} onChange={(e) => e.target.value && setConsensusLabel(image.id, e.target.value, me?.id ?? 'reviewer')}>
                  <option value="">—</option>
                  {schema.classes.map((c) => (
                    <option key={c.id} value={c.id}>
                      {loc(c.name)}
                    </option>
                  ))}
                </select>
              </label>
            </section>
          )}
          <DisputedAttributes imageId={image.id} reviewer={me?.id ?? 'reviewer'} />
          {shapes.length > 0 ? (
            <section aria-label={t('consensusProposals')}>
              <h3>{t('consensusProposals')}</h3>
              <button type="button" onClick={() => accept(open)} disabled={!open.length}>
                {t('acceptAll')} ({open.length})
              </button>
              <ul className="proposals" data-testid="proposals">
                {open.map((p, i) => (
                  <li key={p.key}>
                    #{i + 1} {className(p.classId)} · {p.raters.map((r) => names.get(r) ?? r).join(', ')}{' '}
                    <button type="button" onClick={() => accept([p])} aria-label={`${t('accept')} #${i + 1}`}>
                      {t('accept')}
                    </button>{' '}
                    <button type="button" onClick={() => setRejected(new Set([...rejected, p.key]))} aria-label={`${t('reject')} #${i + 1}`}>
                      {t('reject')}
                    </button>
                  </li>
                ))}
              </ul>
              <p data-testid="consensus-count">
                {t('accepted')}: {consensusShapesHere.length}
              </p>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={editing}
                  onChange={(e) => {
                    setEditing(e.target.checked);
                    if (e.target.checked) useSession.getState().setTool('select');
                  }}
                />
                {t('editConsensus')}
              </label>
            </section>
          ) : (
            labels.length === 0 && <p>{t('noShapes')}</p>
          )}
        </aside>
      </div>
    </main>
  );
}

/** Consensus labels whose annotators disagreed on an attribute: each annotator's value, and the reviewer's decision. */
function DisputedAttributes({ imageId, reviewer }: { imageId: string; reviewer: string }) {
  const doc = useDoc()!;
  const t = useAgreementText();
  const loc = useLocalized();
  const disputed = annotationsOnImage(doc, imageId).filter((a) => a.annotatorId === CONSENSUS_ANNOTATOR && a.provenance?.disputed?.length);
  if (!disputed.length) return null;
  const names = new Map([...doc.annotators.values()].map((a) => [a.id, a.displayName]));
  return (
    <section aria-label={t('disputedTitle')} data-testid="disputed">
      <h3>{t('disputedTitle')}</h3>
      {disputed.map((c) => {
        const schema = schemaById(doc, c.schemaId, c.schemaVersion);
        const cls = schema?.classes.find((k) => k.id === c.classId);
        const labels = (c.provenance?.fromLabels ?? []).flatMap((id) => doc.annotations.get(id) ?? []);
        return (
          <div key={c.id} className="card">
            <p>{cls ? loc(cls.name) : c.classId}</p>
            {(c.provenance?.disputed ?? []).map((attrId) => {
              const def = cls?.attributes.find((d) => d.id === attrId);
              const shown = (v: AttributeValue | undefined) => {
                if (v === undefined) return '—';
                const o = def?.options?.find((x) => x.id === v);
                return o ? loc(o.name) : String(v);
              };
              return (
                <div key={attrId}>
                  <ul>
                    {labels.map((l) => (
                      <li key={l.id}>
                        {names.get(l.annotatorId) ?? l.annotatorId}: {shown(l.attributes[attrId])}
                      </li>
                    ))}
                  </ul>
                  {def ? <AttributeField def={def} value={c.attributes[attrId]} onChange={(v) => decideDisputed(c.id, attrId, v, reviewer)} /> : <p>{attrId}</p>}
                </div>
              );
            })}
          </div>
        );
      })}
    </section>
  );
}
