import type { Geometry } from './types';

/**
 * Pure hit geometry on flat rings (x0, y0, x1, y1, …, not closed), shared by the edit tool and the
 * viewer's spatial index. Distances are in the caller's units (image pixels).
 */

/** Even-odd test: is (x, y) inside the ring? Points exactly on an edge may go either way. */
export function ringContainsPoint(ring: ArrayLike<number>, x: number, y: number): boolean {
  const n = ring.length >> 1;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[2 * i], yi = ring[2 * i + 1];
    const xj = ring[2 * j], yj = ring[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export interface SegmentProjection {
  /** Squared distance from the point to the segment. */
  distanceSq: number;
  /** Where along the segment the nearest point lies, 0 at its start, 1 at its end. */
  t: number;
  x: number;
  y: number;
}

export function projectOnSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): SegmentProjection {
  const dx = bx - ax;
  const dy = by - ay;
  const lenSq = dx * dx + dy * dy;
  let t = lenSq === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / lenSq;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const x = ax + t * dx;
  const y = ay + t * dy;
  return { distanceSq: (px - x) * (px - x) + (py - y) * (py - y), t, x, y };
}

/** Index of the vertex nearest (x, y) within `tolerance`, or -1. */
export function nearestVertex(ring: ArrayLike<number>, x: number, y: number, tolerance: number): number {
  let best = -1;
  let bestSq = tolerance * tolerance;
  for (let i = 0; i + 1 < ring.length; i += 2) {
    const d = (ring[i] - x) ** 2 + (ring[i + 1] - y) ** 2;
    if (d <= bestSq) {
      bestSq = d;
      best = i >> 1;
    }
  }
  return best;
}

export interface EdgeHit extends SegmentProjection {
  /** The edge from vertex `index` to vertex `index + 1` (wrapping to 0). */
  index: number;
}

/** The edge of the closed ring nearest (x, y) within `tolerance`, or null. */
export function nearestEdge(ring: ArrayLike<number>, x: number, y: number, tolerance: number): EdgeHit | null {
  const n = ring.length >> 1;
  let best: EdgeHit | null = null;
  const limitSq = tolerance * tolerance;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const p = projectOnSegment(x, y, ring[2 * i], ring[2 * i + 1], ring[2 * j], ring[2 * j + 1]);
    if (p.distanceSq <= limitSq && (!best || p.distanceSq < best.distanceSq)) best = { ...p, index: i };
  }
  return best;
}

/** Distance from (x, y) to the ring's outline (not to its inside). */
export function distanceToRing(ring: ArrayLike<number>, x: number, y: number): number {
  const n = ring.length >> 1;
  let bestSq = Infinity;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const p = projectOnSegment(x, y, ring[2 * i], ring[2 * i + 1], ring[2 * j], ring[2 * j + 1]);
    if (p.distanceSq < bestSq) bestSq = p.distanceSq;
  }
  return Math.sqrt(bestSq);
}

/** Is (x, y) inside the shape, holes excluded? Points and degenerate shapes have no inside. */
export function geometryContainsPoint(g: Geometry, x: number, y: number): boolean {
  switch (g.type) {
    case 'polygon':
      return ringContainsPoint(g.points, x, y) && !(g.holes ?? []).some((h) => ringContainsPoint(h, x, y));
    case 'box': {
      const x0 = Math.min(g.x, g.x + g.w), x1 = Math.max(g.x, g.x + g.w);
      const y0 = Math.min(g.y, g.y + g.h), y1 = Math.max(g.y, g.y + g.h);
      return x >= x0 && x <= x1 && y >= y0 && y <= y1;
    }
    case 'point':
    case 'line':
      return false;
  }
}

/**
 * 0 when (x, y) is inside the shape, otherwise the distance to it (to its outline, or to the point).
 * A shape is hit when this is within the hit tolerance.
 */
export function distanceToGeometry(g: Geometry, x: number, y: number): number {
  if (geometryContainsPoint(g, x, y)) return 0;
  switch (g.type) {
    case 'polygon': {
      let d = distanceToRing(g.points, x, y);
      for (const h of g.holes ?? []) d = Math.min(d, distanceToRing(h, x, y));
      return d;
    }
    case 'box':
      return distanceToRing([g.x, g.y, g.x + g.w, g.y, g.x + g.w, g.y + g.h, g.x, g.y + g.h], x, y);
    case 'point':
      return Math.hypot(g.x - x, g.y - y);
    case 'line': {
      const [ax, ay, bx, by] = g.points;
      return Math.sqrt(projectOnSegment(x, y, ax, ay, bx, by).distanceSq);
    }
  }
}
