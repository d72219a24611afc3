/**
 * A DICOM Part 10 file's header, read lazily: the preamble, the file meta group and the dataset up
 * to Pixel Data, in growing chunks, never the pixels. Little endian only (explicit and implicit VR),
 * which is what whole-slide files are written in. Values stay raw bytes until a caller asks for one
 * by type, so the parser needs no data dictionary beyond the sequences implicit VR cannot reveal.
 */

import { SlideFormatError, type ByteSource } from './types';

/**
 * One element: its VR (`'??'` in implicit VR when the table below does not know it) and its bytes.
 * A sequence keeps its bytes too, items and all, and is parsed only when asked for (`items`): a
 * sparse slide's per-frame groups hold 10^5 items, read once to place the tiles.
 */
export interface DicomElement {
  vr: string;
  value: Uint8Array;
  /** For sequences: whether the items are in explicit VR. */
  explicitItems?: boolean;
}

export type DicomDataset = Map<number, DicomElement>;

/** Where the Pixel Data element is: its tag, the first byte of its value, and its length (undefined: encapsulated). */
export interface PixelDataElement {
  tag: number;
  valueOffset: number;
  length: number | undefined;
}

export interface DicomHeader {
  meta: DicomDataset;
  dataset: DicomDataset;
  transferSyntax: string;
  /** Undefined when the file has no pixel data (a DICOMDIR, a structured report, an annotation object). */
  pixelData: PixelDataElement | undefined;
}

export const tag = (group: number, element: number) => ((group << 16) | element) >>> 0;

/** `(7FE0,0010)`, as DICOM writes tags. */
export function tagName(t: number): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  return `(${hex(t >>> 16)},${hex(t & 0xffff)})`;
}

const ITEM = tag(0xfffe, 0xe000);
const ITEM_END = tag(0xfffe, 0xe00d);
const SEQUENCE_END = tag(0xfffe, 0xe0dd);
const UNDEFINED = 0xffffffff;
const PIXEL_DATA = [tag(0x7fe0, 0x0010), tag(0x7fe0, 0x0008), tag(0x7fe0, 0x0009)];
const IMPLICIT_VR_LE = '1.2.840.10008.1.2';

/** Explicit-VR value representations whose length takes 4 bytes after 2 reserved ones. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/**
 * The value representations of the elements a whole-slide reader uses, for implicit VR files, where
 * the file does not say them. Anything else is kept as raw bytes.
 */
const IMPLICIT_VRS = new Map<number, string>([
  [tag(0x5200, 0x9229), 'SQ'], // Shared Functional Groups
  [tag(0x5200, 0x9230), 'SQ'], // Per-frame Functional Groups
  [tag(0x0028, 0x9110), 'SQ'], // Pixel Measures
  [tag(0x0048, 0x021a), 'SQ'], // Plane Position (Slide)
  [tag(0x0048, 0x0105), 'SQ'], // Optical Path
  [tag(0x0028, 0x0002), 'US'], // Samples per Pixel
  [tag(0x0028, 0x0006), 'US'], // Planar Configuration
  [tag(0x0028, 0x0010), 'US'], // Rows
  [tag(0x0028, 0x0011), 'US'], // Columns
  [tag(0x0028, 0x0100), 'US'], // Bits Allocated
  [tag(0x0020, 0x9162), 'US'], // In-concatenation Number
  [tag(0x0020, 0x9228), 'UL'], // Concatenation Frame Offset Number
  [tag(0x0048, 0x0006), 'UL'], // Total Pixel Matrix Columns
  [tag(0x0048, 0x0007), 'UL'], // Total Pixel Matrix Rows
  [tag(0x0048, 0x021e), 'SL'], // Column Position in Total Image Pixel Matrix
  [tag(0x0048, 0x021f), 'SL'], // Row Position in Total Image Pixel Matrix
]);

/** Thrown inside the parser when the bytes read so far end before the header does. */
class NeedMore {
  constructor(readonly end: number) {}
}

/** Problems are located by file and tag; the parser throws these and the reader names the file. */
class HeaderProblem {
  constructor(readonly message: string) {}
}

class Cursor {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    /** True when `bytes` is the whole file: running out is then a broken file, not a short read. */
    readonly complete: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(end: number, what: () => string) {
    if (end <= this.bytes.length) return;
    if (this.complete) throw new HeaderProblem(`${what()} runs past the end of the file (${this.bytes.length} bytes)`);
    throw new NeedMore(end);
  }
  u16(at: number) {
    return this.view.getUint16(at, true);
  }
  u32(at: number) {
    return this.view.getUint32(at, true);
  }
  tagAt(at: number) {
    return tag(this.u16(at), this.u16(at + 2));
  }
  /** Two ASCII characters: a VR, or the "DI" and "CM" of the signature. */
  chars2(at: number) {
    return String.fromCharCode(this.bytes[at], this.bytes[at + 1]);
  }
}

