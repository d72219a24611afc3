import type { IDBPDatabase } from 'idb';
import { create } from 'zustand';
import { newId, nowIso } from '../model/ids';
import { newProjectData } from '../model/projectFactory';
import type { ProjectData } from '../model/projectData';
import type { TemplateId } from '../model/templates';
import type { Project } from '../model/types';
import { Autosaver, type SaveStatus } from '../storage/autosave';
import { openGranulaDb, type BlobRow, type GranulaDb } from '../storage/db';
import * as repo from '../storage/repository';
import { openTabChannel, type TabChannel } from '../storage/tabSync';
import { dataFromDoc } from './docState';
import { onDocChanges, useDocStore } from './docStore';

type Db = IDBPDatabase<GranulaDb>;

interface WorkspaceState {
  ready: boolean;
  /** Null when IndexedDB could not be opened: work stays in memory and the user is told. */
  storageError: string | null;
  save: SaveStatus;
  projects: Project[];
  /** A notice for the user, e.g. another tab changed this project. */
  notice: string | null;
  setNotice(n: string | null): void;
}

export const useWorkspace = create<WorkspaceState>()((set) => ({
  ready: false,
  storageError: null,
  save: { state: 'saved', pending: 0 },
  projects: [],
  notice: null,
  setNotice: (notice) => set({ notice }),
}));

let db: Db | null = null;
let channel: TabChannel | null = null;
const memoryProjects = new Map<string, ProjectData>();
const memoryBlobs = new Map<string, BlobRow>();
const tabId = newId('tab');

const autosaver = new Autosaver(
  null,
  (save) => useWorkspace.setState({ save }),
  (projectId, changes) => channel?.post(projectId, changes),
);

/** Opens storage, wires autosave, tab sync and the flush on page hide. Call once at start. */
export async function initWorkspace(opts: { dbName?: string; beforeReady?: () => Promise<void> } = {}): Promise<void> {
  try {
    db = await openGranulaDb(opts.dbName);
    db.addEventListener('versionchange', () => {
      // A newer Granula in another tab upgrades the layout; this old tab must not write the old one.
      void autosaver.flush().then(() => location.reload());
    });
    autosaver.setTarget({ write: (projectId, changes) => repo.writeChanges(db!, projectId, changes) });
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
  channel = openTabChannel(tabId, (m) => {
    const open = useDocStore.getState().doc?.project.id;
    if (open === m.projectId) {
      useDocStore.getState().applyRemote(m.projectId, m.changes);
      useWorkspace.setState({ notice: 'remote-changes' });
    }
    void refreshProjects();
  });
  if (typeof window !== 'undefined') {
    const flush = () => void autosaver.flush();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush();
    });
  }
  if (opts.beforeReady) {
    try {
      await opts.beforeReady();
    } catch (e) {
      console.warn('Granula start-up step failed', e);
    }
  }
  await refreshProjects();
  useWorkspace.setState({ ready: true });
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
  if (db) await repo.replaceProject(db, data, blobs);
  else {
    memoryProjects.set(data.project.id, data);
    for (const b of blobs) memoryBlobs.set(b.blobId, b);
  }
  await refreshProjects();
}

export async function createProject(name: string, template: TemplateId): Promise<ProjectData> {
  const data = newProjectData({ name, template, now: nowIso() });
  await storeWholeProject(data);
  return data;
}

export async function loadProjectData(projectId: string): Promise<ProjectData | null> {
  await autosaver.flush();
  if (db) return repo.loadProject(db, projectId);
  return memoryProjects.get(projectId) ?? null;
}

export async function openProject(projectId: string): Promise<boolean> {
  if (useDocStore.getState().doc?.project.id === projectId) return true;
  const data = await loadProjectData(projectId);
  if (!data) return false;
  useDocStore.getState().open(data);
  return true;
}

export async function removeProject(projectId: string): Promise<void> {
  await autosaver.flush();
  if (useDocStore.getState().doc?.project.id === projectId) useDocStore.getState().close();
  if (db) await repo.deleteProject(db, projectId);
  else memoryProjects.delete(projectId);
  await refreshProjects();
}

export async function saveBlob(projectId: string, data: Blob, mime: string): Promise<string> {
  const blobId = newId('blob');
  const row: BlobRow = { blobId, projectId, mime, data };
  if (db) await repo.putBlob(db, row);
  else memoryBlobs.set(blobId, row);
  return blobId;
}

export async function loadBlob(blobId: string): Promise<BlobRow | undefined> {
  return db ? repo.getBlob(db, blobId) : memoryBlobs.get(blobId);
}

export async function loadProjectBlobs(projectId: string): Promise<BlobRow[]> {
  return db ? repo.projectBlobs(db, projectId) : [...memoryBlobs.values()].filter((b) => b.projectId === projectId);
}

export async function getSetting<T>(key: string): Promise<T | undefined> {
  return db ? repo.getMeta<T>(db, key) : undefined;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  if (db) await repo.setMeta(db, key, value);
}

/** For tests: the database handle, to inspect what is stored. */
export function workspaceDb(): Db | null {
  return db;
}
