import type { Bounds } from '../model/geometry';

/** A shape spread over more grid cells than this goes to a coarser grid of its own. */
const MAX_CELLS_PER_SHAPE = 64;
const KEY_STRIDE = 2 ** 26;

function sizeOf(b: Bounds): number {
  return Math.max(b.maxX - b.minX, b.maxY - b.minY);
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  xs.sort((p, q) => p - q);
  return xs[xs.length >> 1];
}

function overlaps(p: Bounds, q: Bounds): boolean {
  return p.minX <= q.maxX && q.minX <= p.maxX && p.minY <= q.maxY && q.minY <= p.maxY;
}

/**
 * Calls `visit(i, j)` exactly once for every a[i], b[j] whose boxes overlap or touch. A uniform grid
 * sized to the typical shape keeps this near-linear in the number of shapes plus pairs, instead of
 * testing every a against every b; shapes much larger than typical go to a coarser grid of their own.
 */
export function overlappingPairs(a: readonly Bounds[], b: readonly Bounds[], visit: (i: number, j: number) => void): void {
  if (a.length === 0 || b.length === 0) return;
  const stamp = new Int32Array(b.length);
  const ids = new Int32Array(b.length);
  for (let j = 0; j < b.length; j++) ids[j] = j;
  let round = 0;
  gridPass(a, b, ids, stamp, () => ++round, visit);
}

function gridPass(a: readonly Bounds[], b: readonly Bounds[], ids: Int32Array, stamp: Int32Array, nextRound: () => number, visit: (i: number, j: number) => void): void {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const sizes: number[] = [];
  for (const j of ids) {
    const q = b[j];
    if (q.minX < minX) minX = q.minX;
    if (q.minY < minY) minY = q.minY;
    if (q.maxX > maxX) maxX = q.maxX;
    if (q.maxY > maxY) maxY = q.maxY;
    sizes.push(sizeOf(q));
  }
  const extent = Math.max(maxX - minX, maxY - minY);
  // Points have no size: fall back to the query size, and never let the grid exceed the key range.
  let cell = median(sizes) || median(a.map(sizeOf)) || extent / Math.sqrt(ids.length) || 1;
  cell = Math.max(cell, extent / (KEY_STRIDE - 2));

  const lastX = Math.floor((maxX - minX) / cell), lastY = Math.floor((maxY - minY) / cell);
  // Cell keys stay small integers for any grid under 2³⁰ cells (a whole slide of cells): V8 hashes them
  // without allocating, which a key per cell lookup of 10⁵ shapes otherwise does.
  const rows = lastY + 1;
  const grid = new Map<number, number[]>();
  const large: number[] = [];
  for (const j of ids) {
    const q = b[j];
    const x0 = Math.floor((q.minX - minX) / cell), x1 = Math.floor((q.maxX - minX) / cell);
    const y0 = Math.floor((q.minY - minY) / cell), y1 = Math.floor((q.maxY - minY) / cell);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS_PER_SHAPE) {
      large.push(j);
      continue;
    }
    for (let gx = x0; gx <= x1; gx++) {
      for (let gy = y0; gy <= y1; gy++) {
        const key = gx * rows + gy;
        const list = grid.get(key);
        if (list) list.push(j);
        else grid.set(key, [j]);
      }
    }
  }

  for (let i = 0; i < a.length; i++) {
    const p = a[i];
    if (p.maxX < minX || p.minX > maxX || p.maxY < minY || p.minY > maxY) continue;
    const round = nextRound();
    const x0 = Math.max(0, Math.floor((p.minX - minX) / cell)), x1 = Math.min(lastX, Math.floor((p.maxX - minX) / cell));
    const y0 = Math.max(0, Math.floor((p.minY - minY) / cell)), y1 = Math.min(lastY, Math.floor((p.maxY - minY) / cell));
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > ids.length) {
      // A query wider than the whole set: scanning it is cheaper than walking the cells.
      for (const j of ids) if (stamp[j] !== round && overlaps(p, b[j])) { stamp[j] = round; visit(i, j); }
      continue;
    }
    for (let gx = x0; gx <= x1; gx++) {
      for (let gy = y0; gy <= y1; gy++) {
        const list = grid.get(gx * rows + gy);
        if (!list) continue;
        for (const j of list) {
          if (stamp[j] === round) continue;
          stamp[j] = round;
          if (overlaps(p, b[j])) visit(i, j);
        }
      }
    }
  }
  // At most half the shapes exceed the median-sized cell by this much, so the recursion is shallow.
  if (large.length) gridPass(a, b, Int32Array.from(large), stamp, nextRound, visit);
}
