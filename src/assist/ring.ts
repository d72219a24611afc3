import simplify from 'simplify-js';
import type { PixelRegion } from './types';

/**
 * Taubin's λ|μ smoothing (SIGGRAPH 1995): a shrinking Laplacian step then an inflating one, so
 * pixel noise is ironed out without the outline creeping inwards as plain averaging makes it do.
 */
export function smoothRing(points: readonly number[], iterations: number, lambda = 0.5, mu = -0.53): number[] {
  const n = points.length >> 1;
  let cur = points.slice();
  if (n < 4) return cur;
  const step = (src: number[], k: number): number[] => {
    const out = new Array<number>(src.length);
    for (let i = 0; i < n; i++) {
      const a = (i + n - 1) % n, b = (i + 1) % n;
      out[2 * i] = src[2 * i] + k * ((src[2 * a] + src[2 * b]) / 2 - src[2 * i]);
      out[2 * i + 1] = src[2 * i + 1] + k * ((src[2 * a + 1] + src[2 * b + 1]) / 2 - src[2 * i + 1]);
    }
    return out;
  };
  for (let it = 0; it < iterations; it++) cur = step(step(cur, lambda), mu);
  return cur;
}

/** Douglas–Peucker (simplify-js) on a closed ring: fewer vertices, none farther than `tolerance` from the original. */
export function simplifyRing(points: readonly number[], tolerance: number): number[] {
  const n = points.length >> 1;
  if (n <= 4) return points.slice();
  // Start the open polyline at the vertex farthest from the first, so the seam is not a corner DP must keep.
  let far = 0, best = -1;
  for (let i = 0; i < n; i++) {
    const d = (points[2 * i] - points[0]) ** 2 + (points[2 * i + 1] - points[1]) ** 2;
    if (d > best) (best = d), (far = i);
  }
  const pts: { x: number; y: number }[] = [];
  for (let k = 0; k <= n; k++) {
    const i = (far + k) % n;
    pts.push({ x: points[2 * i], y: points[2 * i + 1] });
  }
  const kept = simplify(pts, tolerance, true);
  kept.pop();
  if (kept.length < 3) return points.slice();
  return kept.flatMap((p) => [p.x, p.y]);
}

/** Buffer pixel-centre coordinates (i, j) → level-0 image pixels, rounded to 1/100 px. */
export function ringToImage(points: readonly number[], region: Pick<PixelRegion, 'x' | 'y' | 'downsample'>): number[] {
  const ds = region.downsample;
  return points.map((v, k) => Math.round(((k % 2 === 0 ? region.x : region.y) + (v + 0.5) * ds) * 100) / 100);
}
