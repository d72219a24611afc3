/**
 * Fleiss' kappa from an items × categories table of rating counts (Fleiss 1971). Items without any
 * rating are skipped. `null` when the items that remain do not all have the same number of ratings
 * (at least two), or when chance agreement is 1 (every rating in one category).
 */
export function fleissKappaFromCounts(counts: readonly (readonly number[])[]): number | null {
  const rated = counts.filter((row) => row.some((c) => c > 0));
  if (rated.length === 0) return null;
  const n = rated[0].reduce((s, c) => s + c, 0);
  if (n < 2 || rated.some((row) => row.reduce((s, c) => s + c, 0) !== n)) return null;
  const k = rated[0].length;
  const totals = new Array<number>(k).fill(0);
  let agreementSum = 0;
  for (const row of rated) {
    agreementSum += itemAgreement(row, n);
    for (let j = 0; j < k; j++) totals[j] += row[j];
  }
  return fleissKappaFromTotals(rated.length, n, agreementSum, totals);
}

/** P_i = (Σ_j n_ij² − m) / (m (m − 1)): the share of agreeing rater pairs on one item with m ratings. */
export function itemAgreement(row: readonly number[], m: number): number {
  let sumSquares = 0;
  for (const c of row) sumSquares += c * c;
  return (sumSquares - m) / (m * (m - 1));
}

/**
 * Fleiss' kappa from its sums: `items` items with `m` ratings each, Σ P_i over them, and the number of
 * ratings in each category. The bootstrap adds these up over resampled images. `null` as above.
 */
export function fleissKappaFromTotals(items: number, m: number, agreementSum: number, categoryTotals: readonly number[]): number | null {
  if (items === 0 || m < 2) return null;
  const meanAgreement = agreementSum / items;
  let chance = 0;
  for (const t of categoryTotals) {
    const pj = t / (items * m);
    chance += pj * pj;
  }
  if (chance === 1) return null;
  return (meanAgreement - chance) / (1 - chance);
}
