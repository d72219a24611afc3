import { describe, expect, it } from 'vitest';
import { shapeIou } from '../agreement';
import { proposeNuclei } from './propose';
import { blobRing, paintBlobs, type Blob } from './testImages';
import type { PixelRegion } from './types';
import { overlayNuclei, walledBasins } from './vesicular';

/** µm per pixel of the painted images below: nuclei 8–10 µm across, as in a 40× H&E scan. */
const MPP = 0.25;
const MEMBRANE = [70, 40, 130];
/** Pale, but blue-purple: nucleoplasm holds some haematoxylin. */
const NUCLEOPLASM = [195, 165, 215];

/**
 * Vesicular nuclei as H&E shows them: a disc of pale nucleoplasm inside a dark membrane `ring`
 * px thick, on the pink of `paintBlobs`. Pixels are painted by their centre (no anti-aliasing).
 */
function paintVesicular(width: number, height: number, nuclei: Blob[], ring: number): PixelRegion {
  const p = paintBlobs(width, height, []);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const b of nuclei) {
        const d = Math.hypot(x + 0.5 - b.cx, y + 0.5 - b.cy);
        if (d <= b.rx) p.data.set(d > b.rx - ring ? MEMBRANE : NUCLEOPLASM, (y * width + x) * 4);
      }
    }
  }
  return p;
}

describe('vesicular nuclei (walled basins of the haematoxylin relief)', () => {
  // Two nuclei of radii 18 and 16 px (4.5 and 4 µm) whose membranes touch (centres 34 px apart), and a lone one.
  const nuclei: Blob[] = [{ cx: 40, cy: 40, rx: 18 }, { cx: 74, cy: 40, rx: 16 }, { cx: 50, cy: 95, rx: 17 }];
  const pixels = paintVesicular(120, 130, nuclei, 4);

  it('outlines each of two touching vesicular nuclei and a lone one whole: IoU ≥ 0.85 with the drawn discs', () => {
    // Without the basins, the stain threshold finds one blob of membrane pieces (IoU ≤ 0.16 with any).
    // The outlines run about a pixel outside the painted edge, hence 0.85 and not 0.9.
    const found = proposeNuclei(pixels, { x: 0, y: 0, w: 120, h: 130 }, { mpp: MPP });
    expect(found).toHaveLength(3);
    for (const b of nuclei) {
      const iou = Math.max(...found.map((g) => shapeIou(g, { type: 'polygon', points: blobRing(b) })));
      expect(iou, `nucleus at ${b.cx},${b.cy}`).toBeGreaterThanOrEqual(0.85);
    }
  });

  it('finds one basin per nucleus, walled all round; nothing in the open tissue', () => {
    const n = pixels.width * pixels.height;
    // Stained = the painted membrane, as a threshold of the stain would give it.
    const stained = new Uint8Array(n), stain = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      const membrane = pixels.data[4 * p] === MEMBRANE[0];
      stained[p] = membrane ? 1 : 0;
      stain[p] = membrane ? 1 : pixels.data[4 * p] === NUCLEOPLASM[0] ? 0.3 : 0.1;
    }
    const { labels, count } = walledBasins(stain, stained, pixels.width, pixels.height, (um) => um / MPP, 8 / MPP / MPP);
    expect(count).toBe(3);
    const at = (b: Blob) => labels[Math.round(b.cy) * pixels.width + Math.round(b.cx)];
    expect(new Set(nuclei.map(at)).size).toBe(3);
    expect(nuclei.map(at)).not.toContain(0);
    expect(labels[5 * pixels.width + 5]).toBe(0);
  });

  it('does not take the gap enclosed by touching solid nuclei for a nucleus', () => {
    // Four solid nuclei around a pink gap: walled all round, but by the nuclei's stained bodies.
    const solid: Blob[] = [{ cx: 30, cy: 30, rx: 17 }, { cx: 62, cy: 30, rx: 17 }, { cx: 30, cy: 62, rx: 17 }, { cx: 62, cy: 62, rx: 17 }];
    const p = paintBlobs(92, 92, solid);
    const found = proposeNuclei(p, { x: 0, y: 0, w: 92, h: 92 }, { mpp: MPP });
    expect(found).toHaveLength(4);
    for (const b of solid) expect(Math.max(...found.map((g) => shapeIou(g, { type: 'polygon', points: blobRing(b) })))).toBeGreaterThanOrEqual(0.85);
  });
});

describe('overlayNuclei', () => {
  it('lays added nuclei over found ones, dropping the found ones left with less than half', () => {
    // 1-D strip: found 1 = 4 px (3 taken → dropped), found 2 = 4 px (1 taken → stays).
    const found = { labels: new Int32Array([1, 1, 1, 1, 0, 2, 2, 2, 2]), count: 2 };
    const added = { labels: new Int32Array([0, 1, 1, 1, 1, 1, 0, 0, 0]), count: 1 };
    // The added nucleus takes 1 of its 5 px from a nucleus that stays: ≤ half, so it is added.
    expect(Array.from(overlayNuclei(found, added).labels)).toEqual([0, 2, 2, 2, 2, 2, 1, 1, 1]);
  });

  it('does not add a nucleus that would take more than half its pixels from nuclei that stay', () => {
    const found = { labels: new Int32Array([1, 1, 1, 1, 1, 1, 1, 1, 0]), count: 1 };
    const added = { labels: new Int32Array([0, 0, 0, 0, 0, 1, 1, 1, 1]), count: 1 };
    expect(overlayNuclei(found, added)).toEqual({ labels: new Int32Array([1, 1, 1, 1, 1, 1, 1, 1, 0]), count: 1 });
  });
});
