import type { IDBPDatabase } from 'idb';
import { cocoFileChunks } from '../formats/coco/write';
import { geoJsonFileChunks } from '../formats/geojson/stream';
import { safeFileName } from '../formats/interchange/ids';
import { excludeOptedOut } from '../formats/optOut';
import { sharedDocumentChunks, type WriteProgress } from '../formats/shared/stream';
import { zipStore, type ZipEntry } from '../formats/zip';
import { annotationCount, annotationSource, type SourcedProject } from '../model/annotationSource';
import { nowIso } from '../model/ids';
import { firstLabelGaps, type GapSummary } from '../model/labelChecks';
import { packedAnnotationSource } from '../storage/annotationPack';
import type { GranulaDb } from '../storage/db';
import { loadStoredProject, projectBlobs } from '../storage/repository';
import { embeddedFiles } from './embedded';

/** The formats written piece by piece (a slide's million outlines are more than one string holds). */
export type StreamedExportFormat = 'shared' | 'coco' | 'geojson';
export const STREAMED_EXPORTS: readonly string[] = ['shared', 'coco', 'geojson'] satisfies StreamedExportFormat[];

export const EXPORT_MIME: Record<string, string> = { json: 'application/json', geojson: 'application/geo+json', csv: 'text/csv', txt: 'text/plain', zip: 'application/zip' };

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

/** Bytes handed over between pauses (to paint, or to take a Cancel message). */
const PAUSE_EVERY = 4 << 20;

