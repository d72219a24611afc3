/**
 * Whole-slide files read from local disk (or any random-access byte source): the contract between
 * the readers (TIFF family, DICOM WSI), the app's viewer and assistant workers, and the CLI.
 * Pure code: no DOM, no React, no Node built-ins. Files are read lazily, a byte range at a time.
 */

import type { SlideFormatName } from '../model/types';

/** Random access to a file's bytes: a `Blob` in the browser (Blob.slice), a file handle in Node. */
export interface ByteSource {
  /** The file's name, for messages. */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes from `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A pyramid level, as OpenSlide reports it. */
export interface SlideLevel {
  width: number;
  height: number;
  /** Level-0 px per level px (OpenSlide's: the mean of the width and height ratios). */
  downsample: number;
  tileWidth: number;
  tileHeight: number;
}

/** The formats a project records for a slide (model's list: the shared format stores them). */
export type SlideFormat = SlideFormatName;

/** What `granula info` prints, and what the app stores about a slide. */
export interface SlideInfo {
  format: SlideFormat;
  width: number;
  height: number;
  levels: SlideLevel[];
  /** Microns per level-0 pixel (x, y), when the file says. */
  mpp?: { x: number; y: number };
  /** The tiles' compression, in words: 'jpeg', 'jpeg2000', 'lzw', 'deflate', 'zstd', 'none'. */
  compression: string;
  /** Names of the associated images the file holds ('label', 'macro', 'thumbnail'), never read unless asked for. */
  associated: string[];
  /** Objective power, when the file says (Aperio AppMag, OME NominalMagnification). */
  objectivePower?: number;
}

/** Straight (not premultiplied) RGBA pixels, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * One tile as stored, ready for a decoder: a complete JPEG stream (tables merged in, an Adobe
 * marker added when the pixels are RGB rather than YCbCr, so any decoder reads the colours right),
 * a JPEG 2000 codestream, or pixels the reader has already decoded (LZW, Deflate, zstd, none).
 * `width`/`height` are the tile's stored size; `visibleWidth`/`visibleHeight` the part inside the
 * level (edge tiles are padded in TIFF).
 */
export type EncodedTile =
  | { kind: 'jpeg'; bytes: Uint8Array; width: number; height: number; visibleWidth: number; visibleHeight: number }
  | { kind: 'jpeg2000'; bytes: Uint8Array; width: number; height: number; visibleWidth: number; visibleHeight: number; ycbcr: boolean }
  | { kind: 'rgba'; image: RgbaImage; visibleWidth: number; visibleHeight: number };

/** Decoders that depend on where the code runs (browser: createImageBitmap; Node: a JS/WASM decoder). */
export interface TileDecoders {
  jpeg(bytes: Uint8Array): Promise<RgbaImage>;
  jpeg2000(bytes: Uint8Array): Promise<RgbaImage>;
}

export interface Slide {
  readonly info: SlideInfo;
  /** The tile at (col, row) of `level` as stored; null where the file has no tile there (sparse DICOM). */
  tile(level: number, col: number, row: number): Promise<EncodedTile | null>;
  /** An associated image (label, macro, thumbnail), decoded; only on request. */
  associated(name: string, decoders: TileDecoders): Promise<RgbaImage>;
  /** Bytes read from the source so far (for the benchmark's "bytes before first paint"). */
  bytesRead(): number;
}

/** A file Granula cannot open, with what to do about it. */
export class SlideFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlideFormatError';
  }
}
