/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher, Theory of Computing 2012): two
 * passes of a 1-D lower envelope of parabolas, linear in the pixel count.
 */

/** Larger than any squared distance on a buffer we handle, yet small enough to subtract exactly. */
const FAR = 1e12;

/** Squared distances along one line, in place: f holds 0 on background and FAR elsewhere. */
function envelope1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    d[q] = (q - v[k]) * (q - v[k]) + f[v[k]];
  }
  for (let q = 0; q < n; q++) f[q] = d[q];
}

/**
 * Distance from each set pixel of `mask` to the nearest unset pixel (0 on unset pixels). Beyond
 * the grid counts as unset, so a blob cut by the border is measured as if it ended there.
 */
export function distanceTransform(mask: Uint8Array, width: number, height: number): Float32Array {
  // Pad by one unset pixel on each side: that is "beyond the grid counts as unset".
  const W = width + 2, H = height + 2;
  const g = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inside = x > 0 && y > 0 && x <= width && y <= height && mask[(y - 1) * width + (x - 1)];
      g[y * W + x] = inside ? FAR : 0;
    }
  }
  const n = Math.max(W, H);
  const f = new Float64Array(n), d = new Float64Array(n), z = new Float64Array(n + 1);
  const v = new Int32Array(n);
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < H; y++) f[y] = g[y * W + x];
    envelope1d(f, H, d, v, z);
    for (let y = 0; y < H; y++) g[y * W + x] = f[y];
  }
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) f[x] = g[y * W + x];
    envelope1d(f, W, d, v, z);
    for (let x = 0; x < W; x++) g[y * W + x] = f[x];
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = Math.sqrt(g[(y + 1) * W + (x + 1)]);
  return out;
}
