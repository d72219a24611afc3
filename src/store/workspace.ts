import type { IDBPDatabase } from 'idb';
import { create } from 'zustand';
import type { RecordChange, RecordKind, RecordTypes } from '../model/changes';
import { newId, nowIso } from '../model/ids';
import { newProjectData } from '../model/projectFactory';
import type { ProjectData } from '../model/projectData';
import type { TemplateId } from '../model/templates';
import type { Project } from '../model/types';
import { Autosaver, type SaveStatus } from '../storage/autosave';
import { openGranulaDb, quiet, withTx, type BlobRow, type GranulaDb } from '../storage/db';
import { mergeRecord, sameValue } from '../storage/recordMerge';
import * as repo from '../storage/repository';
import type { FoldRequest } from '../storage/fold.worker';
import { deleteProject, planFold, runFold, storeProjects, writeChangesBlind, writeChangesMerging, type ProjectToStore } from '../storage/writes';
import { openTabChannel, type RecordKey, type TabChannel, type TabMessage } from '../storage/tabSync';
import { dataFromDoc, getRecord } from './docState';
import { commitDrafts } from './drafts';
import { onDocChanges, useDocStore } from './docStore';
import { sweepUnfinishedImports } from './streamImport';

type Db = IDBPDatabase<GranulaDb>;

interface WorkspaceState {
  ready: boolean;
  /** Null when IndexedDB could not be opened: work stays in memory and the user is told. */
  storageError: string | null;
  save: SaveStatus;
  projects: Project[];
  /** A notice for the user, e.g. another tab changed this project. */
  notice: string | null;
  /** The project the notice is about: it is shown only there. */
  noticeProject: string | null;
  setNotice(n: string | null): void;
}

export const useWorkspace = create<WorkspaceState>()((set) => ({
  ready: false,
  storageError: null,
  save: { state: 'saved', pending: 0 },
  projects: [],
  notice: null,
  noticeProject: null,
  setNotice: (notice) => set({ notice, ...(notice ? {} : { noticeProject: null }) }),
}));

let db: Db | null = null;
let channel: TabChannel | null = null;
const memoryProjects = new Map<string, ProjectData>();
const memoryBlobs = new Map<string, BlobRow>();
/** Settings (and pseudonym keys) when IndexedDB is unavailable: they must not change under the user. */
const memoryMeta = new Map<string, unknown>();
/** Records other tabs wrote while this tab was loading a project: read again once it is open. */
const loadBuffers = new Map<string, RecordKey[]>();
const tabId = newId('tab');

const autosaver = new Autosaver(
  null,
  (save) => useWorkspace.setState({ save }),
  (projectId, changes) => channel?.post(projectId, changes),
  250,
  (projectId, merged) => showStored(projectId, merged.map((c) => ({ kind: c.kind, id: c.id, value: c.after }))),
);

/**
 * Puts stored values on screen. Where this tab still has an unacknowledged edit of the same record,
 * it shows the merge of the two, which is what its own write will store.
 */
function showStored(projectId: string, incoming: { kind: RecordKind; id: string; value: RecordTypes[RecordKind] | undefined }[]): void {
  const doc = useDocStore.getState().doc;
  if (!doc || doc.project.id !== projectId) return;
  const changes: RecordChange[] = [];
  for (const { kind, id, value } of incoming) {
    const local = autosaver.localChange(projectId, kind, id);
    const shown = local ? mergeRecord<RecordTypes[RecordKind]>(local.before, local.after, value) : value;
    const current = getRecord(doc, kind, id);
    if (kind === 'project' && shown === undefined) continue;
    if (!sameValue(current, shown)) changes.push({ kind, id, before: current, after: shown } as RecordChange);
  }
  if (!changes.length) return;
  useDocStore.getState().applyRemote(projectId, changes);
  useWorkspace.setState({ notice: 'remote-changes', noticeProject: projectId });
}

async function pullRecords(projectId: string, keys: RecordKey[]): Promise<void> {
  if (!db || !keys.length) return;
  const values = await repo.readRecords(db, projectId, keys);
  showStored(projectId, keys.map((k, i) => ({ ...k, value: values[i] })));
}

