import { Decoder as LosslessJpegDecoder } from 'jpeg-lossless-decoder-js';
import type { CodecFrame } from './frames';

/** JPEG lossless (process 14, and SV1) in JavaScript: libjpeg-turbo's 8-bit build cannot decode it. */
export function decodeJpegLossless(bytes: Uint8Array): CodecFrame {
  const decoder = new LosslessJpegDecoder();
  const copy = bytes.slice();
  const samples = decoder.decode(copy.buffer, 0, copy.length);
  const bitsPerSample = decoder.precision ?? 8;
  // Its output is a typed array in the platform's byte order, which is little endian wherever browsers and Node run.
  return { width: decoder.xDim, height: decoder.yDim, bitsPerSample, componentCount: decoder.numComp, bytes: new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength) };
}
