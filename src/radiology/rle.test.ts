// RLE frames derived by hand from PS3.5 G.3.1: a byte n in 0..127 copies the next n+1 bytes, n in
// -127..-1 repeats the next byte 1-n times, -128 does nothing. (Whole files are checked against
// pydicom in frames.test.ts.)
import { describe, expect, it } from 'vitest';
import { decodeRle } from './rle';

/** A frame: the 64-byte header (segment count, then offsets), then the segments. */
function frame(segments: number[][]): Uint8Array {
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let at = 64;
  segments.forEach((s, i) => {
    header.setUint32(4 + 4 * i, at, true);
    at += s.length;
  });
  return new Uint8Array([...new Uint8Array(header.buffer), ...segments.flat()]);
}

describe('RLE Lossless', () => {
  it('16-bit samples: the first segment holds the high bytes, the second the low bytes', () => {
    // High bytes: 0x01 repeated 3 times (-2 = 0xFE), then a literal 0x02. Low bytes: literal 0x10 0x20 0x30 0x40.
    const bytes = decodeRle(frame([[0xfe, 0x01, 0x00, 0x02], [0x80, 0x03, 0x10, 0x20, 0x30, 0x40]]), 4, 1, 2);
    expect(Array.from(new Uint16Array(bytes.buffer))).toEqual([0x0110, 0x0120, 0x0130, 0x0240]);
  });

  it('a segment that ends early, and a header that lists the wrong number of segments, say so', () => {
    expect(() => decodeRle(frame([[0x01, 5, 6]]), 4, 1, 1)).toThrow('RLE segment 1 ends after 2 of 4 pixels');
    expect(() => decodeRle(frame([[0x00, 5]]), 1, 3, 1)).toThrow('the RLE header lists 1 segments where 3 samples of 1 bytes need 3');
  });
});
