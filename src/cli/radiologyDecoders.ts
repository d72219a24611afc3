/**
 * Frame decoders for CT/MR in Node: libjpeg-turbo (JPEG baseline), CharLS (JPEG-LS) and OpenJPEG
 * (JPEG 2000), compiled to WebAssembly, and a JavaScript JPEG lossless (process 14) decoder,
 * which libjpeg-turbo's 8-bit build cannot do.
 */
import type { FrameDecoders } from '../radiology/frames';
import { decodeJpegLossless } from '../radiology/jpegLossless';
import { decodeRawWithWasm } from '../slides/pixels';
import { loader } from './slideDecoders';

const libjpegTurbo = loader('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder');
const charls = loader('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder');
const openJpeg = loader('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder');

export const nodeFrameDecoders: FrameDecoders = {
  jpeg: async (bytes) => decodeRawWithWasm(await libjpegTurbo(), bytes, 'a JPEG frame'),
  jpegLs: async (bytes) => decodeRawWithWasm(await charls(), bytes, 'a JPEG-LS frame'),
  jpeg2000: async (bytes) => decodeRawWithWasm(await openJpeg(), bytes, 'a JPEG 2000 frame'),
  jpegLossless: async (bytes) => decodeJpegLossless(bytes),
};
