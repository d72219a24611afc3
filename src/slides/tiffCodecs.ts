/**
 * Turning a TIFF tile or strip into pixels or a decodable stream: LZW (TIFF 6.0 §13), Deflate
 * (zlib-wrapped, Adobe's 8 and the old 32946), zstd (50000), horizontal differencing (Predictor 2),
 * and JPEG tiles made whole with the directory's JPEGTables. Pure code: runs in a worker and in Node.
 */
import { unzlibSync } from 'fflate';
import { decompress as unzstd } from 'fzstd';
import type { RgbaImage } from './types';

/** TIFF LZW: MSB-first codes of 9–12 bits, with libtiff's "early change" (the width grows one code early). */
export function lzwDecode(input: Uint8Array, outLength: number): Uint8Array {
  const out = new Uint8Array(outLength);
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
    prefix[i] = -1;
  }
  let pos = 0;
  let bit = 0;
  let width = 9;
  let next = 258;
  let old = -1;
  const totalBits = input.length * 8;
  const emit = (code: number): void => {
    const n = length[code];
    let at = pos + n - 1;
    for (let c = code; c >= 0; c = prefix[c], at--) if (at < outLength) out[at] = suffix[c];
    pos += n;
  };
  while (bit + width <= totalBits && pos < outLength) {
    let code = 0;
    for (let k = 0; k < width; k++, bit++) code = (code << 1) | ((input[bit >> 3] >> (7 - (bit & 7))) & 1);
    if (code === 257) break;
    if (code === 256) {
      width = 9;
      next = 258;
      old = -1;
      continue;
    }
    if (old < 0) {
      if (code > 255) throw new Error(`LZW data starts with code ${code}`);
      emit(code);
      old = code;
      continue;
    }
    if (code > next) throw new Error(`LZW code ${code} is not in the table yet`);
    if (next < 4096) {
      prefix[next] = old;
      suffix[next] = first[code === next ? old : code];
      first[next] = first[old];
      length[next] = length[old] + 1;
    }
    emit(code);
    next++;
    old = code;
    if (next >= (1 << width) - 1 && width < 12) width++;
  }
  return out;
}

/** Undoes Predictor 2 on 8-bit samples: each sample is stored as its difference from the one to its left. */
export function undoHorizontalDifferencing(pixels: Uint8Array, width: number, height: number, samples: number): void {
  const row = width * samples;
  for (let y = 0; y < height; y++) {
    const start = y * row;
    for (let i = start + samples; i < start + row; i++) pixels[i] = (pixels[i] + pixels[i - samples]) & 0xff;
  }
}

/** Compressed bytes → raw samples, for the lossless compressions (JPEG and JPEG 2000 go to a TileDecoders). */
export function inflateSamples(compression: number, bytes: Uint8Array, rawLength: number): Uint8Array {
  switch (compression) {
    case 1:
      return bytes;
    case 5:
      return lzwDecode(bytes, rawLength);
    case 8:
    case 32946:
      return unzlibSync(bytes);
    case 50000:
      return unzstd(bytes);
    default:
      throw new Error(`compression ${compression} is not a lossless one this reader inflates`);
  }
}

export interface SampleLayout {
  samplesPerPixel: number;
  /** TIFF Photometric: 0 WhiteIsZero, 1 BlackIsZero, 2 RGB. */
  photometric: number;
  /** ExtraSamples[0]: 1 = associated (premultiplied) alpha, 2 = unassociated. */
  alpha: number;
}

/** Raw 8-bit samples (chunky) → straight RGBA. */
export function samplesToRgba(raw: Uint8Array, width: number, height: number, layout: SampleLayout): RgbaImage {
  const n = width * height;
  const spp = layout.samplesPerPixel;
  if (raw.length < n * spp) throw new Error(`the tile holds ${raw.length} bytes where ${width}×${height}×${spp} = ${n * spp} are needed`);
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const s = i * spp;
    const d = i * 4;
    if (spp < 3) {
      const g = layout.photometric === 0 ? 255 - raw[s] : raw[s];
      data[d] = data[d + 1] = data[d + 2] = g;
      data[d + 3] = spp === 2 ? raw[s + 1] : 255;
    } else {
      const a = spp > 3 && layout.alpha !== 0 ? raw[s + 3] : 255;
      if (layout.alpha === 1 && a > 0 && a < 255) {
        data[d] = (raw[s] * 255) / a;
        data[d + 1] = (raw[s + 1] * 255) / a;
        data[d + 2] = (raw[s + 2] * 255) / a;
      } else {
        data[d] = raw[s];
        data[d + 1] = raw[s + 1];
        data[d + 2] = raw[s + 2];
      }
      data[d + 3] = a;
    }
  }
  return { width, height, data };
}

/**
 * A complete JPEG stream from a TIFF JPEG tile: the directory's shared tables (JPEGTables, its
 * SOI and EOI dropped) go in after the tile's SOI. When the pixels are RGB (Photometric 2, as
 * Aperio writes), an Adobe APP14 marker with transform 0 says so: without it decoders take three
 * components for YCbCr and the colours come out wrong.
 */
export function completeJpeg(tile: Uint8Array, tables: Uint8Array | undefined, rgb: boolean): Uint8Array {
  const adobe = rgb ? ADOBE_RGB : new Uint8Array(0);
  const inner = tables && tables.length > 4 ? tables.subarray(2, tables[tables.length - 2] === 0xff && tables[tables.length - 1] === 0xd9 ? tables.length - 2 : tables.length) : new Uint8Array(0);
  const out = new Uint8Array(2 + adobe.length + inner.length + tile.length - 2);
  out.set(tile.subarray(0, 2), 0);
  out.set(adobe, 2);
  out.set(inner, 2 + adobe.length);
  out.set(tile.subarray(2), 2 + adobe.length + inner.length);
  return out;
}

/** APP14 "Adobe", version 100, no flags, transform 0 (components are RGB, not YCbCr). */
const ADOBE_RGB = new Uint8Array([0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]);
