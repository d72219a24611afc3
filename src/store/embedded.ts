import type { EmbeddedFile } from '../formats/shared/convert';
import type { BlobRow } from '../storage/db';
import type { ProjectData } from '../model/projectData';

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A document's embedded image files as the project's stored files. */
export function embeddedBlobs(files: readonly EmbeddedFile[] | undefined, projectId: string): BlobRow[] {
  return (files ?? []).map((f) => ({ blobId: f.blobId, projectId, mime: f.mime, data: new Blob([base64ToBytes(f.base64) as BlobPart], { type: f.mime }) }));
}

/** The image files of `data`'s images among `blobs`, for a document that carries them. */
export async function embeddedFiles(blobs: readonly BlobRow[], data: Pick<ProjectData, 'images'>): Promise<EmbeddedFile[]> {
  const used = new Set(data.images.flatMap((i) => (i.source.kind === 'file' ? [i.source.blobId] : [])));
  const files: EmbeddedFile[] = [];
  for (const b of blobs) if (used.has(b.blobId)) files.push({ blobId: b.blobId, mime: b.mime, base64: bytesToBase64(new Uint8Array(await b.data.arrayBuffer())) });
  return files;
}
