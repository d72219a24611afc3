import { describe, expect, it } from 'vitest';
import { attributeAgreement } from './attributes';
import { agreementInputFromProject } from './fromProject';
import { agreementReport } from './report';
import { parisNiceStudy } from './testProjects';

describe('agreement on the attributes of matched boxes (endoscopy: Paris and NICE)', () => {
  it("gives Cohen's kappa per attribute over the matched pairs of two endoscopists", () => {
    const input = agreementInputFromProject(parisNiceStudy());
    // The endoscopy schema's categorical attributes (size_mm is a number, comment is text).
    expect(input.attributes).toEqual([
      { classId: 'polyp', attribute: 'paris' },
      { classId: 'polyp', attribute: 'nice' },
      { classId: 'cancer', attribute: 'paris' },
    ]);
    const [paris, nice, ...rest] = attributeAgreement(input.shapes, input.raters, input.attributes!);
    expect(rest).toEqual([]); // nobody drew a cancer box
    // Hand derivation, Paris over the 12 matched pairs (rows dr-a, columns dr-b; Is, IIa, Ip):
    // [[4, 1, 0], [1, 3, 0], [0, 0, 3]]: p_o = 10/12, p_e = (5·5 + 4·4 + 3·3)/144 = 50/144,
    // κ = (120 − 50) / (144 − 50) = 35/47. The unmatched boxes on f13 and f1 add nothing.
    expect(paris).toMatchObject({ class: 'polyp', attribute: 'paris', raters: ['dr-a', 'dr-b'], pairs: 12, images_compared: 12, too_few_images: false });
    expect(paris.cohen_kappa).toBeCloseTo(35 / 47, 10);
    expect(paris.ci95.cohen_kappa![0]).toBeLessThan(35 / 47);
    expect(paris.ci95.cohen_kappa![1]).toBeLessThanOrEqual(1);
    // NICE where both gave it (f1–f8): [[4, 1], [0, 3]] over (2, 1): p_o = 7/8, p_e = (5·4 + 3·4)/64 = 1/2, κ = 3/4.
    // Eight frames are too few for an interval.
    expect(nice).toMatchObject({ class: 'polyp', attribute: 'nice', pairs: 8, images_compared: 8, too_few_images: true });
    expect(nice.cohen_kappa).toBeCloseTo(0.75, 10);
    expect(nice.ci95.cohen_kappa).toBeNull();
  });

  it("gives Fleiss' kappa when three endoscopists box the same polyps", () => {
    const input = agreementInputFromProject(parisNiceStudy(true));
    const [paris] = attributeAgreement(input.shapes, input.raters, input.attributes!);
    // Hand derivation: dr-c calls Paris as dr-a does. Per frame P_i is 1, except f5 and f9 (two of three alike):
    // P = (2² + 1² − 3) / (3·2) = 1/3. P̄ = (10 + 2/3) / 12 = 8/9. Category totals Is 15, IIa 12, Ip 9 of 36:
    // P̄_e = (225 + 144 + 81) / 1296 = 450/1296. κ = (1152 − 450) / (1296 − 450) = 702/846 = 39/47.
    expect(paris.raters).toEqual(['dr-a', 'dr-b', 'dr-c']);
    expect(paris.pairs).toBe(12);
    expect(paris.cohen_kappa).toBeNull();
    expect(paris.fleiss_kappa).toBeCloseTo(39 / 47, 10);
  });

  it('is in the --json report as an attributes block', () => {
    const r = agreementReport(agreementInputFromProject(parisNiceStudy()));
    expect(r.attributes.map((a) => [a.class, a.attribute, a.pairs])).toEqual([
      ['polyp', 'paris', 12],
      ['polyp', 'nice', 8],
    ]);
    expect(r.attributes[0].cohen_kappa).toBeCloseTo(35 / 47, 10);
  });
});
