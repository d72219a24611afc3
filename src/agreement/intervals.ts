import { bootstrapIntervals, MIN_IMAGES, type BootstrapOptions } from './bootstrap';
import { cohenKappa, weightedKappa, type ConfusionMatrix } from './cohen';
import { fleissKappaFromTotals, itemAgreement } from './fleiss';
import { krippendorffAlphaFromCoincidence } from './krippendorff';
import type { RatingTable } from './ratingTable';
import type { Interval } from './types';

/** The label measures in a fixed order; their point values and their intervals use it. */
export const LABEL_MEASURES = ['cohen', 'linear', 'quadratic', 'fleiss', 'nominal', 'ordinal', 'interval'] as const;
export type LabelMeasure = (typeof LABEL_MEASURES)[number];
export type MeasureValues = Record<LabelMeasure, number | null>;

/**
 * What each image adds to each measure's sums, packed flat (row starts per image) so that a resample
 * is a few passes over typed arrays.
 */
interface ImageSums {
  /** Cells a·k + b of the two raters' confusion matrix, one per item both rated. */
  confusionStart: Int32Array;
  confusionCell: Int32Array;
  /** Fleiss: Σ P_i and the number of items, per image; the ratings per category. */
  fleissAgreement: Float64Array;
  fleissItems: Float64Array;
  totalsStart: Int32Array;
  totalsCategory: Int32Array;
  totalsCount: Float64Array;
  /** Krippendorff: coincidence matrix entries c·k + j and their amounts. */
  coincidenceStart: Int32Array;
  coincidenceCell: Int32Array;
  coincidenceAmount: Float64Array;
}

function pack(lists: readonly (readonly number[])[]): { start: Int32Array; flat: number[] } {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => (start[i + 1] = start[i] + l.length));
  return { start, flat: lists.flat() };
}

function packPairs(maps: readonly Map<number, number>[]): { start: Int32Array; keys: Int32Array; amounts: Float64Array } {
  const { start } = pack(maps.map((m) => [...m.keys()]));
  const keys = new Int32Array(start[maps.length]);
  const amounts = new Float64Array(start[maps.length]);
  maps.forEach((m, i) => {
    let j = start[i];
    for (const [key, amount] of m) (keys[j] = key), (amounts[j++] = amount);
  });
  return { start, keys, amounts };
}

function coincidenceOf(row: Int32Array, k: number, add: (cell: number, amount: number) => void): void {
  const counts = new Map<number, number>();
  for (const c of row) if (c >= 0) counts.set(c, (counts.get(c) ?? 0) + 1);
  let m = 0;
  for (const n of counts.values()) m += n;
  if (m < 2) return;
  for (const [c, nc] of counts) {
    for (const [j, nj] of counts) {
      const pairs = nc * (c === j ? nj - 1 : nj);
      if (pairs) add(c * k + j, pairs / (m - 1));
    }
  }
}

/**
 * The images the intervals resample: those with an item rated by at least two raters (an item rated
 * once adds to no measure). Sorted, so the same data read in another order gives the same interval.
 */
export function comparedImages(table: RatingTable): string[] {
  const images = new Set<string>();
  table.cells.forEach((row, i) => {
    let m = 0;
    for (const c of row) if (c >= 0) m++;
    if (m >= 2) images.add(table.itemImages[i]);
  });
  return [...images].sort();
}

