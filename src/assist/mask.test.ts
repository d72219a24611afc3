import { describe, expect, it } from 'vitest';
import { fillHolesWithin, fillSmallHoles, thresholdMask } from './mask';

describe('masks', () => {
  it('thresholds at ≥', () => {
    expect(Array.from(thresholdMask([0.1, 0.2, 0.3], 0.2))).toEqual([0, 1, 1]);
  });

  it('fills enclosed holes up to the size asked, never bays open to the border', () => {
    // prettier-ignore
    const m = Uint8Array.from([
      1, 1, 1, 1, 1, 1, 0,
      1, 0, 1, 0, 0, 1, 0,
      1, 1, 1, 1, 1, 1, 1,
      0, 0, 0, 1, 0, 0, 1,
    ]);
    fillSmallHoles(m, 7, 4, 1);
    expect(m[1 * 7 + 1]).toBe(1);
    expect(m[1 * 7 + 3]).toBe(0);
    fillSmallHoles(m, 7, 4, 2);
    expect(m[1 * 7 + 3]).toBe(1);
    expect(m[0 * 7 + 6]).toBe(0);
    expect(m[3 * 7 + 4]).toBe(0);
  });

  it('gives a hole to the object around it, but not a gap between two objects', () => {
    // prettier-ignore
    const labels = Int32Array.from([
      1, 1, 1, 2, 2, 0,
      1, 0, 1, 0, 2, 0,
      1, 1, 1, 2, 2, 0,
    ]);
    fillHolesWithin(labels, 6, 3);
    expect(labels[1 * 6 + 1]).toBe(1);
    expect(labels[1 * 6 + 3]).toBe(0);
  });
});
