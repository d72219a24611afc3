/**
 * One frame of a CT/MR instance as numbers: its stored values, decoded from whichever transfer
 * syntax the file is in, and the modality values (Hounsfield units for CT) after rescaling.
 * The JPEG, JPEG-LS and JPEG 2000 codecs are passed in (WebAssembly in Node and in workers).
 */
import { concatBytes } from '../formats/zip';
import { tag } from '../slides/dicomDataset';
import { decodeRle } from './rle';
import type { RadiologyInstance } from './instance';

/** A codec's output: samples as little-endian bytes, interleaved, with the precision it decoded. */
export interface CodecFrame {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  bytes: Uint8Array;
}

export interface FrameDecoders {
  /** JPEG baseline and 8-bit extended (processes 1, 2/4). */
  jpeg(bytes: Uint8Array): Promise<CodecFrame>;
  /** JPEG lossless, non-hierarchical (processes 14 and 14 selection value 1). */
  jpegLossless(bytes: Uint8Array): Promise<CodecFrame>;
  jpegLs(bytes: Uint8Array): Promise<CodecFrame>;
  jpeg2000(bytes: Uint8Array): Promise<CodecFrame>;
}

type Codec = keyof FrameDecoders | 'native' | 'rle';

/** Transfer syntaxes and how their frames are decoded. */
const TRANSFER_SYNTAXES: Record<string, { name: string; codec: Codec }> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.1.99': { name: 'Deflated Explicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', codec: 'rle' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless', codec: 'jpegLossless' },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless SV1', codec: 'jpegLossless' },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', codec: 'jpegLs' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', codec: 'jpegLs' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', codec: 'jpeg2000' },
};

export function transferSyntaxName(uid: string): string {
  return TRANSFER_SYNTAXES[uid]?.name ?? uid;
}

const ITEM = tag(0xfffe, 0xe000);
const SEQUENCE_END = tag(0xfffe, 0xe0dd);

/** The items of encapsulated Pixel Data (PS3.5 A.4): the Basic Offset Table, then the fragments, and where the element ends. */
export function encapsulatedItems(bytes: Uint8Array, at: number, name: string): { offsets: Uint8Array; fragments: Uint8Array[]; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: Uint8Array[] = [];
  for (let pos = at; ; ) {
    if (pos + 8 > bytes.length) throw new Error(`${name}: the encapsulated Pixel Data runs past the end of the file at byte ${pos}`);
    const t = ((view.getUint16(pos, true) << 16) | view.getUint16(pos + 2, true)) >>> 0;
    const length = view.getUint32(pos + 4, true);
    if (t === SEQUENCE_END) {
      if (items.length === 0) throw new Error(`${name}: the encapsulated Pixel Data has no Basic Offset Table item`);
      return { offsets: items[0], fragments: items.slice(1), end: pos + 8 };
    }
    if (t !== ITEM) throw new Error(`${name}: the encapsulated Pixel Data has tag ${t.toString(16)} at byte ${pos} where an item belongs`);
    if (pos + 8 + length > bytes.length) throw new Error(`${name}: Pixel Data fragment ${items.length} runs past the end of the file`);
    items.push(bytes.subarray(pos + 8, pos + 8 + length));
    pos += 8 + length;
  }
}

/** The fragments of one frame as one stream: most frames are a single fragment, returned as it is. */
const concat = (parts: Uint8Array[]) => (parts.length === 1 ? parts[0] : concatBytes(parts));

/** The compressed stream of one frame: fragments are grouped by the offset table, or one per frame, or all for a single frame. */
function compressedFrame(instance: RadiologyInstance, frame: number): Uint8Array {
  const { bytes, header } = instance.file;
  const { offsets, fragments } = encapsulatedItems(bytes, header.pixelData!.valueOffset, instance.name);
  if (instance.frames === 1) return concat(fragments);
  if (fragments.length === instance.frames) return fragments[frame];
  if (offsets.length < 4 * instance.frames) throw new Error(`${instance.name}: ${fragments.length} Pixel Data fragments for ${instance.frames} frames and no offset table to group them`);
  const table = new DataView(offsets.buffer, offsets.byteOffset, offsets.byteLength);
  const start = table.getUint32(4 * frame, true);
  const end = frame + 1 < instance.frames ? table.getUint32(4 * frame + 4, true) : Infinity;
  const parts: Uint8Array[] = [];
  // Offsets count from the first fragment's item tag: each fragment takes 8 bytes of item header.
  for (let i = 0, at = 0; i < fragments.length; at += 8 + fragments[i].length, i++) if (at >= start && at < end) parts.push(fragments[i]);
  return concat(parts);
}

