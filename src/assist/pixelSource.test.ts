import { describe, expect, it } from 'vitest';
import { renderSyntheticTile } from '../synthetic/render';
import { SYNTHETIC_MAX_LEVEL } from '../synthetic/slide';
import { levelWindow, syntheticPixels } from './pixelSource';

describe('syntheticPixels', () => {
  it('covers a rect with whole level pixels', () => {
    // x 10…15 → level columns 2…3; y 21…25 → rows 5…6.
    expect(levelWindow({ x: 10, y: 21, w: 5, h: 4 }, 4)).toEqual({ col0: 2, row0: 5, width: 2, height: 2 });
    expect(() => levelWindow({ x: 0, y: 0, w: 1, h: 1 }, 3)).toThrow(RangeError);
  });

  it('stitches tiles: every pixel is the tile pixel it came from, across a tile corner', () => {
    const rect = { x: 256 * 200 - 30, y: 256 * 180 - 20, w: 60, h: 50 };
    for (const ds of [1, 2]) {
      const p = syntheticPixels(7, rect, ds);
      const level = SYNTHETIC_MAX_LEVEL - Math.log2(ds);
      for (const [i, j] of [[0, 0], [p.width - 1, p.height - 1], [Math.floor(p.width / 2), 3], [2, p.height - 2]]) {
        const gx = p.x / ds + i, gy = p.y / ds + j;
        const tile = renderSyntheticTile(7, level, Math.floor(gx / 256), Math.floor(gy / 256));
        const o = ((gy % 256) * tile.width + (gx % 256)) * 4;
        expect(Array.from(p.data.subarray((j * p.width + i) * 4, (j * p.width + i) * 4 + 4))).toEqual(Array.from(tile.data.subarray(o, o + 4)));
      }
    }
  });

  it('gives glass beyond the slide edge', () => {
    const p = syntheticPixels(7, { x: -8, y: -8, w: 16, h: 16 });
    expect(Array.from(p.data.subarray(0, 4))).toEqual([243, 241, 245, 255]);
  });
});