async function onTabMessage(m: TabMessage): Promise<void> {
  if (m.type === 'changes') {
    const buffer = loadBuffers.get(m.projectId);
    if (buffer) buffer.push(...m.keys);
    else if (useDocStore.getState().doc?.project.id === m.projectId) await pullRecords(m.projectId, m.keys);
  } else if (m.event === 'removed') {
    autosaver.discardProject(m.projectId);
    if (useDocStore.getState().doc?.project.id === m.projectId) {
      useDocStore.getState().close();
      useWorkspace.setState({ notice: 'remote-changes', noticeProject: m.projectId });
    }
  } else if (useDocStore.getState().doc?.project.id === m.projectId) {
    // Replaced as a whole (a restore or import over it): show what is stored now, with our edits on top.
    await autosaver.flush();
    const data = db ? await repo.loadStoredProject(db, m.projectId) : null;
    if (data) useDocStore.getState().open(data);
    useWorkspace.setState({ notice: 'remote-changes', noticeProject: m.projectId });
  }
  await refreshProjects();
}

/**
 * Without this, a browser short of disk may evict the whole database ("best-effort" storage).
 * Chromium grants or refuses silently; Firefox asks the user once.
 */
async function askForPersistentStorage(): Promise<void> {
  try {
    const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
    if (storage?.persist && !(await storage.persisted?.())) await storage.persist();
  } catch {
    // Not offered by this browser: the data is still stored, only evictable.
  }
}

/** Opens storage, wires autosave, tab sync and the flush on page hide. Call once at start. */
export async function initWorkspace(opts: { dbName?: string; channelName?: string; beforeReady?: () => Promise<void> } = {}): Promise<void> {
  try {
    db = await openGranulaDb(opts.dbName);
    db.addEventListener('versionchange', () => {
      // A newer Granula in another tab upgrades the layout; this old tab must not write the old one.
      commitDrafts();
      void autosaver.flush().then(() => location.reload());
    });
    autosaver.setTarget({
      write: (projectId, changes, o) => (o?.urgent ? writeChangesBlind(db!, projectId, changes) : writeChangesMerging(db!, projectId, changes)),
    });
    void askForPersistentStorage();
  } catch (e) {
    db = null;
    const message = (e as Error).message;
    useWorkspace.setState({ storageError: message });
    autosaver.setTarget(null, message);
  }
  onDocChanges((projectId, changes, origin) => {
    if (origin !== 'remote') autosaver.enqueue(projectId, changes);
    if (!db) {
      const d = useDocStore.getState().doc;
      if (d) memoryProjects.set(projectId, dataFromDoc(d));
    }
  });
  // Without IndexedDB every tab holds its own copy: there is nothing shared to keep in step.
  if (db) channel = openTabChannel(tabId, (m) => void onTabMessage(m), opts.channelName);
  if (typeof window !== 'undefined') {
    // `pagehide` may be the last moment this page runs: text still being typed in a field is
    // committed first (an edit like any other), then written without reading first (see writes.writeChangesBlind).
    window.addEventListener('pagehide', () => {
      commitDrafts();
      void autosaver.flush({ urgent: true });
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'hidden') return;
      commitDrafts();
      void autosaver.flush();
    });
  }
  if (opts.beforeReady) {
    try {
      await opts.beforeReady();
    } catch (e) {
      console.warn('Granula start-up step failed', e);
    }
  }
  if (db) await sweepUnfinishedImports(db, lockHeld).catch((e) => console.warn('Granula: clearing an unfinished import failed', e));
  await refreshProjects();
  useWorkspace.setState({ ready: true });
}

/** Whether any context of this origin holds the Web Lock `name` (none can, where Web Locks are missing). */
async function lockHeld(name: string): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.locks) return false;
  const { held = [] } = await navigator.locks.query();
  return held.some((l) => l.name === name);
}

export function flushSaves(): Promise<void> {
  return autosaver.flush();
}

