import { SYNTHETIC_MPP } from '../synthetic/slide';
import { describe, expect, it } from 'vitest';
import { shapeIou } from '../agreement';
import { geometryProblems, ringArea } from '../model/geometry';
import { syntheticCellsInRect } from '../synthetic/cells';
import { tissueAt, slideFields } from '../synthetic/fields';
import { clickTargets, evaluateClicks, qualityRegions } from './evaluation';
import { clickWindow, outlineAtClick, type OutlineResult } from './outline';
import { syntheticPixels } from './pixelSource';
import { blobRing, paintBlobs } from './testImages';

const SEED = 1;
const regions = qualityRegions(SEED);

function outlined(r: OutlineResult): Extract<OutlineResult, { geometry: unknown }> {
  if ('refused' in r) throw new Error(`refused: ${r.refused}`);
  return r;
}

describe('outlineAtClick on the synthetic slide', () => {
  const targets = clickTargets(SEED, regions, 45);

  it('outlines nuclei clicked at their true centre: mean IoU ≥ 0.8 at full resolution, none refused', () => {
    const clicks = evaluateClicks(SEED, targets);
    const mean = clicks.reduce((s, c) => s + c.iou, 0) / clicks.length;
    expect(clicks.filter((c) => c.refused)).toEqual([]);
    expect(mean).toBeGreaterThanOrEqual(0.8);
  });

  it('still outlines them from the half-resolution level (downsample 2), in level-0 pixels', () => {
    const clicks = evaluateClicks(SEED, targets.slice(0, 15), 2);
    expect(clicks.reduce((s, c) => s + c.iou, 0) / clicks.length).toBeGreaterThanOrEqual(0.8);
  });

  it('returns valid, simple polygons', () => {
    const t = targets[0];
    const r = outlined(outlineAtClick(syntheticPixels(SEED, clickWindow({ x: t.cx, y: t.cy }, 1, { mpp: SYNTHETIC_MPP })), { x: t.cx, y: t.cy }, { mpp: SYNTHETIC_MPP }));
    expect(geometryProblems(r.geometry)).toEqual([]);
    expect(r.area).toBeCloseTo(ringArea(r.geometry.points), -1);
  });

  it('refuses a click on stroma between nuclei, and one on the glass, with a short reason', () => {
    const stroma = regions.find((q) => q.kind === 'stroma')!.rect;
    // A stroma point at least 20 px from every nucleus centre.
    const cells = syntheticCellsInRect(SEED, stroma);
    let spot = { x: stroma.x + 128, y: stroma.y + 128 };
    for (let k = 0; k < 200 && cells.some((c) => Math.hypot(c.cx - spot.x, c.cy - spot.y) < 20); k++) spot = { x: stroma.x + 20 + ((k * 37) % 216), y: stroma.y + 20 + ((k * 53) % 216) };
    const onStroma = outlineAtClick(syntheticPixels(SEED, clickWindow(spot, 1, { mpp: SYNTHETIC_MPP })), spot, { mpp: SYNTHETIC_MPP });
    expect(onStroma).toEqual({ refused: 'no stained nucleus under the click' });

    const f = slideFields(SEED);
    const glass = { x: 2000, y: 2000 };
    expect(tissueAt(f, glass.x, glass.y)).toBeLessThan(0);
    expect(outlineAtClick(syntheticPixels(SEED, clickWindow(glass, 1, { mpp: SYNTHETIC_MPP })), glass, { mpp: SYNTHETIC_MPP })).toEqual({ refused: 'no stained nucleus under the click' });
  });

  it('refuses a click outside the pixels it was given', () => {
    const p = paintBlobs(20, 20, []);
    expect(outlineAtClick(p, { x: 50, y: 5 }, { mpp: SYNTHETIC_MPP })).toEqual({ refused: 'the click is outside the loaded pixels' });
  });

  it('widens and narrows monotonically with the wheel steps', () => {
    const t = targets[3];
    const click = { x: t.cx, y: t.cy };
    const areas = [-2, -1, 0, 1, 2, 3].map((adjust) => {
      const pixels = syntheticPixels(SEED, clickWindow(click, 1, { mpp: SYNTHETIC_MPP, adjust }));
      return outlined(outlineAtClick(pixels, click, { mpp: SYNTHETIC_MPP, adjust })).area;
    });
    for (let i = 1; i < areas.length; i++) expect(areas[i]).toBeGreaterThan(areas[i - 1]);
  });

  it('says so when narrowed to nothing', () => {
    const blob = { cx: 20, cy: 20, rx: 5 };
    expect(outlineAtClick(paintBlobs(40, 40, [blob]), { x: 20, y: 20 }, { mpp: SYNTHETIC_MPP, adjust: -8 })).toEqual({ refused: 'narrowed to nothing' });
  });
});

describe('outlineAtClick on painted blobs', () => {
  it('outlines the clicked one of two touching nuclei, not both', () => {
    const a = { cx: 16, cy: 20, rx: 8 }, b = { cx: 29, cy: 20, rx: 7 };
    const pixels = paintBlobs(48, 40, [a, b], { x: 1000, y: 2000, downsample: 1 });
    const r = outlined(outlineAtClick(pixels, { x: 1000 + 14, y: 2000 + 20 }, { mpp: SYNTHETIC_MPP }));
    expect(shapeIou(r.geometry, { type: 'polygon', points: blobRing(a, { x: 1000, y: 2000 }) })).toBeGreaterThan(0.85);
  });

  it('refuses specks and sheets: too small or too large for a nucleus', () => {
    const speck = paintBlobs(40, 40, [{ cx: 20, cy: 20, rx: 1.5 }]);
    expect(outlineAtClick(speck, { x: 20, y: 20 }, { mpp: SYNTHETIC_MPP })).toEqual({ refused: 'too small for a nucleus' });
    const sheet = paintBlobs(120, 120, [{ cx: 60, cy: 60, rx: 45 }]);
    expect(outlineAtClick(sheet, { x: 60, y: 60 }, { mpp: SYNTHETIC_MPP })).toEqual({ refused: 'too large for a nucleus' });
  });
});
