import type { ByteSource } from './types';

/** A File (or any Blob) as a byte source: each read is one `Blob.slice`, nothing else is loaded. */
export function blobSource(blob: Blob, name = (blob as File).name ?? 'file'): ByteSource {
  return {
    name,
    size: blob.size,
    async read(offset, length) {
      const end = Math.min(blob.size, offset + length);
      return new Uint8Array(await blob.slice(offset, end).arrayBuffer());
    },
  };
}
