/**
 * DICOM WSI (VL Whole Slide Microscopy Image Storage): the instances of one series make one slide.
 * Each VOLUME instance (or several, a concatenation) is a pyramid level cut into frames of
 * Columns × Rows pixels; LABEL, OVERVIEW and THUMBNAIL instances are the label, macro and thumbnail
 * images (OpenSlide's names). Opening reads each file's header up to Pixel Data and its frame
 * offsets, never the frames.
 */

import { items, number, numbers, readDicomHeader, tag, tagName, text, texts, type DicomDataset, type DicomHeader } from './dicomDataset';
import { CountingSource } from './byteSource';
import { decodeTile, pasteTile } from './region';
import { completeJpeg } from './tiffCodecs';
import { SlideFormatError, type ByteSource, type EncodedTile, type RgbaImage, type Slide, type SlideLevel, type TileDecoders } from './types';

const WSI_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.77.1.6';

const TAGS = {
  imageType: tag(0x0008, 0x0008),
  sopClass: tag(0x0008, 0x0016),
  sopInstance: tag(0x0008, 0x0018),
  series: tag(0x0020, 0x000e),
  concatenationFrameOffset: tag(0x0020, 0x9228),
  dimensionOrganizationType: tag(0x0020, 0x9311),
  samplesPerPixel: tag(0x0028, 0x0002),
  photometric: tag(0x0028, 0x0004),
  planarConfiguration: tag(0x0028, 0x0006),
  numberOfFrames: tag(0x0028, 0x0008),
  rows: tag(0x0028, 0x0010),
  columns: tag(0x0028, 0x0011),
  pixelSpacing: tag(0x0028, 0x0030),
  bitsAllocated: tag(0x0028, 0x0100),
  pixelMeasures: tag(0x0028, 0x9110),
  opticalPaths: tag(0x0048, 0x0105),
  objectiveLensPower: tag(0x0048, 0x0112),
  totalColumns: tag(0x0048, 0x0006),
  totalRows: tag(0x0048, 0x0007),
  planePosition: tag(0x0048, 0x021a),
  columnPosition: tag(0x0048, 0x021e),
  rowPosition: tag(0x0048, 0x021f),
  sharedGroups: tag(0x5200, 0x9229),
  perFrameGroups: tag(0x5200, 0x9230),
  extendedOffsets: tag(0x7fe0, 0x0001),
  extendedOffsetLengths: tag(0x7fe0, 0x0002),
};

type Coding = 'jpeg' | 'jpeg2000' | 'native';

/** The transfer syntaxes whose frames Granula hands to a decoder (or reads itself), and how. */
const CODINGS: Record<string, Coding> = {
  '1.2.840.10008.1.2': 'native',
  '1.2.840.10008.1.2.1': 'native',
  '1.2.840.10008.1.2.4.50': 'jpeg',
  '1.2.840.10008.1.2.4.90': 'jpeg2000',
  '1.2.840.10008.1.2.4.91': 'jpeg2000',
};

/** Names of the others, for the message that refuses them. */
const OTHER_TRANSFER_SYNTAXES: Record<string, string> = {
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (Process 2 & 4)',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless (Process 14)',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless (Process 14, Selection Value 1)',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.201': 'High-Throughput JPEG 2000 (Lossless Only)',
  '1.2.840.10008.1.2.4.202': 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)',
  '1.2.840.10008.1.2.4.203': 'High-Throughput JPEG 2000',
  '1.2.840.10008.1.2.4.110': 'JPEG XL Lossless',
  '1.2.840.10008.1.2.4.111': 'JPEG XL JPEG Recompression',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

const COMPRESSION_WORDS: Record<Coding, string> = { jpeg: 'jpeg', jpeg2000: 'jpeg2000', native: 'none' };

type Flavor = 'VOLUME' | 'THUMBNAIL' | 'LABEL' | 'OVERVIEW';

/** Where a frame's bytes are: a run of whole fragment items (header and value), or raw pixels. */
interface FrameRange {
  start: number;
  end: number;
}

