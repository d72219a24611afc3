import { fbm, makeRng, hash32 } from './random';
import { SYNTHETIC_HEIGHT, SYNTHETIC_WIDTH } from './slide';

/**
 * The low-frequency layout of the slide: where tissue is, which parts are tumour, where
 * lymphocytes gather. Smooth fields in level-0 pixels, so the renderer can sample them coarsely
 * and interpolate, and the nuclei generator can ask about any single point.
 */

interface Island {
  cx: number;
  cy: number;
  /** 1 / semi-axis, along and across the island's direction. */
  invA: number;
  invB: number;
  cos: number;
  sin: number;
}

export interface SlideFields {
  seed: number;
  islands: Island[];
}

/** Above 0 is tissue; grows towards island centres. Edge noise makes the outlines ragged. */
const TISSUE_NOISE_SCALE = 7000;
const TISSUE_NOISE_AMPLITUDE = 0.5;
const TUMOUR_SCALE = 9000;
const INFLAMMATION_SCALE = 2200;

const fieldsBySeed = new Map<number, SlideFields>();

export function slideFields(seed: number): SlideFields {
  let f = fieldsBySeed.get(seed);
  if (!f) {
    f = makeFields(seed);
    fieldsBySeed.set(seed, f);
  }
  return f;
}

function makeFields(seed: number): SlideFields {
  const rng = makeRng(hash32(seed, 0x15a4d));
  const count = 4 + Math.floor(rng() * 3);
  const islands: Island[] = [];
  for (let i = 0; i < count; i++) {
    const angle = rng() * Math.PI;
    islands.push({
      cx: SYNTHETIC_WIDTH * (0.18 + 0.64 * rng()),
      cy: SYNTHETIC_HEIGHT * (0.2 + 0.6 * rng()),
      invA: 1 / (11000 + 9000 * rng()),
      invB: 1 / (7500 + 5000 * rng()),
      cos: Math.cos(angle),
      sin: Math.sin(angle),
    });
  }
  return { seed, islands };
}

/** Signed tissue field: > 0 inside tissue. */
export function tissueAt(f: SlideFields, x: number, y: number): number {
  let best = -Infinity;
  for (const isl of f.islands) {
    const dx = x - isl.cx;
    const dy = y - isl.cy;
    const u = (dx * isl.cos + dy * isl.sin) * isl.invA;
    const v = (-dx * isl.sin + dy * isl.cos) * isl.invB;
    const inside = 1 - Math.sqrt(u * u + v * v);
    if (inside > best) best = inside;
  }
  return best + TISSUE_NOISE_AMPLITUDE * (fbm(f.seed + 11, x / TISSUE_NOISE_SCALE, y / TISSUE_NOISE_SCALE, 3) - 0.5);
}

/** Tumour-ness in [0, 1); tumour where above TUMOUR_THRESHOLD. */
export function tumourAt(f: SlideFields, x: number, y: number): number {
  return fbm(f.seed + 23, x / TUMOUR_SCALE, y / TUMOUR_SCALE, 3);
}

/** Lymphocyte aggregates where above INFLAMMATION_THRESHOLD. */
export function inflammationAt(f: SlideFields, x: number, y: number): number {
  return fbm(f.seed + 37, x / INFLAMMATION_SCALE, y / INFLAMMATION_SCALE, 2);
}

export const TUMOUR_THRESHOLD = 0.55;
export const INFLAMMATION_THRESHOLD = 0.64;

export type Region = 'tumour' | 'inflamed' | 'stroma';

/** Tumour wins over inflammation; the rest of the tissue is stroma. */
export function regionFrom(tumour: number, inflammation: number): Region {
  if (tumour > TUMOUR_THRESHOLD) return 'tumour';
  if (inflammation > INFLAMMATION_THRESHOLD) return 'inflamed';
  return 'stroma';
}

/** A point well inside tissue (the middle of the largest island), for demos and tests to look at. */
export function tissueCentre(seed: number): { x: number; y: number } {
  const f = slideFields(seed);
  let best = f.islands[0];
  for (const isl of f.islands) if (isl.invA * isl.invB < best.invA * best.invB) best = isl;
  return { x: best.cx, y: best.cy };
}
