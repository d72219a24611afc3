/**
 * Whole-slide TIFF files as OpenSlide reads them: Aperio .svs, OME-TIFF pyramids (SubIFDs) and
 * generic tiled pyramidal TIFF/BigTIFF. Opening reads the directories and the few tags that say
 * what the file is; a level's tile offsets are read when the level is first asked for, and then a
 * tile at a time. Files Granula cannot read are refused with the conversion that makes them readable.
 */
import { completeJpeg, inflateSamples, samplesToRgba, undoHorizontalDifferencing } from './tiffCodecs';
import { TAG, TiffFile, type Ifd } from './tiffFile';
import { SlideFormatError, type ByteSource, type EncodedTile, type RgbaImage, type Slide, type SlideInfo, type SlideLevel, type TileDecoders } from './types';
import { CountingSource } from './byteSource';
import { decodeTile, pasteTile } from './region';

/** The command that turns any slide OpenSlide or libvips reads into one Granula reads. */
export const CONVERT_HINT = '`vips tiffsave IN OUT.tif --tile --pyramid --compression jpeg --bigtiff`';

const COMPRESSION_NAMES: Record<number, string> = {
  1: 'none',
  5: 'lzw',
  7: 'jpeg',
  8: 'deflate',
  32946: 'deflate',
  50000: 'zstd',
  33003: 'jpeg2000',
  33004: 'jpeg2000',
  33005: 'jpeg2000',
};
const JPEG2000 = new Set([33003, 33004, 33005]);

/** One directory read for its pixels: a pyramid level or an associated image, tiled or in strips. */
interface TiffImage {
  ifd: Ifd;
  width: number;
  height: number;
  tiled: boolean;
  /** Tile size, or for strips the image width × RowsPerStrip. */
  chunkWidth: number;
  chunkHeight: number;
  across: number;
  down: number;
  compression: number;
  photometric: number;
  samplesPerPixel: number;
  alpha: number;
  predictor: number;
  subfileType: number;
  description?: string;
  /** Blocks of the tile (strip) offset and byte count lists, read as the view reaches them. */
  chunkBlocks: Map<number, Promise<{ offsets: number[]; counts: number[] }>>;
  jpegTables?: Promise<Uint8Array | undefined>;
}

async function describe(file: TiffFile, ifd: Ifd): Promise<TiffImage> {
  const num = (tag: number, fallback?: number) => file.number(ifd, tag, fallback);
  const width = await num(TAG.ImageWidth);
  const height = await num(TAG.ImageLength);
  if (!width || !height) throw new SlideFormatError(`${file.name}: IFD ${ifd.label} has no image width or height`);
  const tiled = ifd.entries.has(TAG.TileWidth) && ifd.entries.has(TAG.TileOffsets);
  const chunkWidth = tiled ? (await num(TAG.TileWidth))! : width;
  const chunkHeight = tiled ? (await num(TAG.TileLength, 0))! : Math.min(height, (await num(TAG.RowsPerStrip, height))!);
  if (!chunkWidth || !chunkHeight) throw new SlideFormatError(`${file.name}: IFD ${ifd.label} has a tile width or height of 0`);
  const extra = ifd.entries.get(TAG.ExtraSamples);
  return {
    ifd,
    width,
    height,
    tiled,
    chunkWidth,
    chunkHeight,
    across: Math.ceil(width / chunkWidth),
    down: Math.ceil(height / chunkHeight),
    compression: (await num(TAG.Compression, 1))!,
    photometric: (await num(TAG.Photometric, 1))!,
    samplesPerPixel: (await num(TAG.SamplesPerPixel, 1))!,
    alpha: extra ? (await file.numbers(ifd, extra))[0] : 0,
    predictor: (await num(TAG.Predictor, 1))!,
    subfileType: (await num(TAG.NewSubfileType, 0))!,
    description: await file.text(ifd, TAG.ImageDescription),
    chunkBlocks: new Map(),
  };
}

/** Tile offsets read at once: 4096 × 8 bytes (BigTIFF) = 32 kB, a few rows of tiles of a large level. */
const CHUNK_BLOCK = 4096;

