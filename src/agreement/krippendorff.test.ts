import { describe, expect, it } from 'vitest';
import { coincidenceMatrix, krippendorffAlphaFromCounts } from './krippendorff';
import { labelAgreement } from './labels';
import { categoryCounts, ratingTable } from './ratingTable';
import { ratingsFromColumns } from './testRatings';

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C:
// 4 observers, 12 units, values 1–5, missing data.
const EXAMPLE_C = {
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  C: [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
};

describe("Krippendorff's alpha", () => {
  it('reproduces the 2011 paper: nominal 0.743, ordinal 0.815, interval 0.849', () => {
    const r = labelAgreement({ ratings: ratingsFromColumns(EXAMPLE_C), raters: ['A', 'B', 'C', 'D'] });
    expect(r.items).toBe(12);
    expect(r.krippendorff_alpha.nominal).toBeCloseTo(0.743, 3);
    expect(r.krippendorff_alpha.ordinal).toBeCloseTo(0.815, 3);
    expect(r.krippendorff_alpha.interval).toBeCloseTo(0.849, 3);
    // Unequal raters per unit (missing values): Fleiss does not apply; four raters: Cohen does not either.
    expect(r.fleiss_kappa).toBeNull();
    expect(r.cohen_kappa).toBeNull();
  });

  it("builds the paper's coincidence matrix: 40 pairable values, n_c = 9, 13, 10, 5, 3", () => {
    const table = ratingTable(ratingsFromColumns(EXAMPLE_C), ['A', 'B', 'C', 'D']);
    expect(table.categories).toEqual(['1', '2', '3', '4', '5']);
    const o = coincidenceMatrix(categoryCounts(table), 5);
    const marginals = o.map((row) => row.reduce((s, x) => s + x, 0));
    expect(marginals.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([9, 13, 10, 5, 3]);
    // Unit 6 (values 1, 2, 3, 4) adds 1/3 to each off-diagonal cell it touches; o_12 is 4/3 with unit 8.
    expect(o[0][1]).toBeCloseTo(4 / 3, 10);
    expect(o[0][0]).toBeCloseTo(7, 10);
  });

  it('reproduces the 2011 paper example A (binary, two observers): 0.095', () => {
    const r = labelAgreement({ ratings: ratingsFromColumns({ A: [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], B: [1, 1, 1, 0, 0, 1, 0, 0, 0, 0] }), raters: ['A', 'B'] });
    expect(r.krippendorff_alpha.nominal).toBeCloseTo(0.095, 3);
  });

  it('gives ordinal and interval only for labels with an order', () => {
    const ratings = ratingsFromColumns({ A: ['x', 'y', 'z', 'x'], B: ['x', 'y', 'y', 'x'] });
    const plain = labelAgreement({ ratings, raters: [] });
    expect(plain.krippendorff_alpha.nominal).not.toBeNull();
    expect(plain.krippendorff_alpha.ordinal).toBeNull();
    expect(plain.krippendorff_alpha.interval).toBeNull();
    const ordered = labelAgreement({ ratings, raters: [], classOrder: ['x', 'y', 'z'] });
    expect(ordered.krippendorff_alpha.ordinal).not.toBeNull();
    expect(ordered.krippendorff_alpha.interval).not.toBeNull();
  });

  it('is null when no unit has two values, or when all values agree on one category', () => {
    expect(krippendorffAlphaFromCounts([[1, 0], [0, 1]], 2, 'nominal', null)).toBeNull();
    expect(krippendorffAlphaFromCounts([[2, 0], [3, 0]], 2, 'nominal', null)).toBeNull();
    expect(labelAgreement({ ratings: [], raters: [] }).krippendorff_alpha).toEqual({ nominal: null, ordinal: null, interval: null });
  });
});
