/**
 * The export's Web Worker (see exportClient.ts): a project of any size is read from the database
 * and written here through the streaming writers, to the file the user chose or to a Blob, so the
 * page stays responsive however long it takes.
 */
import { openGranulaDb } from '../storage/db';
import type { ExportWorkerRequest } from './exportClient';
import { blobTarget, fileTarget, writeExport, type ExportResult } from './exportWrite';
import { serveWorkerTask } from './workerTask';

serveWorkerTask<ExportWorkerRequest, number, ExportResult>(
  async (request, signal, onProgress) => {
    const db = await openGranulaDb(request.dbName);
    try {
      const { handle } = request;
      return await writeExport(db, request.export, (_name, mime) => (handle ? fileTarget(handle) : Promise.resolve(blobTarget(mime))), { signal, onProgress });
    } finally {
      db.close();
    }
  },
  (message) => ({ ok: false, message }),
);
