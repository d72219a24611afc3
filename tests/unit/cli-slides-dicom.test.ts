// `granula info FOLDER` and `granula region FOLDER` on a DICOM WSI series (one file per level, as
// Orthanc's dicomizer writes it from a libvips pyramid): sizes and spacing as pydicom reads them,
// pixels as OpenSlide reads the source pyramid.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDicomWsi, pydicomReference, type DicomWsiFixtures } from '../slides/makeDicomWsi';
import { meanAbsDiff, openslideReference, pngPixels, type RegionArgs } from '../slides/reference';

const dir = mkdtempSync(join(tmpdir(), 'granula-cli-dicom-'));

function granula(...args: string[]) {
  return spawnSync('node', ['bin/granula.mjs', ...args], { encoding: 'utf8' });
}

describe('granula info and region on a DICOM WSI folder', { timeout: 60_000 }, () => {
  let fixtures: DicomWsiFixtures;
  beforeAll(() => {
    fixtures = makeDicomWsi(dir);
  }, 60_000);

  it('info reads every instance in the folder: one level per distinct matrix size, spacing in µm', () => {
    const instances = Object.values(pydicomReference([fixtures.folders.jpeg])).flat();
    const sizes = [...new Map(instances.map((i) => [`${i.totalColumns}x${i.totalRows}`, { width: i.totalColumns, height: i.totalRows }])).values()].sort((a, b) => b.width - a.width);
    const r = granula('info', fixtures.folders.jpeg);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe('dicom-wsi');
    expect({ width: out.width, height: out.height }).toEqual(sizes[0]);
    expect(out.levels.map(({ width, height }: { width: number; height: number }) => ({ width, height }))).toEqual(sizes);
    // PixelSpacing is (row, column) spacing in mm: µm = mm × 1000, of the largest level. The dicomizer
    // spreads the image over its default imaged area, so x and y differ here: mpp is printed as {x, y}.
    const base = instances.find((i) => i.totalColumns === sizes[0].width)!;
    const [dy, dx] = base.pixelSpacing.map((mm) => mm * 1000);
    expect(dx).not.toBeCloseTo(dy, 3);
    expect(out.mpp.x).toBeCloseTo(dx, 9);
    expect(out.mpp.y).toBeCloseTo(dy, 9);
  });

  it('region gives the pixels OpenSlide reads from the pyramid the series was made from', () => {
    const regions: RegionArgs[] = [[0, 2800, 2000, 300, 250], [1, 600, 400, 200, 150]];
    const reference = openslideReference(fixtures.tiffs.large, regions);
    for (const [i, [level, x, y, w, h]] of regions.entries()) {
      const png = join(dir, `dicom-region-${i}.png`);
      const r = granula('region', fixtures.folders.jpeg, '--x', String(x), '--y', String(y), '--w', String(w), '--h', String(h), '--level', String(level), '-o', png);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      // The dicomizer copies the JPEG tiles as they are: the same bytes, the same decoder.
      expect(meanAbsDiff(pngPixels(png), reference.regions[i]), `region ${i}`).toBeLessThanOrEqual(2);
    }
  });

  it('a folder without DICOM files: one line, exit 1', () => {
    const empty = join(dir, 'not-dicom');
    mkdirSync(empty);
    writeFileSync(join(empty, 'readme.txt'), 'no slides here');
    const r = granula('info', empty);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`granula: ${empty}: the folder holds no DICOM files (named .dcm, or starting with the DICM signature)`);
  });
});