/** Every wanted label measure, each image counted `weights[u]` times (1 each for the data itself; draw counts for a resample). */
function measuresFromSums(table: RatingTable, sums: ImageSums, weights: ArrayLike<number>, fleissM: number, wanted: ReadonlySet<LabelMeasure>): MeasureValues {
  const k = table.categories.length;
  const units = sums.fleissItems.length;
  const out: MeasureValues = { cohen: null, linear: null, quadratic: null, fleiss: null, nominal: null, ordinal: null, interval: null };
  const wantCohen = wanted.has('cohen') || wanted.has('linear') || wanted.has('quadratic');
  const wantAlpha = wanted.has('nominal') || wanted.has('ordinal') || wanted.has('interval');
  const confusion = wantCohen ? new Float64Array(k * k) : null;
  const coincidence = wantAlpha ? new Float64Array(k * k) : null;
  const totals = wanted.has('fleiss') ? new Float64Array(k) : null;
  let pairs = 0, fleissAgreement = 0, fleissItems = 0;
  for (let u = 0; u < units; u++) {
    const w = weights[u];
    if (!w) continue;
    if (confusion) {
      for (let i = sums.confusionStart[u]; i < sums.confusionStart[u + 1]; i++) confusion[sums.confusionCell[i]] += w;
      pairs += w * (sums.confusionStart[u + 1] - sums.confusionStart[u]);
    }
    if (totals) {
      fleissAgreement += w * sums.fleissAgreement[u];
      fleissItems += w * sums.fleissItems[u];
      for (let i = sums.totalsStart[u]; i < sums.totalsStart[u + 1]; i++) totals[sums.totalsCategory[i]] += w * sums.totalsCount[i];
    }
    if (coincidence) for (let i = sums.coincidenceStart[u]; i < sums.coincidenceStart[u + 1]; i++) coincidence[sums.coincidenceCell[i]] += w * sums.coincidenceAmount[i];
  }
  const square = (flat: Float64Array) => Array.from({ length: k }, (_, i) => Array.from(flat.subarray(i * k, i * k + k)));
  if (confusion) {
    const m: ConfusionMatrix = { a: table.raters[0], b: table.raters[1], labels: table.categories, counts: square(confusion), n: pairs };
    if (wanted.has('cohen')) out.cohen = cohenKappa(m);
    if (wanted.has('linear')) out.linear = weightedKappa(m, table.values, 'linear');
    if (wanted.has('quadratic')) out.quadratic = weightedKappa(m, table.values, 'quadratic');
  }
  if (totals) out.fleiss = fleissKappaFromTotals(fleissItems, fleissM, fleissAgreement, Array.from(totals));
  if (coincidence) {
    const o = square(coincidence);
    if (wanted.has('nominal')) out.nominal = krippendorffAlphaFromCoincidence(o, 'nominal', table.values);
    if (wanted.has('ordinal')) out.ordinal = krippendorffAlphaFromCoincidence(o, 'ordinal', table.values);
    if (wanted.has('interval')) out.interval = krippendorffAlphaFromCoincidence(o, 'interval', table.values);
  }
  return out;
}

export interface LabelIntervals {
  images_compared: number;
  too_few_images: boolean;
  ci95: Record<LabelMeasure, Interval>;
}

/**
 * 95% percentile-bootstrap intervals over images for the measures whose value is not `null`
 * (`values`). None below MIN_IMAGES images compared: a resampled κ from a handful of images is no
 * interval worth showing.
 */
export function labelIntervals(table: RatingTable, values: MeasureValues, opts: BootstrapOptions = {}): LabelIntervals {
  const images = comparedImages(table);
  const ci95 = Object.fromEntries(LABEL_MEASURES.map((m) => [m, null])) as Record<LabelMeasure, Interval>;
  const tooFew = images.length < MIN_IMAGES;
  const wanted = new Set(LABEL_MEASURES.filter((m) => values[m] !== null));
  if (tooFew || !wanted.size) return { images_compared: images.length, too_few_images: tooFew, ci95 };

  const k = table.categories.length;
  const unit = new Map(images.map((im, i) => [im, i] as const));
  const two = table.raters.length === 2;
  const raw = images.map(() => ({ confusion: [] as number[], fleissAgreement: 0, fleissItems: 0, totals: new Map<number, number>(), coincidence: new Map<number, number>() }));
  let fleissM = 0;
  table.cells.forEach((row, i) => {
    const u = unit.get(table.itemImages[i]);
    if (u === undefined) return;
    const s = raw[u];
    if (two && row[0] >= 0 && row[1] >= 0) s.confusion.push(row[0] * k + row[1]);
    let m = 0;
    const counts = new Array<number>(k).fill(0);
    for (const c of row) if (c >= 0) (counts[c]++, m++);
    if (m >= 2) {
      // Fleiss has a value only when every rated item has the same number of ratings, so m is that number.
      fleissM = m;
      s.fleissAgreement += itemAgreement(counts, m);
      s.fleissItems++;
      counts.forEach((n, c) => n && s.totals.set(c, (s.totals.get(c) ?? 0) + n));
    }
    coincidenceOf(row, k, (cell, amount) => s.coincidence.set(cell, (s.coincidence.get(cell) ?? 0) + amount));
  });
  const confusion = pack(raw.map((r) => r.confusion));
  const totals = packPairs(raw.map((r) => r.totals));
  const coincidence = packPairs(raw.map((r) => r.coincidence));
  const sums: ImageSums = {
    confusionStart: confusion.start,
    confusionCell: Int32Array.from(confusion.flat),
    fleissAgreement: Float64Array.from(raw, (r) => r.fleissAgreement),
    fleissItems: Float64Array.from(raw, (r) => r.fleissItems),
    totalsStart: totals.start,
    totalsCategory: totals.keys,
    totalsCount: totals.amounts,
    coincidenceStart: coincidence.start,
    coincidenceCell: coincidence.keys,
    coincidenceAmount: coincidence.amounts,
  };
  const order = [...wanted];
  const intervals = bootstrapIntervals(
    images.length,
    order.length,
    (weights) => {
      const v = measuresFromSums(table, sums, weights, fleissM, wanted);
      return order.map((m) => v[m]);
    },
    opts,
  );
  order.forEach((m, i) => (ci95[m] = intervals[i]));
  return { images_compared: images.length, too_few_images: false, ci95 };
}