/** Lets what waits (input, painting, a message) run before going on. */
export function nextTask(): Promise<void> {
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
 * Reads a chunked writer's output, handing it over a few MB at a time (`take`, awaited: a file
 * stream's backpressure) and pausing after each batch. `progress` says how far the writer is (0 to 1).
 */
export async function readChunks(chunks: Iterable<Uint8Array>, progress: () => number, control: WriteControl, take: (batch: Uint8Array[]) => void | Promise<void>): Promise<void> {
  if (control.signal?.aborted) throw new ExportCancelled();
  let batch: Uint8Array[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    batch.push(chunk);
    bytes += chunk.length;
    if (bytes < PAUSE_EVERY) continue;
    await take(batch);
    batch = [];
    bytes = 0;
    control.onProgress?.(Math.min(1, progress()));
    await nextTask();
    if (control.signal?.aborted) throw new ExportCancelled();
  }
  await take(batch);
}

/** A chunked writer's output as one Blob, a few MB per part (never one string). */
export async function chunksToBlob(chunks: Iterable<Uint8Array>, progress: () => number, control: WriteControl, type: string): Promise<Blob> {
  const parts: Blob[] = [];
  await readChunks(chunks, progress, control, (batch) => void parts.push(new Blob(batch as BlobPart[])));
  return new Blob(parts, { type });
}

/** What one export writes: one file, from its chunks. */
export interface ExportFile {
  name: string;
  mime: string;
  chunks: Iterable<Uint8Array>;
  /** How far the chunks are, 0 to 1. */
  progress: () => number;
  /** What the writer could not say in the format: complete once every chunk is read. */
  warnings: string[];
}

/** The file name an export of `format` suggests (GeoJSON of several images: a .zip of one file each). */
export function exportFileName(projectName: string, format: StreamedExportFormat, images: readonly { name: string }[]): string {
  if (format === 'shared') return `${safeFileName(projectName)}.granula.json`;
  if (format === 'coco') return `${safeFileName(projectName)}.coco.json`;
  return images.length === 1 ? `${safeFileName(images[0].name.replace(/\.[^.]+$/, ''))}.geojson` : `${safeFileName(projectName)}-geojson.zip`;
}

/**
 * The file an export of `data` (opted-out patients already removed) writes in a streamed format:
 * the shared format, COCO, or QuPath GeoJSON (one FeatureCollection per image; several in a .zip).
 * The annotations may be a source (model/annotationSource): each is built as it is written.
 */
export async function streamedExportFile(data: SourcedProject, format: StreamedExportFormat, opts: { files?: Awaited<ReturnType<typeof embeddedFiles>>; exportedAt?: string }, control: WriteControl = {}): Promise<ExportFile> {
  const exportedAt = opts.exportedAt ?? nowIso();
  const progress: WriteProgress = { done: 0 };
  const total = Math.max(1, annotationCount(data.annotations));
  const fraction = () => progress.done / total;
  if (format === 'shared') return { name: exportFileName(data.project.name, format, data.images), mime: EXPORT_MIME.json, chunks: sharedDocumentChunks(data, { exportedAt, files: opts.files }, undefined, progress), progress: fraction, warnings: [] };
  if (format === 'coco') {
    const { chunks, warnings } = cocoFileChunks(data, { exportedAt }, undefined, progress);
    return { name: `${safeFileName(data.project.name)}.coco.json`, mime: EXPORT_MIME.json, chunks: chunks(), progress: fraction, warnings };
  }
  const { files, warnings } = geoJsonFileChunks(data, { exportedAt }, undefined, progress);
  if (files.length === 1) return { name: files[0].name, mime: EXPORT_MIME.geojson, chunks: files[0].chunks(), progress: fraction, warnings };
  const folder = `${safeFileName(data.project.name)}-geojson`;
  const entries: ZipEntry[] = [];
  for (const f of files) {
    const chunks: Uint8Array[] = [];
    await readChunks(f.chunks(), fraction, control, (batch) => void chunks.push(...batch));
    entries.push({ name: `${folder}/${f.name}`, data: chunks });
  }
  return { name: `${folder}.zip`, mime: EXPORT_MIME.zip, chunks: zipStore(entries), progress: fraction, warnings };
}

/** Where an export's bytes go: a file the user chose (File System Access API), or a Blob to download. */
export interface ExportTarget {
  write(batch: Uint8Array[]): Promise<void>;
  /** The Blob to download, or nothing (the file is written). */
  close(): Promise<Blob | undefined>;
  /** Nothing of the export is left behind. */
  abort(): Promise<void>;
}

/** A Blob built a few MB per part. */
export function blobTarget(mime: string): ExportTarget {
  const parts: Blob[] = [];
  return {
    write: async (batch) => void parts.push(new Blob(batch as BlobPart[])),
    close: async () => new Blob(parts, { type: mime }),
    abort: async () => void (parts.length = 0),
  };
}

/** The minimum of the File System Access API an export uses (typed here: not in TypeScript's DOM lib for every browser). */
export interface SaveFileHandle {
  name: string;
  createWritable(): Promise<{ write(data: BlobPart): Promise<void>; close(): Promise<void>; abort(): Promise<void> }>;
  remove?(): Promise<void>;
}

/** The file the user chose: written as the bytes come, discarded and removed on a cancel or a failure. */
export async function fileTarget(handle: SaveFileHandle): Promise<ExportTarget> {
  const writable = await handle.createWritable();
  return {
    write: (batch) => writable.write(new Blob(batch as BlobPart[])),
    close: async () => {
      await writable.close();
      return undefined;
    },
    abort: async () => {
      await writable.abort().catch(() => undefined);
      await handle.remove?.().catch(() => undefined);
    },
  };
}

export interface ExportRequest {
  projectId: string;
  format: StreamedExportFormat;
  includeImages: boolean;
  /** Write even if labels lack a required value (the user said to, having seen them). */
  allowGaps?: boolean;
  exportedAt?: string;
}

/** What an export holds. */
export interface ExportCounts {
  images: number;
  annotations: number;
  excludedImages: number;
}

/** Labels lacking a required value, found before anything is written: the user is asked first (the page lists a few; a long list stays in the counts). */
export type LabelGaps = GapSummary;

export type ExportResult =
  | ({ ok: true; name: string; mime: string; blob?: Blob; warnings: string[] } & ExportCounts)
  | ({ ok: false; cancelled?: false } & LabelGaps)
  | { ok: false; cancelled: true }
  | { ok: false; cancelled?: false; message: string };

/** Gaps handed back at most: enough to list and sort; the counts say how many there are. */
const GAPS_HANDED = 1_000;

/**
 * The export's check before writing: labels that lack a required value (in worklist order), or null
 * when none do. Reads the annotations as they come (a source is never held whole).
 */
export function checkLabels(data: SourcedProject): LabelGaps | null {
  const found = firstLabelGaps(annotationSource(data.annotations), data.images, data.schemas, GAPS_HANDED);
  return found.gapCount ? found : null;
}

/**
 * Writes an export of a stored project (read from the database here, opted-out patients removed)
 * through the streaming writers to `target`; a cancel or a failure leaves nothing behind. The
 * annotations are read from their packs as they are written (a slide's million outlines are never
 * a million objects at once).
 */
export async function writeExport(db: IDBPDatabase<GranulaDb>, request: ExportRequest, target: (name: string, mime: string) => Promise<ExportTarget>, control: WriteControl = {}): Promise<ExportResult> {
  const stored = await loadStoredProject(db, request.projectId);
  if (!stored) return { ok: false, message: 'the project is not in this browser' };
  // The packs stay packed: each annotation is built as a writer reaches it, never all at once.
  const { rows, packed } = stored.annotations;
  const { data, excludedImages } = excludeOptedOut({ ...stored, annotations: packedAnnotationSource(packed, rows) });
  const gaps = request.allowGaps ? null : checkLabels(data);
  if (gaps) return { ok: false, ...gaps };
  const files = request.format === 'shared' && request.includeImages ? embeddedFiles(await projectBlobs(db, request.projectId), data) : undefined;
  let out: ExportTarget | undefined;
  try {
    const file = await streamedExportFile(data, request.format, { files: await files, exportedAt: request.exportedAt }, control);
    out = await target(file.name, file.mime);
    await readChunks(file.chunks, file.progress, control, (batch) => out!.write(batch));
    const blob = await out.close();
    control.onProgress?.(1);
    return { ok: true, name: file.name, mime: file.mime, ...(blob ? { blob } : {}), warnings: [...file.warnings], images: data.images.length, annotations: annotationCount(data.annotations), excludedImages };
  } catch (e) {
    await out?.abort();
    if (e instanceof ExportCancelled) return { ok: false, cancelled: true };
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
