// The Aperio .svs checks shared by the JPEG and JPEG 2000 test files: a file made at test time as
// Aperio lays it out, read by our reader and by OpenSlide, which must agree.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeTileDecoders } from '../../src/cli/slideDecoders';
import { bestLevelForDownsample, readRegion } from '../../src/slides/region';
import type { Slide } from '../../src/slides/types';
import { makeSvs } from './makeSlides';
import { meanAbsDiff, openSlideFile, openslideReference, type RegionArgs } from './reference';

const dir = mkdtempSync(join(tmpdir(), 'granula-svs-'));

/** Regions in read_region's terms: inside, across the right/bottom edge, across the top-left corner, on reduced levels. */
const REGIONS: RegionArgs[] = [
  [0, 100, 60, 300, 200],
  [0, 2900, 2100, 300, 200],
  [0, -50, -40, 120, 100],
  [1, 1000, 800, 300, 250],
  [2, 1200, 800, 250, 200],
  [4, 0, 0, 200, 150],
  // Between level pixels (1001 / 2, 803 / 4): OpenSlide samples between them.
  [1, 1001, 801, 300, 250],
  [2, 1003, 803, 250, 200],
];
const DOWNSAMPLES = [0.5, 1, 1.9, 2, 3.99, 4, 7.5, 16.05, 16.06, 40, 1000];

/** The checks every Aperio layout gets: levels, resolution, associated images and pixels as OpenSlide gives them. */
export function describeAperioSvs(compression: 'jpeg' | 'jp2k' | 'jp2k-ycbcr'): void {
  describe(`an Aperio .svs with ${compression} tiles`, { timeout: 30_000 }, () => {
    let path: string;
    let slide: Slide;
    let reference: ReturnType<typeof openslideReference>;

    // Making the file and asking OpenSlide take a few seconds; more on a machine shared with other runs.
    beforeAll(async () => {
      path = makeSvs(dir, { compression, mpp: 0.252, appMag: 40, label: true, name: `slide-${compression}.svs` });
      reference = openslideReference(path, REGIONS, DOWNSAMPLES);
      slide = await openSlideFile(path);
    }, 60_000);

    it('has the levels, resolution, objective power and associated images OpenSlide reports', () => {
      const { info } = reference;
      expect(info.vendor).toBe('aperio');
      expect(slide.info.format).toBe('aperio-svs');
      expect(slide.info.compression).toBe(compression === 'jpeg' ? 'jpeg' : 'jpeg2000');
      expect(info.levels.length).toBeGreaterThanOrEqual(3);
      expect(slide.info.width).toBe(info.levels[0].width);
      expect(slide.info.height).toBe(info.levels[0].height);
      expect(slide.info.levels.map(({ width, height, downsample }) => ({ width, height, downsample }))).toEqual(info.levels);
      expect(slide.info.mpp).toEqual(info.mpp);
      expect(slide.info.objectivePower).toBe(info.objectivePower);
      expect([...slide.info.associated].sort()).toEqual(Object.keys(info.associated).sort());
      expect(slide.info.associated.sort()).toEqual(['label', 'macro', 'thumbnail']);
    });

    it("gives OpenSlide's read_region pixels, transparent outside the slide", async () => {
      for (const [i, [level, x, y, w, h]] of REGIONS.entries()) {
        const ours = await readRegion(slide, nodeTileDecoders, level, x, y, w, h);
        // Both decode with libjpeg-turbo / OpenJPEG; the bound allows another build's rounding.
        expect(meanAbsDiff(ours, reference.regions[i]), `region ${i}`).toBeLessThanOrEqual(2);
        const transparent = (img: { data: Uint8ClampedArray }) => img.data.filter((_, k) => k % 4 === 3 && img.data[k] === 0).length;
        expect(transparent(ours), `transparent pixels of region ${i}`).toBe(transparent(reference.regions[i]));
      }
    });

    it('gives the label, macro and thumbnail OpenSlide gives', async () => {
      for (const [name, expected] of Object.entries(reference.associated)) {
        const ours = await slide.associated(name, nodeTileDecoders);
        expect(meanAbsDiff(ours, expected), name).toBeLessThanOrEqual(2);
      }
    });

    it("picks the level OpenSlide's get_best_level_for_downsample picks", () => {
      expect(DOWNSAMPLES.map((d) => bestLevelForDownsample(slide.info, d))).toEqual(reference.info.bestLevels);
    });
  });
}
