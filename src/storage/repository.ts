import type { IDBPDatabase, IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import { recordId, type RecordChange, type RecordKind, type RecordTypes } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import { byTime } from '../model/audit';
import type { Annotation, Project } from '../model/types';
import { attachPackedSource, PackedStore, PackReader } from './annotationPack';
import { PACKING, packRows, rowKey, type BlobRow, type GranulaDb, type PackRow, type RecordRow } from './db';

type Db = IDBPDatabase<GranulaDb>;

/** The stores a transaction must span to write records: annotations may be packed (see db.ts). */
export const RECORD_STORES: ['records', 'annotationPacks'] = ['records', 'annotationPacks'];

type RecordsTx = IDBPTransaction<GranulaDb, StoreNames<GranulaDb>[], 'readwrite' | 'readonly'>;
type RecordsStore = IDBPObjectStore<GranulaDb, StoreNames<GranulaDb>[], 'records', 'readwrite'>;

/** Projects this tab has seen packs of: a deleted annotation of theirs needs a `gone` row. */
const packedProjects = new Set<string>();

/**
 * Whether, as far as this tab knows (its last load or store of the project), the project has packed
 * annotations. For writers that cannot read first (a page closing); others ask projectHasPacks.
 */
export function projectMayHavePacks(projectId: string): boolean {
  return packedProjects.has(projectId);
}

/** Whether the project has packed annotations, read inside a transaction spanning RECORD_STORES. */
export async function projectHasPacks(tx: RecordsTx, projectId: string): Promise<boolean> {
  const n = await tx.objectStore('annotationPacks').index('projectId').count(projectId);
  if (n > 0) packedProjects.add(projectId);
  else packedProjects.delete(projectId);
  return n > 0;
}

/**
 * Queues the write of one record: a put, or a delete. In a project with packed annotations, an
 * annotation is deleted by a `gone` row (the packed copy stays until the image is packed again),
 * so the deletion survives a reload. Returns the request (callers may `quiet` it).
 */
export function queueRecordWrite(store: RecordsStore, projectId: string, kind: RecordKind, id: string, value: RecordTypes[RecordKind] | undefined, projectHasPacked: boolean): Promise<unknown> {
  const key = rowKey(projectId, kind, id);
  if (value !== undefined) return store.put({ key, projectId, kind, value });
  if (kind === 'annotation' && projectHasPacked) return store.put({ key, projectId, kind, value: undefined as unknown as Annotation, gone: true });
  return store.delete(key);
}

function row<K extends RecordKind>(projectId: string, kind: K, value: RecordTypes[K]): RecordRow {
  return { key: rowKey(projectId, kind, recordId(kind, value)), projectId, kind, value };
}

/** One row per record (annotations included): layout 1's form, still valid for any project. */
export function projectRows(data: ProjectData): RecordRow[] {
  const pid = data.project.id;
  return [
    row(pid, 'project', data.project),
    ...data.schemas.map((s) => row(pid, 'schema', s)),
    ...data.images.map((s) => row(pid, 'image', s)),
    ...data.annotators.map((s) => row(pid, 'annotator', s)),
    ...data.annotations.map((s) => row(pid, 'annotation', s)),
    ...data.statuses.map((s) => row(pid, 'status', s)),
    ...data.audit.map((s) => row(pid, 'audit', s)),
  ];
}

/**
 * How a project is stored: the annotations of images holding PACKING.min or more in packs, everything
 * else one row per record.
 */
export function projectStorage(data: ProjectData): { rows: RecordRow[]; packs: PackRow[] } {
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
  const rows = projectRows({ ...data, annotations: single });
  return { rows, packs };
}

export async function listProjects(db: Db): Promise<Project[]> {
  const rows = await db.getAllFromIndex('records', 'kind', 'project');
  return rows.map((r) => r.value as Project).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/**
 * A project's records. Packed annotations are read as packs and built into objects only when read
 * (see annotationPack.ts: `data.annotations` builds them all on first access; the document store
 * builds them one by one).
 */
export async function loadProject(db: Db, projectId: string): Promise<ProjectData | null> {
  const tx = db.transaction(RECORD_STORES);
  const [rows, packs] = await Promise.all([tx.objectStore('records').index('projectId').getAll(projectId), tx.objectStore('annotationPacks').index('projectId').getAll(projectId)]);
  const data: Partial<ProjectData> & Omit<ProjectData, 'project'> = { schemas: [], images: [], annotators: [], annotations: [], statuses: [], audit: [] };
  const deleted: string[] = [];
  for (const r of rows) {
    if (r.gone) {
      deleted.push(r.key.slice(rowKey(projectId, 'annotation', '').length));
      continue;
    }
    switch (r.kind) {
      case 'project': data.project = r.value as Project; break;
      case 'schema': data.schemas.push(r.value as RecordTypes['schema']); break;
      case 'image': data.images.push(r.value as RecordTypes['image']); break;
      case 'annotator': data.annotators.push(r.value as RecordTypes['annotator']); break;
      case 'annotation': data.annotations.push(r.value as RecordTypes['annotation']); break;
      case 'status': data.statuses.push(r.value as RecordTypes['status']); break;
      case 'audit': data.audit.push(r.value as RecordTypes['audit']); break;
    }
  }
  if (!data.project) return null;
  data.schemas.sort((a, b) => a.version - b.version);
  data.images.sort((a, b) => a.order - b.order);
  data.audit.sort(byTime);
  if (!packs.length) {
    packedProjects.delete(projectId);
    return data as ProjectData;
  }
  packedProjects.add(projectId);
  // Packs come sorted by key: by image, then in packing order.
  const readers = packs.map((p) => new PackReader(p.pack, projectId, p.imageId));
  const store = new PackedStore(readers);
  const images = new Map<string, [number, number][]>();
  packs.forEach((p, i) => {
    const ranges = images.get(p.imageId) ?? [];
    ranges.push([store.base[i], store.base[i + 1]]);
    images.set(p.imageId, ranges);
  });
  return attachPackedSource(data as ProjectData, { store, images, loose: data.annotations, deleted });
}

/** Writes one batch of changes in a single transaction: all of it lands or none. */
export async function writeChanges(db: Db, projectId: string, changes: readonly RecordChange[]): Promise<void> {
  const tx = db.transaction(RECORD_STORES, 'readwrite');
  const packed = changes.some((c) => c.kind === 'annotation' && c.after === undefined) && (await projectHasPacks(tx, projectId));
  const store = tx.objectStore('records');
  for (const c of changes) void queueRecordWrite(store, projectId, c.kind, c.id, c.after, packed);
  await tx.done;
}

/**
 * Queues, in a transaction spanning RECORD_STORES (and nothing needs awaiting between its requests
 * but these), the replacement of a whole project: its old rows and packs go, its records are
 * written as projectStorage says. For imports and restores; the caller commits or aborts.
 */
export async function queueProjectReplace(tx: IDBPTransaction<GranulaDb, StoreNames<GranulaDb>[], 'readwrite'>, data: ProjectData): Promise<void> {
  const pid = data.project.id;
  const records = tx.objectStore('records');
  const packStore = tx.objectStore('annotationPacks');
  const [oldKeys, oldPacks] = await Promise.all([records.index('projectId').getAllKeys(pid), packStore.index('projectId').getAllKeys(pid)]);
  const { rows, packs } = projectStorage(data);
  const keep = new Set(rows.map((r) => r.key));
  for (const k of oldKeys) if (!keep.has(k)) void records.delete(k).catch(() => {});
  const keepPacks = new Set(packs.map((p) => p.key));
  for (const k of oldPacks) if (!keepPacks.has(k)) void packStore.delete(k).catch(() => {});
  for (const r of rows) void records.put(r).catch(() => {});
  for (const p of packs) void packStore.put(p).catch(() => {});
  if (packs.length) packedProjects.add(pid);
  else packedProjects.delete(pid);
}

/**
 * Stores a whole project (an import or a restore) in one transaction, replacing any project with
 * the same id. If anything fails, the transaction aborts and what was stored stays as it was.
 */
export async function replaceProject(db: Db, data: ProjectData, blobs: readonly BlobRow[] = []): Promise<void> {
  const pid = data.project.id;
  const tx = db.transaction(['records', 'annotationPacks', 'blobs'], 'readwrite');
  const done = tx.done;
  done.catch(() => {});
  try {
    await queueProjectReplace(tx, data);
    for (const b of blobs) void tx.objectStore('blobs').put({ ...b, projectId: pid }).catch(() => {});
    await done;
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already finished: nothing was committed
    }
    throw e;
  }
}

export async function deleteProject(db: Db, projectId: string): Promise<void> {
  const tx = db.transaction(['records', 'annotationPacks', 'blobs'], 'readwrite');
  for (const store of ['records', 'annotationPacks', 'blobs'] as const) {
    const keys = await tx.objectStore(store).index('projectId').getAllKeys(projectId);
    for (const k of keys) void tx.objectStore(store).delete(k);
  }
  await tx.done;
  packedProjects.delete(projectId);
}

export async function putBlob(db: Db, blob: BlobRow): Promise<void> {
  await db.put('blobs', blob);
}

export async function getBlob(db: Db, blobId: string): Promise<BlobRow | undefined> {
  return db.get('blobs', blobId);
}

export async function projectBlobs(db: Db, projectId: string): Promise<BlobRow[]> {
  return db.getAllFromIndex('blobs', 'projectId', projectId);
}

export async function getMeta<T>(db: Db, key: string): Promise<T | undefined> {
  return (await db.get('meta', key))?.value as T | undefined;
}

export async function setMeta(db: Db, key: string, value: unknown): Promise<void> {
  await db.put('meta', { key, value });
}