/** Little-endian sample bytes → stored values, masked to Bits Stored and sign-extended when signed. */
function storedValues(bytes: Uint8Array, instance: RadiologyInstance, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { bitsAllocated, bitsStored, pixelRepresentation } = instance;
  const size = bitsAllocated / 8;
  if (bytes.length < count * size) throw new Error(`${instance.name}: the frame holds ${bytes.length} bytes where ${count} samples of ${bitsAllocated} bits need ${count * size}`);
  const read = size === 1 ? (i: number) => bytes[i] : size === 2 ? (i: number) => view.getUint16(2 * i, true) : (i: number) => view.getUint32(4 * i, true);
  // Bits above Bits Stored may hold overlays or garbage (PS3.5 8.1.1); high bit is Bits Stored - 1 here.
  const mask = bitsStored >= 32 ? 0xffffffff : 2 ** bitsStored - 1;
  const sign = 2 ** (bitsStored - 1);
  for (let i = 0; i < count; i++) {
    const v = bitsStored >= 32 ? read(i) : read(i) % (mask + 1);
    out[i] = pixelRepresentation === 1 && v >= sign ? v - 2 * sign : v;
  }
  return out;
}

/**
 * Frame `frame` (0-based) of an instance: its stored values, interleaved when it has colour
 * samples (RGB after a JPEG decoder's colour conversion), rows × columns × samples long.
 */
export async function decodeFrame(instance: RadiologyInstance, decoders: FrameDecoders, frame = 0): Promise<Float32Array> {
  const { header, bytes } = instance.file;
  const ts = TRANSFER_SYNTAXES[header.transferSyntax];
  if (!ts) throw new Error(`${instance.name}: transfer syntax ${header.transferSyntax} is not one Granula decodes`);
  if (![8, 16, 32].includes(instance.bitsAllocated)) throw new Error(`${instance.name}: Bits Allocated ${instance.bitsAllocated} is not 8, 16 or 32`);
  if (frame < 0 || frame >= instance.frames) throw new Error(`${instance.name}: has no frame ${frame + 1} (it has ${instance.frames})`);
  const pixels = instance.rows * instance.columns;
  const count = pixels * instance.samplesPerPixel;
  const size = instance.bitsAllocated / 8;
  const pixelData = header.pixelData!;
  if (ts.codec === 'native') {
    const start = pixelData.valueOffset + frame * count * size;
    const values = storedValues(bytes.subarray(start, start + count * size), instance, count);
    return instance.planarConfiguration === 1 && instance.samplesPerPixel > 1 ? interleave(values, instance.samplesPerPixel) : values;
  }
  const stream = compressedFrame(instance, frame);
  if (ts.codec === 'jpeg' && jpegPrecision(stream) > 8) {
    throw new Error(`${instance.name}: frame ${frame + 1} (${ts.name}): a ${jpegPrecision(stream)}-bit JPEG, which Granula does not decode (8-bit JPEG, JPEG lossless, JPEG-LS and JPEG 2000 it does)`);
  }
  if (ts.codec === 'rle') return storedValues(decodeRle(stream, pixels, instance.samplesPerPixel, size), instance, count);
  const decoded = await decoders[ts.codec](stream).catch((e: Error) => {
    throw new Error(`${instance.name}: frame ${frame + 1} (${ts.name}): ${e.message}`);
  });
  if (decoded.width !== instance.columns || decoded.height !== instance.rows || decoded.componentCount !== instance.samplesPerPixel) {
    throw new Error(`${instance.name}: the ${ts.name} stream is ${decoded.width}×${decoded.height}×${decoded.componentCount} where the header says ${instance.columns}×${instance.rows}×${instance.samplesPerPixel}`);
  }
  // Codecs give 8-bit samples in one byte and deeper ones in two, whatever Bits Allocated says.
  const codecBits = decoded.bitsPerSample <= 8 ? 8 : 16;
  return storedValues(decoded.bytes, { ...instance, bitsAllocated: codecBits, bitsStored: Math.min(instance.bitsStored, codecBits) }, count);
}

/** Planes (all reds, all greens, all blues) → pixels (red, green, blue of each in turn). */
function interleave(planes: Float32Array, samples: number): Float32Array {
  const pixels = planes.length / samples;
  const out = new Float32Array(planes.length);
  for (let s = 0; s < samples; s++) for (let p = 0; p < pixels; p++) out[p * samples + s] = planes[s * pixels + p];
  return out;
}

/** The sample precision in a JPEG stream's start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC); 8 if none is found. */
function jpegPrecision(stream: Uint8Array): number {
  for (let i = 2; i + 4 < stream.length; ) {
    if (stream[i] !== 0xff) return 8;
    const marker = stream[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return stream[i + 4];
    i += 2 + ((stream[i + 2] << 8) | stream[i + 3]);
  }
  return 8;
}

/** Modality values (Hounsfield units for CT): stored value × Rescale Slope + Rescale Intercept. */
export function modalityValues(stored: Float32Array, instance: RadiologyInstance): Float32Array {
  const { rescaleSlope: m, rescaleIntercept: b } = instance;
  return stored.map((v) => v * m + b);
}
