import { useEffect, useRef, useState } from 'react';
import { makeLabelConsensus } from '../../store/consensusActions';
import { dataFromDoc } from '../../store/docState';
import { currentSchemaOf } from '../../store/actions';
import { useDoc } from '../useDoc';
import { useSettings } from '../settingsStore';
import { routeHref } from '../router';
import { useCountWords, useLocalized } from '../i18n';
import { BOOTSTRAP_RESAMPLES, type Interval } from '../../agreement';
import { useAgreementNumbers, useAgreementText, type AgreementNumbers, type AgreementT } from './agreementText';
import type { AgreementResult } from './computeAgreement';
import { Heatmap } from './Heatmap';
import { runAgreement, type AgreementJob } from './runAgreement';
import { forEachFields } from '../../store/packedAnnotations';

export function AgreementPanel() {
  const doc = useDoc()!;
  const t = useAgreementText();
  const num = useAgreementNumbers();
  const loc = useLocalized();
  const count = useCountWords();
  const me = useSettings((s) => s.identity);
  const schema = currentSchemaOf(doc);
  const names = new Map([...doc.annotators.values()].map((a) => [a.id, a.displayName]));
  const authors = new Set<string>();
  let hasAssisted = false;
  forEachFields(doc.annotations, ['annotatorId', 'provenance'], (a) => {
    authors.add(a.annotatorId);
    if (a.provenance?.kind === 'assistant') hasAssisted = true;
  });
  const withLabels = [...authors];
  const [raters, setRaters] = useState<string[]>(withLabels.filter((r) => r !== 'consensus'));
  const [threshold, setThreshold] = useState(0.5);
  const [matching, setMatching] = useState<'iou' | 'centroid'>('iou');
  const [radius, setRadius] = useState(8);
  const [labelKind, setLabelKind] = useState<'class' | 'grade'>('class');
  const [includeAssisted, setIncludeAssisted] = useState(true);
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
  const attributeName = (classId: string, id: string) => {
    const d = schema.classes.find((k) => k.id === classId)?.attributes.find((a) => a.id === id);
    return d ? loc(d.name) : id;
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
  const pairLabelsOf = (a: string, b: string) => result?.pairLabels.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
  const pairKappa = (a: string, b: string) => pairLabelsOf(a, b)?.kappa ?? null;
  const pairDetail = (a: string, b: string) => {
    const p = pairLabelsOf(a, b);
    if (!p || p.kappa === null) return undefined;
    return t('pairDetail', { n: num.count(p.items), ci: p.tooFewImages ? t('tooFew') : p.kappaCi ? num.interval(p.kappaCi) : t('noInterval') });
  };
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
              <LabelMeasures result={result} t={t} num={num} />
              <Heatmap raters={result.raters} names={names} value={pairKappa} detail={pairDetail} format={num.value} caption={t('pairKappa')} na={t('notApplicable')} testId="kappa-heatmap" />
              {result.pairLabels.length > 0 && confusionPair && (
                <ConfusionForPair result={result} pairIndex={pair} setPair={setPair} names={names} className={className} />
              )}
              <h4>{t('consensus')}</h4>
              <button
                type="button"
                onClick={() => {
                  const r = makeLabelConsensus(result.majority, me?.id ?? 'reviewer');
                  setMessage(t('consensusMade', { made: count(r.made, 'image', 'images'), ties: count(r.ties.length, 'tie', 'ties') }));
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
                        {num.count(p.matched)} / {num.count(p.a_count)}, {num.count(p.b_count)}
                      </td>
                      <td>{num.value(p.precision, t('notApplicable'))}</td>
                      <td>{num.value(p.recall, t('notApplicable'))}</td>
                      <td data-testid="pair-f1">{num.value(p.f1, t('notApplicable'))}</td>
                      <td>{num.value(p.mean_iou, t('notApplicable'))}</td>
                      <td>{num.value(p.mean_dice, t('notApplicable'))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Heatmap raters={result.raters} names={names} value={pairF1} format={num.value} caption={t('pairF1')} na={t('notApplicable')} testId="f1-heatmap" />
            </div>
          )}
          {result.attributes.length > 0 && <AttributeMeasures result={result} t={t} num={num} className={className} attributeName={attributeName} />}
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
                      {num.count(i.unmatched)} / {num.count(i.shapes)}
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

const WARNING_STYLE = { color: '#a15c00' } as const;

/** The interval of a measure, or why there is none: a value that does not apply says why, one from too few images warns. */
function IntervalCell({ value, ci, why, tooFew, t, num }: { value: number | null; ci: Interval; why: string; tooFew: boolean; t: AgreementT; num: AgreementNumbers }) {
  if (value === null) return <td className="muted">{why}</td>;
  if (tooFew)
    return (
      <td role="note" style={WARNING_STYLE}>
        ⚠ {t('tooFew')}
      </td>
    );
  return <td>{ci ? num.interval(ci) : <span className="muted">{t('noInterval')}</span>}</td>;
}

function LabelMeasures({ result, t, num }: { result: AgreementResult; t: AgreementT; num: AgreementNumbers }) {
  const l = result.labels;
  const two = l.raters.length === 2;
  const na = t('notApplicable');
  const weightedWhy = !two ? t('needsTwo') : !l.ordered ? t('noOrder') : t('undefinedCohen');
  const rows: { name: string; value: number | null; ci: Interval; why: string; testId?: string }[] = [
    { name: t('cohen'), value: l.cohen_kappa, ci: l.ci95.cohen_kappa, why: two ? t('undefinedCohen') : t('needsTwo'), testId: 'cohen-kappa' },
    { name: t('linear'), value: l.weighted_kappa.linear, ci: l.ci95.weighted_kappa.linear, why: weightedWhy },
    { name: t('quadratic'), value: l.weighted_kappa.quadratic, ci: l.ci95.weighted_kappa.quadratic, why: weightedWhy },
    { name: t('fleiss'), value: l.fleiss_kappa, ci: l.ci95.fleiss_kappa, why: t('undefinedFleiss'), testId: 'fleiss-kappa' },
    { name: t('alphaNominal'), value: l.krippendorff_alpha.nominal, ci: l.ci95.krippendorff_alpha.nominal, why: t('undefinedAlpha') },
    { name: t('alphaOrdinal'), value: l.krippendorff_alpha.ordinal, ci: l.ci95.krippendorff_alpha.ordinal, why: l.ordered ? t('undefinedAlpha') : t('noOrder') },
    { name: t('alphaInterval'), value: l.krippendorff_alpha.interval, ci: l.ci95.krippendorff_alpha.interval, why: l.ordered ? t('undefinedAlpha') : t('noOrder') },
  ];
  return (
    <>
      {l.too_few_images && (
        <p role="note" data-testid="too-few-images" style={WARNING_STYLE}>
          ⚠ {t('tooFewNote', { n: num.count(l.images_compared), min: num.count(l.images_minimum) })}
        </p>
      )}
      <table className="measures" data-testid="label-measures">
        <thead>
          <tr>
            <th>{t('measure')}</th>
            <th>{t('value')}</th>
            <th>{t('ci')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>{t('items')}</th>
            <td data-testid="images-compared">{num.count(l.images_compared)}</td>
            <td />
          </tr>
          {rows.map((r) => (
            <tr key={r.name}>
              <th>{r.name}</th>
              <td data-testid={r.testId}>{num.value(r.value, na)}</td>
              <IntervalCell value={r.value} ci={r.ci} why={r.why} tooFew={l.too_few_images} t={t} num={num} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('ciMethod', { resamples: num.count(BOOTSTRAP_RESAMPLES) })}</p>
    </>
  );
}

function AttributeMeasures({
  result,
  t,
  num,
  className,
  attributeName,
}: {
  result: AgreementResult;
  t: AgreementT;
  num: AgreementNumbers;
  className: (id: string) => string;
  attributeName: (classId: string, id: string) => string;
}) {
  const na = t('notApplicable');
  return (
    <div className="card">
      <h3>{t('attributes')}</h3>
      <p className="muted">{t('attributesHelp')}</p>
      <table className="measures" data-testid="attribute-measures">
        <thead>
          <tr>
            <th>{t('attributeClass')}</th>
            <th>{t('attribute')}</th>
            <th>{t('pairs')}</th>
            <th>{t('kappa')}</th>
            <th>{t('ci')}</th>
            <th>{t('alphaNominalShort')}</th>
            <th>{t('ci')}</th>
          </tr>
        </thead>
        <tbody>
          {result.attributes.map((a) => {
            const two = a.raters.length === 2;
            const kappa = two ? a.cohen_kappa : a.fleiss_kappa;
            const kappaCi = two ? a.ci95.cohen_kappa : a.ci95.fleiss_kappa;
            const why = two ? t('undefinedCohen') : t('undefinedFleiss');
            return (
              <tr key={`${a.class}\u0000${a.attribute}`} data-testid="attribute-row">
                <th>{className(a.class)}</th>
                <th>{attributeName(a.class, a.attribute)}</th>
                <td>{num.count(a.pairs)}</td>
                {a.pairs === 0 ? (
                  <td colSpan={4} className="muted">
                    {t('noPairs')}
                  </td>
                ) : (
                  <>
                    <td data-testid="attribute-kappa">{num.value(kappa, na)}</td>
                    <IntervalCell value={kappa} ci={kappaCi} why={why} tooFew={a.too_few_images} t={t} num={num} />
                    <td>{num.value(a.krippendorff_alpha.nominal, na)}</td>
                    <IntervalCell value={a.krippendorff_alpha.nominal} ci={a.ci95.krippendorff_alpha.nominal} why={t('undefinedAlpha')} tooFew={a.too_few_images} t={t} num={num} />
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
