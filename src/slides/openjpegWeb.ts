/**
 * JPEG 2000 tiles (Aperio 33003/33005, DICOM) in the browser: OpenJPEG compiled to WebAssembly, the
 * decoder OpenSlide uses. Loaded on the first JPEG 2000 tile only, so JPEG slides fetch nothing more.
 */
import OpenJPEGWASM from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import wasmUrl from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import { decodeWithWasm, type WasmDecoder } from './pixels';
import type { RgbaImage } from './types';

let decoder: Promise<WasmDecoder> | null = null;

export async function decodeJpeg2000(bytes: Uint8Array): Promise<RgbaImage> {
  decoder ??= OpenJPEGWASM({ locateFile: () => wasmUrl, print: () => {}, printErr: () => {} }).then((m) => new (m.J2KDecoder as new () => WasmDecoder)());
  return decodeWithWasm(await decoder, bytes, 'JPEG 2000');
}
