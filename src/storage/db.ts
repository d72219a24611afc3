import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { RecordKind, RecordTypes } from '../model/changes';
import type { Annotation } from '../model/types';
import { packAnnotations, type PackedAnnotations } from './annotationPack';

/**
 * The storage layout is a public contract with every user's browser: renaming a store or a key
 * without a migration wipes their labels. Bump LAYOUT_VERSION and add a step in the upgrade below.
 *
 * Layout 2 (from 1): annotations of an image with many of them are stored in packs (store
 * `annotationPacks`, see annotationPack.ts) so a slide with a million outlines opens in a few
 * hundred reads. Everything else, and annotations of images with few, stay one row per record in
 * `records`. A row of an annotation that is also packed wins over the packed copy (an edit since
 * packing); a row marked `gone` records that a packed annotation was deleted. `records` gained a
 * `kind` index, so listing projects reads project rows only.
 */
export const DB_NAME = 'granula';
export const LAYOUT_VERSION = 2;

/**
 * Annotations per pack, and how many an image must hold to be packed (one read of ~8k outlines is
 * about 1 MB; smaller images stay rows, as layout 1 had them). `fold`: how many rows (edits,
 * deletions, new annotations) a pack or a packed image gathers before they are folded into packs
 * (see writes.planFold): each row is one more read on every open, a fold rewrites a whole
 * pack once; at 256 a slide of a million keeps at most ~31,000 rows between folds. Tests shrink
 * these to stay quick.
 */
export const PACKING = { size: 8192, min: 4096, fold: 256 };

export interface RecordRow {
  /** `${projectId}/${kind}/${id}` */
  key: string;
  projectId: string;
  kind: RecordKind;
  /** Undefined only on a `gone` row. */
  value: RecordTypes[RecordKind];
  /** A packed annotation deleted since it was packed (its value is undefined). */
  gone?: true;
}

export interface PackRow {
  /** `${projectId}/${imageId}/${seq}` with seq zero-padded, so a project's packs sort by image. */
  key: string;
  projectId: string;
  imageId: string;
  pack: PackedAnnotations;
}

export interface BlobRow {
  blobId: string;
  projectId: string;
  mime: string;
  data: Blob;
}

export interface GranulaDb extends DBSchema {
  records: { key: string; value: RecordRow; indexes: { projectId: string; kind: string } };
  annotationPacks: { key: string; value: PackRow; indexes: { projectId: string } };
  blobs: { key: string; value: BlobRow; indexes: { projectId: string } };
  meta: { key: string; value: { key: string; value: unknown } };
}

export function rowKey(projectId: string, kind: RecordKind, id: string): string {
  return `${projectId}/${kind}/${id}`;
}

export function packKey(projectId: string, imageId: string, seq: number): string {
  return `${projectId}/${imageId}/${String(seq).padStart(6, '0')}`;
}

/** The packs of one image's annotations (PACKING.size each, in the order given). */
export function packRows(projectId: string, imageId: string, annotations: readonly Annotation[], firstSeq = 0): PackRow[] {
  const out: PackRow[] = [];
  for (let i = 0, seq = firstSeq; i < annotations.length; i += PACKING.size, seq++) {
    out.push({ key: packKey(projectId, imageId, seq), projectId, imageId, pack: packAnnotations(annotations.slice(i, i + PACKING.size)) });
  }
  return out;
}

type UpgradeTx = IDBPTransaction<GranulaDb, StoreNames<GranulaDb>[], 'versionchange'>;

/**
 * Layout 1 → 2: the new store and index, then every image holding PACKING.min annotation rows or more
 * has them moved into packs, in the same (versionchange) transaction: if anything fails, the
 * database stays at layout 1, untouched, and the upgrade runs again next time.
 */
