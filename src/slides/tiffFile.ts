/**
 * The structure of a TIFF or BigTIFF file (TIFF 6.0; BigTIFF as libtiff writes it), read lazily
 * from a ByteSource: the header, then image file directories one at a time, then a tag's values
 * only when asked for. Every offset and length is checked against the file's size, so a broken
 * file is reported with where it breaks instead of decoding garbage.
 */
import { SlideFormatError, type ByteSource } from './types';

export const TAG = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfiguration: 284,
  ResolutionUnit: 296,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SubIFDs: 330,
  ExtraSamples: 338,
  SampleFormat: 339,
  JPEGTables: 347,
  /** Hamamatsu NDPI's private tags start here. */
  NdpiFormatFlag: 65420,
} as const;

/** Bytes per value of each TIFF field type (1 BYTE … 18 IFD8); 0 for types this reader does not know. */
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8];

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** The values' bytes when they fit in the entry itself, else where they are in the file. */
  inline?: Uint8Array;
  offset: number;
}

export interface Ifd {
  /** Position in the file's chain (0 = first), or `parent.sub` for a SubIFD: for messages. */
  label: string;
  offset: number;
  entries: Map<number, TiffEntry>;
}

/** A TIFF file: its byte order and flavour, and reads of directories and values. */
export class TiffFile {
  readonly bigTiff: boolean;
  private readonly littleEndian: boolean;
  private readonly firstIfd: number;

  private constructor(
    readonly source: ByteSource,
    header: DataView,
  ) {
    this.littleEndian = header.getUint8(0) === 0x49;
    this.bigTiff = header.getUint16(2, this.littleEndian) === 43;
    this.firstIfd = this.bigTiff ? readUint64(header, 8, this.littleEndian) : header.getUint32(4, this.littleEndian);
  }

  static async open(source: ByteSource): Promise<TiffFile> {
    const head = await source.read(0, 16);
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (!isTiffSignature(head)) throw new SlideFormatError(`${source.name}: not a TIFF file (no TIFF signature)`);
    if (head.length < (view.getUint16(2, head[0] === 0x49) === 43 ? 16 : 8)) throw new SlideFormatError(`${source.name}: the TIFF header is cut short`);
    return new TiffFile(source, view);
  }

  get name(): string {
    return this.source.name;
  }

  /** The top-level directory chain (IFD 0, 1, …), stopping at a loop. */
  async chain(): Promise<Ifd[]> {
    const out: Ifd[] = [];
    const seen = new Set<number>();
    let offset = this.firstIfd;
    while (offset !== 0) {
      if (seen.has(offset)) throw new SlideFormatError(`${this.name}: IFD ${out.length} points back to an earlier directory (a loop)`);
      seen.add(offset);
      const { ifd, next } = await this.readIfd(offset, String(out.length));
      out.push(ifd);
      offset = next;
    }
    if (out.length === 0) throw new SlideFormatError(`${this.name}: the TIFF has no image directory`);
    return out;
  }

  /** The SubIFDs (tag 330) of `parent`: OME-TIFF keeps its pyramid levels there. */
  async subIfds(parent: Ifd): Promise<Ifd[]> {
    const entry = parent.entries.get(TAG.SubIFDs);
    if (!entry) return [];
    const offsets = await this.numbers(parent, entry);
    const out: Ifd[] = [];
    for (const [i, offset] of offsets.entries()) out.push((await this.readIfd(offset, `${parent.label}.${i}`)).ifd);
    return out;
  }

  private async readIfd(offset: number, label: string): Promise<{ ifd: Ifd; next: number }> {
    const countSize = this.bigTiff ? 8 : 2;
    const entrySize = this.bigTiff ? 20 : 12;
    if (offset + countSize > this.source.size) throw new SlideFormatError(`${this.name}: IFD ${label} starts past the end of the file`);
    // One read usually holds the whole directory: a slide's IFD has 15–25 entries (12 or 20 bytes each).
    let block = await this.source.read(offset, 1024);
    let view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    const count = this.bigTiff ? readUint64(view, 0, this.littleEndian) : view.getUint16(0, this.littleEndian);
    const length = countSize + count * entrySize + (this.bigTiff ? 8 : 4);
    if (offset + length > this.source.size) throw new SlideFormatError(`${this.name}: IFD ${label} (${count} entries) runs past the end of the file`);
    if (block.length < length) {
      block = await this.source.read(offset, length);
      view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    }
    const entries = new Map<number, TiffEntry>();
    for (let i = 0; i < count; i++) {
      const at = countSize + i * entrySize;
      const tag = view.getUint16(at, this.littleEndian);
      const type = view.getUint16(at + 2, this.littleEndian);
      const n = this.bigTiff ? readUint64(view, at + 4, this.littleEndian) : view.getUint32(at + 4, this.littleEndian);
      const valueAt = at + (this.bigTiff ? 12 : 8);
      const room = this.bigTiff ? 8 : 4;
      const size = (TYPE_SIZE[type] ?? 0) * n;
      if (size <= room) entries.set(tag, { tag, type, count: n, inline: block.slice(valueAt, valueAt + size), offset: 0 });
      else entries.set(tag, { tag, type, count: n, offset: this.bigTiff ? readUint64(view, valueAt, this.littleEndian) : view.getUint32(valueAt, this.littleEndian) });
    }
    const nextAt = countSize + count * entrySize;
    const next = this.bigTiff ? readUint64(view, nextAt, this.littleEndian) : view.getUint32(nextAt, this.littleEndian);
    return { ifd: { label, offset, entries }, next };
  }

