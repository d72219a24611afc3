/**
 * Tile decoders for Node: JPEG with libjpeg-turbo and JPEG 2000 with OpenJPEG, both compiled to
 * WebAssembly — the libraries OpenSlide itself decodes with, so `granula region` matches it.
 */
import { createRequire } from 'node:module';
import type { RgbaImage, TileDecoders } from '../slides/types';

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
}
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
}
type Codec = Record<string, new () => WasmDecoder>;
/** Emscripten's module options: where the library's own log lines go. */
type CodecFactory = (options: { print: (line: string) => void; printErr: (line: string) => void }) => Promise<Codec>;

const require = createRequire(import.meta.url);

function loader(path: string, className: string): () => Promise<WasmDecoder> {
  let decoder: Promise<WasmDecoder> | undefined;
  // OpenJPEG logs "[INFO] Start to read j2k main header" for every tile: not for the CLI's output.
  const quiet = { print: () => {}, printErr: () => {} };
  return () => (decoder ??= (require(path) as CodecFactory)(quiet).then((codec) => new codec[className]()));
}

const libjpegTurbo = loader('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder');
const openJpeg = loader('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder');

async function decodeWith(load: () => Promise<WasmDecoder>, bytes: Uint8Array, what: string): Promise<RgbaImage> {
  const decoder = await load();
  decoder.getEncodedBuffer(bytes.length).set(bytes);
  try {
    decoder.decode();
  } catch (e) {
    throw new Error(`a ${what} tile cannot be decoded: ${typeof e === 'number' ? 'the stream is corrupt' : (e as Error).message}`);
  }
  const { width, height, bitsPerSample, componentCount } = decoder.getFrameInfo();
  if (bitsPerSample !== 8) throw new Error(`a ${what} tile has ${bitsPerSample}-bit samples; Granula reads 8-bit slides only`);
  return toRgba(decoder.getDecodedBuffer(), width, height, componentCount);
}

function toRgba(samples: Uint8Array, width: number, height: number, components: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, s = 0; i < data.length; i += 4, s += components) {
    data[i] = samples[s];
    data[i + 1] = samples[components >= 3 ? s + 1 : s];
    data[i + 2] = samples[components >= 3 ? s + 2 : s];
    data[i + 3] = components === 4 ? samples[s + 3] : 255;
  }
  return { width, height, data };
}

export const nodeTileDecoders: TileDecoders = {
  jpeg: (bytes) => decodeWith(libjpegTurbo, bytes, 'JPEG'),
  jpeg2000: (bytes) => decodeWith(openJpeg, bytes, 'JPEG 2000'),
};
