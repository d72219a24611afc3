import type { IDBPDatabase } from 'idb';
import { recordId, type RecordChange, type RecordKind, type RecordTypes } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import type { Annotation } from '../model/types';
import { packAnnotations, PackReader, type PackedSource } from './annotationPack';
import { PACKING, packKey, packRows, quiet, rowKey, withTx, type BlobRow, type GranulaDb, type PackRow, type RecordRow, type WriteTx } from './db';
import { mergeRecord, sameValue } from './recordMerge';

/**
 * Every write of a project's records goes through here: the autosaver's batches (merged with
 * other tabs' writes, or blind when the page is closing), whole projects (new, imported,
 * restored), deletion, and folding rows back into packs. One transaction per call, through
 * `withTx`: all of it lands or none of it.
 */

type Db = IDBPDatabase<GranulaDb>;

/** The stores a transaction must span to write records: annotations may be packed (see db.ts). */
export const RECORD_STORES: ['records', 'annotationPacks'] = ['records', 'annotationPacks'];
const PROJECT_STORES: ['records', 'annotationPacks', 'blobs'] = ['records', 'annotationPacks', 'blobs'];

type RecordsTx = WriteTx<typeof RECORD_STORES>;

/** Projects this tab has seen packs of: a deleted annotation of theirs needs a `gone` row. */
const packedProjects = new Set<string>();

/** What this tab last saw of a project's packs (a load or a store of it). */
export function rememberPacks(projectId: string, hasPacks: boolean): void {
  if (hasPacks) packedProjects.add(projectId);
  else packedProjects.delete(projectId);
}

/** Whether the project has packed annotations, read inside the transaction. */
async function projectHasPacks(tx: RecordsTx, projectId: string): Promise<boolean> {
  const n = await tx.objectStore('annotationPacks').index('projectId').count(projectId);
  rememberPacks(projectId, n > 0);
  return n > 0;
}

/**
 * Queues the write of one record: a put, or a delete. In a project with packed annotations, an
 * annotation is deleted by a `gone` row (the packed copy stays until its pack is folded), so the
 * deletion survives a reload.
 */
function queueRecordWrite(tx: RecordsTx, projectId: string, kind: RecordKind, id: string, value: RecordTypes[RecordKind] | undefined, projectHasPacked: boolean): void {
  const store = tx.objectStore('records');
  const key = rowKey(projectId, kind, id);
  if (value !== undefined) quiet(store.put({ key, projectId, kind, value }));
  else if (kind === 'annotation' && projectHasPacked) quiet(store.put({ key, projectId, kind, value: undefined as unknown as Annotation, gone: true }));
  else quiet(store.delete(key));
}

const deletesAnnotation = (changes: readonly RecordChange[]) => changes.some((c) => c.kind === 'annotation' && c.after === undefined);

export interface WriteOutcome {
  /** What is stored now for each record written: broadcast to other tabs. */
  stored: RecordChange[];
  /**
   * Records another tab had changed since this tab read them: the merged value that was stored,
   * as a change from what this tab holds. The tab applies these so it shows what is stored.
   */
  merged: RecordChange[];
}

/**
 * Writes one batch in a single transaction, merging with any record another tab wrote since this
 * tab read it. A readwrite transaction on `records` is serialised by the browser across tabs, so
 * the read, the merge and the write are one atomic step (no Web Lock needed).
 *
 * A packed annotation without a row reads as absent: this tab's value is stored as it is (an edit
 * wins over a deletion, see mergeRecord), and from then on its row shadows the packed copy.
 */
export function writeChangesMerging(db: Db, projectId: string, changes: readonly RecordChange[]): Promise<WriteOutcome> {
  return withTx(db, RECORD_STORES, async (tx) => {
    const store = tx.objectStore('records');
    // All reads are queued at once: one round trip, not one per record.
    const rows = await Promise.all(changes.map((c) => store.get(rowKey(projectId, c.kind, c.id))));
    const packed = deletesAnnotation(changes) && (await projectHasPacks(tx, projectId));
    const outcome: WriteOutcome = { stored: [], merged: [] };
    changes.forEach((c, i) => {
      const stored = rows[i]?.value as RecordTypes[RecordKind] | undefined;
      const conflict = !sameValue(stored, c.before);
      const value = conflict ? mergeRecord<RecordTypes[RecordKind]>(c.before, c.after, stored) : c.after;
      queueRecordWrite(tx, projectId, c.kind, c.id, value, packed);
      outcome.stored.push({ kind: c.kind, id: c.id, before: stored, after: value } as RecordChange);
      if (conflict && !sameValue(value, c.after)) outcome.merged.push({ kind: c.kind, id: c.id, before: c.after, after: value } as RecordChange);
    });
    return outcome;
  });
}