interface Instance {
  source: ByteSource;
  header: DicomHeader;
  coding: Coding;
  photometric: string;
  flavor: Flavor;
  tileWidth: number;
  tileHeight: number;
  samples: number;
  frames: number;
  totalWidth: number;
  totalHeight: number;
  /** The frames' byte ranges: from the offset table read on opening, or from a walk over the fragments when the file has none, on first need. */
  frameRanges: () => Promise<FrameRange[]>;
}

/** One image of the slide made of tiles: a pyramid level, or an associated image. */
interface TiledImage {
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  across: number;
  instances: Instance[];
  /** Per tile (row-major): the index in `instances` holding it, or -1 where the file has none. */
  tileInstance: Int32Array;
  tileFrame: Int32Array;
}

const ASSOCIATED_NAMES: Partial<Record<Flavor, string>> = { LABEL: 'label', OVERVIEW: 'macro', THUMBNAIL: 'thumbnail' };

/**
 * Opens the instances of one DICOM WSI series. Files that are not DICOM, and DICOM objects that are
 * not slide images (annotations, DICOMDIR), are passed over when the others make a slide.
 */
export async function openDicomWsi(sources: readonly ByteSource[]): Promise<Slide> {
  const counted = sources.map((s) => new CountingSource(s));
  const instances = await readInstances(counted);
  const volumes = instances.filter((i) => i.flavor === 'VOLUME');
  if (volumes.length === 0) throw new SlideFormatError(`${instances[0].source.name}: the series has no VOLUME image (only ${[...new Set(instances.map((i) => i.flavor))].join(', ')}), so no slide to show`);

  const bySize = groupBySize(volumes);
  const levels = bySize.map(tiledImage);
  // As OpenSlide has it, a THUMBNAIL is an associated image, never a level.
  const associated = new Map<string, TiledImage>();
  for (const flavor of ['LABEL', 'OVERVIEW', 'THUMBNAIL'] as const) {
    const [largest] = groupBySize(instances.filter((i) => i.flavor === flavor));
    if (largest) associated.set(ASSOCIATED_NAMES[flavor]!, tiledImage(largest));
  }

  const level0 = levels[0];
  const base = bySize[0][0].header.dataset;
  const spacing = numbers(items(items(base, TAGS.sharedGroups)[0], TAGS.pixelMeasures)[0], TAGS.pixelSpacing);
  const objectivePower = number(items(base, TAGS.opticalPaths)[0], TAGS.objectiveLensPower);
  const slideLevels: SlideLevel[] = levels.map((l) => ({
    width: l.width,
    height: l.height,
    downsample: (level0.width / l.width + level0.height / l.height) / 2,
    tileWidth: l.tileWidth,
    tileHeight: l.tileHeight,
  }));

  return {
    info: {
      format: 'dicom-wsi',
      width: level0.width,
      height: level0.height,
      levels: slideLevels,
      // Pixel Spacing is row spacing (y) then column spacing (x), in mm.
      ...(spacing.length === 2 && spacing.every((s) => s > 0) ? { mpp: { x: spacing[1] * 1000, y: spacing[0] * 1000 } } : {}),
      compression: COMPRESSION_WORDS[bySize[0][0].coding],
      associated: [...associated.keys()],
      ...(objectivePower && objectivePower > 0 ? { objectivePower } : {}),
    },
    tile: async (level, col, row) => {
      const image = levels[level];
      if (!image) throw new RangeError(`level ${level} does not exist (the slide has ${levels.length})`);
      return readTile(image, col, row);
    },
    associated: async (name, decoders) => {
      const image = associated.get(name);
      if (!image) throw new RangeError(`the slide has no ${name} image (it has: ${[...associated.keys()].join(', ') || 'none'})`);
      return stitch(image, decoders);
    },
    bytesRead: () => counted.reduce((n, s) => n + s.count, 0),
  };
}

