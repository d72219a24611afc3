/**
 * The import's Web Worker (see importClient.ts): a file of any size is read, checked and stored
 * here, so the page stays responsive however long it takes. It writes to the same database as the
 * page, through the same write path.
 */
import { newId } from '../model/ids';
import { openGranulaDb } from '../storage/db';
import type { ImportRequest } from './importClient';
import { importFileStream, type ImportProgress, type StreamImportResult } from './streamImport';
import { serveWorkerTask } from './workerTask';

serveWorkerTask<ImportRequest, ImportProgress, StreamImportResult>(
  async (request, signal, onProgress) => {
    const db = await openGranulaDb(request.dbName);
    // Held while this worker imports: a tab starting meanwhile leaves the import alone (see sweepUnfinishedImports).
    const lock = `granula-import-${newId('imp')}`;
    try {
      const run = () => importFileStream(db, request.file, { existing: new Set(request.existing), signal, lock: navigator.locks ? lock : undefined, onProgress });
      return navigator.locks ? await navigator.locks.request(lock, run) : await run();
    } finally {
      db.close();
    }
  },
  (message) => ({ ok: false, problems: [{ path: '(import)', message: `stopped: ${message}` }] }),
);
