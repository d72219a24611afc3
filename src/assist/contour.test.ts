import { describe, expect, it } from 'vitest';
import { ringArea, ringSignedArea } from '../model/geometry';
import { isoLines } from './contour';

/** A field sampled at pixel centres: 1 inside a disc, 0 outside, partial cover on the edge (4×4 supersampled). */
function discField(w: number, h: number, cx: number, cy: number, r: number, inner = 0): Float32Array {
  const f = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let c = 0;
      for (let s = 0; s < 16; s++) {
        const px = x + ((s % 4) + 0.5) / 4 - 0.5, py = y + (Math.floor(s / 4) + 0.5) / 4 - 0.5;
        const d2 = (px - cx) ** 2 + (py - cy) ** 2;
        if (d2 <= r * r && d2 >= inner * inner) c++;
      }
      f[y * w + x] = c / 16;
    }
  }
  return f;
}

describe('isoLines (marching squares)', () => {
  it('follows a partly covered disc edge to well within a pixel: the half-cover line has the disc area', () => {
    const rings = isoLines(discField(24, 24, 11.3, 12.6, 6), 24, 24, 0.5);
    expect(rings).toHaveLength(1);
    expect(ringArea(rings[0])).toBeGreaterThan(Math.PI * 36 * 0.97);
    expect(ringArea(rings[0])).toBeLessThan(Math.PI * 36 * 1.03);
  });

  it('winds outer rings positive (clockwise on screen) and holes negative', () => {
    const rings = isoLines(discField(30, 30, 15, 15, 10, 4), 30, 30, 0.5);
    const signs = rings.map((r) => Math.sign(ringSignedArea(r))).sort();
    expect(signs).toEqual([-1, 1]);
  });

  it('closes rings on the grid border and finds one ring per separate blob', () => {
    const w = 10, h = 5;
    const f = new Float32Array(w * h);
    f[0] = 1; // corner pixel
    f[2 * w + 6] = f[2 * w + 7] = 1;
    const rings = isoLines(f, w, h, 0.5);
    expect(rings).toHaveLength(2);
    for (const r of rings) expect(ringSignedArea(r)).toBeGreaterThan(0);
  });

  it('joins diagonal neighbours through a saddle only when the cell centre is inside', () => {
    const f = new Float32Array([1, 0, 0, 1]);
    expect(isoLines(f, 2, 2, 0.6)).toHaveLength(2);
    expect(isoLines(f, 2, 2, 0.4)).toHaveLength(1);
  });
});
