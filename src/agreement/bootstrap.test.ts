import { describe, expect, it } from 'vitest';
import { bootstrapIntervals, MIN_IMAGES, quantile, seededRandom } from './bootstrap';
import { labelAgreement } from './labels';
import { ratingsFromColumns, ratingsFromConfusion } from './testRatings';
import type { LabelRating } from './types';

// Wikipedia "Cohen's kappa": 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15; κ = 0.4.
const WIKIPEDIA = ratingsFromConfusion(['yes', 'no'], [[20, 5], [10, 15]]);

describe('percentile quantile', () => {
  it("interpolates between order statistics as R's default does", () => {
    // R: quantile(1:4, c(0.25, 0.5, 0.975)) gives 1.75, 2.5, 3.925 (h = 3p, hand-checked).
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile([1, 2, 3, 4], 0.975)).toBeCloseTo(3.925, 12);
  });
});

describe('bootstrap confidence intervals for kappa and alpha', () => {
  it('gives the same interval for the same data, in any order, and another with another seed', () => {
    const first = labelAgreement({ ratings: WIKIPEDIA, raters: ['a', 'b'] });
    const again = labelAgreement({ ratings: WIKIPEDIA, raters: ['a', 'b'] });
    const reversed = labelAgreement({ ratings: [...WIKIPEDIA].reverse(), raters: ['a', 'b'] });
    expect(first.ci95.cohen_kappa).not.toBeNull();
    expect(again.ci95).toEqual(first.ci95);
    expect(reversed.ci95.cohen_kappa![0]).toBeCloseTo(first.ci95.cohen_kappa![0], 12);
    expect(reversed.ci95.cohen_kappa![1]).toBeCloseTo(first.ci95.cohen_kappa![1], 12);
    const otherSeed = labelAgreement({ ratings: WIKIPEDIA, raters: ['a', 'b'] }, { bootstrap: { seed: 2 } });
    expect(otherSeed.ci95.cohen_kappa).not.toEqual(first.ci95.cohen_kappa);
  });

  it("is about as wide as Cohen's large-sample standard error says on the Wikipedia example", () => {
    // Hand derivation: p_o = 0.7, p_e = 0.5, n = 50. Cohen (1960): SE ≈ √(p_o (1 − p_o) / (n (1 − p_e)²))
    // = √(0.21 / 12.5) = 0.1296, so the normal interval is 0.4 ± 1.96 · 0.1296 = [0.146, 0.654].
    const r = labelAgreement({ ratings: WIKIPEDIA, raters: ['a', 'b'] });
    const [lo, hi] = r.ci95.cohen_kappa!;
    expect(lo).toBeGreaterThan(0.146 - 0.03);
    expect(lo).toBeLessThan(0.146 + 0.03);
    expect(hi).toBeGreaterThan(0.654 - 0.03);
    expect(hi).toBeLessThan(0.654 + 0.03);
    // Every measure that has a value gets an interval around it; those without one get none.
    expect(r.ci95.fleiss_kappa![0]).toBeLessThan(r.fleiss_kappa!);
    expect(r.ci95.fleiss_kappa![1]).toBeGreaterThan(r.fleiss_kappa!);
    expect(r.ci95.krippendorff_alpha.nominal![0]).toBeLessThan(r.krippendorff_alpha.nominal!);
    expect(r.ci95.weighted_kappa).toEqual({ linear: null, quadratic: null });
  });

  it('covers the true kappa in about 95% of simulated studies', () => {
    // Hand derivation of the truth: two raters, P(yes, yes) = P(no, no) = 0.4, P(yes, no) = P(no, yes) = 0.1,
    // so p_o = 0.8, p_e = 0.5·0.5 + 0.5·0.5 = 0.5 and κ = (0.8 − 0.5) / (1 − 0.5) = 0.6.
    const random = seededRandom(12345);
    const studies = 200;
    let covered = 0;
    for (let s = 0; s < studies; s++) {
      const counts = [[0, 0], [0, 0]];
      for (let i = 0; i < 100; i++) {
        const u = random();
        if (u < 0.4) counts[0][0]++;
        else if (u < 0.8) counts[1][1]++;
        else if (u < 0.9) counts[0][1]++;
        else counts[1][0]++;
      }
      const ci = labelAgreement({ ratings: ratingsFromConfusion(['yes', 'no'], counts), raters: ['a', 'b'] }).ci95.cohen_kappa!;
      if (ci[0] <= 0.6 && 0.6 <= ci[1]) covered++;
    }
    // 95% of 200 is 190 (binomial s.d. about 3); an interval that is too narrow or off-centre falls well below.
    expect(covered / studies).toBeGreaterThanOrEqual(0.9);
    expect(covered / studies).toBeLessThanOrEqual(0.99);
  });

  it('gives [1, 1] when every image is agreed on and both labels are common', () => {
    // 10 images, 5 yes and 5 no, both raters alike. A resample with both labels has κ = 1; one with a single
    // label has none, with probability 2 · (1/2)^10 = 0.2%, under the 5% allowed.
    const r = labelAgreement({ ratings: ratingsFromConfusion(['yes', 'no'], [[5, 0], [0, 5]]), raters: ['a', 'b'] });
    expect(r.cohen_kappa).toBe(1);
    expect(r.ci95.cohen_kappa).toEqual([1, 1]);
  });

  it('gives no interval when the measure is undefined on more than 5% of the resamples', () => {
    // 9 images "no" and 1 "yes", all agreed: κ = 1, but a resample misses the one "yes" image with probability
    // 0.9^10 = 34.9%, and κ is undefined there (one label only): the percentiles would leave a third out.
    const r = labelAgreement({ ratings: ratingsFromConfusion(['yes', 'no'], [[1, 0], [0, 9]]), raters: ['a', 'b'] });
    expect(r.cohen_kappa).toBe(1);
    expect(r.images_compared).toBe(10);
    expect(r.too_few_images).toBe(false);
    expect(r.ci95.cohen_kappa).toBeNull();
  });

  it('counts the images rated by two or more, and below the minimum gives values but no interval', () => {
    // Six images labelled, two of them by both raters (the case of the issue: the page said 6).
    const r = labelAgreement({ ratings: ratingsFromColumns({ a: ['x', 'y', 'x', 'y', 'x', 'y'], b: ['x', 'y', null, null, null, null] }), raters: ['a', 'b'] });
    expect(r.items).toBe(6);
    expect(r.images_compared).toBe(2);
    expect(MIN_IMAGES).toBe(10);
    expect(r.too_few_images).toBe(true);
    expect(r.cohen_kappa).toBe(1);
    expect(r.ci95.cohen_kappa).toBeNull();
  });

  it('resamples images, keeping the yes/no questions of one image together', () => {
    // 12 images × 3 classes as present/absent items; the unit is the image.
    const ratings: LabelRating[] = [];
    for (let i = 0; i < 12; i++) {
      for (const c of ['p', 'q', 'r']) {
        const label = (i + c.charCodeAt(0)) % 3 === 0 ? 'present' : 'absent';
        for (const rater of ['a', 'b']) ratings.push({ item: `im${i}#${c}`, rater, label: rater === 'b' && i === 0 ? 'present' : label, image: `im${i}` });
      }
    }
    const r = labelAgreement({ ratings, raters: ['a', 'b'] });
    expect(r.items).toBe(36);
    expect(r.images_compared).toBe(12);
    expect(r.ci95.cohen_kappa).not.toBeNull();
  });

  it('draws each resample with replacement: counts add up to the number of units', () => {
    const totals: number[] = [];
    let sawRepeat = false;
    bootstrapIntervals(20, 1, (w) => {
      totals.push(w.reduce((s, x) => s + x, 0));
      if (w.some((x) => x > 1)) sawRepeat = true;
      return [0];
    }, { resamples: 50 });
    expect(totals).toEqual(new Array(50).fill(20));
    expect(sawRepeat).toBe(true);
  });
});
