/**
 * Colour deconvolution (Ruifrok & Johnston, Anal Quant Cytol Histol 2001): light absorbed by a
 * stained section adds up per stain in optical density (OD = −log10 I/I₀), so the three OD
 * channels are a linear mix of the stains. Inverting the mixing matrix gives each stain's amount
 * per pixel; nuclei are where haematoxylin is. The default vectors are the published H&E(+DAB)
 * ones, as ImageJ and scikit-image use them; a slide stained or scanned differently may need its own.
 */

/** OD of one unit of each stain in R, G, B; normalised to unit length before use. */
export interface StainVectors {
  haematoxylin: [number, number, number];
  eosin: [number, number, number];
  /** Third stain (DAB in the published set); for H&E it soaks up what the other two cannot explain. */
  residual: [number, number, number];
}

export const RUIFROK_JOHNSTON_HE: StainVectors = {
  haematoxylin: [0.65, 0.7, 0.29],
  eosin: [0.07, 0.99, 0.11],
  residual: [0.27, 0.57, 0.78],
};

/** OD of each 8-bit level; +1 keeps black finite (the usual I₀ = 256 convention). */
const OD = new Float32Array(256);
for (let v = 0; v < 256; v++) OD[v] = -Math.log10((v + 1) / 256);

function unit(v: [number, number, number]): [number, number, number] {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Weights w with haematoxylin = w · (odR, odG, odB): the first column of the inverted stain matrix. */
export function haematoxylinWeights(stains: StainVectors = RUIFROK_JOHNSTON_HE): [number, number, number] {
  // Rows are stains, columns R, G, B: od = c · M, so c = od · M⁻¹ and H is column 0 of M⁻¹.
  const [a, b, c] = unit(stains.haematoxylin);
  const [d, e, f] = unit(stains.eosin);
  const [g, h, i] = unit(stains.residual);
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (Math.abs(det) < 1e-9) throw new RangeError('stain vectors are not independent');
  return [(e * i - f * h) / det, -(d * i - f * g) / det, (d * h - e * g) / det];
}

/** Haematoxylin OD of one colour (channels 0–255, fractions allowed: averages of pixels). */
export function haematoxylinOf(r: number, g: number, b: number, w = haematoxylinWeights()): number {
  const od = (v: number) => -Math.log10((Math.min(255, Math.max(0, v)) + 1) / 256);
  return w[0] * od(r) + w[1] * od(g) + w[2] * od(b);
}

/** Haematoxylin OD per pixel of an RGBA buffer (alpha ignored). */
export function haematoxylinDensity(rgba: Uint8ClampedArray, pixelCount: number, w = haematoxylinWeights()): Float32Array {
  const out = new Float32Array(pixelCount);
  const [wr, wg, wb] = w;
  for (let p = 0, o = 0; p < pixelCount; p++, o += 4) out[p] = wr * OD[rgba[o]] + wg * OD[rgba[o + 1]] + wb * OD[rgba[o + 2]];
  return out;
}
