import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * Where a slide's files are. A slide stays on the user's disk (a 2 GB .svs is never copied into the
 * browser); the project keeps its name and size, and this browser keeps how to reach it again:
 *
 * - File System Access handles (Chromium: the file picker, a dropped file, a folder for DICOM),
 *   stored in IndexedDB (handles are structured-cloneable). After a reload the browser may ask
 *   once more: `queryPermission` says 'prompt', and one click on "Allow access" grants it.
 * - Otherwise (Firefox, Safari, or files from a plain file input) the File objects live for this
 *   session only; after a reload the user chooses the file again (the worklist says so).
 *
 * A database of its own, not the project store: these are facts about this machine's disk, never
 * exported, backed up or synced with a project.
 */

/** The parts of the File System Access API Granula uses (not yet in TypeScript's DOM lib). */
export interface FsPermissionHandle {
  readonly kind: 'file' | 'directory';
  readonly name: string;
  queryPermission?(d: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(d: { mode: 'read' }): Promise<PermissionState>;
}
export interface FsFileHandle extends FsPermissionHandle {
  readonly kind: 'file';
  getFile(): Promise<File>;
}
export interface FsDirectoryHandle extends FsPermissionHandle {
  readonly kind: 'directory';
  values(): AsyncIterable<FsFileHandle | FsDirectoryHandle>;
}
export type FsHandle = FsFileHandle | FsDirectoryHandle;

interface SlideFilesDb extends DBSchema {
  handles: { key: string; value: { key: string; handles: FsHandle[] } };
}

const DB_NAME = 'granula-slide-files';
let dbPromise: Promise<IDBPDatabase<SlideFilesDb>> | null = null;
function db(): Promise<IDBPDatabase<SlideFilesDb>> {
  dbPromise ??= openDB<SlideFilesDb>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('handles', { keyPath: 'key' });
    },
  });
  return dbPromise;
}

/** Files picked in this session, by the slide's file key. */
const session = new Map<string, File[]>();

export function newFileKey(): string {
  return `sf-${crypto.randomUUID()}`;
}

/** Remembers a slide's files for this session and, when there are handles, across reloads. */
export async function rememberSlideFiles(key: string, files: readonly File[], handles?: readonly FsHandle[]): Promise<void> {
  session.set(key, [...files]);
  if (handles?.length) await (await db()).put('handles', { key, handles: [...handles] });
}

/** Every file under a folder handle (DICOM WSI instances), depth-first, in name order. */
export async function filesOf(handles: readonly FsHandle[]): Promise<File[]> {
  const out: File[] = [];
  for (const h of handles) {
    if (h.kind === 'file') out.push(await h.getFile());
    else {
      const children: FsHandle[] = [];
      for await (const c of h.values()) children.push(c);
      children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
      out.push(...(await filesOf(children)));
    }
  }
  return out;
}

export type SlideAccess =
  | { state: 'ready'; files: File[] }
  /** The browser keeps a handle but asks again: `grant` must run from a click. */
  | { state: 'permission'; names: string[]; grant: () => Promise<File[]> }
  /** Nothing in this browser reaches the file: the user chooses it again. */
  | { state: 'missing' };

/** How to reach a slide's files now. Never prompts by itself. */
export async function slideAccess(key: string): Promise<SlideAccess> {
  const known = session.get(key);
  if (known) return { state: 'ready', files: known };
  const row = await (await db()).get('handles', key).catch(() => undefined);
  if (!row?.handles.length) return { state: 'missing' };
  const states = await Promise.all(row.handles.map((h) => h.queryPermission?.({ mode: 'read' }) ?? Promise.resolve<PermissionState>('granted')));
  const open = async () => {
    const files = await filesOf(row.handles);
    session.set(key, files);
    return files;
  };
  if (states.every((s) => s === 'granted')) {
    try {
      return { state: 'ready', files: await open() };
    } catch {
      // Moved, renamed or deleted since: the handle no longer reaches a file.
      return { state: 'missing' };
    }
  }
  return {
    state: 'permission',
    names: row.handles.map((h) => h.name),
    grant: async () => {
      for (const h of row.handles) {
        const s = (await h.requestPermission?.({ mode: 'read' })) ?? 'granted';
        if (s !== 'granted') throw new Error(`access to "${h.name}" was not allowed`);
      }
      return open();
    },
  };
}
