import {
  agreementInputFromProject,
  attributeAgreement,
  compareRaterShapes,
  labelAgreement,
  majorityVote,
  shapeAgreement,
  type AttributeAgreementJson,
  type ConfusionMatrix,
  type Interval,
  type LabelAgreement,
  type MajorityLabel,
  type ShapeMatchMode,
  type ShapePairReport,
  type ShapeSummary,
} from '../../agreement';
import type { ProjectData } from '../../model/projectData';

export interface AgreementRequest {
  data: ProjectData;
  /** Annotator ids to compare, in reference order. */
  raters: string[];
  label: 'class' | 'grade';
  mode: ShapeMatchMode;
  /** Whether shapes made by the assistant (and accepted by a person) count. */
  includeAssisted: boolean;
}

export interface PairLabels {
  a: string;
  b: string;
  items: number;
  kappa: number | null;
  linear: number | null;
  quadratic: number | null;
  /** 95% interval of `kappa`; `null` with too few images or where kappa is undefined. */
  kappaCi: Interval;
  tooFewImages: boolean;
}

export interface ImageDisagreement {
  imageId: string;
  name: string;
  /** Share of label ratings that differ from the image's most common label (0 = all agree). */
  labelDisagreement: number | null;
  /** Shapes on the image that no other annotator's shape matched, over all pairs. */
  unmatched: number;
  shapes: number;
  /** One number to rank by: label disagreement plus the unmatched share of shapes. */
  score: number;
}

export interface AgreementResult {
  raters: string[];
  labels: LabelAgreement;
  pairLabels: PairLabels[];
  /** Per pair (same order as pairLabels): rows are a's labels, columns b's. */
  confusionByPair: (ConfusionMatrix | null)[];
  shapes: { pairs: ShapePairReport[]; overall: ShapeSummary };
  /** Agreement on the enum and yes/no attributes of matched shapes, per class and attribute. */
  attributes: AttributeAgreementJson[];
  images: ImageDisagreement[];
  majority: MajorityLabel[];
}

export type Progress = (done: number, total: number, step: string) => void;

/**
 * Everything the agreement page shows, computed step by step so a worker can report progress.
 * Images are keyed by id here (names may repeat in a project).
 */
export function computeAgreement(req: AgreementRequest, progress: Progress = () => {}): AgreementResult {
  const chosen = new Set(req.raters);
  const data: ProjectData = {
    ...req.data,
    // Image names may repeat inside one project: key items by id by giving each image its id as name.
    images: req.data.images.map((i) => ({ ...i, name: i.id })),
    annotations: req.data.annotations.filter((a) => chosen.has(a.annotatorId) && (req.includeAssisted || a.provenance?.kind !== 'assistant')),
  };
  const input = agreementInputFromProject(data, { label: req.label });
  const raters = req.raters.filter((r) => input.raters.includes(r));
  const pairs: [string, string][] = [];
  for (let i = 0; i < raters.length; i++) for (let j = i + 1; j < raters.length; j++) pairs.push([raters[i], raters[j]]);
  const total = 3 + pairs.length * 2;
  let done = 0;
  const step = (name: string) => progress(++done, total, name);

  const labels = labelAgreement({ ratings: input.ratings, raters, classOrder: input.classOrder });
  step('labels');
  const confusionByPair: (ConfusionMatrix | null)[] = [];
  const pairLabels: PairLabels[] = pairs.map(([a, b]) => {
    const l = labelAgreement({ ratings: input.ratings.filter((r) => r.rater === a || r.rater === b), raters: [a, b], classOrder: input.classOrder });
    confusionByPair.push(l.confusion);
    step(`labels ${a}–${b}`);
    return {
      a,
      b,
      items: l.confusion?.n ?? 0,
      kappa: l.cohen_kappa,
      linear: l.weighted_kappa.linear,
      quadratic: l.weighted_kappa.quadratic,
      kappaCi: l.ci95.cohen_kappa,
      tooFewImages: l.too_few_images,
    };
  });

  const shapes = shapeAgreement(input.shapes, raters, req.mode);
  step('shapes');
  const matchedIds = new Set<string>();
  for (const [a, b] of pairs) {
    for (const m of compareRaterShapes(input.shapes, a, b, req.mode).matches) {
      matchedIds.add(m.a);
      matchedIds.add(m.b);
    }
    step(`shapes ${a}–${b}`);
  }
  const attributes = attributeAgreement(input.shapes, raters, input.attributes ?? [], req.mode);
  step('attributes');

  const perImage = new Map<string, { labels: Map<string, number>; ratings: number; unmatched: number; shapes: number }>();
  const entry = (id: string) => {
    let e = perImage.get(id);
    if (!e) perImage.set(id, (e = { labels: new Map(), ratings: 0, unmatched: 0, shapes: 0 }));
    return e;
  };
  for (const r of input.ratings) {
    if (r.label === null) continue;
    const e = entry(r.image ?? r.item);
    e.labels.set(r.label, (e.labels.get(r.label) ?? 0) + 1);
    e.ratings++;
  }
  for (const s of input.shapes) {
    const e = entry(s.image);
    e.shapes++;
    if (raters.length > 1 && !matchedIds.has(s.id)) e.unmatched++;
  }
  const names = new Map(req.data.images.map((i) => [i.id, i.name]));
  const images: ImageDisagreement[] = [...perImage].map(([imageId, e]) => {
    const top = Math.max(0, ...e.labels.values());
    const labelDisagreement = e.ratings > 1 ? 1 - top / e.ratings : null;
    const unmatchedShare = e.shapes ? e.unmatched / e.shapes : 0;
    return { imageId, name: names.get(imageId) ?? imageId, labelDisagreement, unmatched: e.unmatched, shapes: e.shapes, score: (labelDisagreement ?? 0) + unmatchedShare };
  });
  images.sort((x, y) => y.score - x.score || x.name.localeCompare(y.name));

  return { raters, labels, pairLabels, confusionByPair, shapes: { pairs: shapes.pairs, overall: shapes.overall }, attributes, images, majority: majorityVote(input.ratings) };
}
