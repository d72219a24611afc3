import type { PixelRegion } from './types';

/**
 * Ways real scans fall short of the synthetic slide, applied to a clean buffer so the benchmark
 * can say how the assistant copes: focus blur, sensor/JPEG noise, a paler haematoxylin.
 * Benchmark and test support only.
 */

export type Degradation = { kind: 'blur'; sigma: number } | { kind: 'noise'; sd: number; seed?: number } | { kind: 'fade'; factor: number };

export function degrade(p: PixelRegion, d: Degradation): PixelRegion {
  switch (d.kind) {
    case 'blur':
      return { ...p, data: gaussianBlur(p.data, p.width, p.height, d.sigma) };
    case 'noise':
      return { ...p, data: addNoise(p.data, d.sd, d.seed ?? 1) };
    case 'fade':
      return { ...p, data: fade(p.data, d.factor) };
  }
}

/** Separable Gaussian on R, G, B (edges clamped): a slide slightly out of focus. */
function gaussianBlur(src: Uint8ClampedArray, width: number, height: number, sigma: number): Uint8ClampedArray {
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const w = k.map((v) => v / sum);
  const pass = (from: Float32Array, horizontal: boolean): Float32Array => {
    const to = new Float32Array(from.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let i = -r; i <= r; i++) {
            const xx = horizontal ? Math.min(width - 1, Math.max(0, x + i)) : x;
            const yy = horizontal ? y : Math.min(height - 1, Math.max(0, y + i));
            acc += w[i + r] * from[(yy * width + xx) * 4 + c];
          }
          to[(y * width + x) * 4 + c] = acc;
        }
        to[(y * width + x) * 4 + 3] = 255;
      }
    }
    return to;
  };
  return Uint8ClampedArray.from(pass(pass(Float32Array.from(src), true), false));
}

/** Deterministic Gaussian-ish noise (sum of four uniforms) of standard deviation `sd` per channel. */
function addNoise(src: Uint8ClampedArray, sd: number, seed: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(src);
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  // Four uniforms on [0, 1) have variance 4/12; scale to the wanted sd.
  const scale = sd / Math.sqrt(4 / 12);
  for (let i = 0; i < out.length; i++) {
    if ((i & 3) === 3) continue;
    out[i] = src[i] + (next() + next() + next() + next() - 2) * scale;
  }
  return out;
}

/** Every optical density times `factor` (< 1: a paler stain, as after a weak haematoxylin bath or fading). */
function fade(src: Uint8ClampedArray, factor: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(src);
  for (let i = 0; i < out.length; i++) if ((i & 3) !== 3) out[i] = 256 * Math.pow((src[i] + 1) / 256, factor) - 1;
  return out;
}