async function readInstances(sources: ByteSource[]): Promise<Instance[]> {
  if (sources.length === 0) throw new SlideFormatError('no DICOM file given');
  const headers = await Promise.all(sources.map(async (source) => ({ source, header: await readDicomHeader(source) })));
  const dicom = headers.filter((h): h is { source: ByteSource; header: DicomHeader } => h.header !== undefined);
  if (dicom.length === 0) {
    const which = sources.length === 1 ? `${sources[0].name} is not a DICOM file` : `${sources[0].name} and the ${sources.length - 1} other files are not DICOM files`;
    throw new SlideFormatError(`${which} (no DICM after the 128-byte preamble)`);
  }
  const slides = dicom.filter(({ header }) => (text(header.dataset, TAGS.sopClass) ?? text(header.meta, tag(0x0002, 0x0002))) === WSI_SOP_CLASS);
  if (slides.length === 0) {
    const { source, header } = dicom[0];
    throw new SlideFormatError(`${source.name}: a DICOM object of SOP class ${text(header.dataset, TAGS.sopClass) ?? '(none)'}, not a whole-slide image (VL Whole Slide Microscopy Image Storage, ${WSI_SOP_CLASS})`);
  }

  // One series is one slide; several series in one pick is ambiguous, so the user chooses.
  const series = groupBy(slides, ({ header }) => text(header.dataset, TAGS.series) ?? '');
  if (series.length > 1) {
    const list = series.map((files) => `${files[0].source.name} and ${files.length - 1} more`).join('; ');
    throw new SlideFormatError(`the files hold ${series.length} DICOM WSI series (${list}); open the files of one series`);
  }
  // The same instance picked twice (a copy in another folder) counts once.
  const unique = groupBy(slides, ({ header, source }) => text(header.dataset, TAGS.sopInstance) ?? source.name).map((copies) => copies[0]);
  // Images of other types (a localizer, say) are not part of the slide; OpenSlide passes over them too.
  const typed = unique.map((file) => ({ ...file, flavor: flavorOf(file.header.dataset) })).filter((file): file is typeof file & { flavor: Flavor } => file.flavor !== undefined);
  if (typed.length === 0) throw new SlideFormatError(`${unique[0].source.name}: (0008,0008) Image Type ${texts(unique[0].header.dataset, TAGS.imageType).join('\\')} is not a slide level (VOLUME), a label, an overview or a thumbnail`);
  return Promise.all(typed.map(({ source, header, flavor }) => instance(source, header, flavor)));
}

/**
 * What the instance is, from Image Type's third value: a level (VOLUME), or an associated image.
 * Orthanc's WSI dicomizer (1.1) writes no Image Type, and its every instance is a level.
 */
function flavorOf(ds: DicomDataset): Flavor | undefined {
  const types = texts(ds, TAGS.imageType);
  if (types.length === 0) return 'VOLUME';
  const value3 = types[2];
  return value3 === 'VOLUME' || value3 === 'THUMBNAIL' || value3 === 'LABEL' || value3 === 'OVERVIEW' ? value3 : undefined;
}

async function instance(source: ByteSource, header: DicomHeader, flavor: Flavor): Promise<Instance> {
  const ds = header.dataset;
  const fail = (what: string) => new SlideFormatError(`${source.name}: ${what}`);
  const coding = CODINGS[header.transferSyntax];
  if (!coding) {
    const name = OTHER_TRANSFER_SYNTAXES[header.transferSyntax] ?? 'a transfer syntax Granula does not know';
    throw fail(`its frames are encoded in ${name} (${header.transferSyntax}), which Granula does not decode; re-encode the slide as JPEG baseline or JPEG 2000`);
  }
  if (!header.pixelData) throw fail('has no Pixel Data (7FE0,0010)');
  const bits = number(ds, TAGS.bitsAllocated) ?? 8;
  if (bits !== 8) throw fail(`(0028,0100) Bits Allocated is ${bits}; slides with 8 bits per sample are read`);
  const samples = number(ds, TAGS.samplesPerPixel) ?? 3;
  const photometric = text(ds, TAGS.photometric) ?? (samples === 1 ? 'MONOCHROME2' : 'RGB');
  if (coding === 'native' && !['RGB', 'MONOCHROME2'].includes(photometric)) throw fail(`(0028,0004) Photometric Interpretation ${photometric} without compression; RGB or MONOCHROME2 are read`);
  if (coding === 'native' && number(ds, TAGS.planarConfiguration) === 1) throw fail('(0028,0006) Planar Configuration 1 (colour planes one after another); interleaved pixels are read');
  const tileWidth = number(ds, TAGS.columns);
  const tileHeight = number(ds, TAGS.rows);
  if (!tileWidth || !tileHeight) throw fail('(0028,0010) Rows or (0028,0011) Columns is missing');
  const frames = number(ds, TAGS.numberOfFrames) ?? 1;
  const partial: Omit<Instance, 'frameRanges'> = {
    source,
    header,
    coding,
    photometric,
    flavor,
    tileWidth,
    tileHeight,
    samples,
    frames,
    totalWidth: number(ds, TAGS.totalColumns) ?? tileWidth,
    totalHeight: number(ds, TAGS.totalRows) ?? tileHeight,
  };
  return { ...partial, frameRanges: await locateFrames(partial) };
}

