import { describe, expect, it } from 'vitest';
import { fleissKappaFromCounts } from './fleiss';
import { labelAgreement } from './labels';
import type { LabelRating } from './types';

// Fleiss (1971) worked example as given in Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters, 5 categories.
const WIKIPEDIA_TABLE = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/** Hands each subject's ratings to raters r1, r2, … in turn: Fleiss' kappa does not care who gave which. */
function ratingsFromCounts(table: number[][]): LabelRating[] {
  return table.flatMap((row, i) => {
    const labels = row.flatMap((n, c) => Array<string>(n).fill(`c${c + 1}`));
    return labels.map((label, r) => ({ item: `s${i + 1}`, rater: `r${r + 1}`, label }));
  });
}

describe("Fleiss' kappa", () => {
  it('gives 0.210 on the Wikipedia example', () => {
    expect(fleissKappaFromCounts(WIKIPEDIA_TABLE)).toBeCloseTo(0.21, 3);
    const r = labelAgreement({ ratings: ratingsFromCounts(WIKIPEDIA_TABLE), raters: [] });
    expect(r.raters).toHaveLength(14);
    expect(r.items).toBe(10);
    expect(r.fleiss_kappa).toBeCloseTo(0.21, 3);
    expect(r.cohen_kappa).toBeNull();
  });

  it('is null when items have different numbers of ratings', () => {
    expect(fleissKappaFromCounts([[2, 0], [1, 2]])).toBeNull();
    // Three raters, but c skipped image y (a missing rating): 3 ratings on x, 2 on y.
    const ratings = [
      { item: 'x', rater: 'a', label: '1' }, { item: 'x', rater: 'b', label: '1' }, { item: 'x', rater: 'c', label: '2' },
      { item: 'y', rater: 'a', label: '2' }, { item: 'y', rater: 'b', label: '2' }, { item: 'y', rater: 'c', label: null },
    ];
    const r = labelAgreement({ ratings, raters: [] });
    expect(r.fleiss_kappa).toBeNull();
    expect(r.krippendorff_alpha.nominal).not.toBeNull();
  });

  it('is null when every rating falls in one category', () => {
    expect(fleissKappaFromCounts([[3, 0], [3, 0]])).toBeNull();
  });

  it("equals Scott's pi (not Cohen's kappa) with two raters", () => {
    // Two raters, yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_yes = 55/100, P̄ = 35/50, P̄e = 0.505.
    expect(fleissKappaFromCounts([...Array(20).fill([2, 0]), ...Array(15).fill([1, 1]), ...Array(15).fill([0, 2])])).toBeCloseTo((0.7 - 0.505) / 0.495, 10);
  });
});
