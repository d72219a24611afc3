import { describe, expect, it } from 'vitest';
import { distanceToGeometry, geometryContainsPoint, nearestEdge, nearestVertex, ringContainsPoint } from './hit';

const square = [0, 0, 10, 0, 10, 10, 0, 10];

describe('shapeHit', () => {
  it('tells inside from outside, whichever way the ring winds', () => {
    const reversed = [0, 10, 10, 10, 10, 0, 0, 0];
    for (const ring of [square, reversed]) {
      expect(ringContainsPoint(ring, 5, 5)).toBe(true);
      expect(ringContainsPoint(ring, 15, 5)).toBe(false);
      expect(ringContainsPoint(ring, 5, -0.1)).toBe(false);
    }
  });

  it('finds the nearest vertex within the tolerance', () => {
    expect(nearestVertex(square, 9, 9, 2)).toBe(2);
    expect(nearestVertex(square, 5, 5, 2)).toBe(-1);
  });

  it('finds the nearest edge, with the foot of the perpendicular, including the closing edge', () => {
    expect(nearestEdge(square, 5, 11, 2)).toMatchObject({ index: 2, x: 5, y: 10, t: 0.5 });
    expect(nearestEdge(square, -1, 3, 2)).toMatchObject({ index: 3, x: 0, y: 3 });
    expect(nearestEdge(square, 5, 5, 2)).toBeNull();
  });

  it('measures 0 inside a shape and the distance outside, holes excluded', () => {
    const withHole = { type: 'polygon' as const, points: [0, 0, 100, 0, 100, 100, 0, 100], holes: [[40, 40, 60, 40, 60, 60, 40, 60]] };
    expect(distanceToGeometry(withHole, 10, 10)).toBe(0);
    expect(geometryContainsPoint(withHole, 50, 50)).toBe(false);
    expect(distanceToGeometry(withHole, 50, 50)).toBe(10);
    expect(distanceToGeometry({ type: 'box', x: 0, y: 0, w: 10, h: 10 }, 13, 14)).toBe(5);
    expect(distanceToGeometry({ type: 'point', x: 0, y: 0 }, 3, 4)).toBe(5);
  });
});
