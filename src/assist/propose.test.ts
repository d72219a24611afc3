import { SYNTHETIC_MPP } from '../synthetic/slide';
import { describe, expect, it } from 'vitest';
import { matchByIou, prepareShape, shapeIou, summarise } from '../agreement';
import { geometryProblems, ringCentroid } from '../model/geometry';
import { evaluateProposals, qualityRegions } from './evaluation';
import { proposeNuclei } from './propose';
import { addSpecks, blobRing, clearCentre, crowdedBlobs, paintBlobs, type Blob } from './testImages';
import type { PixelRegion } from './types';

const SEED = 1;

describe('proposeNuclei on the synthetic slide', () => {
  const regions = qualityRegions(SEED);

  it('uses a fixed set of 9 regions, 3 each of tumour, inflamed and stroma', () => {
    expect(regions.map((r) => r.kind)).toEqual(['inflamed', 'inflamed', 'inflamed', 'stroma', 'stroma', 'stroma', 'tumour', 'tumour', 'tumour']);
    expect(qualityRegions(SEED)).toEqual(regions);
  });

  it('finds the true nuclei at full resolution: F1 ≥ 0.9 and mean IoU ≥ 0.75 (matched at IoU ≥ 0.5)', () => {
    const s = evaluateProposals(SEED, regions, 1);
    expect(s.f1).toBeGreaterThanOrEqual(0.9);
    expect(s.meanIou).toBeGreaterThanOrEqual(0.75);
    for (const r of s.regions) expect(r.f1, `${r.kind} at ${r.rect.x},${r.rect.y}`).toBeGreaterThanOrEqual(0.9);
  });

  it('holds the same bar from the half-resolution level (downsample 2)', () => {
    const s = evaluateProposals(SEED, regions.filter((_, i) => i % 3 === 0), 2);
    expect(s.f1).toBeGreaterThanOrEqual(0.9);
    expect(s.meanIou).toBeGreaterThanOrEqual(0.75);
  });
});

describe('proposeNuclei on painted blobs', () => {
  const origin = { x: 5000, y: 7000, downsample: 1 };
  const blobs = [
    // Two pairs of touching nuclei and a lone one.
    { cx: 20, cy: 20, rx: 8 }, { cx: 33, cy: 21, rx: 7 },
    { cx: 60, cy: 40, rx: 9, ry: 6 }, { cx: 60, cy: 53, rx: 8, ry: 6 },
    { cx: 25, cy: 60, rx: 6 },
  ];
  const pixels = paintBlobs(90, 80, blobs, origin);

  it('splits touching nuclei and outlines each (IoU > 0.8), in level-0 pixels', () => {
    const found = proposeNuclei(pixels, { x: origin.x, y: origin.y, w: 90, h: 80 }, { mpp: SYNTHETIC_MPP });
    expect(found).toHaveLength(blobs.length);
    for (const b of blobs) {
      const truth = { type: 'polygon' as const, points: blobRing(b, origin) };
      expect(Math.max(...found.map((g) => shapeIou(g, truth)))).toBeGreaterThan(0.8);
    }
    for (const g of found) expect(geometryProblems(g)).toEqual([]);
  });

  it('keeps only nuclei whose centroid lies in the rect, sorted top to bottom', () => {
    const found = proposeNuclei(pixels, { x: origin.x, y: origin.y + 30, w: 90, h: 50 }, { mpp: SYNTHETIC_MPP });
    expect(found).toHaveLength(3);
    const ys = found.map((g) => ringCentroid(g.points)[1]);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  it('drops nuclei cut by the buffer edge, and finds nothing in bare stroma', () => {
    const cut = paintBlobs(40, 40, [{ cx: 2, cy: 20, rx: 8 }]);
    expect(proposeNuclei(cut, { x: 0, y: 0, w: 40, h: 40 }, { mpp: SYNTHETIC_MPP })).toEqual([]);
    const bare = paintBlobs(40, 40, []);
    expect(proposeNuclei(bare, { x: 0, y: 0, w: 40, h: 40 }, { mpp: SYNTHETIC_MPP })).toEqual([]);
  });
});

describe('proposeNuclei on crowds', () => {
  function score(blobs: Blob[], pixels: PixelRegion) {
    const found = proposeNuclei(pixels, { x: 0, y: 0, w: pixels.width, h: pixels.height }, { mpp: SYNTHETIC_MPP });
    const pairs = matchByIou(blobs.map((b) => prepareShape({ type: 'polygon', points: blobRing(b) })), found.map((g) => prepareShape(g)), 0.5);
    return { found: found.length, pairs, ...summarise(blobs.length, found.length, pairs.map((p) => p.iou)) };
  }

  it('splits a crowd of touching, slightly pressed nuclei: F1 ≥ 0.95', () => {
    const blobs = crowdedBlobs(3, 8, 8, 14, 1);
    const s = score(blobs, paintBlobs(14 * 9, 14 * 9, blobs));
    expect(s.f1).toBeGreaterThanOrEqual(0.95);
    expect(s.mean_iou).toBeGreaterThanOrEqual(0.9);
  });

  it('does not split nuclei with pale specks, and fills a vesicular nucleus', () => {
    const blobs = crowdedBlobs(5, 6, 6, 24, 0).map((b) => ({ ...b, rx: b.rx + 3 }));
    const pixels = addSpecks(paintBlobs(24 * 7, 24 * 7, blobs), blobs, 7);
    clearCentre(pixels, blobs[0], 0.5);
    const s = score(blobs, pixels);
    expect(s.found).toBe(blobs.length);
    expect(s.f1).toBe(1);
    expect(s.pairs.find((p) => p.a === 0)!.iou).toBeGreaterThan(0.9);
  });
});
