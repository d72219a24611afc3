import type { IDBPDatabase } from 'idb';
import { recordId, type RecordChange, type RecordKind, type RecordTypes } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import type { Project } from '../model/types';
import { rowKey, type BlobRow, type GranulaDb, type RecordRow } from './db';

type Db = IDBPDatabase<GranulaDb>;

function row<K extends RecordKind>(projectId: string, kind: K, value: RecordTypes[K]): RecordRow {
  return { key: rowKey(projectId, kind, recordId(kind, value)), projectId, kind, value };
}

export function projectRows(data: ProjectData): RecordRow[] {
  const pid = data.project.id;
  return [
    row(pid, 'project', data.project),
    ...data.schemas.map((s) => row(pid, 'schema', s)),
    ...data.images.map((s) => row(pid, 'image', s)),
    ...data.annotators.map((s) => row(pid, 'annotator', s)),
    ...data.annotations.map((s) => row(pid, 'annotation', s)),
    ...data.statuses.map((s) => row(pid, 'status', s)),
  ];
}

export async function listProjects(db: Db): Promise<Project[]> {
  const out: Project[] = [];
  let cursor = await db.transaction('records').store.openCursor();
  while (cursor) {
    if (cursor.value.kind === 'project') out.push(cursor.value.value as Project);
    cursor = await cursor.continue();
  }
  return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export async function loadProject(db: Db, projectId: string): Promise<ProjectData | null> {
  const rows = await db.getAllFromIndex('records', 'projectId', projectId);
  const data: Partial<ProjectData> & Omit<ProjectData, 'project'> = { schemas: [], images: [], annotators: [], annotations: [], statuses: [] };
  for (const r of rows) {
    switch (r.kind) {
      case 'project': data.project = r.value as Project; break;
      case 'schema': data.schemas.push(r.value as RecordTypes['schema']); break;
      case 'image': data.images.push(r.value as RecordTypes['image']); break;
      case 'annotator': data.annotators.push(r.value as RecordTypes['annotator']); break;
      case 'annotation': data.annotations.push(r.value as RecordTypes['annotation']); break;
      case 'status': data.statuses.push(r.value as RecordTypes['status']); break;
    }
  }
  if (!data.project) return null;
  data.schemas.sort((a, b) => a.version - b.version);
  data.images.sort((a, b) => a.order - b.order);
  return data as ProjectData;
}

/** Writes one batch of changes in a single transaction: all of it lands or none. */
export async function writeChanges(db: Db, projectId: string, changes: readonly RecordChange[]): Promise<void> {
  const tx = db.transaction('records', 'readwrite');
  for (const c of changes) {
    const key = rowKey(projectId, c.kind, c.id);
    if (c.after === undefined) void tx.store.delete(key);
    else void tx.store.put({ key, projectId, kind: c.kind, value: c.after });
  }
  await tx.done;
}

/**
 * Stores a whole project (an import or a restore) in one transaction, replacing any project with
 * the same id. If anything fails, the transaction aborts and what was stored stays as it was.
 */
export async function replaceProject(db: Db, data: ProjectData, blobs: readonly BlobRow[] = []): Promise<void> {
  const pid = data.project.id;
  const tx = db.transaction(['records', 'blobs'], 'readwrite');
  const records = tx.objectStore('records');
  const oldKeys = await records.index('projectId').getAllKeys(pid);
  const rows = projectRows(data);
  const keep = new Set(rows.map((r) => r.key));
  for (const k of oldKeys) if (!keep.has(k)) void records.delete(k);
  for (const r of rows) void records.put(r);
  for (const b of blobs) void tx.objectStore('blobs').put({ ...b, projectId: pid });
  await tx.done;
}

export async function deleteProject(db: Db, projectId: string): Promise<void> {
  const tx = db.transaction(['records', 'blobs'], 'readwrite');
  for (const store of ['records', 'blobs'] as const) {
    const keys = await tx.objectStore(store).index('projectId').getAllKeys(projectId);
    for (const k of keys) void tx.objectStore(store).delete(k);
  }
  await tx.done;
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