/** Instances of the same pixel matrix size (a level, or one associated image), largest first. */
function groupBySize(instances: Instance[]): Instance[][] {
  return groupBy(instances, (i) => `${i.totalWidth}x${i.totalHeight}`).sort((a, b) => b[0].totalWidth - a[0].totalWidth);
}

/** Items with the same key together, in order of first appearance (Map.groupBy is not in Node 20). */
function groupBy<T>(list: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

function tiledImage(instances: Instance[]): TiledImage {
  const [first] = instances;
  const { totalWidth: width, totalHeight: height, tileWidth, tileHeight } = first;
  const odd = instances.find((i) => i.tileWidth !== tileWidth || i.tileHeight !== tileHeight);
  if (odd) throw new SlideFormatError(`${odd.source.name}: its frames are ${odd.tileWidth}×${odd.tileHeight} pixels, those of ${first.source.name} (the same level) ${tileWidth}×${tileHeight}`);
  const across = Math.ceil(width / tileWidth);
  const down = Math.ceil(height / tileHeight);
  const tileInstance = new Int32Array(across * down).fill(-1);
  const tileFrame = new Int32Array(across * down).fill(-1);
  instances.forEach((inst, index) => {
    const ds = inst.header.dataset;
    const perFrame = items(ds, TAGS.perFrameGroups);
    const positioned = text(ds, TAGS.dimensionOrganizationType) !== 'TILED_FULL' && perFrame.some((f) => items(f, TAGS.planePosition).length > 0);
    // TILED_FULL: frames fill the grid row by row, across the concatenation's parts in order; frames
    // past the grid are further focal planes or optical paths, not shown.
    const firstFrame = number(ds, TAGS.concatenationFrameOffset) ?? 0;
    for (let f = 0; f < inst.frames; f++) {
      let cell: number;
      if (positioned) {
        const position = items(perFrame[f], TAGS.planePosition)[0];
        const x = position && number(position, TAGS.columnPosition);
        const y = position && number(position, TAGS.rowPosition);
        if (x === undefined || y === undefined) throw new SlideFormatError(`${inst.source.name}: (5200,9230) item ${f + 1} has no (0048,021E)/(0048,021F) position in the total pixel matrix`);
        if ((x - 1) % tileWidth !== 0 || (y - 1) % tileHeight !== 0 || x < 1 || y < 1 || x > width || y > height) {
          throw new SlideFormatError(`${inst.source.name}: frame ${f + 1} sits at column ${x}, row ${y}, off the ${tileWidth}×${tileHeight} tile grid of a ${width}×${height} image`);
        }
        cell = ((y - 1) / tileHeight) * across + (x - 1) / tileWidth;
      } else {
        cell = firstFrame + f;
        if (cell >= across * down) break;
      }
      // The first frame at a place wins: later ones are other focal planes or optical paths.
      if (tileInstance[cell] >= 0) continue;
      tileInstance[cell] = index;
      tileFrame[cell] = f;
    }
  });
  return { width, height, tileWidth, tileHeight, across, instances, tileInstance, tileFrame };
}

async function readTile(image: TiledImage, col: number, row: number): Promise<EncodedTile | null> {
  const { across, width, height, tileWidth, tileHeight } = image;
  if (col < 0 || row < 0 || col >= across || row * tileHeight >= height || !Number.isInteger(col) || !Number.isInteger(row)) {
    throw new RangeError(`tile (${col}, ${row}) is outside the ${across}×${Math.ceil(height / tileHeight)} grid`);
  }
  const cell = row * across + col;
  const which = image.tileInstance[cell];
  if (which < 0) return null;
  const inst = image.instances[which];
  const bytes = await readFrame(inst, image.tileFrame[cell]);
  const visibleWidth = Math.min(tileWidth, width - col * tileWidth);
  const visibleHeight = Math.min(tileHeight, height - row * tileHeight);
  const size = { width: tileWidth, height: tileHeight, visibleWidth, visibleHeight };
  switch (inst.coding) {
    case 'jpeg':
      // RGB-coded JPEG needs an Adobe marker, or decoders take its components for YCbCr; not every
      // scanner writes one.
      return { kind: 'jpeg', bytes: inst.photometric === 'RGB' && !hasAdobeMarker(bytes) ? completeJpeg(bytes, undefined, true) : bytes, ...size };
    case 'jpeg2000':
      // YBR_ICT and YBR_RCT are undone by the codestream's own component transform; YBR_FULL means
      // YCbCr components without one. (YBR_FULL_422 is not a JPEG 2000 interpretation in DICOM; the
      // Orthanc dicomizer writes it over RGB components, so it is taken as RGB.)
      return { kind: 'jpeg2000', bytes, ycbcr: inst.photometric === 'YBR_FULL', ...size };
    case 'native':
      return { kind: 'rgba', image: nativeToRgba(bytes, tileWidth, tileHeight, inst.samples), visibleWidth, visibleHeight };
  }
}

/** Whether a JPEG stream's header (the segments before the scan) holds an APP14 "Adobe" segment. */
function hasAdobeMarker(jpeg: Uint8Array): boolean {
  for (let pos = 2; pos + 4 <= jpeg.length && jpeg[pos] === 0xff && jpeg[pos + 1] !== 0xda; pos += 2 + ((jpeg[pos + 2] << 8) | jpeg[pos + 3])) {
    if (jpeg[pos + 1] === 0xee && String.fromCharCode(...jpeg.subarray(pos + 4, pos + 9)) === 'Adobe') return true;
  }
  return false;
}

function nativeToRgba(bytes: Uint8Array, width: number, height: number, samples: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0, s = 0; p < data.length; p += 4, s += samples) {
    data[p] = bytes[s];
    data[p + 1] = bytes[s + (samples === 3 ? 1 : 0)];
    data[p + 2] = bytes[s + (samples === 3 ? 2 : 0)];
    data[p + 3] = 255;
  }
  return { width, height, data };
}

