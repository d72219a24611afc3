/**
 * Files that are not text at all: an image or an archive picked by mistake (or renamed). Each is
 * known by its first bytes, so the message can say what the file is instead of blaming its encoding.
 */

interface Signature {
  what: string;
  /** Byte values at `at`; `-1` matches any byte. */
  bytes: number[];
  at?: number;
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const SIGNATURES: Signature[] = [
  { what: 'a PNG image', bytes: [0x89, ...ascii('PNG\r\n\x1a\n')] },
  { what: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { what: 'a TIFF image', bytes: ascii('II*\0') },
  { what: 'a TIFF image', bytes: ascii('MM\0*') },
  { what: 'a TIFF image', bytes: ascii('II+\0') }, // BigTIFF, as large slides are
  { what: 'a TIFF image', bytes: ascii('MM\0+') },
  { what: 'a ZIP archive', bytes: ascii('PK\x03\x04') },
  { what: 'a ZIP archive', bytes: ascii('PK\x05\x06') }, // an empty one
  { what: 'a PDF document', bytes: ascii('%PDF-') },
  { what: 'a GIF image', bytes: ascii('GIF8') },
  { what: 'a WebP image', bytes: [...ascii('RIFF'), -1, -1, -1, -1, ...ascii('WEBP')] },
  { what: 'a DICOM file', bytes: ascii('DICM'), at: 128 },
  { what: 'a gzip archive', bytes: [0x1f, 0x8b] },
];

/** What a binary file is, from its first bytes (`a PNG image`), or undefined for anything else. */
export function binaryKindOfBytes(bytes: Uint8Array): string | undefined {
  for (const s of SIGNATURES) {
    const at = s.at ?? 0;
    if (bytes.length >= at + s.bytes.length && s.bytes.every((b, i) => b < 0 || bytes[at + i] === b)) return s.what;
  }
  return undefined;
}

/**
 * The same, for a file already decoded as UTF-8 (the browser's `File.text()`): every byte that is
 * not valid UTF-8 has become U+FFFD, so a byte of 0x80 or above matches U+FFFD. JPEG's three such
 * bytes could also open a legacy-encoded text, so it also needs the NUL or `JFIF`/`Exif` that
 * follow in a real JPEG (text never holds a NUL).
 */
export function binaryKindOfText(text: string): string | undefined {
  const head = text.slice(0, 200);
  for (const s of SIGNATURES) {
    const at = s.at ?? 0;
    if (s.bytes.some((b) => b >= 0x80)) {
      // Bytes of 0x80 and above decode one U+FFFD each in these signatures (none is valid UTF-8).
      const ok = head.length >= at + s.bytes.length && s.bytes.every((b, i) => b < 0 || (b >= 0x80 ? head.charCodeAt(at + i) === 0xfffd : head.charCodeAt(at + i) === b));
      if (!ok) continue;
      if (s.what === 'a JPEG image' && !/\0|JFIF|Exif/.test(head.slice(3, 16))) continue;
      return s.what;
    }
    if (s.bytes.includes(-1)) {
      // WebP: the four size bytes may decode to fewer characters; look for the tag just after.
      if (head.startsWith('RIFF') && head.slice(4, 12).includes('WEBP')) return s.what;
      continue;
    }
    const tag = String.fromCharCode(...s.bytes);
    // DICOM: a 128-byte preamble (zeros, or bytes that are not text) before `DICM`.
    const preamble = s.at !== undefined && /^[\0\uFFFD]/.test(head) && head.indexOf(tag) >= 60 && head.indexOf(tag) <= s.at;
    if (s.at !== undefined ? preamble : head.startsWith(tag)) return s.what;
  }
  return undefined;
}

/** The message for a binary file where an annotation file was expected, or null. */
export function binaryFileProblem(kind: string | undefined): string | null {
  if (!kind) return null;
  const advice = kind.endsWith('archive') ? ': unpack it first, then give the annotation file (or, for a YOLO dataset, its folder)' : '';
  return `is ${kind}, not an annotation file${advice}`;
}
