import { describe, expect, it } from 'vitest';
import { labelAgreement } from './labels';
import { ratingsFromColumns, ratingsFromConfusion } from './testRatings';

describe("Cohen's kappa", () => {
  it('gives 0.4 on the Wikipedia yes/no example (50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no)', () => {
    const r = labelAgreement({ ratings: ratingsFromConfusion(['yes', 'no'], [[20, 5], [10, 15]]), raters: ['a', 'b'] });
    expect(r.items).toBe(50);
    expect(r.cohen_kappa).toBeCloseTo(0.4, 3);
  });

  it('reproduces the Wikipedia "same percentages, different numbers" tables: 0.1304 and 0.2593', () => {
    const first = labelAgreement({ ratings: ratingsFromConfusion(['yes', 'no'], [[45, 15], [25, 15]]), raters: ['a', 'b'] });
    const second = labelAgreement({ ratings: ratingsFromConfusion(['yes', 'no'], [[25, 35], [5, 35]]), raters: ['a', 'b'] });
    expect(first.cohen_kappa).toBeCloseTo(0.1304, 4);
    expect(second.cohen_kappa).toBeCloseTo(0.2593, 4);
  });

  // Hand-checked: a = 1 2 3 1 2, b = 1 3 3 2 2; rows (2, 2, 1), columns (1, 2, 2), n = 5.
  // Unweighted: p_o = 3/5, p_e = (2·1 + 2·2 + 1·2) / 25 = 8/25, κ = (15 − 8) / (25 − 8) = 7/17.
  // Linear: observed Σ|i−j| = 2, expected Σ|i−j|·r_i·c_j / n = 22/5, κ = 1 − 2 / 4.4 = 6/11.
  // Quadratic: observed 2, expected 32/5, κ = 1 − 2 / 6.4 = 0.6875.
  const handChecked = ratingsFromColumns({ a: [1, 2, 3, 1, 2], b: [1, 3, 3, 2, 2] });

  it('weights ordinal labels linearly and quadratically (hand-checked)', () => {
    const r = labelAgreement({ ratings: handChecked, raters: ['a', 'b'] });
    expect(r.cohen_kappa).toBeCloseTo(7 / 17, 10);
    expect(r.weighted_kappa.linear).toBeCloseTo(6 / 11, 10);
    expect(r.weighted_kappa.quadratic).toBeCloseTo(0.6875, 10);
  });

  it('orders class ids by the schema when they are not numbers, and gives no weighted kappa without an order', () => {
    const names = ['none', 'mild', 'severe'];
    const ratings = handChecked.map((r) => ({ ...r, label: names[Number(r.label) - 1] }));
    const ordered = labelAgreement({ ratings, raters: ['a', 'b'], classOrder: names });
    expect(ordered.weighted_kappa.linear).toBeCloseTo(6 / 11, 10);
    const unordered = labelAgreement({ ratings, raters: ['a', 'b'] });
    expect(unordered.cohen_kappa).toBeCloseTo(7 / 17, 10);
    expect(unordered.weighted_kappa).toEqual({ linear: null, quadratic: null });
  });

  it('is null with three raters, and with no item rated by both', () => {
    const three = labelAgreement({ ratings: ratingsFromColumns({ a: [1, 2], b: [1, 2], c: [1, 1] }), raters: ['a', 'b', 'c'] });
    expect(three.cohen_kappa).toBeNull();
    expect(three.weighted_kappa).toEqual({ linear: null, quadratic: null });
    const apart = labelAgreement({ ratings: ratingsFromColumns({ a: [1, 2, null, null], b: [null, null, 1, 2] }), raters: ['a', 'b'] });
    expect(apart.cohen_kappa).toBeNull();
  });

  it('is null rather than 1 or NaN when both raters only ever used one label', () => {
    const r = labelAgreement({ ratings: ratingsFromColumns({ a: ['x', 'x'], b: ['x', 'x'] }), raters: ['a', 'b'] });
    expect(r.cohen_kappa).toBeNull();
  });

  it('gives the confusion matrix (rows a, columns b) and per-class agreement', () => {
    const r = labelAgreement({ ratings: ratingsFromConfusion(['yes', 'no'], [[20, 5], [10, 15]]), raters: ['a', 'b'] });
    expect(r.confusion?.labels).toEqual(['yes', 'no']);
    expect(r.confusion?.counts).toEqual([[20, 5], [10, 15]]);
    const yes = r.per_class?.find((c) => c.label === 'yes');
    expect(yes).toMatchObject({ a_count: 25, b_count: 30, both: 20 });
    expect(yes?.specific_agreement).toBeCloseTo(40 / 55, 10);
    // With two labels, each label's one-vs-rest kappa is the overall kappa.
    expect(yes?.kappa).toBeCloseTo(0.4, 10);
  });

  it('keeps the first rating when a rater rates an item twice, and counts the duplicate', () => {
    const ratings = [...ratingsFromColumns({ a: ['x', 'y'], b: ['x', 'y'] }), { item: 'u1', rater: 'a', label: 'y' }];
    const r = labelAgreement({ ratings, raters: ['a', 'b'] });
    expect(r.duplicates).toBe(1);
    expect(r.confusion?.counts).toEqual([[1, 0], [0, 1]]);
  });
});
