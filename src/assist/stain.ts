import type { StainSetting } from '../model/types';
/**
 * Colour deconvolution (Ruifrok & Johnston, Anal Quant Cytol Histol 2001): light absorbed by a
 * stained section adds up per stain in optical density (OD = −log10 I/I₀), so the three OD
 * channels are a linear mix of the stains. Inverting the mixing matrix gives each stain's amount
 * per pixel; nuclei are where haematoxylin is (and, in immunohistochemistry, DAB on positive
 * nuclei). The vectors are estimated from the pixels (Macenko et al., ISBI 2009) when the estimate
 * is plausible, else the published ones are used, as ImageJ and scikit-image give them.
 */

export type Vec3 = [number, number, number];

/** OD of one unit of each stain in R, G, B; normalised to unit length before use. */
export interface StainVectors {
  haematoxylin: Vec3;
  /** The second stain: eosin in H&E, DAB (brown) in immunohistochemistry. */
  counter: Vec3;
  /** A third direction that soaks up what the other two cannot explain. */
  residual: Vec3;
}

/** Which stains a slide carries. 'auto' decides from the pixels. */
export type StainKind = 'he' | 'hdab';
/** What the project says its images carry (see Project.stain). */
export type StainChoice = StainSetting;

export interface StainModel {
  kind: StainKind;
  vectors: StainVectors;
  /** The vectors came from the pixels (false: the published ones). */
  estimated: boolean;
}

const EOSIN: Vec3 = [0.07, 0.99, 0.11];
const DAB: Vec3 = [0.268, 0.57, 0.776];

export const RUIFROK_JOHNSTON_HE: StainVectors = {
  haematoxylin: [0.65, 0.7, 0.29],
  counter: EOSIN,
  residual: [0.27, 0.57, 0.78],
};

/** Haematoxylin and DAB, the third orthogonal to both (scikit-image's `rgb_from_hdx`). */
export const RUIFROK_JOHNSTON_HDAB: StainVectors = {
  haematoxylin: [0.65, 0.704, 0.286],
  counter: DAB,
  residual: cross([0.65, 0.704, 0.286], DAB),
};

const PUBLISHED: Record<StainKind, StainVectors> = { he: RUIFROK_JOHNSTON_HE, hdab: RUIFROK_JOHNSTON_HDAB };

/** OD of each 8-bit level; +1 keeps black finite (the usual I₀ = 256 convention). */
const OD = new Float32Array(256);
for (let v = 0; v < 256; v++) OD[v] = -Math.log10((v + 1) / 256);

function unit(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Angle between two directions, degrees. */
export function angleBetween(a: Vec3, b: Vec3): number {
  return (Math.acos(Math.min(1, Math.abs(dot(unit(a), unit(b))))) * 180) / Math.PI;
}

/** The inverted stain matrix: column k gives stain k's amount as a weighted sum of the OD channels. */
function unmixing(stains: StainVectors): [Vec3, Vec3, Vec3] {
  // Rows are stains, columns R, G, B: od = c · M, so c = od · M⁻¹.
  const [a, b, c] = unit(stains.haematoxylin);
  const [d, e, f] = unit(stains.counter);
  const [g, h, i] = unit(stains.residual);
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (Math.abs(det) < 1e-9) throw new RangeError('stain vectors are not independent');
  const col = (k: 0 | 1 | 2): Vec3 => {
    const inv = [
      [e * i - f * h, c * h - b * i, b * f - c * e],
      [f * g - d * i, a * i - c * g, c * d - a * f],
      [d * h - e * g, b * g - a * h, a * e - b * d],
    ];
    return [inv[0][k] / det, inv[1][k] / det, inv[2][k] / det];
  };
  return [col(0), col(1), col(2)];
}

/** Weights w with haematoxylin = w · (odR, odG, odB). */
export function haematoxylinWeights(stains: StainVectors = RUIFROK_JOHNSTON_HE): Vec3 {
  return unmixing(stains)[0];
}

/** Stain OD (weights w) of one colour (channels 0–255, fractions allowed: averages of pixels). */
export function haematoxylinOf(r: number, g: number, b: number, w = haematoxylinWeights()): number {
  const od = (v: number) => -Math.log10((Math.min(255, Math.max(0, v)) + 1) / 256);
  return w[0] * od(r) + w[1] * od(g) + w[2] * od(b);
}

/** Stain OD (weights w, haematoxylin by default) per pixel of an RGBA buffer (alpha ignored). */
export function haematoxylinDensity(rgba: Uint8ClampedArray, pixelCount: number, w = haematoxylinWeights()): Float32Array {
  const out = new Float32Array(pixelCount);
  const [wr, wg, wb] = w;
  for (let p = 0, o = 0; p < pixelCount; p++, o += 4) out[p] = wr * OD[rgba[o]] + wg * OD[rgba[o + 1]] + wb * OD[rgba[o + 2]];
  return out;
}

/** Pixels with OD below this in any channel are glass or nearly so: no stain direction to learn from. */
const MACENKO_MIN_OD = 0.15;
/** Extreme angles are taken at these percentiles, robust to a few odd pixels. */
const MACENKO_PERCENTILE = 0.01;
/** At most this many pixels are sampled: the estimate needs their spread, not all of them. */
const MACENKO_SAMPLES = 40000;
/** Fewer stained pixels than this and the estimate is noise. */
const MACENKO_MIN_PIXELS = 500;
/** An estimate farther than this from the published vectors is taken for a failure (a buffer of one stain only). */
const PLAUSIBLE_DEGREES = 25;

/** Eigenvectors of a symmetric 3×3 matrix by Jacobi rotations, largest eigenvalue first. */
function eigenSymmetric3(m: number[][]): { values: number[]; vectors: Vec3[] } {
  const a = m.map((r) => r.slice());
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2;
    if (off < 1e-20) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (Math.abs(a[p][q]) < 1e-300) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p], akq = a[k][q];
        a[k][p] = c * akp - s * akq;
        a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k], aqk = a[q][k];
        a[p][k] = c * apk - s * aqk;
        a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p], vkq = v[k][q];
        v[k][p] = c * vkp - s * vkq;
        v[k][q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => [v[0][i], v[1][i], v[2][i]] as Vec3) };
}

