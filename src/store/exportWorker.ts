/**
 * The export's Web Worker (see exportClient.ts): a project of any size is read from the database
 * and written here through the streaming writers, to the file the user chose or to a Blob, so the
 * page stays responsive however long it takes.
 */
import { openGranulaDb } from '../storage/db';
import { blobTarget, fileTarget, writeExport } from './exportWrite';
import type { ExportReply, ExportWorkerRequest } from './exportClient';

// The project compiles against the DOM lib; the WebWorker lib would clash with it, so type only what is used.
const scope = self as unknown as { postMessage(r: ExportReply): void; onmessage: ((e: MessageEvent<ExportWorkerRequest>) => void) | null };
const abort = new AbortController();

scope.onmessage = (e) => {
  const request = e.data;
  if (request.type === 'cancel') return abort.abort();
  void (async () => {
    const db = await openGranulaDb(request.dbName);
    try {
      const { handle } = request;
      const result = await writeExport(db, request.export, (_name, mime) => (handle ? fileTarget(handle) : Promise.resolve(blobTarget(mime))), {
        signal: abort.signal,
        onProgress: (fraction) => scope.postMessage({ type: 'progress', fraction }),
      });
      scope.postMessage({ type: 'done', result });
    } catch (err) {
      scope.postMessage({ type: 'done', result: { ok: false, message: err instanceof Error ? err.message : String(err) } });
    } finally {
      db.close();
    }
  })();
};
