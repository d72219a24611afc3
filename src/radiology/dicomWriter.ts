/**
 * Writing DICOM: datasets whose element values are already bytes (re-emitted as they were, or
 * encoded by the caller), sequences from their items, and the Part 10 file around them (preamble,
 * DICM, file meta group with its length). Used by de-identification and by the SR export.
 */
import { concatBytes } from '../formats/zip';
import { LONG_VRS, tag, type DicomDataset, type DicomElement } from '../slides/dicomDataset';

export const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A text value (UTF-8 beyond ASCII, for ISO_IR 192) padded to an even length: with a NUL for UIDs, a space otherwise (PS3.5 6.2). */
export function textValue(s: string, vr: string): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = vr === 'UI' ? 0 : 0x20;
  return padded;
}

/** A kept sequence, its items de-identified: written from `items`, not from its original bytes. */
export interface SequenceElement extends DicomElement {
  items: DicomDataset[];
}

export class DicomWriter {
  private readonly chunks: Uint8Array[] = [];
  constructor(private readonly explicit: boolean) {}
  bytes(b: Uint8Array) {
    this.chunks.push(b);
  }
  private u16u16u32(a: number, b: number, c: number) {
    const h = new DataView(new ArrayBuffer(8));
    h.setUint16(0, a, true);
    h.setUint16(2, b, true);
    h.setUint32(4, c, true);
    this.bytes(new Uint8Array(h.buffer));
  }
  private header(t: number, vr: string, length: number) {
    if (!this.explicit) return this.u16u16u32(t >>> 16, t & 0xffff, length);
    const h = new DataView(new ArrayBuffer(LONG_VRS.has(vr) ? 12 : 8));
    h.setUint16(0, t >>> 16, true);
    h.setUint16(2, t & 0xffff, true);
    h.setUint8(4, vr.charCodeAt(0));
    h.setUint8(5, vr.charCodeAt(1));
    if (LONG_VRS.has(vr)) h.setUint32(8, length, true);
    else h.setUint16(6, length, true);
    this.bytes(new Uint8Array(h.buffer));
  }
  dataset(ds: DicomDataset) {
    for (const t of [...ds.keys()].sort((a, b) => a - b)) {
      const e = ds.get(t)!;
      if (e.vr !== 'SQ') {
        this.header(t, e.vr, e.value.length);
        this.bytes(e.value);
        continue;
      }
      // A sequence whose items were in implicit VR inside an explicit file was written as UN (PS3.5 6.2.2).
      this.header(t, this.explicit && e.sequence?.explicitItems === false ? 'UN' : 'SQ', 0xffffffff);
      const nested = new DicomWriter(this.explicit && e.sequence?.explicitItems !== false);
      for (const item of (e as SequenceElement).items ?? []) {
        nested.u16u16u32(0xfffe, 0xe000, 0xffffffff);
        nested.dataset(item);
        nested.u16u16u32(0xfffe, 0xe00d, 0);
      }
      nested.u16u16u32(0xfffe, 0xe0dd, 0);
      for (const c of nested.chunks) this.bytes(c);
    }
  }
  concat(): Uint8Array {
    return concatBytes(this.chunks);
  }
}


/** A Part 10 file: 128-byte preamble, DICM, the file meta group (its group length computed) and the dataset bytes. */
export function partTenFile(meta: DicomDataset, dataBytes: Uint8Array): Uint8Array {
  const withoutLength: DicomDataset = new Map(meta);
  withoutLength.delete(tag(0x0002, 0x0000));
  const metaWriter = new DicomWriter(true);
  metaWriter.dataset(withoutLength);
  const metaBody = metaWriter.concat();
  // File Meta Information Group Length: the bytes of the meta group after it (PS3.10 7.1).
  const groupLength = new Uint8Array(12);
  const gl = new DataView(groupLength.buffer);
  gl.setUint16(0, 0x0002, true);
  gl.setUint8(4, 0x55);
  gl.setUint8(5, 0x4c); // "UL"
  gl.setUint16(6, 4, true);
  gl.setUint32(8, metaBody.length, true);
  const result = new Uint8Array(132 + 12 + metaBody.length + dataBytes.length);
  result.set(ascii('DICM'), 128);
  result.set(groupLength, 132);
  result.set(metaBody, 144);
  result.set(dataBytes, 144 + metaBody.length);
  return result;
}
