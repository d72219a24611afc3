/**
 * Tile decoders for Node: JPEG with libjpeg-turbo and JPEG 2000 with OpenJPEG, both compiled to
 * WebAssembly — the libraries OpenSlide itself decodes with, so `granula region` matches it.
 */
import { createRequire } from 'node:module';
import { decodeWithWasm, type WasmDecoder } from '../slides/pixels';
import type { RgbaImage, TileDecoders } from '../slides/types';

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
  return decodeWithWasm(await load(), bytes, what);
}

export const nodeTileDecoders: TileDecoders = {
  jpeg: (bytes) => decodeWith(libjpegTurbo, bytes, 'JPEG'),
  jpeg2000: (bytes) => decodeWith(openJpeg, bytes, 'JPEG 2000'),
};
