import type { RgbaImage } from './types';

/** Interleaved 8-bit samples (grey, RGB or RGBA) as straight RGBA. */
export function samplesToRgba(samples: Uint8Array, width: number, height: number, components: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, s = 0; i < data.length; i += 4, s += components) {
    data[i] = samples[s];
    data[i + 1] = samples[components >= 3 ? s + 1 : s];
    data[i + 2] = samples[components >= 3 ? s + 2 : s];
    data[i + 3] = components === 4 ? samples[s + 3] : 255;
  }
  return { width, height, data };
}

/** The decoder objects of the cornerstone WebAssembly codecs (libjpeg-turbo, OpenJPEG). */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
}

/** One tile through a WebAssembly decoder, in Node (the CLI) and in browser workers alike. */
export function decodeWithWasm(decoder: WasmDecoder, bytes: Uint8Array, what: string): RgbaImage {
  decoder.getEncodedBuffer(bytes.length).set(bytes);
  try {
    decoder.decode();
  } catch (e) {
    throw new Error(`a ${what} tile cannot be decoded: ${typeof e === 'number' ? 'the stream is corrupt' : (e as Error).message}`);
  }
  const { width, height, bitsPerSample, componentCount } = decoder.getFrameInfo();
  if (bitsPerSample !== 8) throw new Error(`a ${what} tile has ${bitsPerSample}-bit samples; Granula reads 8-bit slides only`);
  return samplesToRgba(decoder.getDecodedBuffer(), width, height, componentCount);
}
