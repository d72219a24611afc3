import type { Interval } from './types';

/**
 * Confidence intervals by the percentile bootstrap over images (docs/AGREEMENT.md, "Confidence
 * intervals"): draw as many images as there are, with replacement, recompute the measure, and take
 * the 2.5th and 97.5th percentiles of the recomputed values. A fixed seed makes the same data give
 * the same interval every time.
 */

/** Resamples per interval. Percentile intervals need about a thousand (Efron & Tibshirani 1993). */
export const BOOTSTRAP_RESAMPLES = 1000;
/** Any fixed number would do; this one is documented so that a reader can reproduce an interval. */
export const BOOTSTRAP_SEED = 1;
/** Below this many images compared, no interval is given and the measure is flagged (see the docs for why 10). */
export const MIN_IMAGES = 10;
/** A percentile interval that leaves out more than this share of the resamples (undefined there) is not given. */
export const MAX_UNDEFINED_SHARE = 0.05;

/** Mulberry32, a small 32-bit generator: uniform numbers in [0, 1) from a seed, the same on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The p-quantile of ascending `sorted` values, interpolated between order statistics (R's default, type 7). */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/**
 * Percentile intervals for several measures at once. `statistic` gets how many times each of the
 * `units` was drawn and returns each measure's value on that resample (`null`: undefined there).
 * A measure gets an interval when it is defined on all but at most 5% of the resamples.
 */
export function bootstrapIntervals(units: number, measures: number, statistic: (weights: Int32Array) => (number | null)[], opts: BootstrapOptions = {}): Interval[] {
  const resamples = opts.resamples ?? BOOTSTRAP_RESAMPLES;
  if (units === 0 || resamples <= 0) return new Array<Interval>(measures).fill(null);
  const random = seededRandom(opts.seed ?? BOOTSTRAP_SEED);
  const values: number[][] = Array.from({ length: measures }, () => []);
  const weights = new Int32Array(units);
  for (let r = 0; r < resamples; r++) {
    weights.fill(0);
    for (let i = 0; i < units; i++) weights[Math.floor(random() * units)]++;
    const v = statistic(weights);
    for (let m = 0; m < measures; m++) {
      const x = v[m];
      if (x !== null && Number.isFinite(x)) values[m].push(x);
    }
  }
  return values.map((xs) => {
    if (xs.length < resamples * (1 - MAX_UNDEFINED_SHARE)) return null;
    xs.sort((a, b) => a - b);
    return [quantile(xs, 0.025), quantile(xs, 0.975)];
  });
}
