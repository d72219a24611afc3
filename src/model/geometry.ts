import type { Geometry } from './types';

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Signed shoelace area of a flat ring; positive when the ring winds clockwise on screen (y down). */
export function ringSignedArea(points: ArrayLike<number>): number {
  const n = points.length >> 1;
  let sum = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    sum += points[2 * j] * points[2 * i + 1] - points[2 * i] * points[2 * j + 1];
  }
  return sum / 2;
}

export function ringArea(points: ArrayLike<number>): number {
  return Math.abs(ringSignedArea(points));
}

export function geometryArea(g: Geometry): number {
  switch (g.type) {
    case 'polygon': {
      let a = ringArea(g.points);
      for (const h of g.holes ?? []) a -= ringArea(h);
      return Math.max(0, a);
    }
    case 'box':
      return Math.abs(g.w * g.h);
    case 'point':
    case 'line':
      return 0;
  }
}

export function ringBounds(points: ArrayLike<number>): Bounds {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i], y = points[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

export function geometryBounds(g: Geometry): Bounds {
  switch (g.type) {
    case 'polygon':
      return ringBounds(g.points);
    case 'box':
      return { minX: Math.min(g.x, g.x + g.w), minY: Math.min(g.y, g.y + g.h), maxX: Math.max(g.x, g.x + g.w), maxY: Math.max(g.y, g.y + g.h) };
    case 'point':
      return { minX: g.x, minY: g.y, maxX: g.x, maxY: g.y };
    case 'line':
      return ringBounds(g.points);
  }
}

/** COCO-style [x, y, w, h]. */
export function geometryBbox(g: Geometry): [number, number, number, number] {
  const b = geometryBounds(g);
  return [b.minX, b.minY, b.maxX - b.minX, b.maxY - b.minY];
}

export function ringCentroid(points: ArrayLike<number>): [number, number] {
  const a = ringSignedArea(points);
  const n = points.length >> 1;
  if (a === 0) {
    let sx = 0, sy = 0;
    for (let i = 0; i < n; i++) { sx += points[2 * i]; sy += points[2 * i + 1]; }
    return [sx / n, sy / n];
  }
  let cx = 0, cy = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const f = points[2 * j] * points[2 * i + 1] - points[2 * i] * points[2 * j + 1];
    cx += (points[2 * j] + points[2 * i]) * f;
    cy += (points[2 * j + 1] + points[2 * i + 1]) * f;
  }
  return [cx / (6 * a), cy / (6 * a)];
}

export function geometryCentroid(g: Geometry): [number, number] {
  switch (g.type) {
    case 'polygon':
      return ringCentroid(g.points);
    case 'box':
      return [g.x + g.w / 2, g.y + g.h / 2];
    case 'point':
      return [g.x, g.y];
    case 'line':
      return [(g.points[0] + g.points[2]) / 2, (g.points[1] + g.points[3]) / 2];
  }
}

export interface GeometryProblem {
  /** Relative path inside the geometry, e.g. "points" or "w". */
  path: string;
  message: string;
  /** Hard problems refuse the shape; soft ones (self-intersection) are reported. */
  severity: 'error' | 'warning';
}

/** Distinct points, counted only up to `enough`: a ring of 100,000 points answers at its third. */
function distinctPointCount(points: ArrayLike<number>, enough = 3): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i + 1 < points.length && xs.length < enough; i += 2) {
    let seen = false;
    for (let k = 0; k < xs.length; k++) if (xs[k] === points[i] && ys[k] === points[i + 1]) seen = true;
    if (!seen) {
      xs.push(points[i]);
      ys.push(points[i + 1]);
    }
  }
  return xs.length;
}

function segmentsCross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  const d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Rings up to this many edges are checked pair by pair; longer ones through a grid of edges. */
const BRUTE_FORCE_EDGES = 64;
const smallRingBoxes = new Float64Array(4 * BRUTE_FORCE_EDGES);

function edgesCross(points: ArrayLike<number>, n: number, i: number, j: number): boolean {
  const i2 = (i + 1) % n;
  const j2 = (j + 1) % n;
  if (j === i || j2 === i || i2 === j) return false;
  return segmentsCross(points[2 * i], points[2 * i + 1], points[2 * i2], points[2 * i2 + 1], points[2 * j], points[2 * j + 1], points[2 * j2], points[2 * j2 + 1]);
}

/**
 * Index of the first edge that properly crosses another, non-adjacent edge, or -1. Long rings are
 * checked through a uniform grid of edge bounding boxes, so a hostile 100,000-point ring costs
 * about linear time instead of freezing the tab.
 */
