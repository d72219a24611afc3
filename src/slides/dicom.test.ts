/**
 * The DICOM WSI reader against pydicom (what each instance holds: sizes, spacing, frame positions,
 * each frame's bytes) and OpenSlide (the source pyramid's levels and pixels), both run at test time
 * on series the Orthanc dicomizer and pydicom write (tests/slides/makeDicomWsi.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeDicomWsi, pydicomReference, type DicomWsiFixtures, type ReferenceInstance } from '../../tests/slides/makeDicomWsi';
import { crop, meanAbsDiff, openslideReference, type RegionArgs } from '../../tests/slides/reference';
import { nodeTileDecoders } from '../cli/slideDecoders';
import { openFileSource, type FileSource } from '../cli/slideFiles';
import { CountingSource } from './byteSource';
import { openDicomWsi } from './dicom';
import { decodeTile } from './region';
import type { EncodedTile, Slide } from './types';

let dir: string;
/** A folder holding a text file only. */
let notes: string;
let fx: DicomWsiFixtures;
let reference: Record<string, ReferenceInstance[]>;
const open: FileSource[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'granula-dicom-wsi-'));
  fx = makeDicomWsi(dir);
  const { jpeg, native, j2k, full, sparse, rgb } = fx.folders;
  reference = pydicomReference([jpeg, native, j2k, full, sparse, rgb]);
  notes = join(dir, 'notes');
  mkdirSync(notes);
  writeFileSync(join(notes, 'README.txt'), 'scanned 2026-11-30\n');
}, 120_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sources(...folders: string[]): Promise<FileSource[]> {
  const paths = folders.flatMap((folder) => readdirSync(folder).sort().map((name) => join(folder, name)));
  const opened = await Promise.all(paths.map(openFileSource));
  open.push(...opened);
  return opened;
}

const openFolder = async (...folders: string[]) => openDicomWsi(await sources(...folders));

/** The pyramid pydicom describes: instances that are not LABEL or OVERVIEW, one level per pixel matrix size, widest first. */
function referenceLevels(instances: ReferenceInstance[]) {
  const levels = instances.filter((i) => !['LABEL', 'OVERVIEW'].includes(i.imageType?.[2] ?? 'VOLUME'));
  const sizes = [...new Map(levels.map((i) => [i.totalColumns, i])).values()].sort((a, b) => b.totalColumns - a.totalColumns);
  return sizes.map((level) => ({ level, instances: levels.filter((i) => i.totalColumns === level.totalColumns) }));
}

/** The frame pydicom reads for tile (col, row): by its listed position, or row by row across the concatenation. */
function referenceFrame(instances: ReferenceInstance[], col: number, row: number): string | null {
  const [first] = instances;
  const across = Math.ceil(first.totalColumns / first.columns);
  for (const i of instances) {
    if (i.positions) {
      const f = i.positions.findIndex(([x, y]) => x === col * i.columns + 1 && y === row * i.rows + 1);
      if (f >= 0) return i.frameSha1[f];
    } else {
      const f = row * across + col - i.concatenationFrameOffset;
      if (f >= 0 && f < i.frames) return i.frameSha1[f];
    }
  }
  return null;
}

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** What pydicom hashed: the encoded frame, or the frame's RGB pixels when uncompressed. */
function tileSha1(tile: EncodedTile): string {
  if (tile.kind !== 'rgba') return sha1(tile.bytes);
  const rgb = new Uint8Array((tile.image.data.length / 4) * 3);
  for (let p = 0, q = 0; p < tile.image.data.length; p += 4, q += 3) rgb.set(tile.image.data.subarray(p, p + 3), q);
  return sha1(rgb);
}

async function expectEveryTileIsPydicomsFrame(slide: Slide, instances: ReferenceInstance[]) {
  const levels = referenceLevels(instances);
  expect(slide.info.levels.length).toBe(levels.length);
  let compared = 0;
  for (const [index, { level, instances: parts }] of levels.entries()) {
    for (let row = 0; row < Math.ceil(level.totalRows / level.rows); row++) {
      for (let col = 0; col < Math.ceil(level.totalColumns / level.columns); col++) {
        const tile = await slide.tile(index, col, row);
        const expected = referenceFrame(parts, col, row);
        expect(tile === null ? null : tileSha1(tile), `level ${index} tile (${col}, ${row})`).toBe(expected);
        compared++;
      }
    }
  }
  return compared;
}