export function retrySaves(): Promise<void> {
  return autosaver.retry();
}

export async function refreshProjects(): Promise<void> {
  const projects = db ? await repo.listProjects(db) : [...memoryProjects.values()].map((p) => p.project);
  useWorkspace.setState({ projects });
}

/** Stores a whole project at once (new, imported or restored): all of it or nothing. */
export async function storeWholeProject(data: ProjectData, blobs: BlobRow[] = []): Promise<void> {
  await storeWholeProjects([{ data, blobs }], { replaceFiles: false });
}

export async function createProject(name: string, template: TemplateId): Promise<ProjectData> {
  const data = newProjectData({ name, template, now: nowIso() });
  await storeWholeProject(data);
  return data;
}

/** A project with every annotation built (an export, a backup, a merge), pending edits saved first. */
export async function loadProjectData(projectId: string): Promise<ProjectData | null> {
  await autosaver.flush();
  if (db) return repo.loadProject(db, projectId);
  return memoryProjects.get(projectId) ?? null;
}

/** Every image of one pseudonymous patient across this browser's projects, with its labels (pending edits saved first). */
export async function patientImages(patientKey: string): Promise<repo.PatientImage[]> {
  await autosaver.flush();
  if (db) return repo.imagesOfPatient(db, patientKey);
  return [...memoryProjects.values()].flatMap((p) =>
    p.images
      .filter((image) => image.patientKey === patientKey)
      .map((image) => ({
        project: p.project,
        image,
        schemas: p.schemas,
        labels: p.annotations.filter((a) => a.imageId === image.id).map((a) => ({ classId: a.classId, schemaId: a.schemaId, schemaVersion: a.schemaVersion, annotatorId: a.annotatorId, shape: a.geometry !== null })),
      })),
  );
}

/** A project to open: packed annotations stay packed (see docState), pending edits saved first. */
async function loadForOpening(projectId: string): Promise<ProjectData | repo.StoredProject | null> {
  await autosaver.flush();
  if (!db) return memoryProjects.get(projectId) ?? null;
  const stored = await repo.loadStoredProject(db, projectId);
  if (stored?.annotations.packed) foldSoon(db, projectId, stored.annotations);
  return stored;
}

/**
 * Folds the rows of a much-edited packed project back into packs, once the project is on screen,
 * so its next open reads packs rather than thousands of rows (see writes.planFold): in a
 * worker where there are workers, as rewriting packs is seconds of work. A failed fold changes
 * nothing stored: the rows stay and are read as before, so there is nothing to tell the user.
 */
