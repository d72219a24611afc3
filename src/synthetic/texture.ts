import { hashUnit, valueNoise } from './random';

/**
 * The eosin stroma's fibrous look: wavy collagen bands with patchy density and fine grain, in a
 * square that tiles seamlessly (every noise lattice wraps at the square's size). Built once and
 * shared by all seeds; the slide's own fields vary the colour on top of it.
 */
export const STROMA_TEXTURE_SIZE = 512;
export const STROMA_TEXTURE_MASK = STROMA_TEXTURE_SIZE - 1;

/** Fibre bands per texture height: an integer so the bands wrap. About one every 14 px. */
const BANDS = 36;

/** Bytes, not floats: a quarter of the memory keeps lookups in cache. 0–255 maps to 0–1. */
let texture: Uint8Array | null = null;

export function stromaTexture(): Uint8Array {
  if (texture) return texture;
  const n = STROMA_TEXTURE_SIZE;
  const t = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      // Lattice steps divide 512, so each noise wraps with the texture.
      const warp = valueNoise(71, x / 64, y / 64, n / 64) * 2 + valueNoise(72, x / 16, y / 16, n / 16) * 0.6;
      const band = 0.5 + 0.5 * Math.sin(((y + warp * 9) / n) * BANDS * 2 * Math.PI);
      const density = valueNoise(73, x / 32, y / 32, n / 32);
      const grain = hashUnit(74, x, y);
      t[y * n + x] = Math.round(255 * Math.min(1, Math.max(0, 0.15 + 0.55 * band * (0.45 + 0.8 * density) + 0.18 * grain)));
    }
  }
  texture = t;
  return t;
}
