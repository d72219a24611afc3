import type { PixelRegion } from './types';

/** Small hand-made H&E-like images for tests: pink background, purple ellipses, edges anti-aliased. */

export interface Blob {
  cx: number;
  cy: number;
  rx: number;
  ry?: number;
}

const PINK = [230, 170, 200];
const PURPLE = [90, 62, 148];

/** Blobs painted by 4×4 supersampling: an edge pixel's colour is its covered fraction of purple. */
export function paintBlobs(width: number, height: number, blobs: Blob[], origin = { x: 0, y: 0, downsample: 1 }): PixelRegion {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let covered = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const px = x + (sx + 0.5) / 4, py = y + (sy + 0.5) / 4;
          if (blobs.some((b) => ((px - b.cx) / b.rx) ** 2 + ((py - b.cy) / (b.ry ?? b.rx)) ** 2 <= 1)) covered++;
        }
      }
      const k = covered / 16;
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[o + c] = PINK[c] + (PURPLE[c] - PINK[c]) * k;
      data[o + 3] = 255;
    }
  }
  return { width, height, data, ...origin };
}

/** The ellipse as a 64-vertex ring, shifted by the buffer's origin (downsample 1). */
export function blobRing(b: Blob, origin = { x: 0, y: 0 }): number[] {
  const out: number[] = [];
  for (let k = 0; k < 64; k++) {
    const t = (2 * Math.PI * k) / 64;
    out.push(origin.x + b.cx + b.rx * Math.cos(t), origin.y + b.cy + (b.ry ?? b.rx) * Math.sin(t));
  }
  return out;
}

/**
 * A crowd of round nuclei on a jittered grid `pitch` px apart, radii 5–9 px, each shrunk so it
 * overlaps no earlier one by more than `overlap` px: touching nuclei as in a dense tumour or a
 * lymphocyte aggregate (overlap > 0: pressed together). Deterministic in `seed`.
 */
export function crowdedBlobs(seed: number, cols: number, rows: number, pitch: number, overlap = 1): Blob[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const blobs: Blob[] = [];
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const cx = pitch * (i + 1) + (rand() - 0.5) * 4, cy = pitch * (j + 1) + (rand() - 0.5) * 4;
      let r = 5 + 4 * rand();
      for (const b of blobs) r = Math.min(r, Math.hypot(b.cx - cx, b.cy - cy) - b.rx + overlap);
      if (r >= 3) blobs.push({ cx, cy, rx: r });
    }
  }
  return blobs;
}

/**
 * Pale specks (1–2 background-coloured pixels, 1–4 a nucleus) inside each blob, in place: the
 * chromatin gaps of real nuclei, which must not split a nucleus in two.
 */
export function addSpecks(p: PixelRegion, blobs: Blob[], seed: number): PixelRegion {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (const b of blobs) {
    const count = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < count; i++) {
      const a = rand() * 2 * Math.PI, r = rand() * Math.max(0, b.rx - 3);
      const x = Math.round(b.cx + r * Math.cos(a)), y = Math.round(b.cy + r * Math.sin(a));
      const width = 1 + Math.floor(rand() * 2);
      for (let dx = 0; dx < width; dx++) p.data.set(PINK, (y * p.width + x + dx) * 4);
    }
  }
  return p;
}

/** Clears the middle of a blob (radius `fraction` of its own) to a pale purple, in place: a vesicular nucleus. */
export function clearCentre(p: PixelRegion, b: Blob, fraction: number): PixelRegion {
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      if ((x + 0.5 - b.cx) ** 2 + (y + 0.5 - b.cy) ** 2 < (b.rx * fraction) ** 2) p.data.set([225, 190, 215], (y * p.width + x) * 4);
    }
  }
  return p;
}
