// Generic pyramidal TIFF/BigTIFF, every compression libvips writes, against OpenSlide (levels,
// pixels) and tifffile (resolution tags, levels OpenSlide 3.4 misreads).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeTileDecoders } from '../cli/slideDecoders';
import { makeTiff, type TiffCompression } from '../../tests/slides/makeSlides';
import { meanAbsDiff, openSlideFile, openslideReference, tifffileReference, type RegionArgs } from '../../tests/slides/reference';
import { readRegion } from './region';

const dir = mkdtempSync(join(tmpdir(), 'granula-generic-tiff-'));

// OpenSlide 3.4 reads lossless tiles through libtiff's RGBA interface, which garbles levels narrower
// than one tile (187 px wide with 256 px tiles): those levels are compared with tifffile below.
const REGIONS: RegionArgs[] = [
  [0, 100, 60, 300, 200],
  [0, 2900, 2100, 300, 200],
  [0, -50, -40, 120, 100],
  [1, 1000, 800, 300, 250],
  [3, 0, 0, 375, 275],
];
/** Level-0 positions that fall between level pixels: x / 2 = 500.5, x / 4 = 250.75, and at the slide's right and bottom edge. */
const BETWEEN: RegionArgs[] = [
  [1, 1001, 801, 300, 250],
  [2, 1003, 803, 250, 200],
  [1, 2995, 2197, 100, 100],
];

const CASES: { compression: TiffCompression; bigtiff?: boolean; predictor?: boolean; lossy?: boolean }[] = [
  { compression: 'jpeg', lossy: true },
  { compression: 'lzw', predictor: true },
  { compression: 'deflate', bigtiff: true },
  { compression: 'zstd' },
  { compression: 'none' },
];

describe.each(CASES)('a generic pyramidal TIFF, $compression (BigTIFF: $bigtiff, predictor: $predictor)', { timeout: 30_000 }, ({ compression, bigtiff, predictor, lossy }) => {
  it('has the levels OpenSlide reports, the resolution its tags give, and its pixels', async () => {
    const path = makeTiff(dir, { compression, bigtiff, predictor, mpp: 0.25 });
    const reference = openslideReference(path, [...REGIONS, ...BETWEEN]);
    const slide = await openSlideFile(path);
    expect(reference.info.vendor).toBe('generic-tiff');
    expect(slide.info.format).toBe('generic-tiff');
    expect(slide.info.compression).toBe(compression);
    expect(slide.info.levels.map(({ width, height, downsample }) => ({ width, height, downsample }))).toEqual(reference.info.levels);
    // OpenSlide ≥ 4 reports 10000 / XResolution µm when ResolutionUnit is centimetre; the tags as tifffile reads them.
    const { resolution } = tifffileReference(path, { pixels: false });
    expect(resolution.unit).toBe(3);
    expect(slide.info.mpp!.x).toBeCloseTo(10000 / (resolution.x![0] / resolution.x![1]), 9);
    expect(slide.info.mpp!.y).toBeCloseTo(10000 / (resolution.y![0] / resolution.y![1]), 9);
    for (const [i, [level, x, y, w, h]] of REGIONS.entries()) {
      const diff = meanAbsDiff(await readRegion(slide, nodeTileDecoders, level, x, y, w, h), reference.regions[i]);
      if (lossy) expect(diff, `region ${i}`).toBeLessThanOrEqual(2);
      else expect(diff, `region ${i}`).toBe(0);
    }
    // Between level pixels OpenSlide mixes neighbours (cairo's bilinear filter, in 8-bit steps):
    // ours is within a rounding step; taking the nearest pixel instead was 4–7 off on average.
    for (const [i, [level, x, y, w, h]] of BETWEEN.entries()) {
      const diff = meanAbsDiff(await readRegion(slide, nodeTileDecoders, level, x, y, w, h), reference.regions[REGIONS.length + i]);
      expect(diff, `region between pixels ${i}`).toBeLessThanOrEqual(lossy ? 2 : 0.5);
    }
  });
});

describe('levels narrower than a tile', () => {
  it('are read whole, edge padding cut, as tifffile reads them', { timeout: 30_000 }, async () => {
    const path = makeTiff(dir, { compression: 'deflate', predictor: true });
    const reference = tifffileReference(path);
    const slide = await openSlideFile(path);
    const last = slide.info.levels.length - 1;
    const { width, height } = slide.info.levels[last];
    expect({ width, height }).toEqual({ width: reference.levels[last].width, height: reference.levels[last].height });
    expect(width).toBeLessThan(256);
    const ours = await readRegion(slide, nodeTileDecoders, last, 0, 0, width, height);
    expect(meanAbsDiff(ours, reference.pixels[last])).toBe(0);
  });
});

