import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceTransform } from './distance';

/** Brute force: nearest unset pixel, or the nearest pixel just beyond the grid. */
function bruteForce(mask: Uint8Array, w: number, h: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) {
        out.push(0);
        continue;
      }
      let best = Math.min(x + 1, y + 1, w - x, h - y) ** 2;
      for (let v = 0; v < h; v++) for (let u = 0; u < w; u++) if (!mask[v * w + u]) best = Math.min(best, (u - x) ** 2 + (v - y) ** 2);
      out.push(Math.sqrt(best));
    }
  }
  return out;
}

describe('distanceTransform', () => {
  it('is exact: equals brute force on any mask', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }), (w, h, bits) => {
        const mask = Uint8Array.from(bits.slice(0, w * h), (b) => (b ? 1 : 0));
        const got = Array.from(distanceTransform(mask, w, h));
        const want = bruteForce(mask, w, h);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
      }),
      { numRuns: 200 },
    );
  });

  it('peaks at the centre of a disc, about its radius deep', () => {
    const w = 41, mask = new Uint8Array(w * w);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) mask[y * w + x] = (x - 20) ** 2 + (y - 20) ** 2 <= 15 ** 2 ? 1 : 0;
    // The nearest unset pixel is (±1, ±15) from the centre: √226.
    expect(distanceTransform(mask, w, w)[20 * w + 20]).toBeCloseTo(Math.sqrt(226), 5);
  });
});