/** An associated image whole, its tiles decoded and pasted together. */
async function stitch(image: TiledImage, decoders: TileDecoders): Promise<RgbaImage> {
  const out: RgbaImage = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.width * image.height * 4) };
  const down = Math.ceil(image.height / image.tileHeight);
  for (let row = 0; row < down; row++) {
    for (let col = 0; col < image.across; col++) {
      const tile = await readTile(image, col, row);
      if (!tile) continue;
      pasteTile(out, await decodeTile(tile, decoders), col * image.tileWidth, row * image.tileHeight, tile.visibleWidth, tile.visibleHeight);
    }
  }
  return out;
}

// Frames on disk. Uncompressed frames follow each other in the Pixel Data value. Encapsulated ones
// sit in fragment items (tag FFFE,E000, 4-byte length, value) after a Basic Offset Table item; the
// offsets, when written, count from the first fragment item. An Extended Offset Table, when present,
// gives each frame's offset and length (one fragment per frame, and an empty Basic Offset Table).

const ITEM = tag(0xfffe, 0xe000);
const SEQUENCE_END = tag(0xfffe, 0xe0dd);

/**
 * How to find the frames: read now from the offset table (and checked against the file's size, so
 * a truncated file is refused on opening), or, without one, by walking the fragments on first need
 * (a read per fragment or per window of small ones: paid when the level is first shown, not on opening).
 */
