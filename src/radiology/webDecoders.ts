/**
 * CT/MR frame decoders in the browser: the same WebAssembly builds as in Node (libjpeg-turbo,
 * CharLS, OpenJPEG), each fetched on the first frame that needs it, so an uncompressed series
 * downloads no codec at all.
 */
import type { WasmDecoder } from '../slides/pixels';
import { decodeRawWithWasm } from '../slides/pixels';
import type { FrameDecoders } from './frames';

type Factory = (module?: { locateFile?: (path: string) => string; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<Record<string, new () => unknown>>;

function lazy(load: () => Promise<[Factory, string]>, className: string): () => Promise<WasmDecoder> {
  let decoder: Promise<WasmDecoder> | null = null;
  return () =>
    (decoder ??= load().then(async ([factory, url]) => {
      const m = await factory({ locateFile: () => url, print: () => {}, printErr: () => {} });
      return new (m[className] as new () => WasmDecoder)();
    }));
}

const libjpegTurbo = lazy(async () => [(await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')).default, (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url')).default], 'JPEGDecoder');
const charls = lazy(async () => [(await import('@cornerstonejs/codec-charls/decodewasmjs')).default, (await import('@cornerstonejs/codec-charls/decodewasm?url')).default], 'JpegLSDecoder');
const openJpeg = lazy(async () => [(await import('@cornerstonejs/codec-openjpeg/decodewasmjs')).default, (await import('@cornerstonejs/codec-openjpeg/decodewasm?url')).default], 'J2KDecoder');

export const webFrameDecoders: FrameDecoders = {
  jpeg: async (bytes) => decodeRawWithWasm(await libjpegTurbo(), bytes, 'a JPEG frame'),
  jpegLs: async (bytes) => decodeRawWithWasm(await charls(), bytes, 'a JPEG-LS frame'),
  jpeg2000: async (bytes) => decodeRawWithWasm(await openJpeg(), bytes, 'a JPEG 2000 frame'),
  jpegLossless: async (bytes) => (await import('./jpegLossless')).decodeJpegLossless(bytes),
};
