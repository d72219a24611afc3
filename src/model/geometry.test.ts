import { describe, expect, it } from 'vitest';
import { geometryArea, geometryBbox, geometryProblems, ringArea, ringCentroid, ringSelfIntersection } from './geometry';

const square = [0, 0, 10, 0, 10, 10, 0, 10];

describe('ring area', () => {
  it('is the same whichever way the ring winds and wherever it starts', () => {
    const reversed = [0, 10, 10, 10, 10, 0, 0, 0];
    const rotated = [10, 10, 0, 10, 0, 0, 10, 0];
    expect(ringArea(square)).toBe(100);
    expect(ringArea(reversed)).toBe(100);
    expect(ringArea(rotated)).toBe(100);
  });

  it('subtracts holes', () => {
    expect(geometryArea({ type: 'polygon', points: square, holes: [[2, 2, 4, 2, 4, 4, 2, 4]] })).toBe(96);
  });

  it('gives a triangle half its bounding box', () => {
    expect(ringArea([0, 0, 4, 0, 0, 3])).toBe(6);
  });
});

describe('bounding box and centroid', () => {
  it('gives COCO [x, y, w, h]', () => {
    expect(geometryBbox({ type: 'polygon', points: [5, 7, 15, 7, 12, 20] })).toEqual([5, 7, 10, 13]);
    expect(geometryBbox({ type: 'box', x: 1, y: 2, w: 3, h: 4 })).toEqual([1, 2, 3, 4]);
  });
  it('puts a square centroid in its middle', () => {
    expect(ringCentroid(square)).toEqual([5, 5]);
  });
});

describe('self-intersection of long rings', () => {
  const circle = (n: number, r = 1000) => Array.from({ length: n }, (_, i) => [r * Math.cos((2 * Math.PI * i) / n), r * Math.sin((2 * Math.PI * i) / n)]).flat();

  it('finds no crossing on a 100,000-point circle', () => {
    expect(ringSelfIntersection(circle(100_000))).toBe(-1);
  });

  it('finds the first crossing edge on a long ring, as the pair-by-pair check does', () => {
    const ring = circle(2000);
    // Swap two vertices: the two edges around them now cross their neighbours.
    [ring[2000], ring[2002]] = [ring[2002], ring[2000]];
    [ring[2001], ring[2003]] = [ring[2003], ring[2001]];
    const n = ring.length / 2;
    let expected = -1;
    outer: for (let i = 0; i < n; i++)
      for (let j = i + 2; j < n; j++) {
        if ((j + 1) % n === i) continue;
        const sub = [ring[2 * i], ring[2 * i + 1], ring[2 * ((i + 1) % n)], ring[2 * ((i + 1) % n) + 1], ring[2 * j], ring[2 * j + 1], ring[2 * ((j + 1) % n)], ring[2 * ((j + 1) % n) + 1]];
        // A 4-point ring crosses itself exactly when its edges 0 and 2 cross.
        if (ringSelfIntersection(sub) === 0) {
          expected = i;
          break outer;
        }
      }
    expect(expected).toBeGreaterThan(0);
    expect(ringSelfIntersection(ring)).toBe(expected);
  });
});

describe('validity', () => {
  it('refuses fewer than 3 distinct points', () => {
    const p = geometryProblems({ type: 'polygon', points: [0, 0, 5, 5, 0, 0, 5, 5] });
    expect(p).toEqual([{ path: 'points', message: 'ring needs at least 3 points', severity: 'error' }]);
  });
  it('refuses zero area', () => {
    expect(geometryProblems({ type: 'polygon', points: [0, 0, 5, 5, 10, 10] })[0].message).toBe('ring has zero area');
  });
  it('refuses non-finite coordinates with their index', () => {
    expect(geometryProblems({ type: 'polygon', points: [0, 0, NaN, 5, 10, 10] })[0].path).toBe('points[2]');
    expect(geometryProblems({ type: 'point', x: Infinity, y: 0 })[0].path).toBe('x');
  });
  it('refuses a box of zero width', () => {
    expect(geometryProblems({ type: 'box', x: 0, y: 0, w: 0, h: 5 })[0]).toMatchObject({ path: 'w', severity: 'error' });
  });
  it('reports a bow-tie as self-intersecting but keeps it usable', () => {
    const bowtie = [0, 0, 10, 10, 10, 0, 0, 4];
    expect(ringSelfIntersection(bowtie)).toBe(0);
    expect(geometryProblems({ type: 'polygon', points: bowtie })).toEqual([
      { path: 'points', message: 'ring intersects itself (edge 0)', severity: 'warning' },
    ]);
    expect(ringSelfIntersection(square)).toBe(-1);
  });
});
