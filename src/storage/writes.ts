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
 * restored), deletion, and folding rows back into packs. One transaction per call (per pack
 * when folding), through `withTx`: all of it lands or none of it.
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

/** A record of any kind, with its kind. */
export type KindedRecord = { [K in RecordKind]: { kind: K; value: RecordTypes[K] } }[RecordKind];

/**
 * Adds records, packs and image files to a project in one transaction, removing nothing: a streamed import
 * stores its batches so, into a project nobody sees until its project row, written last, lands
 * (and deletes it with `deleteProject` if anything fails on the way).
 */
export async function appendToProject(db: Db, projectId: string, records: readonly KindedRecord[], packs: readonly PackRow[] = [], files: readonly BlobRow[] = []): Promise<void> {
  await withTx(db, PROJECT_STORES, (tx) => {
    for (const r of records) quiet(tx.objectStore('records').put(row(projectId, r.kind, r.value)));
    for (const p of packs) quiet(tx.objectStore('annotationPacks').put(p));
    for (const b of files) quiet(tx.objectStore('blobs').put({ ...b, projectId }));
  });
  if (packs.length) rememberPacks(projectId, true);
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

/** At most this many packs are rewritten by one fold (packing 8,192 outlines takes ~50 ms); the next open folds more. */
const FOLD_PACKS_AT_ONCE = 8;

export interface FoldResult {
  /** Packs written (rewritten with their rows folded in, or new ones of an image's new annotations). */
  packs: number;
  /** Rows removed because their annotation (or its deletion) is in a pack now. */
  rows: number;
}

/** What to fold, worked out from a loaded project; plain data, so it can be posted to a worker. */
export interface FoldPlan {
  /** The project's pack keys when it was loaded. */
  knownKeys: string[];
  /** Packs to rewrite: key, and the ids in it that have rows (edits or deletions). */
  folds: [string, string[]][];
  /** Images that get a new pack: image id, and the ids of its new annotations stored as rows. */
  extensions: [string, string[]][];
}

/**
 * Folding rows back into packs, so a project edited a lot opens as fast as a freshly imported one:
 * a pack with `threshold` or more of its annotations edited or deleted since packing is rewritten
 * with those edits in it, and an image with `threshold` or more new annotations stored as rows gets
 * a new pack of them (at most FOLD_PACKS_AT_ONCE rewritten packs a time, the most edited first).
 * This is the plan for a project as loaded (`annotations`), or null when nothing is worth folding;
 * runFold carries it out (the app does so in a worker).
 */
export function planFold(annotations: { rows: readonly Annotation[]; packed: PackedSource | null }, threshold = PACKING.fold): FoldPlan | null {
  const packed = annotations.packed;
  if (!packed || annotations.rows.length + packed.deleted.length < threshold) return null;
  const push = <K>(map: Map<K, string[]>, key: K, id: string) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  // Which pack each edited or deleted id is in: one pass over the packs' ids (a Set lookup each),
  // rather than the id → position map, which takes a long task to build for a million.
  const hidden = new Set(packed.deleted);
  for (const a of annotations.rows) hidden.add(a.id);
  const hiddenByPack = new Map<string, string[]>();
  const packedIds = new Set<string>();
  packed.store.readers.forEach((reader, k) => {
    for (let i = 0; i < reader.count; i++) {
      const id = reader.id(i);
      if (!hidden.has(id)) continue;
      push(hiddenByPack, packed.keys[k], id);
      packedIds.add(id);
    }
  });
  const newByImage = new Map<string, string[]>();
  for (const a of annotations.rows) if (!packedIds.has(a.id) && packed.images.has(a.imageId)) push(newByImage, a.imageId, a.id);
  // The most edited packs first, a few per open: each rewrite is a moment of work.
  const folds = [...hiddenByPack].filter(([, ids]) => ids.length >= threshold).sort((a, b) => b[1].length - a[1].length).slice(0, FOLD_PACKS_AT_ONCE);
  const extensions = [...newByImage].filter(([, ids]) => ids.length >= threshold);
  return folds.length || extensions.length ? { knownKeys: [...packed.keys], folds, extensions } : null;
}

/**
 * Carries out a plan. What is written is worked out from what is stored when each pack's
 * transaction runs, so edits written since the load by this or another tab are never lost. Each
 * pack is folded in a transaction of its own (all of its rows or none), with a pause between. If
 * another tab changed which packs exist since the load, folding stops there (the next open folds).
 *
 * Rows of deletions whose annotation is in no pack stay (they are small, and proving that no pack
 * holds the id would mean reading every pack).
 */
export async function runFold(db: Db, projectId: string, plan: FoldPlan): Promise<FoldResult> {
  // Which packs exist, as this tab knows: what it loaded, then its own folds.
  const knownKeys = new Set(plan.knownKeys);
  const steps: ((tx: WriteTx<typeof RECORD_STORES>) => Promise<FoldStep>)[] = [
    ...plan.folds.map(([key, ids]) => (tx: WriteTx<typeof RECORD_STORES>) => foldPack(tx, projectId, key, ids)),
    ...plan.extensions.map(([imageId, ids]) => (tx: WriteTx<typeof RECORD_STORES>) => packNewRows(tx, projectId, imageId, ids, knownKeys)),
  ];
  const result: FoldResult = { packs: 0, rows: 0 };
  for (const [n, step] of steps.entries()) {
    if (n) await new Promise((resolve) => setTimeout(resolve, 0));
    const done = await withTx(db, RECORD_STORES, async (tx) => {
      const keysNow = await tx.objectStore('annotationPacks').index('projectId').getAllKeys(projectId);
      return keysNow.length === knownKeys.size && keysNow.every((k) => knownKeys.has(k)) ? step(tx) : null;
    });
    if (!done) break;
    for (const k of done.added) knownKeys.add(k);
    for (const k of done.removed) knownKeys.delete(k);
    result.packs += done.packs;
    result.rows += done.rows;
  }
  return result;
}

interface FoldStep extends FoldResult {
  /** Pack keys the step wrote anew, and removed. */
  added: string[];
  removed: string[];
}

/** Rewrites one pack with the rows of its edited and deleted annotations (`ids`), which then go. */
async function foldPack(tx: WriteTx<typeof RECORD_STORES>, projectId: string, key: string, ids: readonly string[]): Promise<FoldStep> {
  const records = tx.objectStore('records');
  const packStore = tx.objectStore('annotationPacks');
  const [packRow, rows] = await Promise.all([packStore.get(key), Promise.all(ids.map((id) => records.get(rowKey(projectId, 'annotation', id))))]);
  const step: FoldStep = { packs: 0, rows: 0, added: [], removed: [] };
  if (!packRow) return step;
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
      step.rows++;
    }
    // Else it was moved to another image: its row stays, the packed copy goes.
  }
  if (list.length) quiet(packStore.put({ ...packRow, pack: packAnnotations(list) }));
  else {
    quiet(packStore.delete(key));
    step.removed.push(key);
  }
  step.packs = 1;
  return step;
}

/** Packs an image's new annotations, stored as rows (`ids`), after the image's last pack. */
async function packNewRows(tx: WriteTx<typeof RECORD_STORES>, projectId: string, imageId: string, ids: readonly string[], packKeys: ReadonlySet<string>): Promise<FoldStep> {
  const records = tx.objectStore('records');
  const rows = await Promise.all(ids.map((id) => records.get(rowKey(projectId, 'annotation', id))));
  const list: Annotation[] = [];
  for (const r of rows) {
    if (!r || r.gone || (r.value as Annotation).imageId !== imageId) continue;
    list.push(r.value as Annotation);
    quiet(records.delete(r.key));
  }
  const prefix = packKey(projectId, imageId, 0).slice(0, -6);
  const seqs = [...packKeys].filter((k) => k.startsWith(prefix) && k.length === prefix.length + 6).map((k) => Number(k.slice(prefix.length)));
  const added = packRows(projectId, imageId, list, seqs.length ? Math.max(...seqs) + 1 : 0);
  for (const p of added) quiet(tx.objectStore('annotationPacks').put(p));
  return { packs: added.length, rows: list.length, added: added.map((p) => p.key), removed: [] };
}
