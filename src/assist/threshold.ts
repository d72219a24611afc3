/** Otsu's threshold (IEEE SMC 1979): the cut that best separates a histogram into two classes. */

const BINS = 256;

/**
 * Otsu's threshold of `values` (only where `within` is set, when given), maximising the
 * between-class variance over a 256-bin histogram spanning the values' range. Returns the upper
 * edge of the last bin of the lower class; NaN when there are no values.
 */
export function otsuThreshold(values: ArrayLike<number>, within?: Uint8Array): number {
  let lo = Infinity, hi = -Infinity, n = 0;
  for (let i = 0; i < values.length; i++) {
    if (within && !within[i]) continue;
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    n++;
  }
  if (n === 0) return NaN;
  if (hi === lo) return lo;
  const scale = (BINS - 1e-6) / (hi - lo);
  const hist = new Float64Array(BINS);
  for (let i = 0; i < values.length; i++) {
    if (within && !within[i]) continue;
    hist[Math.floor((values[i] - lo) * scale)]++;
  }
  let total = 0;
  for (let k = 0; k < BINS; k++) total += k * hist[k];
  let w0 = 0, sum0 = 0, best = -1, bestK = 0;
  for (let k = 0; k < BINS - 1; k++) {
    w0 += hist[k];
    sum0 += k * hist[k];
    const w1 = n - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = sum0 / w0, m1 = (total - sum0) / w1;
    const between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      bestK = k;
    }
  }
  return lo + (bestK + 1) / scale;
}
