/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of up to 15 segment offsets, then one
 * PackBits segment per byte plane — for each sample, its most significant byte first.
 */

/**
 * One RLE frame → its samples as little-endian bytes, interleaved (pixel by pixel), the layout
 * of native Pixel Data with Planar Configuration 0.
 */
export function decodeRle(frame: Uint8Array, pixels: number, samplesPerPixel: number, bytesPerSample: number): Uint8Array {
  if (frame.length < 64) throw new Error(`the RLE frame has ${frame.length} bytes, fewer than its 64-byte header`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected) throw new Error(`the RLE header lists ${segments} segments where ${samplesPerPixel} samples of ${bytesPerSample} bytes need ${expected}`);
  const out = new Uint8Array(pixels * expected);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || end > frame.length || start > end) throw new Error(`RLE segment ${s + 1} lies at bytes ${start}–${end}, outside the ${frame.length}-byte frame`);
    const sample = Math.floor(s / bytesPerSample);
    // Segment 0 of a sample is its most significant byte: the last of the little-endian bytes.
    const byte = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = expected;
    let at = sample * bytesPerSample + byte;
    let written = 0;
    for (let i = start; i < end && written < pixels; ) {
      const n = (frame[i++] << 24) >> 24; // a signed byte
      if (n >= 0) {
        for (let k = 0; k <= n && written < pixels; k++, written++, at += stride) out[at] = frame[i + k];
        i += n + 1;
      } else if (n !== -128) {
        const value = frame[i++];
        for (let k = 0; k < 1 - n && written < pixels; k++, written++, at += stride) out[at] = value;
      }
    }
    if (written < pixels) throw new Error(`RLE segment ${s + 1} ends after ${written} of ${pixels} pixels`);
  }
  return out;
}
