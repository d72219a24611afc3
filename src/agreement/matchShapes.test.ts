import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bounds } from '../model/geometry';
import type { Geometry } from '../model/types';
import { overlappingPairs } from './candidates';
import { matchByCentroid, matchByIou } from './matchShapes';
import { iou, prepareShape } from './shapeArea';

const box = (x: number, w: number, y = 0, h = 10): Geometry => ({ type: 'box', x, y, w, h });
const prepared = (gs: Geometry[]) => gs.map(prepareShape);

describe('IoU matching', () => {
  it('is optimal where greedy is not', () => {
    // IoU(a1, b1) = 9/11 ≈ 0.82 is the best single pair; greedy takes it and leaves a2 alone, since
    // a2 only reaches b1 (7/13 ≈ 0.54). The optimum pairs a1–b2 (8/12) and a2–b1: two matches, total 1.21.
    const a = prepared([box(1, 10), box(-3, 10)]);
    const b = prepared([box(0, 10), box(3, 10)]);
    expect(iou(a[0], b[0])).toBeCloseTo(9 / 11, 12);
    expect(iou(a[1], b[1])).toBeLessThan(0.5);
    const pairs = matchByIou(a, b, 0.5).sort((p, q) => p.a - q.a);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([[0, 1], [1, 0]]);
    expect(pairs[0].iou).toBeCloseTo(8 / 12, 12);
    expect(pairs[1].iou).toBeCloseTo(7 / 13, 12);
  });

  it('never pairs below the threshold, and meets a threshold it reaches exactly', () => {
    const a = prepared([box(0, 10)]);
    expect(matchByIou(a, prepared([box(5, 10)]), 0.5)).toEqual([]); // IoU 1/3
    expect(matchByIou(a, prepared([box(5, 10)]), 1 / 3)).toHaveLength(1);
    expect(() => matchByIou(a, a, 0)).toThrow(RangeError);
  });

  const coordinate = fc.integer({ min: 0, max: 40 });
  const boxes = fc.array(fc.record({ x: coordinate, y: coordinate, w: fc.integer({ min: 1, max: 20 }), h: fc.integer({ min: 1, max: 20 }) }), { maxLength: 6 });

  function bestTotal(m: number[][]): number {
    // Every one-to-one assignment of rows to columns (or to nothing), by brute force.
    const used = new Set<number>();
    const go = (r: number): number => {
      if (r === m.length) return 0;
      let best = go(r + 1);
      m[r].forEach((v, c) => {
        if (v === 0 || used.has(c)) return;
        used.add(c);
        best = Math.max(best, v + go(r + 1));
        used.delete(c);
      });
      return best;
    };
    return go(0);
  }

  it('is one-to-one, at or above the threshold, and as good as brute force (fixed seed, 300 runs)', () => {
    fc.assert(
      fc.property(boxes, boxes, fc.constantFrom(0.1, 0.3, 0.5, 0.7), (ra, rb, t) => {
        const a = prepared(ra.map((r) => ({ type: 'box', ...r })));
        const b = prepared(rb.map((r) => ({ type: 'box', ...r })));
        const pairs = matchByIou(a, b, t);
        expect(new Set(pairs.map((p) => p.a)).size).toBe(pairs.length);
        expect(new Set(pairs.map((p) => p.b)).size).toBe(pairs.length);
        for (const p of pairs) expect(p.iou!).toBeGreaterThanOrEqual(t - 1e-9);
        const eligible = a.map((p) => b.map((q) => (iou(p, q) >= t - 1e-9 ? iou(p, q) : 0)));
        const total = pairs.reduce((s, p) => s + p.iou!, 0);
        expect(total).toBeCloseTo(bestTotal(eligible), 9);
      }),
      { seed: 424242, numRuns: 300 },
    );
  });
});

describe('centroid matching', () => {
  const dot = (x: number, y: number): Geometry => ({ type: 'point', x, y });

  it('pairs within the radius, most pairs first, then least total distance', () => {
    // a1 is 1 from b1 and 3 from b2; a2 is 2 from b1 only. Nearest-first would strand a2.
    const a = prepared([dot(0, 0), dot(-2, 0)]);
    const b = prepared([dot(1, 0), dot(0, 3)]);
    const pairs = matchByCentroid(a, b, 3.5).sort((p, q) => p.a - q.a);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([[0, 1], [1, 0]]);
    expect(pairs[0].iou).toBeNull();
    expect(matchByCentroid(a, b, 0.5)).toEqual([]);
  });

  it('uses outline centroids and reports their overlap', () => {
    const a = prepared([box(0, 10)]);
    const b = prepared([box(2, 10)]);
    const [p] = matchByCentroid(a, b, 3);
    expect(p.distance).toBeCloseTo(2, 12);
    expect(p.iou).toBeCloseTo(8 / 12, 12);
  });
});

describe('candidate pairs', () => {
  const bounds = fc.record({ x: fc.integer({ min: -50, max: 50 }), y: fc.integer({ min: -50, max: 50 }), w: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 30, max: 120 })), h: fc.integer({ min: 0, max: 40 }) })
    .map((r): Bounds => ({ minX: r.x, minY: r.y, maxX: r.x + r.w, maxY: r.y + r.h }));

  it('are exactly the overlapping boxes, each once, whatever the size mix (fixed seed, 300 runs)', () => {
    fc.assert(
      fc.property(fc.array(bounds, { maxLength: 40 }), fc.array(bounds, { maxLength: 40 }), (a, b) => {
        const found: string[] = [];
        overlappingPairs(a, b, (i, j) => found.push(`${i}:${j}`));
        const expected: string[] = [];
        a.forEach((p, i) => b.forEach((q, j) => {
          if (p.minX <= q.maxX && q.minX <= p.maxX && p.minY <= q.maxY && q.minY <= p.maxY) expected.push(`${i}:${j}`);
        }));
        expect(found.sort()).toEqual(expected.sort());
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
