import { matchByCentroid, matchByIou } from './matchShapes';
import { diceFromIou, prepareShape, type PreparedShape } from './shapeArea';
import type { ShapeMatchMode, ShapePairReport, ShapeRecord, ShapeSummary } from './types';

export const DEFAULT_IOU_THRESHOLD = 0.5;

export interface ShapeMatch {
  image: string;
  classId: string;
  /** Shape ids of rater a and rater b. */
  a: string;
  b: string;
  iou: number | null;
  distance: number;
}

export interface RaterComparison {
  report: ShapePairReport;
  matches: ShapeMatch[];
}

/** Shapes that take part in the mode: IoU needs an area, so points only count for centroid matching. */
function counts(shape: ShapeRecord, mode: ShapeMatchMode): boolean {
  return mode.kind === 'centroid' || shape.geometry.type !== 'point';
}

function groupKey(s: ShapeRecord): string {
  return `${s.image}\u0000${s.classId}`;
}

export function radiusInPixels(mode: Extract<ShapeMatchMode, { kind: 'centroid' }>, image: string): number {
  if (mode.unit !== 'um') return mode.radius;
  const mpp = typeof mode.mpp === 'number' ? mode.mpp : mode.mpp?.[image];
  if (!(mpp && mpp > 0)) throw new Error(`no microns per pixel for image "${image}": cannot turn a radius in µm into pixels`);
  return mode.radius / mpp;
}

/** Precision, recall, F1 and mean overlap from counts and the matched pairs' IoU; `null` where a ratio has no denominator. */
export function summarise(aCount: number, bCount: number, matchIous: readonly (number | null)[]): ShapeSummary {
  const matched = matchIous.length;
  const withArea = matchIous.filter((x): x is number => x !== null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  return {
    a_count: aCount,
    b_count: bCount,
    matched,
    precision: bCount ? matched / bCount : null,
    recall: aCount ? matched / aCount : null,
    f1: aCount + bCount ? (2 * matched) / (aCount + bCount) : null,
    mean_iou: mean(withArea),
    mean_dice: mean(withArea.map(diceFromIou)),
  };
}

class PreparedCache {
  private readonly map = new Map<ShapeRecord, PreparedShape>();
  get(s: ShapeRecord): PreparedShape {
    let p = this.map.get(s);
    if (!p) this.map.set(s, (p = prepareShape(s.geometry)));
    return p;
  }
}

function compareWithCache(shapes: readonly ShapeRecord[], a: string, b: string, mode: ShapeMatchMode, cache: PreparedCache): RaterComparison {
  const groups = new Map<string, { a: ShapeRecord[]; b: ShapeRecord[] }>();
  for (const s of shapes) {
    if ((s.rater !== a && s.rater !== b) || !counts(s, mode)) continue;
    const key = groupKey(s);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { a: [], b: [] }));
    (s.rater === a ? g.a : g.b).push(s);
  }
  let aCount = 0, bCount = 0;
  const matches: ShapeMatch[] = [];
  for (const g of groups.values()) {
    aCount += g.a.length;
    bCount += g.b.length;
    if (!g.a.length || !g.b.length) continue;
    const pa = g.a.map((s) => cache.get(s));
    const pb = g.b.map((s) => cache.get(s));
    const pairs = mode.kind === 'iou' ? matchByIou(pa, pb, mode.threshold) : matchByCentroid(pa, pb, radiusInPixels(mode, g.a[0].image));
    for (const p of pairs) matches.push({ image: g.a[0].image, classId: g.a[0].classId, a: g.a[p.a].id, b: g.b[p.b].id, iou: p.iou, distance: p.distance });
  }
  return { report: { a, b, ...summarise(aCount, bCount, matches.map((m) => m.iou)) }, matches };
}

/** Rater a is the reference: recall is matched / a's shapes, precision matched / b's shapes. Matching is per image and class. */
export function compareRaterShapes(shapes: readonly ShapeRecord[], a: string, b: string, mode: ShapeMatchMode = { kind: 'iou', threshold: DEFAULT_IOU_THRESHOLD }): RaterComparison {
  return compareWithCache(shapes, a, b, mode, new PreparedCache());
}

/**
 * Every pair of raters who drew at least one shape, the earlier rater in `raters` as the reference,
 * and `overall`: all pairs pooled (counts summed, means over every matched pair).
 */
export function shapeAgreement(shapes: readonly ShapeRecord[], raters: readonly string[], mode: ShapeMatchMode = { kind: 'iou', threshold: DEFAULT_IOU_THRESHOLD }): { pairs: ShapePairReport[]; overall: ShapeSummary; matches: ShapeMatch[][] } {
  const drew = new Set(shapes.filter((s) => counts(s, mode)).map((s) => s.rater));
  const order = [...raters, ...[...drew].filter((r) => !raters.includes(r))].filter((r) => drew.has(r));
  const cache = new PreparedCache();
  const pairs: ShapePairReport[] = [];
  const matches: ShapeMatch[][] = [];
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const c = compareWithCache(shapes, order[i], order[j], mode, cache);
      pairs.push(c.report);
      matches.push(c.matches);
    }
  }
  const overall = summarise(
    pairs.reduce((s, p) => s + p.a_count, 0),
    pairs.reduce((s, p) => s + p.b_count, 0),
    matches.flat().map((m) => m.iou),
  );
  return { pairs, overall, matches };
}