function foldSoon(target: Db, projectId: string, annotations: repo.StoredAnnotations): void {
  setTimeout(() => {
    const plan = planFold(annotations);
    if (!plan) return;
    if (typeof Worker === 'undefined') {
      void runFold(target, projectId, plan).catch(() => {});
      return;
    }
    const worker = new Worker(new URL('../storage/fold.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = worker.onerror = () => worker.terminate();
    worker.postMessage({ dbName: target.name, projectId, plan } satisfies FoldRequest);
  }, 0);
}

export async function openProject(projectId: string): Promise<boolean> {
  if (useDocStore.getState().doc?.project.id === projectId) return true;
  const ownBuffer = !loadBuffers.has(projectId);
  if (ownBuffer) loadBuffers.set(projectId, []);
  try {
    const data = await loadForOpening(projectId);
    if (!data) return false;
    if (useDocStore.getState().doc?.project.id !== projectId) useDocStore.getState().open(data);
    return true;
  } finally {
    if (ownBuffer) {
      // Another tab may have written while we read: those records are read again now.
      const missed = loadBuffers.get(projectId) ?? [];
      loadBuffers.delete(projectId);
      await pullRecords(projectId, missed);
    }
  }
}

export async function removeProject(projectId: string): Promise<void> {
  await autosaver.flush();
  if (useDocStore.getState().doc?.project.id === projectId) useDocStore.getState().close();
  if (db) await deleteProject(db, projectId);
  else memoryProjects.delete(projectId);
  channel?.postProject(projectId, 'removed');
  await refreshProjects();
}

export async function saveBlob(projectId: string, data: Blob, mime: string): Promise<string> {
  const blobId = newId('blob');
  const row: BlobRow = { blobId, projectId, mime, data };
  if (db) await repo.putBlob(db, row);
  else memoryBlobs.set(blobId, row);
  return blobId;
}

/** Stores image files under the ids their records name (files that came from a sync server). */
export async function storeFiles(projectId: string, files: readonly { blobId: string; mime: string; data: Blob }[]): Promise<void> {
  for (const f of files) {
    const row: BlobRow = { blobId: f.blobId, projectId, mime: f.mime, data: f.data };
    if (db) await repo.putBlob(db, row);
    else memoryBlobs.set(f.blobId, row);
  }
}

export async function loadBlob(blobId: string): Promise<BlobRow | undefined> {
  return db ? repo.getBlob(db, blobId) : memoryBlobs.get(blobId);
}

export async function loadProjectBlobs(projectId: string): Promise<BlobRow[]> {
  return db ? repo.projectBlobs(db, projectId) : [...memoryBlobs.values()].filter((b) => b.projectId === projectId);
}

/** Every project with its records, for a backup. Pending edits are saved first. */
export async function loadAllProjects(): Promise<ProjectData[]> {
  await autosaver.flush();
  const ids = db ? (await repo.listProjects(db)).map((p) => p.id) : [...memoryProjects.keys()];
  const out: ProjectData[] = [];
  for (const id of ids) {
    const data = await loadProjectData(id);
    if (data) out.push(data);
  }
  return out;
}

/**
 * Stores whole projects in one transaction (new, imported, restored): all of them or none, whatever
 * the browser throws part-way (a quota error aborts the transaction; nothing half-written stays).
 * Projects with the same ids are replaced: records the new copy lacks are removed, and with
 * `replaceFiles` (a restore) so are image files it lacks.
 */
export async function storeWholeProjects(items: readonly ProjectToStore[], opts: { replaceFiles: boolean } = { replaceFiles: true }): Promise<void> {
  if (db) {
    await storeProjects(db, items, opts);
  } else {
    for (const { data, blobs } of items) {
      memoryProjects.set(data.project.id, data);
      if (opts.replaceFiles) for (const [id, b] of memoryBlobs) if (b.projectId === data.project.id) memoryBlobs.delete(id);
      for (const b of blobs) memoryBlobs.set(b.blobId, { ...b, projectId: data.project.id });
    }
  }
  for (const { data } of items) channel?.postProject(data.project.id, 'stored');
  const open = useDocStore.getState().doc?.project.id;
  const reopened = open ? items.find((i) => i.data.project.id === open) : undefined;
  if (reopened) useDocStore.getState().open(reopened.data);
  await refreshProjects();
}

export async function getSetting<T>(key: string): Promise<T | undefined> {
  return db ? repo.getMeta<T>(db, key) : (memoryMeta.get(key) as T | undefined);
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  if (db) await repo.setMeta(db, key, value);
  else memoryMeta.set(key, value);
}

/**
 * Reads a setting, storing `make()` first if there is none, in one transaction: two tabs asking at
 * once both get the same value (a pseudonym key made twice would split one patient in two).
 */
export async function ensureSetting<T>(key: string, make: () => T): Promise<T> {
  if (!db) {
    if (!memoryMeta.has(key)) memoryMeta.set(key, make());
    return memoryMeta.get(key) as T;
  }
  return withTx(db, ['meta'], async (tx) => {
    const existing = await tx.objectStore('meta').get(key);
    if (existing) return existing.value as T;
    const value = make();
    quiet(tx.objectStore('meta').put({ key, value }));
    return value;
  });
}

/** Closes the tab channel and the database (tests that start several workspaces in one process). */
export function closeWorkspace(): void {
  channel?.close();
  channel = null;
  db?.close();
  db = null;
}

/** For tests: the database handle, to inspect what is stored. */
export function workspaceDb(): Db | null {
  return db;
}