async function locateFrames(inst: Omit<Instance, 'frameRanges'>): Promise<() => Promise<FrameRange[]>> {
  const { source, header, frames } = inst;
  const pixelData = header.pixelData!;
  const where = `${source.name}: ${tagName(pixelData.tag)}`;
  if (pixelData.length !== undefined) {
    const frameSize = inst.tileWidth * inst.tileHeight * inst.samples;
    const end = pixelData.valueOffset + frames * frameSize;
    if (pixelData.length < frames * frameSize) throw new SlideFormatError(`${where} holds ${pixelData.length} bytes, but ${frames} frames of ${inst.tileWidth}×${inst.tileHeight}×${inst.samples} need ${frames * frameSize}`);
    if (end > source.size) throw new SlideFormatError(`${where} runs past the end of the file: its ${frames} frames end at byte ${end}, the file has ${source.size} bytes`);
    return known(Array.from({ length: frames }, (_, f) => ({ start: pixelData.valueOffset + f * frameSize, end: pixelData.valueOffset + (f + 1) * frameSize })));
  }

  // The Basic Offset Table item, read with its header in one go (4 bytes a frame when written).
  const head = await source.read(pixelData.valueOffset, Math.min(8 + 4 * frames, source.size - pixelData.valueOffset));
  const view = viewOf(head);
  if (head.length < 8 || tag(view.getUint16(0, true), view.getUint16(2, true)) !== ITEM) throw new SlideFormatError(`${where}: no Basic Offset Table item at byte ${pixelData.valueOffset}`);
  const botLength = view.getUint32(4, true);
  const firstFragment = pixelData.valueOffset + 8 + botLength;
  const eot = header.dataset.get(TAGS.extendedOffsets);
  const eotLengths = header.dataset.get(TAGS.extendedOffsetLengths);
  if (eot && eotLengths && eot.value.length === 8 * frames && eotLengths.value.length === 8 * frames) {
    const offsets = viewOf(eot.value);
    const lengths = viewOf(eotLengths.value);
    const ranges = Array.from({ length: frames }, (_, f) => {
      const start = firstFragment + Number(offsets.getBigUint64(8 * f, true));
      return { start, end: start + 8 + Number(lengths.getBigUint64(8 * f, true)) };
    });
    const last = ranges[frames - 1];
    if (last.end > source.size) throw new SlideFormatError(`${where} frame ${frames} runs past the end of the file: it ends at byte ${last.end}, the file has ${source.size} bytes`);
    return known(ranges);
  }
  if (botLength === 0) {
    let walked: Promise<FrameRange[]> | undefined;
    return () => (walked ??= walkFragments(source, firstFragment, where, 1).then((fragments) => groupFragments(fragments, frames, where)));
  }
  if (botLength !== 4 * frames) throw new SlideFormatError(`${where}: the Basic Offset Table holds ${botLength / 4} offsets for ${frames} frames`);
  const starts = Array.from({ length: frames }, (_, f) => firstFragment + view.getUint32(8 + 4 * f, true));
  // The last frame ends where the fragments end: walk its fragments (usually one) to the sequence's end.
  const lastFragments = await walkFragments(source, starts[frames - 1], `${where} frame ${frames}:`, 1);
  return known(starts.map((start, f) => ({ start, end: f + 1 < frames ? starts[f + 1] : lastFragments[lastFragments.length - 1].end })));
}

function known(ranges: FrameRange[]): () => Promise<FrameRange[]> {
  const promise = Promise.resolve(ranges);
  return () => promise;
}

interface Fragment {
  start: number;
  end: number;
  /** The fragment's value ends with FFD9: JPEG's EOI, JPEG 2000's EOC (ignoring a pad byte). */
  endsImage: boolean;
}

/** Fragments up to this size are read a window of several at a time while walking; larger ones a header at a time. */
const SMALL_FRAGMENT = 4096;
const WALK_WINDOW = 64 * 1024;

/**
 * The fragment items from `at` to the sequence delimiter, reading only their 8-byte headers and the
 * three bytes before each (to see whether the previous fragment ends an image) — or, while the
 * fragments are small, a window of 64 KB holding many of them.
 */
