/**
 * An image's width and height from its header, without decoding pixels: PNG's IHDR chunk, or the
 * first start-of-frame segment of a JPEG. A JPEG whose EXIF orientation turns it a quarter turn
 * (5–8) is shown, labelled and trained on turned, so its width and height are swapped, as
 * browsers and YOLO trainers do.
 */
export type ImageSizeResult =
  | { ok: true; type: 'png' | 'jpeg'; width: number; height: number }
  /** `more`: the header goes on past the bytes given; read at least this many and ask again. */
  | { ok: false; more?: number; message: string };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function imageSize(bytes: Uint8Array): ImageSizeResult {
  if (bytes.length >= 8 && PNG.every((b, i) => bytes[i] === b)) return pngSize(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegSize(bytes);
  return { ok: false, message: 'is not a PNG or JPEG image, so its size cannot be read' };
}

const be16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const be32 = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

function pngSize(b: Uint8Array): ImageSizeResult {
  if (b.length < 24) return { ok: false, more: 24, message: 'is a PNG image cut short before its size' };
  if (String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') return { ok: false, message: 'is a PNG image without its IHDR header' };
  const width = be32(b, 16), height = be32(b, 20);
  if (width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) return { ok: false, message: `is a PNG image with an impossible size ${width} × ${height}` };
  return { ok: true, type: 'png', width, height };
}

/** Start-of-frame markers: C0–CF except C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpegSize(b: Uint8Array): ImageSizeResult {
  let i = 2;
  let turned = false;
  for (;;) {
    if (i + 4 > b.length) return { ok: false, more: i + 4, message: 'is a JPEG image cut short before its size' };
    if (b[i] !== 0xff) return { ok: false, message: `is a JPEG image with a broken header (byte ${i})` };
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return { ok: false, message: 'is a JPEG image without a frame header' };
    const length = be16(b, i + 2);
    if (length < 2) return { ok: false, message: `is a JPEG image with a broken header (byte ${i})` };
    if (isStartOfFrame(marker)) {
      if (i + 9 > b.length) return { ok: false, more: i + 9, message: 'is a JPEG image cut short before its size' };
      const height = be16(b, i + 5), width = be16(b, i + 7);
      if (width < 1 || height < 1) return { ok: false, message: `is a JPEG image with an impossible size ${width} × ${height}` };
      return turned ? { ok: true, type: 'jpeg', width: height, height: width } : { ok: true, type: 'jpeg', width, height };
    }
    if (marker === 0xe1) {
      if (i + 2 + length > b.length) return { ok: false, more: i + 2 + length + 4, message: 'is a JPEG image cut short in its EXIF block' };
      const o = exifOrientation(b.subarray(i + 4, i + 2 + length));
      if (o !== undefined) turned = o >= 5 && o <= 8;
    }
    i += 2 + length;
  }
}

/** The orientation tag (0x0112) of IFD0 in an APP1 `Exif\0\0` payload, when there is one. */
function exifOrientation(p: Uint8Array): number | undefined {
  if (p.length < 14 || String.fromCharCode(...p.subarray(0, 6)) !== 'Exif\0\0') return undefined;
  const t = p.subarray(6); // the TIFF structure; offsets count from here
  const little = t[0] === 0x49 && t[1] === 0x49;
  if (!little && !(t[0] === 0x4d && t[1] === 0x4d)) return undefined;
  const u16 = (i: number) => (little ? t[i] | (t[i + 1] << 8) : be16(t, i));
  const u32 = (i: number) => (little ? (t[i] | (t[i + 1] << 8) | (t[i + 2] << 16) | (t[i + 3] << 24)) >>> 0 : be32(t, i));
  const ifd = u32(4);
  if (ifd + 2 > t.length) return undefined;
  const count = u16(ifd);
  for (let k = 0; k < count; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > t.length) return undefined;
    if (u16(e) === 0x0112) return u16(e + 8);
  }
  return undefined;
}