interface Parsed {
  /** Undefined when only skipping over the elements. */
  dataset: DicomDataset | undefined;
  end: number;
  pixelData?: PixelDataElement;
}

/** Where in the dataset the parser is, for messages: built only when one is needed. */
type Where = () => string;

/**
 * Elements from `at` until `end` (a defined length), an item delimiter, or — at the top level —
 * Pixel Data, which is recorded, not read. With `build` false the elements are only stepped over
 * (to find where a sequence ends), and nothing is kept.
 */
function parseElements(c: Cursor, at: number, explicit: boolean, end: number | undefined, topLevel: boolean, build: boolean, where: Where): Parsed {
  const dataset: DicomDataset | undefined = build ? new Map() : undefined;
  let pos = at;
  for (;;) {
    if (end !== undefined && pos >= end) return { dataset, end: pos };
    if (end === undefined && topLevel && c.complete && pos >= c.bytes.length) return { dataset, end: pos };
    c.need(pos + 8, () => `${where()}element at byte ${pos}`);
    const t = c.tagAt(pos);
    if (t === ITEM_END) return { dataset, end: pos + 8 };
    let vr = '??';
    let length: number;
    let valueAt: number;
    if (explicit && t >>> 16 !== 0xfffe) {
      vr = c.chars2(pos + 4);
      if (LONG_VRS.has(vr)) {
        c.need(pos + 12, () => `${where()}${tagName(t)}`);
        length = c.u32(pos + 8);
        valueAt = pos + 12;
      } else {
        length = c.u16(pos + 6);
        valueAt = pos + 8;
      }
    } else {
      vr = IMPLICIT_VRS.get(t) ?? '??';
      length = c.u32(pos + 4);
      valueAt = pos + 8;
    }
    if (topLevel && PIXEL_DATA.includes(t)) {
      return { dataset, end: valueAt, pixelData: { tag: t, valueOffset: valueAt, length: length === UNDEFINED ? undefined : length } };
    }
    const here = () => `${where()}${tagName(t)}`;
    // In implicit VR, an unknown element of undefined length can only be a sequence. So can UN of
    // undefined length (a private sequence whose VR the writer did not know), whose items are then
    // in implicit VR (PS3.5 6.2.2).
    if (vr === 'SQ' || ((vr === '??' || vr === 'UN') && length === UNDEFINED)) {
      const explicitItems = explicit && vr === 'SQ';
      // Stepped over (checking its items are whole) and kept as bytes, parsed when asked for.
      const after = length === UNDEFINED ? parseItems(c, valueAt, explicitItems, undefined, false, here).end : valueAt + length;
      c.need(after, here);
      dataset?.set(t, { vr: 'SQ', value: c.bytes.subarray(valueAt, after), explicitItems });
      pos = after;
      continue;
    }
    if (length === UNDEFINED) throw new HeaderProblem(`${here()} has an undefined length but is not a sequence`);
    c.need(valueAt + length, here);
    dataset?.set(t, { vr, value: c.bytes.subarray(valueAt, valueAt + length) });
    pos = valueAt + length;
  }
}

function parseItems(c: Cursor, at: number, explicit: boolean, end: number | undefined, build: boolean, where: Where) {
  const items: DicomDataset[] = [];
  let pos = at;
  for (let n = 1; ; n++) {
    if (end !== undefined && pos >= end) return { items, end: pos };
    c.need(pos + 8, () => `${where()} item ${n}`);
    const t = c.tagAt(pos);
    if (t === SEQUENCE_END) return { items, end: pos + 8 };
    if (t !== ITEM) throw new HeaderProblem(`${where()} item ${n}: expected an item tag, found ${tagName(t)} at byte ${pos}`);
    const length = c.u32(pos + 4);
    const itemEnd = length === UNDEFINED ? undefined : pos + 8 + length;
    // An item of defined length need not be read to be stepped over.
    if (!build && itemEnd !== undefined) {
      pos = itemEnd;
      continue;
    }
    const parsed = parseElements(c, pos + 8, explicit, itemEnd, false, build, () => `${where()} item ${n} > `);
    if (parsed.dataset) items.push(parsed.dataset);
    pos = parsed.end;
  }
}

/** Transfer syntaxes whose dataset this parser cannot read at all. */
const UNREADABLE_DATASETS: Record<string, string> = {
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
};