async function packExistingRows(tx: UpgradeTx): Promise<void> {
  const records = tx.objectStore('records');
  const byImage = new Map<string, { projectId: string; imageId: string; rows: RecordRow[] }>();
  let cursor = await records.index('kind').openCursor('annotation');
  while (cursor) {
    const row = cursor.value;
    const a = row.value as Annotation | undefined;
    if (!a || typeof a.imageId !== 'string') {
      // Not an annotation as the app writes them: left as it is.
      cursor = await cursor.continue();
      continue;
    }
    const key = `${row.projectId}\u0000${a.imageId}`;
    let group = byImage.get(key);
    if (!group) byImage.set(key, (group = { projectId: row.projectId, imageId: a.imageId, rows: [] }));
    group.rows.push(row);
    cursor = await cursor.continue();
  }
  const packs = tx.objectStore('annotationPacks');
  for (const { projectId, imageId, rows } of byImage.values()) {
    if (rows.length < PACKING.min) continue;
    // Ids are unique per project, and the rows came keyed by it: this is every annotation of the image once.
    for (const p of packRows(projectId, imageId, rows.map((r) => r.value as Annotation))) void packs.put(p);
    for (const r of rows) void records.delete(r.key);
  }
}

export async function openGranulaDb(name = DB_NAME): Promise<IDBPDatabase<GranulaDb>> {
  if (typeof indexedDB === 'undefined' || !indexedDB) throw new StorageUnavailableError('IndexedDB is not available in this browser window');
  try {
    return await openDB<GranulaDb>(name, LAYOUT_VERSION, {
      async upgrade(db, oldVersion, _newVersion, tx) {
        // A failed upgrade rejects openDB; the transaction's own promise need not be reported too.
        tx.done.catch(() => {});
        if (oldVersion < 1) {
          const records = db.createObjectStore('records', { keyPath: 'key' });
          records.createIndex('projectId', 'projectId');
          const blobs = db.createObjectStore('blobs', { keyPath: 'blobId' });
          blobs.createIndex('projectId', 'projectId');
          db.createObjectStore('meta', { keyPath: 'key' });
        }
        if (oldVersion < 2) {
          tx.objectStore('records').createIndex('kind', 'kind');
          db.createObjectStore('annotationPacks', { keyPath: 'key' }).createIndex('projectId', 'projectId');
          if (oldVersion >= 1) {
            try {
              await packExistingRows(tx);
            } catch {
              // Leave layout 1 exactly as it was: the whole upgrade is undone, and openDB fails.
              tx.abort();
            }
          }
        }
      },
      blocked() {
        // Another tab holds an older layout open; it reloads on `versionchange` (see workspace).
      },
    });
  } catch (e) {
    throw new StorageUnavailableError(`IndexedDB could not be opened: ${(e as Error).message}`);
  }
}

/** A readwrite transaction over some of Granula's stores. */
export type WriteTx<S extends StoreNames<GranulaDb>[] = StoreNames<GranulaDb>[]> = IDBPTransaction<GranulaDb, S, 'readwrite'>;

/**
 * Runs `queue` in one readwrite transaction and resolves once the browser committed it: all of what
 * `queue` asked for lands, or none of it. Any failure (a request refused, a quota error thrown
 * part-way, an exception of `queue` itself) aborts the transaction and is rethrown as it came.
 * `queue` issues its requests without awaiting anything but this transaction's own requests, or
 * the browser commits early.
 */
export async function withTx<S extends StoreNames<GranulaDb>[], R>(db: IDBPDatabase<GranulaDb>, stores: S, queue: (tx: WriteTx<S>) => Promise<R> | R): Promise<R> {
  const tx = db.transaction(stores, 'readwrite');
  const done = tx.done;
  done.catch(() => {}); // awaited below; this only keeps an abort from being reported as unhandled
  try {
    const result = await queue(tx);
    await done;
    return result;
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted: nothing was committed either way.
    }
    throw e;
  }
}

/** A request of an aborted transaction rejects too; the transaction's own failure is what is reported. */
export function quiet(request: Promise<unknown>): void {
  request.catch(() => {});
}

export class StorageUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

export function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || /quota/i.test(String((e as Error)?.message ?? ''));
}