export function ringSelfIntersection(points: ArrayLike<number>): number {
  const n = points.length >> 1;
  if (n <= BRUTE_FORCE_EDGES) {
    // Edge boxes first, in one typed array: a box test rejects most pairs of a cell outline before any arithmetic.
    const box = smallRingBoxes;
    for (let i = 0; i < n; i++) {
      const i2 = (i + 1) % n;
      const ax = points[2 * i], ay = points[2 * i + 1], bx = points[2 * i2], by = points[2 * i2 + 1];
      box[4 * i] = ax < bx ? ax : bx;
      box[4 * i + 1] = ax < bx ? bx : ax;
      box[4 * i + 2] = ay < by ? ay : by;
      box[4 * i + 3] = ay < by ? by : ay;
    }
    for (let i = 0; i < n; i++) {
      const minX = box[4 * i], maxX = box[4 * i + 1], minY = box[4 * i + 2], maxY = box[4 * i + 3];
      for (let j = i + 2; j < n; j++) {
        if (box[4 * j + 1] < minX || box[4 * j] > maxX || box[4 * j + 3] < minY || box[4 * j + 2] > maxY) continue;
        if (edgesCross(points, n, i, j)) return i;
      }
    }
    return -1;
  }
  const b = ringBounds(points);
  const side = Math.ceil(Math.sqrt(n));
  const cw = (b.maxX - b.minX) / side || 1;
  const ch = (b.maxY - b.minY) / side || 1;
  const cell = (v: number, min: number, size: number) => Math.min(side - 1, Math.max(0, Math.floor((v - min) / size)));
  const cells = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const i2 = (i + 1) % n;
    const x0 = cell(Math.min(points[2 * i], points[2 * i2]), b.minX, cw);
    const x1 = cell(Math.max(points[2 * i], points[2 * i2]), b.minX, cw);
    const y0 = cell(Math.min(points[2 * i + 1], points[2 * i2 + 1]), b.minY, ch);
    const y1 = cell(Math.max(points[2 * i + 1], points[2 * i2 + 1]), b.minY, ch);
    for (let cx = x0; cx <= x1; cx++)
      for (let cy = y0; cy <= y1; cy++) {
        const key = cy * side + cx;
        const list = cells.get(key);
        if (list) list.push(i);
        else cells.set(key, [i]);
      }
  }
  let first = -1;
  for (const list of cells.values()) {
    for (let a = 0; a < list.length; a++)
      for (let c = a + 1; c < list.length; c++) {
        const i = Math.min(list[a], list[c]);
        if ((first < 0 || i < first) && edgesCross(points, n, list[a], list[c])) first = i;
      }
  }
  return first;
}

function ringProblems(points: ArrayLike<number>, path: string, warnings: boolean): GeometryProblem[] {
  if (points.length % 2 !== 0) return [{ path, message: 'needs an even number of coordinates (x, y pairs)', severity: 'error' }];
  for (let i = 0; i < points.length; i++) {
    if (typeof points[i] !== 'number' || !Number.isFinite(points[i])) {
      return [{ path: `${path}[${i}]`, message: 'coordinate must be a finite number', severity: 'error' }];
    }
  }
  if (distinctPointCount(points) < 3) return [{ path, message: 'ring needs at least 3 points', severity: 'error' }];
  if (ringArea(points) === 0) return [{ path, message: 'ring has zero area', severity: 'error' }];
  if (!warnings) return [];
  const crossing = ringSelfIntersection(points);
  if (crossing >= 0) return [{ path, message: `ring intersects itself (edge ${crossing})`, severity: 'warning' }];
  return [];
}

/**
 * Problems that make a shape unusable (errors) or suspicious (warnings). `warnings: false` skips
 * the self-intersection walk, for a caller that checks errors first and warnings in a second pass.
 */
export function geometryProblems(g: Geometry, opts: { warnings?: boolean } = {}): GeometryProblem[] {
  const warnings = opts.warnings ?? true;
  switch (g.type) {
    case 'polygon': {
      const out = ringProblems(g.points, 'points', warnings);
      (g.holes ?? []).forEach((h, i) => out.push(...ringProblems(h, `holes[${i}]`, warnings)));
      return out;
    }
    case 'box': {
      for (const k of ['x', 'y', 'w', 'h'] as const) {
        if (!Number.isFinite(g[k])) return [{ path: k, message: 'must be a finite number', severity: 'error' }];
      }
      if (g.w <= 0) return [{ path: 'w', message: 'box needs a width above zero', severity: 'error' }];
      if (g.h <= 0) return [{ path: 'h', message: 'box needs a height above zero', severity: 'error' }];
      return [];
    }
    case 'point':
      for (const k of ['x', 'y'] as const) {
        if (!Number.isFinite(g[k])) return [{ path: k, message: 'must be a finite number', severity: 'error' }];
      }
      return [];
    case 'line': {
      const p = g.points;
      if (!Array.isArray(p) || p.length !== 4) return [{ path: 'points', message: 'a length line needs exactly 2 points', severity: 'error' }];
      for (let i = 0; i < 4; i++) {
        if (typeof p[i] !== 'number' || !Number.isFinite(p[i])) return [{ path: `points[${i}]`, message: 'coordinate must be a finite number', severity: 'error' }];
      }
      if (p[0] === p[2] && p[1] === p[3]) return [{ path: 'points', message: 'a length line needs two different points', severity: 'error' }];
      return [];
    }
  }
}

export function isGeometryUsable(g: Geometry): boolean {
  return geometryProblems(g).every((p) => p.severity !== 'error');
}

export function translateGeometry(g: Geometry, dx: number, dy: number): Geometry {
  switch (g.type) {
    case 'polygon':
      return {
        ...g,
        points: g.points.map((v, i) => v + (i % 2 === 0 ? dx : dy)),
        ...(g.holes ? { holes: g.holes.map((h) => h.map((v, i) => v + (i % 2 === 0 ? dx : dy))) } : {}),
      };
    case 'box':
      return { ...g, x: g.x + dx, y: g.y + dy };
    case 'point':
      return { ...g, x: g.x + dx, y: g.y + dy };
    case 'line':
      return { ...g, points: g.points.map((v, i) => v + (i % 2 === 0 ? dx : dy)) };
  }
}

/** A box as a clockwise polygon ring, for clipping and matching (a line's ring is its two points: no area). */
export function geometryRing(g: Geometry): number[] {
  switch (g.type) {
    case 'polygon':
    case 'line':
      return g.points;
    case 'box':
      return [g.x, g.y, g.x + g.w, g.y, g.x + g.w, g.y + g.h, g.x, g.y + g.h];
    case 'point':
      return [g.x, g.y];
  }
}
