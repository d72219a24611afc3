import type { IDBPDatabase } from 'idb';
import { newId, nowIso } from '../model/ids';
import type { Annotation } from '../model/types';
import type { ProjectData } from '../model/projectData';
import { detectJsonFormat, type ReadFormat } from '../formats/detect';
import { JsonRecordSplitter, JsonStreamError, type JsonRecord } from '../formats/jsonRecords';
import { readJsonStream, textPieces, type ByteSource } from '../formats/streamRead';
import { embeddedBlobs } from './embedded';
import { featureEntry, GeoJsonFeatures, readGeoJson, type Pending } from '../formats/geojson/read';
import { assemble, finish } from '../formats/interchange/build';
import { capProblems, Report } from '../formats/interchange/result';
import type { Problem } from '../formats/shared/paths';
import { isQuotaError, PACKING, packRows, rowKey, type GranulaDb } from '../storage/db';
import { getMeta, setMeta } from '../storage/repository';
import { appendToProject, deleteProject, storeProjects, type KindedRecord } from '../storage/writes';

type Db = IDBPDatabase<GranulaDb>;

/** A file to import: a File is one. Read as a stream, never whole, and possibly twice. */
export type ImportSource = ByteSource;

export interface ImportProgress {
  /** `checking`: the whole file is read and checked, nothing stored yet; `storing`: read again and stored. */
  phase: 'checking' | 'storing';
  /** Bytes of the file read in this phase, of `totalBytes`. */
  bytes: number;
  totalBytes: number;
  /** Records checked or stored so far in this phase. */
  records: number;
}

export type StreamImportResult =
  | { ok: true; projectId: string; name: string; annotations: number; images: number; format: ReadFormat; warnings: Problem[]; incomplete?: Problem[] }
  | {
      ok: false;
      problems: Problem[];
      cancelled?: boolean;
      /** A work package or a return: not stored here; it merges with what the browser holds (read on the page). */
      team?: 'package' | 'return';
    };

export interface StreamImportOptions {
  /** Ids of projects this browser holds: an import of one of them becomes a copy with a new id. */
  existing: ReadonlySet<string>;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Time stamp of the import (fixed in tests). */
  now?: string;
  /** A Web Lock the importing context holds until the import ends (see `sweepUnfinishedImports`). */
  lock?: string;
}

/** Meta rows of imports under way: `${IMPORTING}${projectId}` → the lock their context holds. */
const IMPORTING = 'importing:';

/**
 * Deletes what imports cut short left behind (the tab was closed mid-import: no code ran to clean
 * up), so a cut-short import, too, leaves nothing. An import whose lock is still held is under way
 * in another tab and stays.
 */
export async function sweepUnfinishedImports(db: Db, lockHeld: (name: string) => Promise<boolean>): Promise<string[]> {
  const swept: string[] = [];
  for (const key of await db.getAllKeys('meta')) {
    if (!key.startsWith(IMPORTING)) continue;
    const lock = await getMeta<string | null>(db, key);
    if (lock && (await lockHeld(lock))) continue;
    const projectId = key.slice(IMPORTING.length);
    // Its project row landed (the import ended just before its mark was removed): it is whole.
    if (!(await db.get('records', rowKey(projectId, 'project', projectId)))) {
      await deleteProject(db, projectId);
      swept.push(projectId);
    }
    await db.delete('meta', key);
  }
  return swept;
}

/** The list of a GeoJSON file whose elements (features) are read one at a time; the rest is small. */
const STREAMED_LISTS = ['features'];

class Cancelled extends Error {}

const cancelCheck = (signal: AbortSignal | undefined) => () => {
  if (signal?.aborted) throw new Cancelled();
};

/**
 * Whether the file is GeoJSON (a FeatureCollection or a list of features), judged from its first
 * bytes the way a whole read judges the whole: the members seen so far and the first feature.
 */
export async function streamedFormat(source: ImportSource): Promise<boolean> {
  const splitter = new JsonRecordSplitter(STREAMED_LISTS);
  const records: JsonRecord[] = [];
  try {
    for await (const text of textPieces(source, { limit: 64 * 1024 })) {
      records.push(...splitter.push(text));
      if (records.length || splitter.head.type !== undefined) break;
    }
  } catch {
    return false;
  }
  if (records.some((r) => r.key === 'features')) return true;
  const sample = splitter.root === 'list' ? records.map((r) => r.value) : splitter.head;
  return detectJsonFormat(sample, source.name) === 'geojson' && (splitter.root === 'list' ? records.length > 0 : splitter.head.type === 'FeatureCollection');
}

