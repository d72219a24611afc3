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

export function splitByDistance(mask: Uint8Array, dist: Float32Array, width: number, height: number, depth: number): Labels {
  const n = width * height;
  // Distances are roots of integers: bucket pixels by squared distance, highest first.
  let maxKey = 0;
  const key = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    if (!mask[p]) continue;
    key[p] = Math.round(dist[p] * dist[p]);
    if (key[p] > maxKey) maxKey = key[p];
  }
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
  const roots: number[] = [];
  for (const p of order) {
    const x = p % width, y = (p - x) / width;
    roots.length = 0;
    // The pixel joins the hill of its deepest processed neighbour (steepest ascent), so a split
    // line, once drawn, is not dragged round the smaller hill's rim.
    let uphill = -1;
    for (const [dx, dy] of NEIGHBOURS_8) {
      const nx = x + dx, ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = ny * width + nx;
      if (parent[q] < 0) continue;
      if (uphill < 0 || dist[q] > dist[uphill]) uphill = q;
      const r = find(q);
      if (!roots.includes(r)) roots.push(r);
    }
    if (roots.length === 0) {
      parent[p] = p;
      peak[p] = dist[p];
      continue;
    }
    let main = roots[0];
    for (const r of roots) if (peak[r] > peak[main]) main = r;
    for (const r of roots) if (r !== main && peak[r] - dist[p] < depth) parent[r] = main;
    parent[p] = find(uphill);
  }

  const labels = new Int32Array(n);
  const id = new Map<number, number>();
  for (const p of order) {
    const r = find(p);
    let l = id.get(r);
    if (l === undefined) id.set(r, (l = id.size + 1));
    labels[p] = l;
  }
  return { labels, count: id.size };
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
