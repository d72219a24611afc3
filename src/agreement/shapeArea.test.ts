import fc from 'fast-check';
import polygonClipping from 'polygon-clipping';
import { describe, expect, it } from 'vitest';
import type { Geometry } from '../model/types';
import { clippedIntersectionArea, convexRing, diceFromIou, intersectionArea, multiPolygonArea, prepareShape, shapeIou, toClipPolygon } from './shapeArea';

const square = (x: number, y: number, s = 1): Geometry => ({ type: 'polygon', points: [x, y, x + s, y, x + s, y + s, x, y + s] });

describe('IoU and Dice', () => {
  it('gives 1/3 and 1/2 for two unit squares offset by half', () => {
    const x = shapeIou(square(0, 0), square(0.5, 0));
    expect(x).toBeCloseTo(1 / 3, 12);
    expect(diceFromIou(x)).toBeCloseTo(1 / 2, 12);
  });

  it('treats a box as its four-corner polygon', () => {
    expect(shapeIou({ type: 'box', x: 0, y: 0, w: 1, h: 1 }, square(0.5, 0))).toBeCloseTo(1 / 3, 12);
    expect(shapeIou({ type: 'box', x: 0, y: 0, w: 2, h: 2 }, { type: 'box', x: 1, y: 1, w: 2, h: 2 })).toBeCloseTo(1 / 7, 12);
  });

  it('handles concave shapes and holes', () => {
    // An L of area 3 (a 2×2 square without its top-right quarter) against that quarter's neighbour column.
    const ell: Geometry = { type: 'polygon', points: [0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2] };
    expect(shapeIou(ell, square(1, 0, 1))).toBeCloseTo(1 / 3, 12);
    const ring: Geometry = { type: 'polygon', points: [0, 0, 4, 0, 4, 4, 0, 4], holes: [[1, 1, 3, 1, 3, 3, 1, 3]] };
    expect(shapeIou(ring, square(1, 1, 2))).toBe(0);
    expect(shapeIou(ring, square(0, 0, 4))).toBeCloseTo(12 / 16, 12);
  });

  it('gives 1 for identical outlines and 0 for shapes that only touch', () => {
    expect(shapeIou(square(3, 4, 2), square(3, 4, 2))).toBeCloseTo(1, 12);
    const ell: Geometry = { type: 'polygon', points: [0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2] };
    expect(shapeIou(ell, { ...ell, points: [...ell.points] })).toBe(1);
    expect(shapeIou(square(0, 0), square(1, 0))).toBe(0);
    expect(shapeIou({ type: 'point', x: 0, y: 0 }, square(0, 0))).toBe(0);
  });

  it('is the same whichever way the outlines wind', () => {
    const cw: Geometry = { type: 'polygon', points: [0, 0, 0, 1, 1, 1, 1, 0] };
    expect(shapeIou(cw, square(0.5, 0))).toBeCloseTo(1 / 3, 12);
  });
});

describe('fast intersection routes agree with polygon-clipping', () => {
  const coordinate = fc.integer({ min: -2000, max: 2000 }).map((v) => v / 100);
  const star = fc.record({
    cx: coordinate,
    cy: coordinate,
    radii: fc.array(fc.integer({ min: 20, max: 800 }).map((v) => v / 100), { minLength: 3, maxLength: 24 }),
    turn: fc.integer({ min: 0, max: 628 }).map((v) => v / 100),
  });
  // Vertices at increasing angles around a centre: always simple, convex or not.
  const toPolygon = (s: { cx: number; cy: number; radii: number[]; turn: number }): Geometry => ({
    type: 'polygon',
    points: s.radii.flatMap((r, k) => {
      const t = s.turn + (2 * Math.PI * k) / s.radii.length;
      return [s.cx + r * Math.cos(t), s.cy + r * Math.sin(t)];
    }),
  });

  it('for simple polygons, convex or not (fixed seed, 300 runs)', () => {
    fc.assert(
      fc.property(star, star, (s, t) => {
        const p = prepareShape(toPolygon(s)), q = prepareShape(toPolygon(t));
        const reference = clippedIntersectionArea(p, q);
        expect(Math.abs(intersectionArea(p, q) - reference)).toBeLessThanOrEqual(1e-9 * Math.max(1, reference));
      }),
      { seed: 20260101, numRuns: 300 },
    );
  });

  it('finds convex rings and refuses concave and star-shaped ones', () => {
    expect(convexRing([0, 0, 1, 0, 1, 1, 0, 1])).not.toBeNull();
    expect(convexRing([0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2])).toBeNull();
    const pentagram = [0, 5, 1, 0, 2, 5, -0.5, 2, 2.5, 2].map((v) => v * 10);
    expect(convexRing(pentagram)).toBeNull();
  });

  it('falls back to polygon-clipping when boundaries coincide exactly', () => {
    const ell: Geometry = { type: 'polygon', points: [0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2] };
    const p = prepareShape(ell), q = prepareShape(square(0, 0, 2));
    expect(intersectionArea(p, q)).toBeCloseTo(3, 12);
    expect(multiPolygonArea(polygonClipping.intersection(toClipPolygon(ell), toClipPolygon(square(0, 0, 2))))).toBeCloseTo(3, 12);
  });
});