function parseHeader(c: Cursor): DicomHeader {
  // The meta group is always explicit VR little endian; it ends where group 0002 ends.
  let metaEnd = 132;
  for (;;) {
    c.need(metaEnd + 8, () => 'the file meta information');
    if (c.u16(metaEnd) !== 0x0002) break;
    const vr = c.chars2(metaEnd + 4);
    const headerLength = LONG_VRS.has(vr) ? 12 : 8;
    c.need(metaEnd + headerLength, () => 'the file meta information');
    metaEnd += headerLength + (headerLength === 12 ? c.u32(metaEnd + 8) : c.u16(metaEnd + 6));
  }
  const meta = parseElements(c, 132, true, metaEnd, false, true, () => '').dataset!;
  const transferSyntax = text(meta, tag(0x0002, 0x0010)) ?? '';
  if (!transferSyntax) throw new HeaderProblem('(0002,0010) Transfer Syntax UID is missing');
  const unreadable = UNREADABLE_DATASETS[transferSyntax];
  if (unreadable) throw new HeaderProblem(`is written in ${unreadable} (${transferSyntax}), which Granula does not read; convert it to explicit VR little endian`);
  const explicit = transferSyntax !== IMPLICIT_VR_LE;
  const parsed = parseElements(c, metaEnd, explicit, undefined, true, true, () => '');
  return { meta, dataset: parsed.dataset!, transferSyntax, pixelData: parsed.pixelData };
}

/** A DICOM Part 10 file starts with a 128-byte preamble and `DICM`. */
function isDicom(bytes: Uint8Array) {
  return bytes.length >= 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
}

/**
 * Reads `source` from its start, `firstChunk` bytes and then more, until the header up to Pixel
 * Data is whole. Only the new bytes are read each time. Undefined for a file that is not DICOM.
 */
export async function readDicomHeader(source: ByteSource, firstChunk = 16 * 1024): Promise<DicomHeader | undefined> {
  let bytes = await source.read(0, Math.min(firstChunk, source.size));
  if (!isDicom(bytes)) return undefined;
  for (;;) {
    const cursor = new Cursor(bytes, bytes.length >= source.size);
    try {
      return parseHeader(cursor);
    } catch (e) {
      if (e instanceof HeaderProblem) throw new SlideFormatError(`${source.name}: ${e.message}`);
      if (!(e instanceof NeedMore)) throw e;
      // A value of known length (a sequence of defined length, often most of the header) is read to
      // its end and a chunk beyond; otherwise the read grows by half, so parsing again stays cheap.
      const want = Math.min(source.size, e.end > bytes.length + firstChunk ? e.end + firstChunk : Math.max(e.end, Math.ceil(bytes.length * 1.5)));
      const more = await source.read(bytes.length, want - bytes.length);
      const grown = new Uint8Array(bytes.length + more.length);
      grown.set(bytes);
      grown.set(more, bytes.length);
      bytes = grown;
    }
  }
}

// Typed access to values: numbers in text (IS, DS) and in binary (US, UL, SL, FL, FD) read the same.

export function text(ds: DicomDataset | undefined, t: number): string | undefined {
  const e = ds?.get(t);
  if (!e) return undefined;
  // Strings are padded to an even length with a space (or a NUL for UIDs).
  return String.fromCharCode(...e.value).replace(/[\0 ]+$/, '').trim();
}

export function texts(ds: DicomDataset | undefined, t: number): string[] {
  const s = text(ds, t);
  return s ? s.split('\\').map((v) => v.trim()) : [];
}

export function numbers(ds: DicomDataset | undefined, t: number): number[] {
  const e = ds?.get(t);
  if (!e) return [];
  const view = new DataView(e.value.buffer, e.value.byteOffset, e.value.byteLength);
  const every = (size: number, read: (at: number) => number) => Array.from({ length: Math.floor(e.value.length / size) }, (_, i) => read(i * size));
  switch (e.vr) {
    case 'US':
      return every(2, (at) => view.getUint16(at, true));
    case 'SS':
      return every(2, (at) => view.getInt16(at, true));
    case 'UL':
      return every(4, (at) => view.getUint32(at, true));
    case 'SL':
      return every(4, (at) => view.getInt32(at, true));
    case 'FL':
      return every(4, (at) => view.getFloat32(at, true));
    case 'FD':
      return every(8, (at) => view.getFloat64(at, true));
    case 'IS':
    case 'DS':
    case '??': // implicit VR, not in the table of binary values: IS or DS, numbers written as text
      return texts(ds, t).map(Number);
    default:
      return [];
  }
}

export function number(ds: DicomDataset | undefined, t: number): number | undefined {
  const n = numbers(ds, t)[0];
  return Number.isFinite(n) ? n : undefined;
}

/** A sequence's items, parsed now (each call parses again: keep the result while you need it). */
export function items(ds: DicomDataset | undefined, t: number): DicomDataset[] {
  const e = ds?.get(t);
  if (!e || e.vr !== 'SQ') return [];
  // The bytes were checked whole when the header was read; offsets in messages count from the sequence.
  return parseItems(new Cursor(e.value, true), 0, e.explicitItems ?? false, e.value.length, true, () => tagName(t)).items;
}
