export type AlphaMetric = 'nominal' | 'ordinal' | 'interval';

/**
 * The coincidence matrix o[c][k] (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
 * every ordered pair of values within a unit, from different coders, adds 1 / (m_u − 1), where m_u is
 * the number of values the unit has. Units with fewer than two values are not pairable and add nothing.
 */
export function coincidenceMatrix(counts: readonly (readonly number[])[], k: number): number[][] {
  const o = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const row of counts) {
    const m = row.reduce((s, c) => s + c, 0);
    if (m < 2) continue;
    for (let c = 0; c < k; c++) {
      if (row[c] === 0) continue;
      for (let j = 0; j < k; j++) {
        const pairs = row[c] * (c === j ? row[j] - 1 : row[j]);
        if (pairs) o[c][j] += pairs / (m - 1);
      }
    }
  }
  return o;
}

/** δ²(c, k) for the metric; `values` is each category's position on its scale, sorted ascending. */
function distanceFunction(metric: AlphaMetric, values: readonly number[] | null, marginals: readonly number[]): ((c: number, k: number) => number) | null {
  if (metric === 'nominal') return (c, k) => (c === k ? 0 : 1);
  if (!values) return null;
  if (metric === 'interval') return (c, k) => (values[c] - values[k]) ** 2;
  // Ordinal: the squared number of values between the two ranks, counting half of each end.
  const cumulative = [0];
  for (const n of marginals) cumulative.push(cumulative[cumulative.length - 1] + n);
  return (c, k) => {
    const lo = Math.min(c, k);
    const hi = Math.max(c, k);
    const between = cumulative[hi + 1] - cumulative[lo] - (marginals[c] + marginals[k]) / 2;
    return between * between;
  };
}

/**
 * Krippendorff's alpha, α = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, from an items × categories
 * table of counts. Categories must be sorted by `values` for ordinal and interval. `null` when the
 * metric needs an order the labels do not have, when no unit is pairable, or when expected
 * disagreement is zero (every pairable value the same).
 */
export function krippendorffAlphaFromCounts(counts: readonly (readonly number[])[], k: number, metric: AlphaMetric, values: readonly number[] | null): number | null {
  return krippendorffAlphaFromCoincidence(coincidenceMatrix(counts, k), metric, values);
}

/** The same alpha from a coincidence matrix (k × k); the bootstrap adds matrices up over resampled images. */
export function krippendorffAlphaFromCoincidence(o: readonly (readonly number[])[], metric: AlphaMetric, values: readonly number[] | null): number | null {
  const k = o.length;
  const marginals = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = marginals.reduce((s, x) => s + x, 0);
  if (n <= 1) return null;
  const delta = distanceFunction(metric, values, marginals);
  if (!delta) return null;
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < k; j++) {
      const d = delta(c, j);
      observed += o[c][j] * d;
      expected += marginals[c] * marginals[j] * d;
    }
  }
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}
