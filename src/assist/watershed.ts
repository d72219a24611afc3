/**
 * Splitting touching nuclei: a watershed on the distance transform. Each nucleus is a hill of
 * distance-to-edge; two touching nuclei make two hills joined by a lower neck. Flooding the
 * pixels from the highest distance down (union–find), a hill that meets a higher one keeps its
 * own label only if its top stands `depth` above the meeting level (its "dynamic"): the
 * h-maxima rule, so the ripples a ragged edge puts on one nucleus's distance do not split it.
 */

export interface Labels {
  /** 0 = not in any object; 1…count otherwise. */
  labels: Int32Array;
  count: number;
}

const NEIGHBOURS_8 = [
  [-1, -1], [0, -1], [1, -1],
  [-1, 0], [1, 0],
  [-1, 1], [0, 1], [1, 1],
] as const;
const DX = NEIGHBOURS_8.map(([dx]) => dx), DY = NEIGHBOURS_8.map(([, dy]) => dy);

export function splitByDistance(mask: Uint8Array, dist: Float32Array, width: number, height: number, depth: number): Labels {
  // Distances are roots of integers: squared, they order the pixels exactly.
  const key = new Int32Array(width * height);
  for (let p = 0; p < key.length; p++) if (mask[p]) key[p] = Math.round(dist[p] * dist[p]);
  return floodHills(mask, dist, key, width, height, depth);
}

/**
 * The same h-maxima watershed on any height field (e.g. how pale the stain is): the pixels of
 * `mask` are taken from the highest down in steps of `step`, and a hill keeps its own label when
 * its top stands `depth` above the level where it meets a higher one.
 */
export function splitByHeight(mask: Uint8Array, heights: Float32Array, width: number, height: number, depth: number, step: number): Labels {
  let lowest = Infinity;
  for (let p = 0; p < heights.length; p++) if (mask[p] && heights[p] < lowest) lowest = heights[p];
  const key = new Int32Array(width * height);
  for (let p = 0; p < key.length; p++) if (mask[p]) key[p] = Math.round((heights[p] - lowest) / step);
  return floodHills(mask, heights, key, width, height, depth);
}

/** Pixels of `mask` flooded in decreasing `key` order (non-negative integers that order `heights`). */
function floodHills(mask: Uint8Array, dist: Float32Array, key: Int32Array, width: number, height: number, depth: number): Labels {
  const n = width * height;
  let maxKey = 0;
  for (let p = 0; p < n; p++) if (mask[p] && key[p] > maxKey) maxKey = key[p];
  const start = new Int32Array(maxKey + 2);
  for (let p = 0; p < n; p++) if (mask[p]) start[maxKey - key[p] + 1]++;
  for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
  const order = new Int32Array(start[start.length - 1]);
  for (let p = 0; p < n; p++) if (mask[p]) order[start[maxKey - key[p]]++] = p;

  const parent = new Int32Array(n).fill(-1);
  const peak = new Float32Array(n);
  const find = (p: number): number => {
    let r = p;
    while (parent[r] !== r) r = parent[r];
    while (parent[p] !== r) {
      const next = parent[p];
      parent[p] = r;
      p = next;
    }
    return r;
  };
  const roots = new Int32Array(8);
  for (let k = 0; k < order.length; k++) {
    const p = order[k];
    const x = p % width, y = (p - x) / width;
    let nRoots = 0;
    // The pixel joins the hill of its deepest processed neighbour (steepest ascent), so a split
    // line, once drawn, is not dragged round the smaller hill's rim.
    let uphill = -1;
    for (let j = 0; j < 8; j++) {
      const nx = x + DX[j], ny = y + DY[j];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = ny * width + nx;
      if (parent[q] < 0) continue;
      if (uphill < 0 || dist[q] > dist[uphill]) uphill = q;
      const r = find(q);
      let seen = false;
      for (let i = 0; i < nRoots; i++) if (roots[i] === r) seen = true;
      if (!seen) roots[nRoots++] = r;
    }
    if (nRoots === 0) {
      parent[p] = p;
      peak[p] = dist[p];
      continue;
    }
    let main = roots[0];
    for (let i = 1; i < nRoots; i++) if (peak[roots[i]] > peak[main]) main = roots[i];
    for (let i = 0; i < nRoots; i++) if (roots[i] !== main && peak[roots[i]] - dist[p] < depth) parent[roots[i]] = main;
    parent[p] = find(uphill);
  }

  const labels = new Int32Array(n);
  const id = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < order.length; k++) {
    const p = order[k], r = find(p);
    if (id[r] === 0) id[r] = ++count;
    labels[p] = id[r];
  }
  return { labels, count };
}

/**
 * Grows every object's label `steps` pixels into unlabelled pixels (8-neighbours, first come first
 * served), in place. Returns each pixel's ring number: 0 inside an object, k for the k-th ring
 * grown, 255 beyond reach. The rings sample the background right around each nucleus.
 */
export function growLabels(labels: Int32Array, width: number, height: number, steps: number): Uint8Array {
  const ring = new Uint8Array(labels.length).fill(255);
  let front: number[] = [];
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] > 0) {
      ring[p] = 0;
      front.push(p);
    }
  }
  for (let k = 1; k <= steps && front.length > 0; k++) {
    const next: number[] = [];
    for (const p of front) {
      const x = p % width, y = (p - x) / width;
      for (const [dx, dy] of NEIGHBOURS_8) {
        const nx = x + dx, ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (ring[q] !== 255) continue;
        ring[q] = k;
        labels[q] = labels[p];
        next.push(q);
      }
    }
    front = next;
  }
  return ring;
}