/** One read of the whole file through `splitter`: each feature handed to `each`; the rest is in `splitter.head` at the end. */
async function readFeatures(source: ImportSource, splitter: JsonRecordSplitter, phase: ImportProgress['phase'], opts: StreamImportOptions, each: (r: JsonRecord) => void | Promise<void>): Promise<void> {
  let records = 0;
  let bytes = 0;
  let last = 0;
  const report = () => opts.onProgress?.({ phase, bytes, totalBytes: source.size, records });
  for await (const text of textPieces(source, { onBytes: (n) => (bytes = n), check: cancelCheck(opts.signal) })) {
    for (const r of splitter.push(text)) {
      await each(r);
      records++;
    }
    // A few progress reports a second are plenty, whatever the chunk size.
    if (Date.now() - last > 100) {
      last = Date.now();
      report();
    }
  }
  splitter.end();
  report();
}

/** The features of a streamed file, checked or converted by `features`, made when the first one comes. */
function featureReader(head: () => Record<string, unknown>, fileName: string, now: string, report: Report) {
  let features: GeoJsonFeatures | undefined;
  let extensionFirst = false;
  return {
    get features(): GeoJsonFeatures {
      return (features ??= new GeoJsonFeatures(head().granula, fileName, { now }, report));
    },
    /** Whether Granula's fields (which add classes) were known when the first feature was read. */
    get extensionFirst(): boolean {
      return extensionFirst;
    },
    read(r: JsonRecord): Pending | undefined {
      if (!features) extensionFirst = head().granula !== undefined;
      return this.features.survey(featureEntry(r.value, r.key ? `${r.key}[${r.index}]` : `[${r.index}]`));
    },
  };
}

/**
 * Imports a GeoJSON (QuPath) file of any size: read once to check every feature (nothing stored),
 * then again to store its annotations in batches under the project's id, the project row last: the
 * project appears only when all of it is stored. A problem, a full disk or a cancel deletes
 * whatever was stored: all or nothing, as a whole-text import.
 */
export async function importGeoJsonStream(db: Db, source: ImportSource, opts: StreamImportOptions): Promise<StreamImportResult> {
  const now = opts.now ?? nowIso();
  let projectId: string | undefined;
  const report = new Report();
  const failed = () => ({ ok: false as const, problems: capProblems(report.problems) });
  try {
    // Round 1: every feature checked, its class and extent noted; nothing stored.
    const splitter = new JsonRecordSplitter(STREAMED_LISTS);
    let checking = featureReader(() => splitter.head, source.name, now, report);
    await readFeatures(source, splitter, 'checking', opts, (r) => void (report.full || checking.read(r)));
    const head = splitter.head;
    if (splitter.root === 'object' && (head.type !== 'FeatureCollection' || head.features !== undefined)) {
      // One Feature or geometry (small), or a collection whose `features` is not a list: read whole.
      return await storeWhole(db, readGeoJson(head, source.name, { now }), opts, now);
    }
    if (report.failed) return failed();
    if (!checking.extensionFirst && head.granula !== undefined) {
      // Granula's fields came after the features: check them again, knowing the classes those fields hold.
      checking = featureReader(() => head, source.name, now, report);
      await readFeatures(source, new JsonRecordSplitter(STREAMED_LISTS), 'checking', opts, (r) => void (report.full || checking.read(r)));
      if (report.failed) return failed();
    }
    const gate = finish('geojson', report, () => assemble(checking.features.parts([])), now);
    if (!gate.ok) return { ok: false, problems: gate.problems };
    const exists = opts.existing.has(gate.data.project.id);
    const pid = (projectId = exists ? newId('prj') : gate.data.project.id);
    // Marked before anything is stored: if the tab closes mid-import, the next start clears it.
    await setMeta(db, IMPORTING + pid, opts.lock ?? null);

    // Round 2: read again, converted and stored in batches.
    // The same reader as the check's, which knows every class and the extent: its features are read again.
    const converting = checking;
    const batches = new AnnotationBatches(db, pid);
    await readFeatures(source, new JsonRecordSplitter(STREAMED_LISTS), 'storing', opts, async (r) => {
      const p = converting.read(r);
      if (p) for (const a of converting.features.convert(p)) batches.add({ ...a, projectId: pid });
      if (report.failed) throw new ReportFailed();
      await batches.storeFull(opts.signal);
    });
    await batches.storeRest();
    if (report.failed) throw new ReportFailed();
    const data = assemble(converting.features.parts([]));
    const name = exists ? `${data.project.name} (imported ${now.slice(0, 10)})` : data.project.name;
    const own = <T extends object>(list: T[]) => list.map((r) => ({ ...r, projectId: pid }));
    await appendToProject(db, pid, [
      ...data.schemas.map((value): KindedRecord => ({ kind: 'schema', value })),
      ...own(data.images).map((value): KindedRecord => ({ kind: 'image', value })),
      ...own(data.annotators).map((value): KindedRecord => ({ kind: 'annotator', value })),
      ...own(data.statuses).map((value): KindedRecord => ({ kind: 'status', value })),
    ]);
    if (opts.signal?.aborted) throw new Cancelled();
    // Last, the project row: only now does the project appear.
    await appendToProject(db, pid, [{ kind: 'project', value: { ...data.project, id: pid, name } }]);
    await db.delete('meta', IMPORTING + pid);
    return { ok: true, projectId: pid, name, annotations: batches.stored, images: data.images.length, format: 'geojson', warnings: gate.warnings };
  } catch (e) {
    if (projectId) {
      await deleteProject(db, projectId).catch(() => undefined);
      await db.delete('meta', IMPORTING + projectId).catch(() => undefined);
    }
    if (e instanceof ReportFailed) return failed();
    return failure(e);
  }
}

