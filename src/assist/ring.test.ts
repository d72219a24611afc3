import { describe, expect, it } from 'vitest';
import { ringArea, ringSelfIntersection } from '../model/geometry';
import { ringToImage, simplifyRing, smoothRing } from './ring';

function noisyCircle(n: number, r: number, noise: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = (2 * Math.PI * k) / n;
    const rr = r + noise * Math.sin(k * 2.7) * Math.cos(k * 1.3);
    out.push(20 + rr * Math.cos(t), 20 + rr * Math.sin(t));
  }
  return out;
}

describe('ring finishing', () => {
  it('smooths without shrinking: area within 2% of the circle', () => {
    const smoothed = smoothRing(noisyCircle(80, 10, 0.4), 2);
    expect(ringArea(smoothed) / (Math.PI * 100)).toBeGreaterThan(0.98);
    expect(ringArea(smoothed) / (Math.PI * 100)).toBeLessThan(1.02);
  });

  it('simplifies to fewer vertices, keeping the shape and a simple ring', () => {
    const ring = noisyCircle(120, 10, 0.05);
    const simple = simplifyRing(ring, 0.2);
    expect(simple.length / 2).toBeLessThan(40);
    expect(simple.length / 2).toBeGreaterThanOrEqual(8);
    expect(Math.abs(ringArea(simple) - ringArea(ring)) / ringArea(ring)).toBeLessThan(0.03);
    expect(ringSelfIntersection(simple)).toBe(-1);
  });

  it('maps buffer pixel centres to level-0 pixels', () => {
    expect(ringToImage([0, 0, 2, 1], { x: 100, y: 200, downsample: 4 })).toEqual([102, 202, 110, 206]);
  });
});
