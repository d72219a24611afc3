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
  const items = rated.length;
  const k = rated[0].length;
  const p = new Array<number>(k).fill(0);
  let meanAgreement = 0;
  for (const row of rated) {
    let sumSquares = 0;
    for (let j = 0; j < k; j++) {
      sumSquares += row[j] * row[j];
      p[j] += row[j];
    }
    meanAgreement += (sumSquares - n) / (n * (n - 1));
  }
  meanAgreement /= items;
  let chance = 0;
  for (let j = 0; j < k; j++) {
    const pj = p[j] / (items * n);
    chance += pj * pj;
  }
  if (chance === 1) return null;
  return (meanAgreement - chance) / (1 - chance);
}