async function walkFragments(source: ByteSource, at: number, where: string, firstNumber: number): Promise<Fragment[]> {
  const fragments: Fragment[] = [];
  let window: { start: number; bytes: Uint8Array } = { start: 0, bytes: new Uint8Array(0) };
  /** Bytes [from, from + length), from the window when it holds them. */
  const bytesAt = async (from: number, length: number, small: boolean) => {
    if (from < window.start || from + length > window.start + window.bytes.length) {
      window = { start: from, bytes: await source.read(from, small ? Math.max(length, WALK_WINDOW) : length) };
    }
    return window.bytes.subarray(from - window.start, from - window.start + length);
  };
  let pos = at;
  for (;;) {
    const n = firstNumber + fragments.length;
    if (pos + 8 > source.size) {
      if (pos >= source.size && fragments.length > 0) return fragments; // no delimiter: the file ends with the last fragment
      throw new SlideFormatError(`${where} fragment ${n} runs past the end of the file: its header at byte ${pos} needs 8 bytes, the file has ${source.size}`);
    }
    const previous = fragments[fragments.length - 1];
    const back = previous ? 3 : 0;
    const bytes = await bytesAt(pos - back, back + 8, previous !== undefined && previous.end - previous.start <= SMALL_FRAGMENT);
    const view = viewOf(bytes);
    if (previous) previous.endsImage = endsWithEoi(bytes.subarray(0, 3));
    const t = tag(view.getUint16(back, true), view.getUint16(back + 2, true));
    if (t === SEQUENCE_END) return fragments;
    if (t !== ITEM) throw new SlideFormatError(`${where} fragment ${n}: expected an item tag (FFFE,E000) at byte ${pos}, found ${tagName(t)}`);
    const end = pos + 8 + view.getUint32(back + 4, true);
    if (end > source.size) throw new SlideFormatError(`${where} fragment ${n} runs past the end of the file: it ends at byte ${end}, the file has ${source.size} bytes`);
    fragments.push({ start: pos, end, endsImage: false });
    pos = end;
  }
}

function endsWithEoi(last3: Uint8Array) {
  return (last3[1] === 0xff && last3[2] === 0xd9) || (last3[0] === 0xff && last3[1] === 0xd9 && last3[2] === 0);
}

/** Fragments into frames: one each when the counts match, else cut after each fragment that ends an image. */
function groupFragments(fragments: Fragment[], frames: number, where: string): FrameRange[] {
  if (fragments.length === frames) return fragments.map(({ start, end }) => ({ start, end }));
  const ranges: FrameRange[] = [];
  let start: number | undefined;
  for (const fragment of fragments) {
    start ??= fragment.start;
    if (fragment.endsImage) {
      ranges.push({ start, end: fragment.end });
      start = undefined;
    }
  }
  if (ranges.length !== frames) throw new SlideFormatError(`${where} holds ${fragments.length} fragments making ${ranges.length} images, but (0028,0008) Number of Frames is ${frames}`);
  return ranges;
}

/** A frame's bytes: the values of its fragment items joined, or the raw pixels. */
async function readFrame(inst: Instance, frame: number): Promise<Uint8Array> {
  const ranges = await inst.frameRanges();
  const { start, end } = ranges[frame];
  const bytes = await readExactly(inst.source, start, end - start, `${inst.source.name}: frame ${frame + 1}`);
  if (inst.header.pixelData!.length !== undefined) return bytes;
  const view = viewOf(bytes);
  const values: Uint8Array[] = [];
  for (let pos = 0; pos + 8 <= bytes.length; ) {
    const length = view.getUint32(pos + 4, true);
    values.push(bytes.subarray(pos + 8, pos + 8 + length));
    pos += 8 + length;
  }
  // A frame split into several fragments is rare; a Blob joins them without a hand-written copy loop.
  return values.length === 1 ? values[0] : new Uint8Array(await new Blob(values as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

async function readExactly(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await source.read(offset, Math.min(length, source.size - offset));
  if (bytes.length < length) throw new SlideFormatError(`${what} runs past the end of the file: ${length} bytes from byte ${offset}, the file has ${source.size}`);
  return bytes;
}

function viewOf(bytes: Uint8Array) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