/** Decoded tiles (their part inside the level) beside OpenSlide's read_region of the same place in the source TIFF: the mean absolute difference of each. */
async function differenceFromOpenSlide(slide: Slide, tiff: string, tiles: [level: number, col: number, row: number][]): Promise<number[]> {
  const encoded = await Promise.all(tiles.map(([level, col, row]) => slide.tile(level, col, row)));
  const regions = tiles.map(([level, col, row], i): RegionArgs => {
    const { tileWidth, tileHeight, downsample } = slide.info.levels[level];
    return [level, Math.round(col * tileWidth * downsample), Math.round(row * tileHeight * downsample), encoded[i]!.visibleWidth, encoded[i]!.visibleHeight];
  });
  const reference = openslideReference(tiff, regions).regions;
  return Promise.all(encoded.map(async (tile, i) => meanAbsDiff(crop(await decodeTile(tile!, nodeTileDecoders), 0, 0, tile!.visibleWidth, tile!.visibleHeight), reference[i])));
}

describe('openDicomWsi on the Orthanc dicomizer’s series (JPEG, a position for every frame, no Image Type)', () => {
  it('reports the levels, tile size and mpp pydicom reads, which are the source pyramid’s levels as OpenSlide gives them', async () => {
    const slide = await openFolder(fx.folders.jpeg);
    const levels = referenceLevels(reference[fx.folders.jpeg]);
    const [base] = levels;
    expect(slide.info.format).toBe('dicom-wsi');
    expect(slide.info.compression).toBe('jpeg');
    expect(slide.info.levels).toEqual(
      levels.map(({ level }) => ({
        width: level.totalColumns,
        height: level.totalRows,
        // OpenSlide's downsample: the mean of the width and height ratios.
        downsample: (base.level.totalColumns / level.totalColumns + base.level.totalRows / level.totalRows) / 2,
        tileWidth: level.columns,
        tileHeight: level.rows,
      })),
    );
    const openSlide = openslideReference(fx.tiffs.large).info.levels;
    expect(slide.info.levels.map(({ width, height }) => ({ width, height }))).toEqual(openSlide.map(({ width, height }) => ({ width, height })));
    slide.info.levels.forEach((l, i) => expect(l.downsample).toBeCloseTo(openSlide[i].downsample, 6));
    // Pixel Spacing is (row spacing, column spacing) in mm; mpp is µm.
    const [rowSpacing, columnSpacing] = base.level.pixelSpacing;
    expect(slide.info.mpp?.x).toBeCloseTo(columnSpacing * 1000, 9);
    expect(slide.info.mpp?.y).toBeCloseTo(rowSpacing * 1000, 9);
    expect(slide.info.associated).toEqual([]);
  });

  it('gives every tile of every level as the frame pydicom reads at that position', async () => {
    const slide = await openFolder(fx.folders.jpeg);
    expect(await expectEveryTileIsPydicomsFrame(slide, reference[fx.folders.jpeg])).toBeGreaterThan(150);
  });

  it('decodes to OpenSlide’s pixels of the source TIFF, edge tiles cut to the level', async () => {
    const slide = await openFolder(fx.folders.jpeg);
    const last = slide.info.levels.length - 1;
    const edge = slide.info.levels[0];
    // The frames are the TIFF's own JPEG tiles (the dicomizer copies them), decoded by libjpeg-turbo
    // on both sides: identical pixels are expected.
    const tiles: [number, number, number][] = [[0, 3, 2], [0, Math.floor(edge.width / 256), Math.floor(edge.height / 256)], [2, 1, 1], [last, 0, 0]];
    expect(await differenceFromOpenSlide(slide, fx.tiffs.large, tiles)).toEqual([0, 0, 0, 0]);
    const corner = await slide.tile(0, Math.floor(edge.width / 256), Math.floor(edge.height / 256));
    expect([corner!.visibleWidth, corner!.visibleHeight]).toEqual([edge.width % 256, edge.height % 256]);
  });

  it('reads a small part of the files to open them: headers and offset tables, no frames', async () => {
    const files = (await sources(fx.folders.jpeg)).map((s) => new CountingSource(s));
    const slide = await openDicomWsi(files);
    const total = files.reduce((n, f) => n + f.size, 0);
    const read = files.reduce((n, f) => n + f.count, 0);
    expect(slide.bytesRead()).toBe(read);
    expect(read / total).toBeLessThan(0.1);
    // A tile costs its frame's bytes and its fragment's 8-byte item header, no more.
    const tile = await slide.tile(0, 0, 0);
    expect(slide.bytesRead() - read).toBe((tile as { bytes: Uint8Array }).bytes.length + 8);
  });

  it('passes over files that are not DICOM beside the series', async () => {
    const slide = await openFolder(fx.folders.jpeg, notes);
    expect(slide.info.levels.length).toBe(referenceLevels(reference[fx.folders.jpeg]).length);
  });

  it('refuses files of two series, naming how many', async () => {
    const [jpeg, j2k] = [reference[fx.folders.jpeg], reference[fx.folders.j2k]];
    await expect(openFolder(fx.folders.jpeg, fx.folders.j2k)).rejects.toThrow(
      `the files hold 2 DICOM WSI series (${join(fx.folders.jpeg, jpeg[0].name)} and ${jpeg.length - 1} more; ${join(fx.folders.j2k, j2k[0].name)} and ${j2k.length - 1} more); open the files of one series`,
    );
  });

  it('gives null where a sparse level has no frame', async () => {
    const slide = await openFolder(fx.folders.sparse);
    const removed = reference[fx.folders.jpeg].filter((i) => i.totalColumns === slide.info.levels[1].width)[0].positions!.filter((_, f) => f === 0 || f === 5);
    for (const [x, y] of removed) expect(await slide.tile(1, (x - 1) / 256, (y - 1) / 256)).toBeNull();
    expect(await expectEveryTileIsPydicomsFrame(slide, reference[fx.folders.sparse])).toBeGreaterThan(150);
  });
});

