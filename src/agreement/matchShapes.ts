import type { Bounds } from '../model/geometry';
import { optimalAssignment, type CandidateEdge } from './assignment';
import { overlappingPairs } from './candidates';
import { iou, iouUpperBound, type PreparedShape } from './shapeArea';

/** IoU computed in floating point can land a hair under a threshold it meets exactly (e.g. 1/3 vs 0.3333…). */
const TOLERANCE = 1e-9;

export interface ShapePairing {
  /** Indices into the a and b arrays. */
  a: number;
  b: number;
  /** `null` when either shape has no area (points in centroid matching). */
  iou: number | null;
  /** Distance between centroids, in pixels. */
  distance: number;
}

/**
 * Matches a to b one-to-one, maximising the total IoU over pairs with IoU ≥ threshold (and > 0).
 * Leaving a slot unassigned costs 1 and a pair costs 1 − IoU, so the cheapest assignment is the one
 * with the largest IoU sum.
 */
export function matchByIou(a: readonly PreparedShape[], b: readonly PreparedShape[], threshold: number): ShapePairing[] {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`IoU threshold must be in (0, 1], got ${threshold}`);
  const edges: CandidateEdge[] = [];
  const ious = new Map<CandidateEdge, number>();
  overlappingPairs(
    a.map((s) => s.bounds),
    b.map((s) => s.bounds),
    (i, j) => {
      if (iouUpperBound(a[i], b[j]) < threshold - TOLERANCE) return;
      const x = iou(a[i], b[j]);
      if (x <= 0 || x < threshold - TOLERANCE) return;
      const e = { a: i, b: j, cost: 1 - x };
      edges.push(e);
      ious.set(e, x);
    },
  );
  return optimalAssignment(a.length, b.length, edges, () => 1).map((e) => ({ a: e.a, b: e.b, iou: ious.get(e)!, distance: centroidDistance(a[e.a], b[e.b]) }));
}

function centroidDistance(p: PreparedShape, q: PreparedShape): number {
  return Math.hypot(p.centroid[0] - q.centroid[0], p.centroid[1] - q.centroid[1]);
}

/**
 * Matches centroids within `radius` pixels one-to-one: first as many pairs as possible, then the least
 * total distance. A pair costs distance / radius (at most 1) and an unassigned slot costs more than all
 * pairs of the group together, so one more pair always wins over shorter distances.
 */
export function matchByCentroid(a: readonly PreparedShape[], b: readonly PreparedShape[], radius: number | ((aIndex: number) => number)): ShapePairing[] {
  const radiusOf = typeof radius === 'number' ? () => radius : radius;
  const query: Bounds[] = a.map((s, i) => {
    const r = radiusOf(i);
    if (!(r > 0 && Number.isFinite(r))) throw new RangeError(`matching radius must be a positive number of pixels, got ${r}`);
    return { minX: s.centroid[0] - r, minY: s.centroid[1] - r, maxX: s.centroid[0] + r, maxY: s.centroid[1] + r };
  });
  const points: Bounds[] = b.map((s) => ({ minX: s.centroid[0], minY: s.centroid[1], maxX: s.centroid[0], maxY: s.centroid[1] }));
  const edges: CandidateEdge[] = [];
  overlappingPairs(query, points, (i, j) => {
    const d = centroidDistance(a[i], b[j]);
    const r = radiusOf(i);
    if (d <= r) edges.push({ a: i, b: j, cost: d / r });
  });
  return optimalAssignment(a.length, b.length, edges, (slots) => slots + 1).map((e) => ({
    a: e.a,
    b: e.b,
    iou: a[e.a].area > 0 && b[e.b].area > 0 ? iou(a[e.a], b[e.b]) : null,
    distance: centroidDistance(a[e.a], b[e.b]),
  }));
}