/**
 * Macenko's estimate of the two stain directions of an RGBA buffer: the plane of the stained
 * pixels' OD (its two main axes), and in it the two extreme angles (1st and 99th percentile).
 * The one absorbing more red is haematoxylin. Null when too few pixels are stained.
 */
export function macenkoVectors(rgba: Uint8ClampedArray, pixelCount: number): { haematoxylin: Vec3; counter: Vec3 } | null {
  const stride = Math.max(1, Math.floor(pixelCount / MACENKO_SAMPLES));
  const samples: number[] = [];
  for (let p = 0; p < pixelCount; p += stride) {
    const r = OD[rgba[4 * p]], g = OD[rgba[4 * p + 1]], b = OD[rgba[4 * p + 2]];
    if (r < MACENKO_MIN_OD || g < MACENKO_MIN_OD || b < MACENKO_MIN_OD) continue;
    samples.push(r, g, b);
  }
  const n = samples.length / 3;
  if (n < MACENKO_MIN_PIXELS) return null;
  const mean = [0, 0, 0];
  for (let k = 0; k < samples.length; k++) mean[k % 3] += samples[k] / n;
  const cov = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[i][j] += ((samples[3 * s + i] - mean[i]) * (samples[3 * s + j] - mean[j])) / n;
  }
  // Both axes point towards positive OD, so angles of stained pixels fall in one half-plane.
  const [e1, e2] = eigenSymmetric3(cov).vectors.map((v) => (v[0] + v[1] + v[2] < 0 ? ([-v[0], -v[1], -v[2]] as Vec3) : v));
  const angles = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const od: Vec3 = [samples[3 * s], samples[3 * s + 1], samples[3 * s + 2]];
    angles[s] = Math.atan2(dot(od, e2), dot(od, e1));
  }
  angles.sort();
  const at = (q: number) => angles[Math.min(n - 1, Math.max(0, Math.round(q * (n - 1))))];
  const dir = (phi: number): Vec3 => {
    const v: Vec3 = [0, 1, 2].map((k) => e1[k] * Math.cos(phi) + e2[k] * Math.sin(phi)) as Vec3;
    return unit(v[0] + v[1] + v[2] < 0 ? [-v[0], -v[1], -v[2]] : v);
  };
  const a = dir(at(MACENKO_PERCENTILE)), b = dir(at(1 - MACENKO_PERCENTILE));
  return a[0] > b[0] ? { haematoxylin: a, counter: b } : { haematoxylin: b, counter: a };
}

/**
 * The stains of a buffer. `choice` says which stains it carries ('auto': the estimated second
 * stain's nearer published one, eosin or DAB); the vectors are estimated from the pixels and used
 * when within 25° of the published ones for that kind, else the published ones are.
 */
export function stainModel(rgba: Uint8ClampedArray, pixelCount: number, choice: StainChoice): StainModel {
  const est = macenkoVectors(rgba, pixelCount);
  // Brown absorbs blue most, pink absorbs green most: that tells DAB from eosin more robustly
  // than the angle to either published vector (real eosin estimates lie far from the published one).
  const kind: StainKind = choice !== 'auto' ? choice : est && est.counter[2] > est.counter[1] ? 'hdab' : 'he';
  const ref = PUBLISHED[kind];
  if (!est || angleBetween(est.haematoxylin, ref.haematoxylin) > PLAUSIBLE_DEGREES || angleBetween(est.counter, ref.counter) > PLAUSIBLE_DEGREES) {
    return { kind, vectors: ref, estimated: false };
  }
  return { kind, vectors: { ...est, residual: unit(cross(est.haematoxylin, est.counter)) }, estimated: true };
}