/** Throws the reason Granula cannot read this directory's pixels, if there is one. */
async function checkReadable(file: TiffFile, image: TiffImage): Promise<void> {
  const where = `${file.name}: IFD ${image.ifd.label}`;
  const bitsEntry = image.ifd.entries.get(TAG.BitsPerSample);
  const bits = bitsEntry ? await file.numbers(image.ifd, bitsEntry) : [1];
  if (bits.some((b) => b !== 8)) throw new SlideFormatError(`${where} has ${bits[0]}-bit samples; Granula reads 8-bit slides only: convert it with ${CONVERT_HINT} (add \`--cast uchar\` to vips first if needed)`);
  const format = await file.number(image.ifd, TAG.SampleFormat, 1);
  if (format !== 1) throw new SlideFormatError(`${where} has ${format === 3 ? 'floating-point' : 'signed'} samples; Granula reads 8-bit unsigned slides only: convert it with ${CONVERT_HINT}`);
  if ((await file.number(image.ifd, TAG.PlanarConfiguration, 1)) !== 1) throw new SlideFormatError(`${where} stores colour planes separately (PlanarConfiguration 2); convert it with ${CONVERT_HINT}`);
  if (!(image.compression in COMPRESSION_NAMES)) throw new SlideFormatError(`${where} uses TIFF compression ${image.compression}, which Granula does not read; convert it with ${CONVERT_HINT}`);
  if (image.compression !== 7 && !JPEG2000.has(image.compression) && image.photometric > 2) throw new SlideFormatError(`${where} stores pixels with Photometric ${image.photometric} (${image.photometric === 6 ? 'YCbCr' : 'not grey or RGB'}) outside JPEG; convert it with ${CONVERT_HINT}`);
  if (![1, 2, 3, 4].includes(image.samplesPerPixel)) throw new SlideFormatError(`${where} has ${image.samplesPerPixel} samples per pixel; Granula reads grey, RGB and RGBA`);
}

interface Layout {
  format: SlideInfo['format'];
  levels: TiffImage[];
  associated: Map<string, TiffImage>;
  mpp?: { x: number; y: number };
  objectivePower?: number;
}

/** Opens a TIFF-family slide, or throws a SlideFormatError saying why not and what to do. */
export async function openTiff(source: ByteSource): Promise<Slide> {
  // By name first: NDPI files over 4 GB break TIFF's 32-bit offsets, so their directories may not even read.
  const ndpi = `${source.name} is a Hamamatsu NDPI file, which Granula does not read; convert it with ${CONVERT_HINT}`;
  if (/\.ndpi$/i.test(source.name)) throw new SlideFormatError(ndpi);
  const counted = new CountingSource(source);
  const file = await TiffFile.open(counted);
  const chain = await file.chain();
  const first = chain[0];
  if (first.entries.has(TAG.NdpiFormatFlag)) throw new SlideFormatError(ndpi);
  const description = (await file.text(first, TAG.ImageDescription)) ?? '';
  if (description.includes('leica-microsystems.com/scn')) throw new SlideFormatError(`${source.name} is a Leica SCN file, which Granula does not read; convert it with ${CONVERT_HINT}`);
  const layout = description.startsWith('Aperio')
    ? await aperioLayout(file, chain, description)
    : /<OME[\s>]/.test(description)
      ? await omeLayout(file, chain, description)
      : await genericLayout(file, chain);
  if (layout.levels.length === 0 || !layout.levels[0].tiled) throw new SlideFormatError(`${source.name} is not a tiled pyramidal TIFF; convert it with ${CONVERT_HINT}`);
  for (const image of layout.levels) await checkReadable(file, image);
  return new TiffSlide(file, counted, layout);
}

