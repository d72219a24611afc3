import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { angleBetween, haematoxylinDensity, haematoxylinOf, haematoxylinWeights, macenkoVectors, RUIFROK_JOHNSTON_HDAB, RUIFROK_JOHNSTON_HE, stainModel } from './stain';

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

describe('H-DAB deconvolution and stain estimation', () => {
  it('gives the haematoxylin of an H-DAB image as scikit-image separate_stains(hdx_from_rgb) does, computed at test time', () => {
    const colours = [[120, 80, 150], [150, 100, 60], [200, 170, 140], [90, 60, 50], [230, 220, 225]];
    // scikit-image: OD = ln(rgb)/ln(1e-6), i.e. −log10(rgb)/6, on rgb in (0, 1]; ours takes rgb = (v + 1)/256.
    const py = `import json,sys,numpy as np
from skimage.color import separate_stains, hdx_from_rgb
c=np.array(json.loads(sys.argv[1]),dtype=float)
rgb=((c+1)/256).reshape(1,-1,3)
s=separate_stains(rgb, hdx_from_rgb)[0]*6
print(json.dumps([[float(v[0]),float(v[1])] for v in s]))`;
    const ref: number[][] = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, JSON.stringify(colours)], { encoding: 'utf8' }));
    const w = haematoxylinWeights(RUIFROK_JOHNSTON_HDAB);
    colours.forEach((c, i) => {
      // scikit-image clamps negative amounts at 0; compare only where both stains are present.
      if (ref[i][0] > 0 && ref[i][1] > 0) expect(haematoxylinOf(c[0], c[1], c[2], w)).toBeCloseTo(ref[i][0], 2);
    });
  });

  it('estimates the stain vectors of a generated two-stain image (Macenko) within 2°', () => {
    const h: [number, number, number] = [0.6, 0.72, 0.35], e: [number, number, number] = [0.2, 0.88, 0.43];
    const n = 4000, rgba = new Uint8ClampedArray(n * 4);
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let p = 0; p < n; p++) {
      const a = 1.2 * rand(), b = 1.2 * rand();
      const hn = Math.hypot(...h), en = Math.hypot(...e);
      for (let c = 0; c < 3; c++) rgba[4 * p + c] = Math.round(256 * 10 ** -((a * h[c]) / hn + (b * e[c]) / en) - 1);
      rgba[4 * p + 3] = 255;
    }
    const est = macenkoVectors(rgba, n)!;
    expect(angleBetween(est.haematoxylin, h)).toBeLessThan(2);
    expect(angleBetween(est.counter, e)).toBeLessThan(2);
  });

  it('tells IHC from H&E by the second stain: brown absorbs blue most', () => {
    const make = (second: [number, number, number]) => {
      const n = 3000, rgba = new Uint8ClampedArray(n * 4);
      for (let p = 0; p < n; p++) {
        const a = 0.2 + (p % 50) / 50, b = 0.2 + Math.floor(p / 50) / 60;
        const v = [0, 1, 2].map((c) => a * RUIFROK_JOHNSTON_HDAB.haematoxylin[c] + b * second[c]);
        for (let c = 0; c < 3; c++) rgba[4 * p + c] = Math.round(256 * 10 ** -v[c] - 1);
        rgba[4 * p + 3] = 255;
      }
      return stainModel(rgba, n, 'auto').kind;
    };
    expect(make(RUIFROK_JOHNSTON_HDAB.counter)).toBe('hdab');
    expect(make(RUIFROK_JOHNSTON_HE.counter)).toBe('he');
  });
});
