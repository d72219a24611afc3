import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RecordKind, RecordTypes } from '../model/changes';

/**
 * The storage layout is a public contract with every user's browser: renaming a store or a key
 * without a migration wipes their labels. Bump LAYOUT_VERSION and add a step in migrateLayout.
 */
export const DB_NAME = 'granula';
export const LAYOUT_VERSION = 1;

export interface RecordRow {
  /** `${projectId}/${kind}/${id}` */
  key: string;
  projectId: string;
  kind: RecordKind;
  value: RecordTypes[RecordKind];
}

export interface BlobRow {
  blobId: string;
  projectId: string;
  mime: string;
  data: Blob;
}

export interface GranulaDb extends DBSchema {
  records: { key: string; value: RecordRow; indexes: { projectId: string } };
  blobs: { key: string; value: BlobRow; indexes: { projectId: string } };
  meta: { key: string; value: { key: string; value: unknown } };
}

export function rowKey(projectId: string, kind: RecordKind, id: string): string {
  return `${projectId}/${kind}/${id}`;
}

export async function openGranulaDb(name = DB_NAME): Promise<IDBPDatabase<GranulaDb>> {
  if (typeof indexedDB === 'undefined' || !indexedDB) throw new StorageUnavailableError('IndexedDB is not available in this browser window');
  try {
    return await openDB<GranulaDb>(name, LAYOUT_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          const records = db.createObjectStore('records', { keyPath: 'key' });
          records.createIndex('projectId', 'projectId');
          const blobs = db.createObjectStore('blobs', { keyPath: 'blobId' });
          blobs.createIndex('projectId', 'projectId');
          db.createObjectStore('meta', { keyPath: 'key' });
        }
      },
      blocked() {
        // Another tab holds an older layout open; it reloads on `versionchange` (see below).
      },
    });
  } catch (e) {
    throw new StorageUnavailableError(`IndexedDB could not be opened: ${(e as Error).message}`);
  }
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
