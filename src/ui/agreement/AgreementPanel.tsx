import { useEffect, useRef, useState } from 'react';
import { makeLabelConsensus } from '../../store/consensusActions';
import { dataFromDoc } from '../../store/docState';
import { currentSchemaOf } from '../../store/actions';
import { useDoc } from '../useDoc';
import { useSettings } from '../settingsStore';
import { routeHref } from '../router';
import { useLocalized } from '../i18n';
import { useAgreementText } from './agreementText';
import type { AgreementResult } from './computeAgreement';
import { fmt, Heatmap } from './Heatmap';
import { runAgreement, type AgreementJob } from './runAgreement';

export function AgreementPanel() {
  const doc = useDoc()!;
  const t = useAgreementText();
  const loc = useLocalized();
  const me = useSettings((s) => s.identity);
  const schema = currentSchemaOf(doc);
  const names = new Map([...doc.annotators.values()].map((a) => [a.id, a.displayName]));
  const withLabels = [...new Set([...doc.annotations.values()].map((a) => a.annotatorId))];
  const [raters, setRaters] = useState<string[]>(withLabels.filter((r) => r !== 'consensus'));
  const [threshold, setThreshold] = useState(0.5);
  const [matching, setMatching] = useState<'iou' | 'centroid'>('iou');
  const [radius, setRadius] = useState(8);
  const [labelKind, setLabelKind] = useState<'class' | 'grade'>('class');
  const [includeAssisted, setIncludeAssisted] = useState(true);
  const hasAssisted = [...doc.annotations.values()].some((a) => a.provenance?.kind === 'assistant');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<AgreementResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pair, setPair] = useState(0);
  const job = useRef<AgreementJob | null>(null);
  useEffect(() => () => job.current?.cancel(), []);

  const className = (id: string) => {
    const c = schema.classes.find((k) => k.id === id);
    return c ? loc(c.name) : id;
  };

  const run = () => {
    if (raters.length < 2) {
      setMessage(t('needTwo'));
      return;
    }
    setMessage(null);
    setResult(null);
    setProgress({ done: 0, total: 1 });
    const j = runAgreement(
      { data: dataFromDoc(doc), raters, label: labelKind, mode: matching === 'iou' ? { kind: 'iou', threshold } : { kind: 'centroid', radius }, includeAssisted },
      (done, total) => setProgress({ done, total }),
    );
    job.current = j;
    j.result
      .then((r) => {
        setResult(r);
        setPair(0);
      })
      .catch((e: Error) => setMessage(e.message === 'cancelled' ? t('cancelled') : e.message))
      .finally(() => {
        setProgress(null);
        job.current = null;
      });
  };

  const l = result?.labels;
  const pairKappa = (a: string, b: string) => result?.pairLabels.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))?.kappa ?? null;
  const pairF1 = (a: string, b: string) => result?.shapes.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))?.f1 ?? null;
  const hasLabels = (l?.items ?? 0) > 0;
  const hasShapes = (result?.shapes.pairs ?? []).some((p) => p.a_count + p.b_count > 0);
  const confusionPair = result?.pairLabels[pair];

  return (
    <section aria-label={t('tab')} className="agreement-panel">
      <form
        className="card row"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <fieldset>
          <legend>{t('annotators')}</legend>
          {withLabels.map((r) => (
            <label key={r} className="checkbox">
              <input type="checkbox" checked={raters.includes(r)} onChange={(e) => setRaters(e.target.checked ? [...raters, r] : raters.filter((x) => x !== r))} />
              {names.get(r) ?? r}
            </label>
          ))}
        </fieldset>
        {schema.granularity !== 'image' && (
          <>
            <label>
              {t('matching')}
              <select value={matching} onChange={(e) => setMatching(e.target.value as 'iou' | 'centroid')}>
                <option value="iou">{t('matching.iou')}</option>
                <option value="centroid">{t('matching.centroid')}</option>
              </select>
            </label>
            {matching === 'iou' ? (
              <label>
                {t('threshold')}
                <input type="number" min={0.05} max={1} step={0.05} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} />
              </label>
            ) : (
              <label>
                {t('radius')}
                <input type="number" min={1} step={1} value={radius} onChange={(e) => setRadius(Number(e.target.value))} />
              </label>
            )}
          </>
        )}
        {hasAssisted && (
          <label className="checkbox">
            <input type="checkbox" checked={includeAssisted} onChange={(e) => setIncludeAssisted(e.target.checked)} />
            {t('includeAssisted')}
          </label>
        )}
        {schema.grade && (
          <label>
            {t('labelKind')}
            <select value={labelKind} onChange={(e) => setLabelKind(e.target.value as 'class' | 'grade')}>
              <option value="class">{t('labelKind.class')}</option>
              <option value="grade">{t('labelKind.grade')}</option>
            </select>
          </label>
        )}
        {progress ? (
          <>
            <progress max={progress.total} value={progress.done} aria-label={t('computing', progress)} />
            <span>{t('computing', progress)}</span>
            <button type="button" onClick={() => job.current?.cancel()}>
              {t('cancel')}
            </button>
          </>
        ) : (
          <button type="submit" className="primary">
            {t('compute')}
          </button>
        )}
      </form>
      {message && <p role="alert">{message}</p>}
      {result && l && (
        <>
          {hasLabels && (
            <div className="card">
              <h3>{t('summary')}</h3>
              <table className="measures" data-testid="label-measures">
                <tbody>
                  <tr><th>{t('items')}</th><td>{l.items}</td></tr>
                  <tr><th>{t('cohen')}</th><td data-testid="cohen-kappa">{fmt(l.cohen_kappa, t('notApplicable'))}</td></tr>
                  <tr><th>{t('linear')}</th><td>{fmt(l.weighted_kappa.linear, t('notApplicable'))}</td></tr>
                  <tr><th>{t('quadratic')}</th><td>{fmt(l.weighted_kappa.quadratic, t('notApplicable'))}</td></tr>
                  <tr><th>{t('fleiss')}</th><td data-testid="fleiss-kappa">{fmt(l.fleiss_kappa, t('notApplicable'))}</td></tr>
                  <tr><th>{t('alphaNominal')}</th><td>{fmt(l.krippendorff_alpha.nominal, t('notApplicable'))}</td></tr>
                  <tr><th>{t('alphaOrdinal')}</th><td>{fmt(l.krippendorff_alpha.ordinal, t('notApplicable'))}</td></tr>
                  <tr><th>{t('alphaInterval')}</th><td>{fmt(l.krippendorff_alpha.interval, t('notApplicable'))}</td></tr>
                </tbody>
              </table>
              <Heatmap raters={result.raters} names={names} value={pairKappa} caption={t('pairKappa')} na={t('notApplicable')} testId="kappa-heatmap" />
              {result.pairLabels.length > 0 && confusionPair && (
                <ConfusionForPair result={result} pairIndex={pair} setPair={setPair} names={names} className={className} />
              )}
              <h4>{t('consensus')}</h4>
              <button
                type="button"
                onClick={() => {
                  const r = makeLabelConsensus(result.majority, me?.id ?? 'reviewer');
                  setMessage(t('consensusMade', { made: r.made, ties: r.ties.length }));
                }}
              >
                {t('makeLabelConsensus')}
              </button>
              {result.majority.some((m) => m.tie) && (
                <div>
                  <h5>{t('ties')}</h5>
                  <ul>
                    {result.majority
                      .filter((m) => m.tie && doc.images.has(m.item))
                      .map((m) => (
                        <li key={m.item}>
                          <a href={routeHref({ page: 'review', projectId: doc.project.id, imageId: m.item, raters: result.raters })}>{doc.images.get(m.item)?.name}</a>: {t('tie', { labels: m.tied.map(className).join(' / ') })}
                        </li>
                      ))}
                  </ul>
                </div>
              )}
            </div>
          )}
          {hasShapes && (
            <div className="card">
              <h3>{t('shapesOverall')}</h3>
              <table className="measures" data-testid="shape-measures">
                <thead>
                  <tr>
                    <th />
                    <th>{t('matched')}</th>
                    <th>{t('precision')}</th>
                    <th>{t('recall')}</th>
                    <th>{t('f1')}</th>
                    <th>{t('meanIou')}</th>
                    <th>{t('meanDice')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.shapes.pairs.map((p) => (
                    <tr key={`${p.a}-${p.b}`} data-testid="shape-pair">
                      <th>
                        {names.get(p.a) ?? p.a} × {names.get(p.b) ?? p.b}
                      </th>
                      <td>
                        {p.matched} / {p.a_count}, {p.b_count}
                      </td>
                      <td>{fmt(p.precision, t('notApplicable'))}</td>
                      <td>{fmt(p.recall, t('notApplicable'))}</td>
                      <td data-testid="pair-f1">{fmt(p.f1, t('notApplicable'))}</td>
                      <td>{fmt(p.mean_iou, t('notApplicable'))}</td>
                      <td>{fmt(p.mean_dice, t('notApplicable'))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Heatmap raters={result.raters} names={names} value={pairF1} caption={t('pairF1')} na={t('notApplicable')} testId="f1-heatmap" />
            </div>
          )}
          <div className="card">
            <h3>{t('ranked')}</h3>
            <table className="ranked" data-testid="ranked-images">
              <thead>
                <tr>
                  <th>{t('image')}</th>
                  <th>{t('labelDisagreement')}</th>
                  <th>{t('unmatched')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {result.images.map((i) => (
                  <tr key={i.imageId}>
                    <td>{i.name}</td>
                    <td>{i.labelDisagreement === null ? '—' : `${Math.round(i.labelDisagreement * 100)}%`}</td>
                    <td>
                      {i.unmatched} / {i.shapes}
                    </td>
                    <td>
                      <a href={routeHref({ page: 'review', projectId: doc.project.id, imageId: i.imageId, raters: result.raters })}>{t('review')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function ConfusionForPair({ result, pairIndex, setPair, names, className }: { result: AgreementResult; pairIndex: number; setPair: (i: number) => void; names: Map<string, string>; className: (id: string) => string }) {
  const t = useAgreementText();
  const p = result.pairLabels[pairIndex];
  const m = result.confusionByPair[pairIndex];
  return (
    <div>
      <h4>{t('confusion')}</h4>
      {result.pairLabels.length > 1 && (
        <select value={pairIndex} onChange={(e) => setPair(Number(e.target.value))} aria-label={t('confusion')}>
          {result.pairLabels.map((q, i) => (
            <option key={i} value={i}>
              {names.get(q.a) ?? q.a} × {names.get(q.b) ?? q.b}
            </option>
          ))}
        </select>
      )}
      {m && (
        <table className="confusion" data-testid="confusion">
          <caption>{t('rowsAre', { a: names.get(p.a) ?? p.a, b: names.get(p.b) ?? p.b })}</caption>
          <thead>
            <tr>
              <th />
              {m.labels.map((c) => (
                <th key={c} scope="col">
                  {className(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.labels.map((r, i) => (
              <tr key={r}>
                <th scope="row">{className(r)}</th>
                {m.counts[i].map((n, j) => (
                  <td key={j} className={i === j ? 'diagonal' : n ? 'off' : ''}>
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
