import { describe, expect, it } from 'vitest';
import { otsuThreshold } from './threshold';

describe('otsuThreshold', () => {
  it('cuts a two-class histogram between the classes (at the top of the lower one)', () => {
    const values = [...Array(300).fill(0).map((_, i) => 0.05 + (i % 10) * 0.005), ...Array(60).fill(0).map((_, i) => 0.6 + (i % 10) * 0.01)];
    const t = otsuThreshold(values);
    expect(t).toBeGreaterThan(0.095);
    expect(t).toBeLessThan(0.6);
  });

  it('looks only where the mask is set', () => {
    const values = [0, 0, 1, 1, 10, 10];
    const t = otsuThreshold(values, new Uint8Array([1, 1, 1, 1, 0, 0]));
    expect(t).toBeGreaterThan(0);
    expect(t).toBeLessThanOrEqual(1);
  });

  it('returns NaN for no values and the value itself for a flat histogram', () => {
    expect(otsuThreshold([])).toBeNaN();
    expect(otsuThreshold([0.3, 0.3, 0.3])).toBe(0.3);
  });
});
