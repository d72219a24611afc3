/**
 * Intersection area of two polygons (rings of flat x, y coordinates; outer rings counter-clockwise,
 * holes clockwise) by Green's theorem: the boundary of A ∩ B is the part of A's edges inside B plus
 * the part of B's edges inside A, and the shoelace sum over those pieces is the area. This is exact
 * for shapes in general position and several times faster than building the intersection polygon.
 *
 * Returns `null` when the two boundaries touch or overlap exactly (a shared vertex, a vertex on an
 * edge, collinear edges): there the inside test is ambiguous and the caller must clip instead.
 */
export function greenIntersectionArea(a: readonly Float64Array[], b: readonly Float64Array[]): number | null {
  const fromA = insideContribution(a, b);
  if (fromA === null) return null;
  const fromB = insideContribution(b, a);
  if (fromB === null) return null;
  return Math.max(0, fromA + fromB);
}

const cuts: number[] = [];

/** Σ over the pieces of `edges`' rings that lie inside `region` of the shoelace term; null on a degenerate contact. */
function insideContribution(edges: readonly Float64Array[], region: readonly Float64Array[]): number | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const ring of region) {
    for (let i = 0; i < ring.length; i += 2) {
      const x = ring[i], y = ring[i + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  let sum = 0;
  for (const ring of edges) {
    const len = ring.length;
    for (let i = 0; i < len; i += 2) {
      const px = ring[i], py = ring[i + 1];
      const next = i + 2 === len ? 0 : i + 2;
      const qx = ring[next], qy = ring[next + 1];
      // An edge outside the region's box lies wholly outside it and adds nothing.
      if (Math.max(px, qx) < minX || Math.min(px, qx) > maxX || Math.max(py, qy) < minY || Math.min(py, qy) > maxY) continue;
      cuts.length = 0;
      cuts.push(0);
      if (!crossings(px, py, qx, qy, region)) return null;
      cuts.push(1);
      if (cuts.length > 3) cuts.sort((s, t) => s - t);
      const dx = qx - px, dy = qy - py;
      for (let k = 0; k + 1 < cuts.length; k++) {
        const t0 = cuts[k], t1 = cuts[k + 1];
        const mx = px + dx * ((t0 + t1) / 2), my = py + dy * ((t0 + t1) / 2);
        if (!insideEvenOdd(mx, my, region)) continue;
        const x0 = px + dx * t0, y0 = py + dy * t0, x1 = px + dx * t1, y1 = py + dy * t1;
        sum += x0 * y1 - x1 * y0;
      }
    }
  }
  return sum / 2;
}

/** Pushes the parameters where p→q properly crosses the region's edges; false on any degenerate contact. */
function crossings(px: number, py: number, qx: number, qy: number, region: readonly Float64Array[]): boolean {
  const dx = qx - px, dy = qy - py;
  const loX = Math.min(px, qx), hiX = Math.max(px, qx), loY = Math.min(py, qy), hiY = Math.max(py, qy);
  for (const ring of region) {
    const len = ring.length;
    let rx = ring[len - 2], ry = ring[len - 1];
    for (let j = 0; j < len; j += 2) {
      const sx = ring[j], sy = ring[j + 1];
      if (Math.max(rx, sx) < loX || Math.min(rx, sx) > hiX || Math.max(ry, sy) < loY || Math.min(ry, sy) > hiY) {
        rx = sx;
        ry = sy;
        continue;
      }
      const ex = sx - rx, ey = sy - ry;
      const wx = rx - px, wy = ry - py;
      rx = sx;
      ry = sy;
      const denom = dx * ey - dy * ex;
      const along = wx * ey - wy * ex; // t · denom
      const across = wx * dy - wy * dx; // u · denom
      if (denom === 0) {
        if (across === 0) return false; // collinear and (by the box test) touching or overlapping
        continue;
      }
      const t = along / denom, u = across / denom;
      if (t < 0 || t > 1 || u < 0 || u > 1) continue;
      if (t === 0 || t === 1 || u === 0 || u === 1) return false;
      cuts.push(t);
    }
  }
  return true;
}

function insideEvenOdd(x: number, y: number, region: readonly Float64Array[]): boolean {
  let inside = false;
  for (const ring of region) {
    const len = ring.length;
    for (let i = 0, j = len - 2; i < len; j = i, i += 2) {
      const xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