describe('openDicomWsi on other layouts', () => {
  it('reads TILED_FULL levels with an Extended Offset Table, frames in two fragments (with and without offsets), a private UN sequence, and the objective power', async () => {
    const slide = await openFolder(fx.folders.full);
    const instances = reference[fx.folders.full];
    const [widest] = [...instances].sort((a, b) => b.totalColumns - a.totalColumns);
    // OpenSlide's objective-power: the first optical path's Objective Lens Power.
    expect(slide.info.objectivePower).toBe(widest.objectiveLensPower);
    expect(widest.objectiveLensPower).toBeGreaterThan(0);
    expect(slide.info.levels.map(({ width, height }) => ({ width, height }))).toEqual(openslideReference(fx.tiffs.large).info.levels.map(({ width, height }) => ({ width, height })));
    expect(await expectEveryTileIsPydicomsFrame(slide, instances)).toBeGreaterThan(150);
  });

  it('names LABEL, OVERVIEW and THUMBNAIL images label, macro and thumbnail as OpenSlide does, and decodes them only when asked', async () => {
    const slide = await openFolder(fx.folders.full);
    expect(slide.info.associated).toEqual(['label', 'macro', 'thumbnail']);
    // A THUMBNAIL is never a level, even one the size of a level.
    expect(slide.info.levels.length).toBe(openslideReference(fx.tiffs.large).info.levels.length);
    const read = slide.bytesRead();
    const label = await slide.associated('label', nodeTileDecoders);
    expect(slide.bytesRead()).toBeGreaterThan(read);
    const macro = await slide.associated('macro', nodeTileDecoders);
    const thumbnail = await slide.associated('thumbnail', nodeTileDecoders);
    // The label and thumbnail are copies of the smallest level, the macro of the one before (2×2 frames, stitched).
    const last = slide.info.levels.length - 1;
    const { info, regions } = openslideReference(fx.tiffs.large, [
      [last, 0, 0, label.width, label.height],
      [last - 1, 0, 0, macro.width, macro.height],
    ]);
    expect([label.width, label.height]).toEqual([info.levels[last].width, info.levels[last].height]);
    expect([macro.width, macro.height]).toEqual([info.levels[last - 1].width, info.levels[last - 1].height]);
    expect([meanAbsDiff(label, regions[0]), meanAbsDiff(macro, regions[1]), meanAbsDiff(thumbnail, regions[0])]).toEqual([0, 0, 0]);
    const plain = await openFolder(fx.folders.jpeg);
    await expect(plain.associated('label', nodeTileDecoders)).rejects.toThrow('the slide has no label image (it has: none)');
  });

  it('reads uncompressed implicit VR levels cut into concatenations, pixel for pixel as pydicom', async () => {
    const slide = await openFolder(fx.folders.native);
    const instances = reference[fx.folders.native];
    expect(instances.every((i) => i.transferSyntax === '1.2.840.10008.1.2')).toBe(true);
    expect(instances.filter((i) => i.totalColumns === slide.info.width).length).toBeGreaterThan(1);
    expect(slide.info.compression).toBe('none');
    expect(await expectEveryTileIsPydicomsFrame(slide, instances)).toBeGreaterThan(15);
    // Level 0: the dicomizer decoded the TIFF's JPEG tiles with libjpeg, as OpenSlide does, so the
    // pixels are the same. (Re-encoding, it makes the smaller levels itself: pydicom's are checked above.)
    expect(await differenceFromOpenSlide(slide, fx.tiffs.small, [[0, 1, 1], [0, 3, 3]])).toEqual([0, 0]);
  });

  it('hands JPEG 2000 frames over as pydicom reads them, decoding to the source’s pixels', async () => {
    const slide = await openFolder(fx.folders.j2k);
    expect(slide.info.compression).toBe('jpeg2000');
    expect(await expectEveryTileIsPydicomsFrame(slide, reference[fx.folders.j2k])).toBeGreaterThan(15);
    // The dicomizer's JPEG 2000 is lossless (of the pixels it decoded from the TIFF, as OpenSlide does).
    expect(await differenceFromOpenSlide(slide, fx.tiffs.small, [[0, 1, 1], [0, 3, 3]])).toEqual([0, 0]);
  });

  it('decodes RGB-coded JPEG frames without an Adobe marker in their colours', async () => {
    const slide = await openFolder(fx.folders.rgb);
    expect(await differenceFromOpenSlide(slide, fx.tiffs.rgb, [[0, 1, 1], [1, 0, 0]])).toEqual([0, 0]);
  });
});