/**
 * Writes without reading first, for the last moment of a closing page: every request is issued in
 * the same task, so the browser can finish the transaction after the page is gone. Whether the
 * project has packs is what this tab last saw of it (there is no time to ask).
 */
export function writeChangesBlind(db: Db, projectId: string, changes: readonly RecordChange[]): Promise<WriteOutcome> {
  return withTx(db, RECORD_STORES, (tx) => {
    const packed = packedProjects.has(projectId);
    for (const c of changes) queueRecordWrite(tx, projectId, c.kind, c.id, c.after, packed);
    // Tells the browser no request follows, so it commits without waiting for this page to run again.
    (tx as unknown as { commit?: () => void }).commit?.();
    return { stored: [...changes], merged: [] };
  });
}

function row<K extends RecordKind>(projectId: string, kind: K, value: RecordTypes[K]): RecordRow {
  return { key: rowKey(projectId, kind, recordId(kind, value)), projectId, kind, value };
}

/**
 * How a project is stored whole: the annotations of images holding PACKING.min or more in packs,
 * every other record one row.
 */
function projectStorage(data: ProjectData): { rows: RecordRow[]; packs: PackRow[] } {
  const pid = data.project.id;
  const byImage = new Map<string, Annotation[]>();
  for (const a of data.annotations) {
    let list = byImage.get(a.imageId);
    if (!list) byImage.set(a.imageId, (list = []));
    list.push(a);
  }
  const packs: PackRow[] = [];
  const single: Annotation[] = [];
  for (const [imageId, list] of byImage) {
    if (list.length >= PACKING.min) packs.push(...packRows(pid, imageId, list));
    else single.push(...list);
  }
  const rows = [
    row(pid, 'project', data.project),
    ...data.schemas.map((s) => row(pid, 'schema', s)),
    ...data.images.map((s) => row(pid, 'image', s)),
    ...data.annotators.map((s) => row(pid, 'annotator', s)),
    ...single.map((s) => row(pid, 'annotation', s)),
    ...data.statuses.map((s) => row(pid, 'status', s)),
    ...data.audit.map((s) => row(pid, 'audit', s)),
  ];
  return { rows, packs };
}

export interface ProjectToStore {
  data: ProjectData;
  /** Image files of the project (their projectId is set to the project's). */
  blobs: readonly BlobRow[];
}

/**
 * Stores whole projects in one transaction (new, imported, restored): all of them or none, whatever
 * the browser throws part-way (a quota error aborts the transaction; nothing half-written stays).
 * A project with the same id is replaced: its rows and packs the new copy lacks are removed, and
 * with `replaceFiles` (a restore) so are its image files the new copy lacks.
 */
export async function storeProjects(db: Db, items: readonly ProjectToStore[], opts: { replaceFiles: boolean }): Promise<void> {
  const packedNow = await withTx(db, PROJECT_STORES, async (tx) => {
    const records = tx.objectStore('records');
    const packStore = tx.objectStore('annotationPacks');
    const blobs = tx.objectStore('blobs');
    const packed: [string, boolean][] = [];
    for (const { data, blobs: files } of items) {
      const pid = data.project.id;
      const [oldKeys, oldPacks, oldFiles] = await Promise.all([records.index('projectId').getAllKeys(pid), packStore.index('projectId').getAllKeys(pid), opts.replaceFiles ? blobs.index('projectId').getAllKeys(pid) : []]);
      const { rows, packs } = projectStorage(data);
      const keep = new Set<string>(rows.map((r) => r.key));
      for (const k of oldKeys) if (!keep.has(k)) quiet(records.delete(k));
      const keepPacks = new Set<string>(packs.map((p) => p.key));
      for (const k of oldPacks) if (!keepPacks.has(k)) quiet(packStore.delete(k));
      const keepFiles = new Set<string>(files.map((b) => b.blobId));
      for (const k of oldFiles) if (!keepFiles.has(k)) quiet(blobs.delete(k));
      for (const r of rows) quiet(records.put(r));
      for (const p of packs) quiet(packStore.put(p));
      for (const b of files) quiet(blobs.put({ ...b, projectId: pid }));
      packed.push([pid, packs.length > 0]);
    }
    return packed;
  });
  for (const [pid, has] of packedNow) rememberPacks(pid, has);
}

/** Removes a project: its records, packs and image files. */
export async function deleteProject(db: Db, projectId: string): Promise<void> {
  await withTx(db, PROJECT_STORES, async (tx) => {
    const stores = PROJECT_STORES.map((name) => tx.objectStore(name));
    const keys = await Promise.all(stores.map((s) => s.index('projectId').getAllKeys(projectId)));
    stores.forEach((s, i) => keys[i].forEach((k) => quiet(s.delete(k))));
  });
  rememberPacks(projectId, false);
}