  /** The raw bytes of an entry's values. */
  async bytes(ifd: Ifd, entry: TiffEntry): Promise<Uint8Array> {
    if (entry.inline) return entry.inline;
    const size = (TYPE_SIZE[entry.type] ?? 0) * entry.count;
    if (size === 0) throw new SlideFormatError(`${this.name}: IFD ${ifd.label} tag ${entry.tag} has an unknown field type ${entry.type}`);
    this.check(ifd, entry.offset, size, `${tagName(entry.tag)} list`);
    return this.source.read(entry.offset, size);
  }

  /** An entry's values as numbers (integers, or rationals divided out). */
  async numbers(ifd: Ifd, entry: TiffEntry): Promise<number[]> {
    return this.decode(ifd, entry, await this.bytes(ifd, entry), entry.count);
  }

  /**
   * Values `start` to `start + count` of an entry (clipped to its length), reading only their bytes:
   * a large level's tile offsets are read a block at a time, where the view needs them.
   */
  async numberRange(ifd: Ifd, entry: TiffEntry, start: number, count: number): Promise<number[]> {
    const n = Math.max(0, Math.min(count, entry.count - start));
    if (entry.inline) return (await this.numbers(ifd, entry)).slice(start, start + n);
    const size = TYPE_SIZE[entry.type] ?? 0;
    if (size === 0) throw new SlideFormatError(`${this.name}: IFD ${ifd.label} tag ${entry.tag} has an unknown field type ${entry.type}`);
    this.check(ifd, entry.offset + start * size, n * size, `${tagName(entry.tag)} list`);
    return this.decode(ifd, entry, await this.source.read(entry.offset + start * size, n * size), n);
  }

  private decode(ifd: Ifd, entry: TiffEntry, b: Uint8Array, count: number): number[] {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const le = this.littleEndian;
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      switch (entry.type) {
        case 1: case 2: case 7: out[i] = v.getUint8(i); break;
        case 6: out[i] = v.getInt8(i); break;
        case 3: out[i] = v.getUint16(i * 2, le); break;
        case 8: out[i] = v.getInt16(i * 2, le); break;
        case 4: case 13: out[i] = v.getUint32(i * 4, le); break;
        case 9: out[i] = v.getInt32(i * 4, le); break;
        case 5: out[i] = v.getUint32(i * 8, le) / v.getUint32(i * 8 + 4, le); break;
        case 10: out[i] = v.getInt32(i * 8, le) / v.getInt32(i * 8 + 4, le); break;
        case 11: out[i] = v.getFloat32(i * 4, le); break;
        case 12: out[i] = v.getFloat64(i * 8, le); break;
        case 16: case 18: out[i] = readUint64(v, i * 8, le); break;
        case 17: out[i] = Number(v.getBigInt64(i * 8, le)); break;
        default: throw new SlideFormatError(`${this.name}: IFD ${ifd.label} tag ${entry.tag} has an unknown field type ${entry.type}`);
      }
    }
    return out;
  }

  /** The first value of a tag, or `fallback` when the directory does not have it. */
  async number(ifd: Ifd, tag: number, fallback?: number): Promise<number | undefined> {
    const entry = ifd.entries.get(tag);
    if (!entry || entry.count === 0) return fallback;
    return (await this.numbers(ifd, entry))[0];
  }

  /** An ASCII tag as text (up to its first NUL), read as UTF-8 as OME-XML is written. */
  async text(ifd: Ifd, tag: number): Promise<string | undefined> {
    const entry = ifd.entries.get(tag);
    if (!entry) return undefined;
    const b = await this.bytes(ifd, entry);
    const end = b.indexOf(0);
    return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
  }

  /** Throws, naming the directory and what points where, when a range is not inside the file. */
  check(ifd: Ifd, offset: number, length: number, what: string): void {
    if (offset + length > this.source.size) throw new SlideFormatError(`${this.name}: IFD ${ifd.label} ${what} points past the end of the file (bytes ${offset}–${offset + length} of ${this.source.size})`);
  }
}

/** "II*\0" / "MM\0*" (TIFF) or "II+\0" / "MM\0+" (BigTIFF). */
export function isTiffSignature(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const intel = b[0] === 0x49 && b[1] === 0x49 && (b[2] === 42 || b[2] === 43) && b[3] === 0;
  const motorola = b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && (b[3] === 42 || b[3] === 43);
  return intel || motorola;
}

function readUint64(view: DataView, at: number, le: boolean): number {
  const hi = view.getUint32(at + (le ? 4 : 0), le);
  const lo = view.getUint32(at + (le ? 0 : 4), le);
  // Offsets past 2^53 bytes (8 PB) cannot be in a real file; the size check reports them.
  return hi * 2 ** 32 + lo;
}

function tagName(tag: number): string {
  const name = Object.entries(TAG).find(([, t]) => t === tag)?.[0];
  return name ? name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : `tag ${tag}`;
}
