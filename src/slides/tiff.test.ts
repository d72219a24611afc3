// OME-TIFF against tifffile, and the files Granula refuses, with the message a user sees.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeTileDecoders } from '../cli/slideDecoders';
import { openFileSource } from '../cli/slideFiles';
import { makeNdpi, makeOmeTiff, makeStrippedTiff, makeTiff, python } from '../../tests/slides/makeSlides';
import { crop, meanAbsDiff, openSlideFile, tifffileReference } from '../../tests/slides/reference';
import { isSlideFileName, openSlide } from './open';
import { readRegion } from './region';
import { SlideFormatError, type ByteSource } from './types';

const dir = mkdtempSync(join(tmpdir(), 'granula-tiff-'));

async function refusal(sources: ByteSource[]): Promise<string> {
  const error = await openSlide(sources).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlideFormatError);
  return (error as Error).message;
}

describe('an OME-TIFF pyramid (levels in SubIFDs)', () => {
  it('has the levels, pixels, physical size and associated images tifffile reads', { timeout: 30_000 }, async () => {
    // Physical size written in nanometres (500 nm), so the unit conversion is part of what is checked.
    const path = makeOmeTiff(dir, { mpp: 0.5, unit: 'nm' });
    const reference = tifffileReference(path);
    const slide = await openSlideFile(path);
    expect(reference.ome).toContain('PhysicalSizeX="500.0"');
    expect(reference.ome).toContain('PhysicalSizeXUnit="nm"');
    expect(slide.info.format).toBe('ome-tiff');
    expect(slide.info.compression).toBe('deflate');
    expect(slide.info.mpp).toEqual({ x: 0.5, y: 0.5 });
    expect(slide.info.levels.map(({ width, height }) => ({ width, height }))).toEqual(reference.levels.map(({ width, height }) => ({ width, height })));
    expect(slide.info.associated).toEqual(reference.images.slice(1));
    for (const [level, { width, height, downsample }] of slide.info.levels.entries()) {
      const whole = await readRegion(slide, nodeTileDecoders, level, 0, 0, width, height);
      expect(meanAbsDiff(whole, reference.pixels[level]), `level ${level}`).toBe(0);
      expect(downsample).toBeCloseTo((reference.levels[0].width / width + reference.levels[0].height / height) / 2, 12);
    }
    // A region from the middle of level 1, starting at level-0 (600, 400) = level-1 (300, 200).
    const part = await readRegion(slide, nodeTileDecoders, 1, 600, 400, 300, 200);
    expect(meanAbsDiff(part, crop(reference.pixels[1], 300, 200, 300, 200))).toBe(0);
    const macro = await slide.associated('macro', nodeTileDecoders);
    expect(meanAbsDiff(macro, reference.pixels[reference.pixels.length - 1])).toBe(0);
  });
});

describe('files Granula refuses, saying what to do', () => {
  it('a Hamamatsu NDPI file: names the format and the conversion', async () => {
    const message = await refusal([await openFileSource(makeNdpi(dir))]);
    expect(message).toMatch(/scan\.ndpi is a Hamamatsu NDPI file, which Granula does not read; convert it with `vips tiffsave IN OUT\.tif --tile --pyramid/);
    // Renamed, it is still known by Hamamatsu's tag 65420.
    const renamed = join(dir, 'renamed.tif');
    copyFileSync(makeNdpi(dir), renamed);
    expect(await refusal([await openFileSource(renamed)])).toMatch(/renamed\.tif is a Hamamatsu NDPI file/);
  });

  it('a stripped one-level TIFF: not a tiled pyramidal TIFF', async () => {
    const message = await refusal([await openFileSource(makeStrippedTiff(dir))]);
    expect(message).toMatch(/flat\.tif is not a tiled pyramidal TIFF; convert it with `vips tiffsave IN OUT\.tif --tile --pyramid --compression jpeg --bigtiff`/);
  });

  it('MIRAX by its name, without reading a byte', async () => {
    const source: ByteSource = { name: 'case.mrxs', size: 10, read: () => Promise.reject(new Error('read')) };
    expect(await refusal([source])).toMatch(/case\.mrxs is a 3DHISTECH MIRAX slide .* convert it with `vips tiffsave/);
  });

  it('a 16-bit pyramid: names the bit depth', async () => {
    const path = join(dir, 'sixteen.tif');
    python(
      String.raw`
import sys, numpy, tifffile
tifffile.imwrite(sys.argv[1], numpy.zeros((512, 512), numpy.uint16), tile=(256, 256))
`,
      [path],
    );
    expect(await refusal([await openFileSource(path)])).toMatch(/sixteen\.tif: IFD 0 has 16-bit samples; Granula reads 8-bit slides only/);
  });

  it('a file whose tile offsets point past its end: says which directory', { timeout: 30_000 }, async () => {
    const path = join(dir, 'broken.tif');
    copyFileSync(makeTiff(dir, { compression: 'lzw' }), path);
    // Level 3's last tile moved 1 MB past the end, as a copy cut short or a bad writer leaves it.
    python(
      String.raw`
import sys, os, tifffile
with tifffile.TiffFile(sys.argv[1], mode='r+b') as tf:
    tag = tf.pages[3].tags['TileOffsets']
    tag.overwrite(tuple(tag.value[:-1]) + (os.path.getsize(sys.argv[1]) + 2**20,))
`,
      [path],
    );
    const slide = await openSlideFile(path);
    const error = await slide.tile(3, 0, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlideFormatError);
    expect((error as Error).message).toMatch(/broken\.tif: IFD 3 tile offsets \(tile 3\) points past the end of the file/);
  });

  it('not a slide at all', async () => {
    const bytes = new TextEncoder().encode('hello, this is text');
    const source: ByteSource = { name: 'notes.txt', size: bytes.length, read: async (o, l) => bytes.slice(o, o + l) };
    expect(await refusal([source])).toMatch(/notes\.txt is not a slide file Granula reads/);
  });
});

describe('the file picker', () => {
  it('offers the slide files Granula reads, and those it explains how to convert', () => {
    // The extensions of the formats above, plus NDPI and MIRAX so their users reach the refusal message.
    for (const name of ['case.svs', 'CASE.SVS', 'scan.tif', 'scan.tiff', 'scan.ome.tif', 'scan.ome.tiff', 'big.btf', 'level0.dcm', 'scan.ndpi', 'scan.mrxs']) expect(isSlideFileName(name), name).toBe(true);
    for (const name of ['photo.png', 'frame.jpg', 'notes.txt', 'svs', 'scan.tif.json']) expect(isSlideFileName(name), name).toBe(false);
  });
});