/** Aperio: every tiled directory is a level; the stripped IFD 1 is the thumbnail; "label"/"macro" are named on their description's second line. */
async function aperioLayout(file: TiffFile, chain: Ifd[], description: string): Promise<Layout> {
  const levels: TiffImage[] = [];
  const associated = new Map<string, TiffImage>();
  for (const [i, ifd] of chain.entries()) {
    const image = await describe(file, ifd);
    if (image.tiled) levels.push(image);
    else if (i === 1) associated.set('thumbnail', image);
    else {
      // OpenSlide names the image by the first word of the description's second line ("label 387x463").
      const name = image.description?.split(/\r?\n|\r/)[1]?.split(' ')[0];
      if (name) associated.set(name, image);
    }
  }
  const field = (key: string) => {
    const m = new RegExp(`\\|\\s*${key}\\s*=\\s*([^|]*)`).exec(description);
    const value = m ? Number(m[1].trim()) : NaN;
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const mpp = field('MPP');
  return { format: 'aperio-svs', levels, associated, mpp: mpp ? { x: mpp, y: mpp } : undefined, objectivePower: field('AppMag') };
}

/** OpenSlide's generic-tiff: IFD 0 and every tiled reduced-resolution directory, largest first. */
async function genericLayout(file: TiffFile, chain: Ifd[]): Promise<Layout> {
  const levels: TiffImage[] = [];
  for (const [i, ifd] of chain.entries()) {
    const image = await describe(file, ifd);
    if (i === 0 && !image.tiled) break;
    if (image.tiled && (i === 0 || image.subfileType & 1)) levels.push(image);
  }
  levels.sort((a, b) => b.width - a.width);
  return { format: 'generic-tiff', levels, associated: new Map(), mpp: levels.length ? await resolutionMpp(file, chain[0]) : undefined };
}

/** µm per pixel from XResolution/YResolution when ResolutionUnit is centimetre (as OpenSlide ≥ 4 reports for generic TIFF); inches are mostly a screen's 72/96 dpi, not a scanner's. */
async function resolutionMpp(file: TiffFile, ifd: Ifd): Promise<{ x: number; y: number } | undefined> {
  if ((await file.number(ifd, TAG.ResolutionUnit, 2)) !== 3) return undefined;
  const x = await file.number(ifd, TAG.XResolution);
  const y = await file.number(ifd, TAG.YResolution);
  return x && y && Number.isFinite(x) && Number.isFinite(y) ? { x: 10000 / x, y: 10000 / y } : undefined;
}

const LENGTH_IN_UM: Record<string, number> = { m: 1e6, dm: 1e5, cm: 1e4, mm: 1e3, 'µm': 1, 'μm': 1, um: 1, nm: 1e-3, 'Å': 1e-4, pm: 1e-6 };

function xmlAttr(attrs: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
}

/**
 * OME-TIFF (OME-XML in IFD 0's description): level 0 is the first directory of the first Image,
 * its SubIFDs the reduced levels; other Images named label/macro/thumbnail are associated images.
 */
async function omeLayout(file: TiffFile, chain: Ifd[], xml: string): Promise<Layout> {
  const images = [...xml.matchAll(/<Image\b([^>]*)>([\s\S]*?)<\/Image>/g)];
  if (images.length === 0) throw new SlideFormatError(`${file.name}: the OME-XML description has no Image`);
  // An Image's first plane is the IFD its first TiffData names; without one, Images follow each other one IFD each (interleaved RGB).
  const firstIfd = (body: string, index: number) => Number(xmlAttr(/<TiffData\b([^>]*)/.exec(body)?.[1] ?? '', 'IFD') ?? index);
  const ifdOf = (body: string, index: number) => {
    const n = firstIfd(body, index);
    if (!chain[n]) throw new SlideFormatError(`${file.name}: OME Image ${index} names IFD ${n}, but the file has ${chain.length}`);
    return chain[n];
  };
  const [, , mainBody] = images[0];
  const base = await describe(file, ifdOf(mainBody, 0));
  const levels = [base, ...(await Promise.all((await file.subIfds(base.ifd)).map((ifd) => describe(file, ifd))))];
  const associated = new Map<string, TiffImage>();
  for (const [index, [, attrs, body]] of images.entries()) {
    const name = /\b(label|macro|thumbnail)\b/i.exec(xmlAttr(attrs, 'Name') ?? '')?.[1].toLowerCase();
    if (index > 0 && name) associated.set(name, await describe(file, ifdOf(body, index)));
  }
  const pixels = /<Pixels\b([^>]*)>/.exec(mainBody)?.[1] ?? '';
  const size = (axis: 'X' | 'Y') => {
    const value = Number(xmlAttr(pixels, `PhysicalSize${axis}`));
    const unit = LENGTH_IN_UM[xmlAttr(pixels, `PhysicalSize${axis}Unit`) ?? 'µm'];
    return Number.isFinite(value) && value > 0 && unit ? value * unit : undefined;
  };
  const x = size('X');
  const y = size('Y');
  const magnification = Number(xmlAttr(/<Objective\b([^>]*)/.exec(xml)?.[1] ?? '', 'NominalMagnification'));
  return { format: 'ome-tiff', levels, associated, mpp: x && y ? { x, y } : undefined, objectivePower: magnification > 0 ? magnification : undefined };
}

class TiffSlide implements Slide {
  readonly info: SlideInfo;
  private readonly levels: TiffImage[];
  private readonly associatedImages: Map<string, TiffImage>;

  constructor(
    private readonly file: TiffFile,
    private readonly counted: CountingSource,
    layout: Layout,
  ) {
    this.levels = layout.levels;
    this.associatedImages = layout.associated;
    const [base] = layout.levels;
    const levels: SlideLevel[] = layout.levels.map((l) => ({
      width: l.width,
      height: l.height,
      downsample: (base.width / l.width + base.height / l.height) / 2,
      tileWidth: l.chunkWidth,
      tileHeight: l.chunkHeight,
    }));
    this.info = {
      format: layout.format,
      width: base.width,
      height: base.height,
      levels,
      ...(layout.mpp ? { mpp: layout.mpp } : {}),
      compression: COMPRESSION_NAMES[base.compression],
      associated: [...layout.associated.keys()],
      ...(layout.objectivePower ? { objectivePower: layout.objectivePower } : {}),
    };
  }

  bytesRead(): number {
    return this.counted.count;
  }

  async tile(level: number, col: number, row: number): Promise<EncodedTile | null> {
    const image = this.levels[level];
    if (!image) throw new RangeError(`level ${level} does not exist (the slide has ${this.levels.length})`);
    if (col < 0 || row < 0 || col >= image.across || row >= image.down) throw new RangeError(`tile ${col},${row} is outside level ${level} (${image.across}×${image.down} tiles)`);
    return this.chunk(image, col, row);
  }

  async associated(name: string, decoders: TileDecoders): Promise<RgbaImage> {
    const image = this.associatedImages.get(name);
    if (!image) throw new RangeError(`${this.file.name} has no associated image "${name}"`);
    await checkReadable(this.file, image);
    const out: RgbaImage = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.width * image.height * 4) };
    for (let row = 0; row < image.down; row++) {
      for (let col = 0; col < image.across; col++) {
        const tile = await this.chunk(image, col, row);
        if (tile) pasteTile(out, await decodeTile(tile, decoders), col * image.chunkWidth, row * image.chunkHeight, tile.visibleWidth, tile.visibleHeight);
      }
    }
    return out;
  }

  /**
   * Where tile (strip) `index` of a directory is: its offset and byte count, from the block of the
   * lists that holds it (read once, every entry checked against the file size).
   */
  private async chunkAt(image: TiffImage, index: number): Promise<{ offset: number; count: number }> {
    const block = Math.floor(index / CHUNK_BLOCK);
    let lists = image.chunkBlocks.get(block);
    if (!lists) {
      lists = (async () => {
        const { ifd } = image;
        const what = image.tiled ? 'tile' : 'strip';
        const offsetsEntry = ifd.entries.get(image.tiled ? TAG.TileOffsets : TAG.StripOffsets);
        const countsEntry = ifd.entries.get(image.tiled ? TAG.TileByteCounts : TAG.StripByteCounts);
        if (!offsetsEntry || !countsEntry) throw new SlideFormatError(`${this.file.name}: IFD ${ifd.label} has no ${what} offsets or byte counts`);
        const needed = image.across * image.down;
        if (offsetsEntry.count < needed || countsEntry.count < needed) throw new SlideFormatError(`${this.file.name}: IFD ${ifd.label} lists ${Math.min(offsetsEntry.count, countsEntry.count)} ${what}s where its size needs ${needed}`);
        const start = block * CHUNK_BLOCK;
        const [offsets, counts] = await Promise.all([this.file.numberRange(ifd, offsetsEntry, start, CHUNK_BLOCK), this.file.numberRange(ifd, countsEntry, start, CHUNK_BLOCK)]);
        for (let i = 0; i < offsets.length; i++) if (counts[i] > 0) this.file.check(ifd, offsets[i], counts[i], `${what} offsets (${what} ${start + i})`);
        return { offsets, counts };
      })();
      image.chunkBlocks.set(block, lists);
    }
    const { offsets, counts } = await lists;
    return { offset: offsets[index % CHUNK_BLOCK], count: counts[index % CHUNK_BLOCK] };
  }

  private async chunk(image: TiffImage, col: number, row: number): Promise<EncodedTile | null> {
    const { offset, count } = await this.chunkAt(image, row * image.across + col);
    // A byte count of 0 is a tile the scanner never wrote (outside the scanned area): nothing to draw.
    if (count === 0) return null;
    const bytes = await this.file.source.read(offset, count);
    const visibleWidth = Math.min(image.chunkWidth, image.width - col * image.chunkWidth);
    const visibleHeight = Math.min(image.chunkHeight, image.height - row * image.chunkHeight);
    // Tiles are stored whole (padded at the edges); the last strip holds only the rows left.
    const height = image.tiled ? image.chunkHeight : visibleHeight;
    const size = { width: image.chunkWidth, height, visibleWidth, visibleHeight };
    if (image.compression === 7) {
      image.jpegTables ??= image.ifd.entries.has(TAG.JPEGTables) ? this.file.bytes(image.ifd, image.ifd.entries.get(TAG.JPEGTables)!) : Promise.resolve(undefined);
      return { kind: 'jpeg', bytes: completeJpeg(bytes, await image.jpegTables, image.photometric === 2), ...size };
    }
    if (JPEG2000.has(image.compression)) return { kind: 'jpeg2000', bytes, ycbcr: image.compression === 33003, ...size };
    try {
      const raw = inflateSamples(image.compression, bytes, image.chunkWidth * height * image.samplesPerPixel);
      if (image.predictor === 2) undoHorizontalDifferencing(raw, image.chunkWidth, height, image.samplesPerPixel);
      return { kind: 'rgba', image: samplesToRgba(raw, image.chunkWidth, height, image), visibleWidth, visibleHeight };
    } catch (e) {
      throw new SlideFormatError(`${this.file.name}: IFD ${image.ifd.label} ${image.tiled ? 'tile' : 'strip'} ${col},${row} cannot be decoded (${COMPRESSION_NAMES[image.compression]}): ${(e as Error).message}`);
    }
  }
}
