import { describe, expect, it } from 'vitest';
import { haematoxylinDensity, haematoxylinOf, haematoxylinWeights, RUIFROK_JOHNSTON_HE } from './stain';

/** The 8-bit colour that `amount` units of a stain (unit OD vector) alone would give. */
function colourOf(stain: [number, number, number], amount: number): [number, number, number] {
  const n = Math.hypot(...stain);
  return stain.map((v) => 256 * 10 ** (-(v / n) * amount) - 1) as [number, number, number];
}

describe('colour deconvolution', () => {
  it('recovers the amount of pure haematoxylin and sees none in pure eosin', () => {
    for (const amount of [0.2, 0.5, 1]) {
      expect(haematoxylinOf(...colourOf(RUIFROK_JOHNSTON_HE.haematoxylin, amount))).toBeCloseTo(amount, 6);
      expect(haematoxylinOf(...colourOf(RUIFROK_JOHNSTON_HE.counter, amount))).toBeCloseTo(0, 6);
    }
  });

  it('separates H&E nuclei from cytoplasm, stroma and glass', () => {
    const nuclei = [[96, 66, 152], [58, 38, 112], [84, 58, 140]];
    const rest = [[243, 241, 245], [241, 200, 220], [221, 138, 182], [214, 146, 196]];
    for (const c of nuclei) expect(haematoxylinOf(c[0], c[1], c[2])).toBeGreaterThan(0.5);
    for (const c of rest) expect(haematoxylinOf(c[0], c[1], c[2])).toBeLessThan(0.1);
  });

  it('gives the same value per pixel as for the colour alone, alpha ignored', () => {
    const rgba = new Uint8ClampedArray([96, 66, 152, 255, 241, 200, 220, 0]);
    const h = haematoxylinDensity(rgba, 2);
    expect(h[0]).toBeCloseTo(haematoxylinOf(96, 66, 152), 5);
    expect(h[1]).toBeCloseTo(haematoxylinOf(241, 200, 220), 5);
  });

  it('refuses stain vectors that do not span colour space', () => {
    expect(() => haematoxylinWeights({ haematoxylin: [1, 0, 0], counter: [2, 0, 0], residual: [0, 0, 1] })).toThrow(RangeError);
  });
});
