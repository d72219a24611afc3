import type { FormatName } from '../formats/detect';
import { geoJsonFileChunks } from '../formats/geojson/stream';
import type { WriteProgress } from '../formats/shared/stream';
import { safeFileName } from '../formats/interchange/ids';
import { writeAny } from '../formats/writeAny';
import { zipStore, type ZipEntry } from '../formats/zip';
import type { ProjectData } from '../model/projectData';
import { loadProjectBlobs } from '../store/workspace';

/** One file handed to the browser's download. */
export interface Download {
  name: string;
  parts: BlobPart[];
  mime: string;
}

const MIME: Record<string, string> = { json: 'application/json', geojson: 'application/geo+json', csv: 'text/csv', txt: 'text/plain', zip: 'application/zip' };
const IMAGE_EXTENSIONS: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/tiff': '.tif', 'image/webp': '.webp', 'image/bmp': '.bmp' };

export function textDownload(name: string, text: string): Download {
  return { name, parts: [text], mime: MIME[name.split('.').pop() ?? ''] ?? 'application/octet-stream' };
}

/** How a long write is followed and stopped. */
export interface WriteControl {
  /** How far the writing is, 0 to 1; called every few MB. */
  onProgress?: (fraction: number) => void;
  /** Aborted: the write stops at its next pause and rejects with ExportCancelled. */
  signal?: AbortSignal;
}

export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled');
    this.name = 'ExportCancelled';
  }
}

/** Bytes read between pauses for the page (to paint, take a click on Cancel). */
const PAUSE_EVERY = 4 << 20;

/** Lets the page handle what waits (input, painting) before going on. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    // A message is not slowed down in a background tab as a timer is.
    if (typeof MessageChannel !== 'function') {
      setTimeout(resolve, 0);
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      channel.port2.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Reads a chunked writer's output, handing it over a few MB at a time (`take`) and pausing for
 * the page after each batch. `progress` says how far the writer is (0 to 1).
 */
async function readChunks(chunks: Iterable<Uint8Array>, progress: () => number, control: WriteControl, take: (batch: Uint8Array[]) => void): Promise<void> {
  if (control.signal?.aborted) throw new ExportCancelled();
  let batch: Uint8Array[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    batch.push(chunk);
    bytes += chunk.length;
    if (bytes < PAUSE_EVERY) continue;
    take(batch);
    batch = [];
    bytes = 0;
    control.onProgress?.(Math.min(1, progress()));
    await nextTask();
    if (control.signal?.aborted) throw new ExportCancelled();
  }
  take(batch);
}

/** A chunked writer's output as one Blob, a few MB per part (never one string). */
export async function chunksToBlob(chunks: Iterable<Uint8Array>, progress: () => number, control: WriteControl, type: string): Promise<Blob> {
  const parts: Blob[] = [];
  await readChunks(chunks, progress, control, (batch) => parts.push(new Blob(batch as BlobPart[])));
  return new Blob(parts, { type });
}

/** A shared-format document as its download, written from its chunks. */
export async function sharedDownload(name: string, chunks: (progress: WriteProgress) => Iterable<Uint8Array>, annotations: number, control: WriteControl = {}): Promise<Download> {
  const progress: WriteProgress = { done: 0 };
  const blob = await chunksToBlob(chunks(progress), () => progress.done / Math.max(1, annotations), control, MIME.json);
  return { name, parts: [blob], mime: MIME.json };
}

/**
 * A project in a foreign format as downloads, one per export: a format of one file as that file;
 * several files as one .zip holding a folder: a YOLO dataset (with `images/` when asked and the
 * image files are in this browser), or QuPath GeoJSON with one FeatureCollection per image.
 */
export async function foreignDownloads(data: ProjectData, format: Exclude<FormatName, 'shared'>, opts: { includeImages: boolean }, control: WriteControl = {}): Promise<{ downloads: Download[]; warnings: string[] }> {
  if (format === 'geojson') return geoJsonDownloads(data, control);
  const written = writeAny(data, format, { yoloLayout: 'dataset' });
  const warnings = [...written.warnings];
  if (format !== 'yolo' && written.files.length === 1) return { downloads: [textDownload(written.files[0].name, written.files[0].text)], warnings };
  const folder = `${safeFileName(data.project.name)}-${format}`;
  const entries: { name: string; data: Uint8Array | string }[] = written.files.map((f) => ({ name: `${folder}/${f.name}`, data: f.text }));
  if (format === 'yolo' && opts.includeImages && written.images?.length) {
    const blobs = new Map((await loadProjectBlobs(data.project.id)).map((b) => [b.blobId, b]));
    const byId = new Map(data.images.map((im) => [im.id, im]));
    let missing = 0;
    for (const slot of written.images) {
      const source = byId.get(slot.imageId)?.source;
      const blob = source?.kind === 'file' ? blobs.get(source.blobId) : undefined;
      if (!blob) {
        missing++;
        continue;
      }
      entries.push({ name: `${folder}/images/${slot.stem}${slot.ext || IMAGE_EXTENSIONS[blob.mime] || ''}`, data: new Uint8Array(await blob.data.arrayBuffer()) });
    }
    if (missing) warnings.push(`${missing} of ${written.images.length} images are not files added in this browser (demo or linked images), so they are not in images/`);
  } else if (format === 'yolo' && written.images?.length) {
    warnings.push('no images/ folder: copy the image files into images/, each named as its label file (labels/frame-001.txt, images/frame-001.jpg), or export again with the image files');
  }
  return { downloads: [{ name: `${folder}.zip`, parts: zipStore(entries) as BlobPart[], mime: MIME.zip }], warnings };
}

/** QuPath GeoJSON, one FeatureCollection per image, each written from its chunks (never one string). */
async function geoJsonDownloads(data: ProjectData, control: WriteControl): Promise<{ downloads: Download[]; warnings: string[] }> {
  const progress: WriteProgress = { done: 0 };
  const { files, warnings } = geoJsonFileChunks(data, {}, undefined, progress);
  const fraction = () => progress.done / Math.max(1, data.annotations.length);
  if (files.length === 1) {
    const blob = await chunksToBlob(files[0].chunks(), fraction, control, MIME.geojson);
    return { downloads: [{ name: files[0].name, parts: [blob], mime: MIME.geojson }], warnings };
  }
  const folder = `${safeFileName(data.project.name)}-geojson`;
  const entries: ZipEntry[] = [];
  for (const f of files) {
    const chunks: Uint8Array[] = [];
    await readChunks(f.chunks(), fraction, control, (batch) => {
      for (const c of batch) chunks.push(c);
    });
    entries.push({ name: `${folder}/${f.name}`, data: chunks });
  }
  // The warnings are complete once every file has been read.
  return { downloads: [{ name: `${folder}.zip`, parts: zipStore(entries) as BlobPart[], mime: MIME.zip }], warnings: [...warnings] };
}
