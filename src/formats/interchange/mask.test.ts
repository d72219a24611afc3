import { describe, expect, it } from 'vitest';
import { traceMask } from './mask';

/** Rows of `#` (set) and `.`, the window at (left, top). */
function mask(rows: string[], left = 0, top = 0) {
  return { left, top, width: rows[0].length, height: rows.length, bits: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)) };
}

describe('tracing a mask along its pixel edges', () => {
  it('one pixel is its unit square, placed at the window', () => {
    expect(traceMask(mask(['#'], 10, 20))).toEqual([[[10, 20, 11, 20, 11, 21, 10, 21]]]);
  });

  it('keeps only the corners; a hole comes after its outline', () => {
    expect(traceMask(mask(['###.', '#.##', '####']))).toEqual([[[0, 0, 3, 0, 3, 1, 4, 1, 4, 3, 0, 3], [2, 1, 1, 1, 1, 2, 2, 2]]]);
  });

  it('pixels touching only at a corner are two regions, in the order of their first pixel', () => {
    expect(traceMask(mask(['#.', '.#']))).toEqual([[[0, 0, 1, 0, 1, 1, 0, 1]], [[1, 1, 2, 1, 2, 2, 1, 2]]]);
  });

  it('two background pixels touching at a corner are two holes, not one ring crossing itself', () => {
    // 14 pixels: the 4 × 4 square less (2, 1) and (1, 2).
    expect(traceMask(mask(['####', '##.#', '#.##', '####']))).toEqual([[[0, 0, 4, 0, 4, 4, 0, 4], [2, 2, 1, 2, 1, 3, 2, 3], [3, 1, 2, 1, 2, 2, 3, 2]]]);
  });

  it('an empty mask has no outline', () => {
    expect(traceMask(mask(['..', '..']))).toEqual([]);
  });
});
