/**
 * Pixel masks (COCO's run-length masks, CVAT's masks) as outlines Granula can draw and edit. The
 * outline follows the pixel edges, so the polygon covers exactly the mask's pixels: its area is the
 * pixel count, and rasterising it again gives the same mask.
 */

/** A window of an image: `bits[y * width + x]` is 1 for a pixel of the mask, origin at (left, top). */
export interface Mask {
  left: number;
  top: number;
  width: number;
  height: number;
  bits: Uint8Array;
}

/** Masks larger than this many pixels in their window are refused: no annotation needs it, and it keeps memory bounded. */
export const MAX_MASK_PIXELS = 64_000_000;

/**
 * The mask's outlines: one polygon per 4-connected region (pixels touching only at a corner are
 * separate regions), each its outline and then its holes, as flat open rings in image pixels.
 * Regions come in the order of their first pixel, row by row.
 */
export function traceMask(mask: Mask): number[][][] {
  const { width: W, height: H, bits } = mask;
  const label = new Int32Array(W * H);
  const stack: number[] = [];
  let regions = 0;
  for (let start = 0; start < W * H; start++) {
    if (!bits[start] || label[start]) continue;
    regions++;
    label[start] = regions;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % W;
      const y = (p - x) / W;
      if (x > 0 && bits[p - 1] && !label[p - 1]) (label[p - 1] = regions), stack.push(p - 1);
      if (x < W - 1 && bits[p + 1] && !label[p + 1]) (label[p + 1] = regions), stack.push(p + 1);
      if (y > 0 && bits[p - W] && !label[p - W]) (label[p - W] = regions), stack.push(p - W);
      if (y < H - 1 && bits[p + W] && !label[p + W]) (label[p + W] = regions), stack.push(p + W);
    }
  }
  // Each region's boundary edges, directed so the region is on the right (x right, y down):
  // clockwise around an outline, anticlockwise around a hole. Vertex v = y * (W + 1) + x.
  const V = W + 1;
  const edges: number[][] = Array.from({ length: regions }, () => []);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const r = label[y * W + x];
      if (!r) continue;
      const e = edges[r - 1];
      const tl = y * V + x;
      if (y === 0 || !bits[(y - 1) * W + x]) e.push(tl, tl + 1);
      if (x === W - 1 || !bits[y * W + x + 1]) e.push(tl + 1, tl + V + 1);
      if (y === H - 1 || !bits[(y + 1) * W + x]) e.push(tl + V + 1, tl + V);
      if (x === 0 || !bits[y * W + x - 1]) e.push(tl + V, tl);
    }
  return edges.map((e) => polygonOf(loops(e, V), V, mask.left, mask.top)).flat();
}

/** Closed loops of vertices from directed edges (pairs from, to). */
function loops(e: number[], V: number): number[][] {
  const out = new Map<number, number[]>();
  for (let i = 0; i < e.length; i += 2) {
    const list = out.get(e[i]);
    if (list) list.push(i);
    else out.set(e[i], [i]);
  }
  const used = new Uint8Array(e.length / 2);
  const result: number[][] = [];
  for (let first = 0; first < e.length; first += 2) {
    if (used[first / 2]) continue;
    const loop: number[] = [];
    let i = first;
    for (;;) {
      used[i / 2] = 1;
      const from = e[i], to = e[i + 1];
      loop.push(from);
      const next = out.get(to)!;
      let k = next[0];
      if (next.length > 1) {
        // Two ways on at a corner where two pixels of the region touch diagonally: turn right,
        // towards the region, so each incoming edge has its own way out and the pixels stay apart.
        const dx = (to % V) - (from % V), dy = Math.floor(to / V) - Math.floor(from / V);
        k = next.find((c) => (e[c + 1] % V) - (to % V) === -dy && Math.floor(e[c + 1] / V) - Math.floor(to / V) === dx) ?? k;
      }
      if (used[k / 2]) break;
      i = k;
    }
    result.push(...simpleLoops(loop));
  }
  return result;
}

/**
 * A loop that passes a vertex twice (around two background pixels that touch at a corner) split
 * there into loops that do not touch themselves.
 */
function simpleLoops(loop: number[]): number[][] {
  const out: number[][] = [];
  const stack: number[] = [];
  const at = new Map<number, number>();
  for (const v of loop) {
    const seen = at.get(v);
    if (seen !== undefined) {
      const sub = stack.splice(seen);
      for (const w of sub) at.delete(w);
      out.push(sub);
    }
    at.set(v, stack.length);
    stack.push(v);
  }
  out.push(stack);
  return out;
}

/** Outline (positive area) then holes (negative), corners only, in image pixels. */
function polygonOf(vertexLoops: number[][], V: number, left: number, top: number): number[][][] {
  const rings = vertexLoops.map((loop) => cornerRing(loop, V, left, top));
  const outlines = rings.filter((r) => r.area > 0);
  const holes = rings.filter((r) => r.area < 0);
  if (!outlines.length) return [];
  // A 4-connected region has one outline, and its holes are its own.
  const [outline, ...more] = outlines;
  return [[outline.ring, ...holes.map((h) => h.ring)], ...more.map((o) => [o.ring])];
}

/** Vertex numbers → flat ring with only the corners kept, and its signed area (shoelace, y down). */
function cornerRing(loop: number[], V: number, left: number, top: number): { ring: number[]; area: number } {
  const n = loop.length;
  const xs = loop.map((v) => v % V), ys = loop.map((v) => Math.floor(v / V));
  const ring: number[] = [];
  let area2 = 0;
  for (let k = 0; k < n; k++) {
    const p = (k + n - 1) % n, q = (k + 1) % n;
    area2 += xs[k] * ys[q] - xs[q] * ys[k];
    const straight = (xs[k] - xs[p]) * (ys[q] - ys[k]) === (ys[k] - ys[p]) * (xs[q] - xs[k]);
    if (!straight) ring.push(xs[k] + left, ys[k] + top);
  }
  return { ring, area: area2 / 2 };
}