export interface FoldResult {
  /** Packs written (rewritten with their rows folded in, or new ones of an image's new annotations). */
  packs: number;
  /** Rows removed because their annotation (or its deletion) is in a pack now. */
  rows: number;
}

/**
 * Folds rows back into packs, so a project edited a lot opens as fast as a freshly imported one:
 * a pack with `threshold` or more of its annotations edited or deleted since packing is rewritten
 * with those edits in it, and an image with `threshold` or more new annotations stored as rows gets
 * a new pack of them. `annotations` says where things stood when this tab loaded the project; what
 * is written is worked out from what is stored when the transaction runs, so edits written since
 * by this or another tab are never lost. If another tab changed which packs exist meanwhile,
 * nothing is done (the next open folds).
 *
 * Rows of deletions whose annotation is in no pack stay (they are small, and proving that no pack
 * holds the id would mean reading every pack).
 */
export async function foldIntoPacks(db: Db, projectId: string, annotations: { rows: readonly Annotation[]; packed: PackedSource | null }, threshold = PACKING.fold): Promise<FoldResult> {
  const none: FoldResult = { packs: 0, rows: 0 };
  const packed = annotations.packed;
  if (!packed || annotations.rows.length + packed.deleted.length < threshold) return none;
  const { store } = packed;
  const hiddenByPack = new Map<number, string[]>();
  const newByImage = new Map<string, string[]>();
  const push = <K>(map: Map<K, string[]>, key: K, id: string) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  const inPack = (id: string): boolean => {
    const o = store.ordinalOf(id);
    if (o !== undefined) push(hiddenByPack, store.packOf(o), id);
    return o !== undefined;
  };
  for (const id of packed.deleted) inPack(id);
  for (const a of annotations.rows) if (!inPack(a.id) && packed.images.has(a.imageId)) push(newByImage, a.imageId, a.id);
  const folds = [...hiddenByPack].filter(([, ids]) => ids.length >= threshold);
  const extensions = [...newByImage].filter(([, ids]) => ids.length >= threshold);
  if (!folds.length && !extensions.length) return none;
  const knownKeys = new Set(packed.keys);
  return withTx(db, RECORD_STORES, async (tx) => {
    const records = tx.objectStore('records');
    const packStore = tx.objectStore('annotationPacks');
    const rowsOf = (ids: readonly string[]) => Promise.all(ids.map((id) => records.get(rowKey(projectId, 'annotation', id))));
    const [keysNow, foldReads, extensionReads] = await Promise.all([
      packStore.index('projectId').getAllKeys(projectId),
      Promise.all(folds.map(([k, ids]) => Promise.all([packStore.get(packed.keys[k]), rowsOf(ids)] as const))),
      Promise.all(extensions.map(([, ids]) => rowsOf(ids))),
    ]);
    if (keysNow.length !== knownKeys.size || keysNow.some((k) => !knownKeys.has(k))) return none;
    const result: FoldResult = { packs: 0, rows: 0 };
    for (const [packRow, rows] of foldReads) {
      if (!packRow) continue;
      const edited = new Map<string, RecordRow>();
      for (const r of rows) if (r) edited.set(r.key, r);
      const reader = new PackReader(packRow.pack, projectId, packRow.imageId);
      const list: Annotation[] = [];
      for (let i = 0; i < reader.count; i++) {
        const r = edited.get(rowKey(projectId, 'annotation', reader.id(i)));
        // No row (any more): the pack as stored now is the annotation's value.
        if (!r) list.push(reader.annotation(i));
        else if (r.gone || (r.value as Annotation).imageId === packRow.imageId) {
          if (!r.gone) list.push(r.value as Annotation);
          quiet(records.delete(r.key));
          result.rows++;
        }
        // Else it was moved to another image: its row stays, the packed copy goes.
      }
      if (list.length) quiet(packStore.put({ ...packRow, pack: packAnnotations(list) }));
      else quiet(packStore.delete(packRow.key));
      result.packs++;
    }
    extensions.forEach(([imageId], n) => {
      const list: Annotation[] = [];
      for (const r of extensionReads[n]) {
        if (!r || r.gone || (r.value as Annotation).imageId !== imageId) continue;
        list.push(r.value as Annotation);
        quiet(records.delete(r.key));
      }
      if (!list.length) return;
      const prefix = packKey(projectId, imageId, 0).slice(0, -6);
      const lastSeq = Math.max(...keysNow.filter((k) => k.startsWith(prefix) && k.length === prefix.length + 6).map((k) => Number(k.slice(prefix.length))));
      const added = packRows(projectId, imageId, list, lastSeq + 1);
      for (const p of added) quiet(packStore.put(p));
      result.packs += added.length;
      result.rows += list.length;
    });
    return result;
  });
}
