import { describe, expect, it } from 'vitest';
import { jpegBytes, pngBytes } from '../../../tests/fixtures/formats/images';
import { readAnyFormat } from '../detect';
import { validateSharedText } from '../shared/validate';
import { zipStore, concatBytes } from '../zip';
import { binaryKindOfBytes, binaryKindOfText } from './signature';

/** What a browser's File.text() and Node's readFile(…, 'utf8') make of these bytes. */
const asText = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);

const tiff = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
const bigTiff = new Uint8Array([0x49, 0x49, 0x2b, 0x00, 0x08, 0x00, 0x00, 0x00]);
const pdf = new TextEncoder().encode('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n');
const zip = concatBytes(zipStore([{ name: 'labels/a.txt', data: '0 0.5 0.5 0.1 0.1\n' }]));

describe('binary files where an annotation file belongs', () => {
  const cases: [string, Uint8Array, string][] = [
    ['PNG', pngBytes(64, 48), 'a PNG image'],
    ['JPEG (JFIF)', jpegBytes(64, 48), 'a JPEG image'],
    ['JPEG (EXIF)', jpegBytes(64, 48, { orientation: 1 }), 'a JPEG image'],
    ['TIFF', tiff, 'a TIFF image'],
    ['BigTIFF', bigTiff, 'a TIFF image'],
    ['ZIP', zip, 'a ZIP archive'],
    ['PDF', pdf, 'a PDF document'],
    ['DICOM', new Uint8Array([...new Uint8Array(128), ...new TextEncoder().encode('DICM'), 2, 0, 0, 0]), 'a DICOM file'],
  ];

  it('knows each by its first bytes, and by the same bytes after UTF-8 decoding', () => {
    for (const [, bytes, what] of cases) {
      expect(binaryKindOfBytes(bytes)).toBe(what);
      expect(binaryKindOfText(asText(bytes))).toBe(what);
    }
  });

  it('a PNG renamed .json: "is a PNG image, not an annotation file", on import and in convert', () => {
    const text = asText(pngBytes(64, 48));
    expect(readAnyFormat(text, 'labels.json')).toEqual({ ok: false, problems: [{ path: '(file)', message: 'is a PNG image, not an annotation file' }] });
    expect(validateSharedText(text)).toEqual({ ok: false, problems: [{ path: '(file)', message: 'is a PNG image, not an annotation file' }] });
    for (const name of ['labels.csv', 'frame.txt']) expect(readAnyFormat(text, name)).toMatchObject({ ok: false, problems: [{ path: '(file)', message: 'is a PNG image, not an annotation file' }] });
    expect(readAnyFormat(asText(zip), 'dataset.json')).toEqual({ ok: false, problems: [{ path: '(file)', message: 'is a ZIP archive, not an annotation file: unpack it first, then give the annotation file (or, for a YOLO dataset, its folder)' }] });
  });

  it('text in a legacy encoding is still told to be saved as UTF-8', () => {
    // "画像,読影医,所見" in Shift_JIS: not UTF-8, not a known binary file.
    const sjis = new Uint8Array([0x89, 0xe6, 0x91, 0x9c, 0x2c, 0x93, 0xc7, 0x89, 0x65, 0x88, 0xe3, 0x2c, 0x8f, 0x8a, 0x8c, 0xa9, 0x0a]);
    expect(binaryKindOfText(asText(sjis))).toBeUndefined();
    expect(readAnyFormat(asText(sjis), 'labels.csv')).toMatchObject({ ok: false, problems: [{ path: '(file)', message: 'is not valid UTF-8 text (save it as UTF-8; Latin-1 or Shift_JIS files need converting)' }] });
    // Latin-1 "é" opening a line: one stray byte, no signature.
    expect(binaryKindOfText(asText(new Uint8Array([0xe9, 0x74, 0xe9, 0x0a])))).toBeUndefined();
  });
});
