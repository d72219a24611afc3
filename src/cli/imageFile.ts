import { decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import type { DecodedImage } from '../assist/image';

/**
 * Decoding the plain image files `granula nuclei` reads, in pure JavaScript: PNG (fast-png), JPEG
 * (jpeg-js) and uncompressed strip TIFF (below). Pyramidal or compressed TIFF is refused with a
 * message; whole-slide TIFF belongs to the slide readers.
 */

/** Decodes by content, not by name; `name` only labels the messages. */
export function decodeImageFile(bytes: Uint8Array, name: string): DecodedImage {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return fromPng(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const j = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: j.width, height: j.height, data: new Uint8ClampedArray(j.data.buffer, j.data.byteOffset, j.data.byteLength) };
  }
  if ((bytes[0] === 0x49 && bytes[1] === 0x49) || (bytes[0] === 0x4d && bytes[1] === 0x4d)) return decodePlainTiff(bytes, name);
  throw new Error(`${name}: not a PNG, JPEG or TIFF file`);
}

function fromPng(bytes: Uint8Array): DecodedImage {
  const png = decodePng(bytes);
  const n = png.width * png.height;
  const ch = png.channels;
  const data = new Uint8ClampedArray(n * 4);
  // 16-bit samples keep their high byte; grey is spread to R, G, B.
  const shift = png.depth === 16 ? 256 : 1;
  for (let p = 0; p < n; p++) {
    const at = (c: number) => Math.floor(png.data[p * ch + c] / shift);
    const grey = ch <= 2;
    data[4 * p] = at(0);
    data[4 * p + 1] = grey ? at(0) : at(1);
    data[4 * p + 2] = grey ? at(0) : at(2);
    data[4 * p + 3] = ch === 2 ? at(1) : ch === 4 ? at(3) : 255;
  }
  return { width: png.width, height: png.height, data };
}

const TAG = { width: 256, height: 257, bitsPerSample: 258, compression: 259, photometric: 262, stripOffsets: 273, samplesPerPixel: 277, stripByteCounts: 279, planar: 284 } as const;

/** An 8-bit, uncompressed, chunky (RGB, RGBA or grey) TIFF's first image, read from its strips. */
export function decodePlainTiff(bytes: Uint8Array, name: string): DecodedImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const u16 = (o: number) => view.getUint16(o, le);
  const u32 = (o: number) => view.getUint32(o, le);
  if (u16(2) !== 42) throw new Error(`${name}: TIFF version ${u16(2)} is not supported (BigTIFF is not a plain image)`);
  const ifd = u32(4);
  const tags = new Map<number, number[]>();
  for (let k = 0; k < u16(ifd); k++) {
    const e = ifd + 2 + 12 * k;
    const type = u16(e + 2), count = u32(e + 4);
    const size = type === 3 ? 2 : type === 4 ? 4 : 1;
    const at = count * size <= 4 ? e + 8 : u32(e + 8);
    const values: number[] = [];
    for (let i = 0; i < count; i++) values.push(size === 2 ? u16(at + 2 * i) : size === 4 ? u32(at + 4 * i) : bytes[at + i]);
    tags.set(u16(e), values);
  }
  const one = (t: number, fallback?: number) => tags.get(t)?.[0] ?? fallback;
  const width = one(TAG.width), height = one(TAG.height);
  if (!width || !height) throw new Error(`${name}: TIFF without width or height`);
  const compression = one(TAG.compression, 1);
  if (compression !== 1) throw new Error(`${name}: TIFF compression ${compression} is not supported (only uncompressed); convert it to PNG`);
  if ((tags.get(TAG.bitsPerSample) ?? [8]).some((b) => b !== 8)) throw new Error(`${name}: only 8-bit TIFF samples are supported`);
  if (one(TAG.planar, 1) !== 1) throw new Error(`${name}: only chunky (interleaved) TIFF is supported`);
  const spp = one(TAG.samplesPerPixel, 1)!;
  const photometric = one(TAG.photometric, 1);
  if (!((spp >= 3 && photometric === 2) || (spp === 1 && (photometric === 0 || photometric === 1)))) {
    throw new Error(`${name}: TIFF photometric ${photometric} with ${spp} samples is not supported (RGB or grey only)`);
  }
  const offsets = tags.get(TAG.stripOffsets), counts = tags.get(TAG.stripByteCounts);
  if (!offsets || !counts) throw new Error(`${name}: TIFF without strips (tiled TIFF is not a plain image)`);
  const raw = new Uint8Array(width * height * spp);
  let at = 0;
  for (let s = 0; s < offsets.length; s++) {
    if (offsets[s] + counts[s] > bytes.length) throw new Error(`${name}: TIFF strip ${s} runs past the end of the file`);
    raw.set(bytes.subarray(offsets[s], offsets[s] + Math.min(counts[s], raw.length - at)), at);
    at += counts[s];
  }
  if (at < raw.length) throw new Error(`${name}: TIFF strips hold ${at} bytes, ${raw.length} needed`);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const v = (c: number) => raw[p * spp + c];
    const grey = spp === 1 ? (photometric === 0 ? 255 - v(0) : v(0)) : -1;
    data[4 * p] = grey >= 0 ? grey : v(0);
    data[4 * p + 1] = grey >= 0 ? grey : v(1);
    data[4 * p + 2] = grey >= 0 ? grey : v(2);
    data[4 * p + 3] = spp === 4 ? v(3) : 255;
  }
  return { width, height, data };
}