describe('openDicomWsi on broken files says which file and where', () => {
  it('a level whose last frames are cut off (Basic Offset Table present)', async () => {
    const { file, frames, size } = fx.facts.truncated;
    expect(statSync(join(fx.folders.truncated, file)).size).toBe(size);
    await expect(openFolder(fx.folders.truncated)).rejects.toThrow(`${join(fx.folders.truncated, file)}: (7FE0,0010) frame ${frames}: fragment 1 runs past the end of the file`);
    await expect(openFolder(fx.folders.truncated)).rejects.toThrow(`the file has ${size}`);
  });

  it('a level without offsets whose fragments are cut off, when the level is first read', async () => {
    const { file, firstCutFragment, size } = fx.facts['truncated-no-offsets'];
    // Without offsets the fragments are walked when a tile of the level is first asked for.
    const slide = await openFolder(fx.folders.truncatedNoOffsets);
    const read = slide.tile(0, 0, 0);
    await expect(read).rejects.toThrow(`${join(fx.folders.truncatedNoOffsets, file)}: (7FE0,0010) fragment ${firstCutFragment} runs past the end of the file`);
    await expect(read).rejects.toThrow(`the file has ${size} bytes`);
    // Other levels are whole.
    expect(await slide.tile(1, 0, 0)).not.toBeNull();
  });

  it('a header cut short', async () => {
    const { file, size, element } = fx.facts['cut-header'];
    await expect(openFolder(fx.folders.cutHeader)).rejects.toThrow(`${join(fx.folders.cutHeader, file)}: ${element}`);
    await expect(openFolder(fx.folders.cutHeader)).rejects.toThrow(`runs past the end of the file (${size} bytes)`);
  });

  it('a transfer syntax Granula does not decode, by name and UID', async () => {
    await expect(openFolder(fx.folders.rle)).rejects.toThrow(`${join(fx.folders.rle, fx.facts.rle.file)}: its frames are encoded in RLE Lossless (1.2.840.10008.1.2.5), which Granula does not decode`);
  });

  it('files that are not DICOM', async () => {
    await expect(openFolder(notes)).rejects.toThrow(`${join(notes, 'README.txt')} is not a DICOM file (no DICM after the 128-byte preamble)`);
  });
});