class ReportFailed extends Error {}

/**
 * Imports a JSON file of any size: GeoJSON as above; a shared document or a COCO file read as a
 * stream (each annotation checked as it comes, with its place in the file; nothing stored until the
 * whole file is checked), then stored in batches under the project's id, the project row last. A
 * problem, a full disk or a cancel deletes whatever was stored: all or nothing.
 *
 * Unlike GeoJSON, the checked project is held in memory between the rounds (its annotations'
 * references can only be checked once all are read); the file's text never is.
 */
export async function importFileStream(db: Db, source: ImportSource, opts: StreamImportOptions): Promise<StreamImportResult> {
  if (await streamedFormat(source)) return importGeoJsonStream(db, source, opts);
  const now = opts.now ?? nowIso();
  let projectId: string | undefined;
  try {
    let records = 0;
    let last = 0;
    const read = await readJsonStream(
      source,
      { now },
      {
        check: cancelCheck(opts.signal),
        onRecords: (n) => void (records = n),
        onBytes: (bytes) => {
          if (Date.now() - last < 100) return;
          last = Date.now();
          opts.onProgress?.({ phase: 'checking', bytes, totalBytes: source.size, records });
        },
      },
    );
    if (!read.result.ok) return { ok: false, problems: read.result.problems };
    if (read.team) return { ok: false, problems: [], team: read.team };
    const data = read.result.data;
    const exists = opts.existing.has(data.project.id);
    const pid = (projectId = exists ? newId('prj') : data.project.id);
    const name = exists ? `${data.project.name} (imported ${now.slice(0, 10)})` : data.project.name;
    await setMeta(db, IMPORTING + pid, opts.lock ?? null);

    // Round 2: stored in batches. The bar goes by the share of records stored.
    const total = data.annotations.length;
    const batches = new AnnotationBatches(db, pid);
    for (let i = 0; i < total; i++) {
      batches.add({ ...data.annotations[i], projectId: pid });
      if (i % PACKING.size === 0) {
        await batches.storeFull(opts.signal);
        opts.onProgress?.({ phase: 'storing', bytes: Math.round((source.size * i) / total), totalBytes: source.size, records: batches.stored });
      }
    }
    await batches.storeRest();
    const own = <T extends object>(list: T[]) => list.map((r) => ({ ...r, projectId: pid }));
    await appendToProject(
      db,
      pid,
      [
        ...data.schemas.map((value): KindedRecord => ({ kind: 'schema', value })),
        ...own(data.images).map((value): KindedRecord => ({ kind: 'image', value })),
        ...own(data.annotators).map((value): KindedRecord => ({ kind: 'annotator', value })),
        ...own(data.statuses).map((value): KindedRecord => ({ kind: 'status', value })),
        ...own(data.audit).map((value): KindedRecord => ({ kind: 'audit', value })),
      ],
      [],
      embeddedBlobs(read.files, pid),
    );
    if (opts.signal?.aborted) throw new Cancelled();
    // Last, the project row: only now does the project appear.
    await appendToProject(db, pid, [{ kind: 'project', value: { ...data.project, id: pid, name } }]);
    await db.delete('meta', IMPORTING + pid);
    opts.onProgress?.({ phase: 'storing', bytes: source.size, totalBytes: source.size, records: batches.stored });
    return {
      ok: true,
      projectId: pid,
      name,
      annotations: batches.stored,
      images: data.images.length,
      format: read.result.format,
      warnings: read.result.warnings,
      ...(read.incomplete ? { incomplete: read.incomplete } : {}),
    };
  } catch (e) {
    if (projectId) {
      await deleteProject(db, projectId).catch(() => undefined);
      await db.delete('meta', IMPORTING + projectId).catch(() => undefined);
    }
    return failure(e);
  }
}

/**
 * Annotations on their way to storage, a batch at a time. An image's annotations are packed as a
 * whole store packs them: in packs of PACKING.size, unless the image has fewer than PACKING.min.
 */
class AnnotationBatches {
  stored = 0;
  private batch: Annotation[] = [];
  private readonly nextSeq = new Map<string, number>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db, private readonly projectId: string) {}

  add(a: Annotation): void {
    this.batch.push(a);
  }

  /** Stores the batch once it holds four packs' worth (every pack full but an image's last). */
  async storeFull(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new Cancelled();
    if (this.batch.length >= PACKING.size * 4) await this.store(false);
  }

  storeRest(): Promise<void> {
    return this.store(true);
  }

  private async store(last: boolean): Promise<void> {
    const byImage = new Map<string, Annotation[]>();
    for (const a of this.batch) {
      const list = byImage.get(a.imageId);
      if (list) list.push(a);
      else byImage.set(a.imageId, [a]);
    }
    const rows: KindedRecord[] = [];
    const packs = [];
    for (const [imageId, list] of byImage) {
      const seq = this.nextSeq.get(imageId) ?? 0;
      // Held back until the end: fewer than PACKING.size of an image are the start of its next pack.
      const take = last ? list.length : list.length - (list.length % PACKING.size);
      if (last && seq === 0 && list.length < PACKING.min) {
        for (const value of list) rows.push({ kind: 'annotation', value });
        continue;
      }
      const packed = packRows(this.projectId, imageId, list.slice(0, take), seq);
      packs.push(...packed);
      this.nextSeq.set(imageId, seq + packed.length);
      byImage.set(imageId, list.slice(take));
    }
    const left = last ? [] : [...byImage.values()].flat();
    const count = this.batch.length - left.length;
    this.batch = left;
    // One batch in flight at most (memory stays bounded); the next is read and packed while the
    // database writes this one on a thread of its own.
    await this.writing;
    this.writing = appendToProject(this.db, this.projectId, rows, packs).then(() => void (this.stored += count));
    // A failure is thrown by the next await of it (the next batch, or the last).
    this.writing.catch(() => undefined);
    if (last) await this.writing;
  }
}

/** A project read whole (a small file): stored in one transaction as any whole import. */
async function storeWhole(db: Db, result: ReturnType<typeof readGeoJson>, opts: StreamImportOptions, now: string): Promise<StreamImportResult> {
  if (!result.ok) return { ok: false, problems: result.problems };
  const data = result.data;
  const exists = opts.existing.has(data.project.id);
  const owned: ProjectData = exists ? reowned(data, newId('prj'), `${data.project.name} (imported ${now.slice(0, 10)})`) : data;
  await storeProjects(db, [{ data: owned, blobs: [] }], { replaceFiles: false });
  return { ok: true, projectId: owned.project.id, name: owned.project.name, annotations: owned.annotations.length, images: owned.images.length, format: result.format, warnings: result.warnings };
}

function reowned(data: ProjectData, id: string, name: string): ProjectData {
  const own = <T extends object>(list: T[]) => list.map((r) => ({ ...r, projectId: id }));
  return { ...data, project: { ...data.project, id, name }, images: own(data.images), annotators: own(data.annotators), annotations: own(data.annotations), statuses: own(data.statuses), audit: own(data.audit) };
}

/** What went wrong outside the file's content: a cancel, a full disk, a broken file, a bug. */
function failure(e: unknown): StreamImportResult {
  if (e instanceof Cancelled) return { ok: false, cancelled: true, problems: [{ path: '(import)', message: 'was cancelled; nothing was kept' }] };
  if (e instanceof JsonStreamError) return { ok: false, problems: [e.problem] };
  if (isQuotaError(e)) return { ok: false, problems: [{ path: '(storage)', message: 'is full: the browser has no room for this project; nothing was kept' }] };
  if (e instanceof TypeError && /decod|encod/i.test(e.message)) return { ok: false, problems: [{ path: '(file)', message: 'is not UTF-8 text' }] };
  return { ok: false, problems: [{ path: '(storage)', message: `could not be stored: ${e instanceof Error ? e.message : String(e)}; nothing was kept` }] };
}
