/**
 * The import's Web Worker (see importClient.ts): a file of any size is read, checked and stored
 * here, so the page stays responsive however long it takes. It writes to the same database as the
 * page, through the same write path.
 */
import { openGranulaDb } from '../storage/db';
import { importGeoJsonStream } from './streamImport';
import type { ImportReply, ImportRequest } from './importClient';

// The project compiles against the DOM lib; the WebWorker lib would clash with it, so type only what is used.
const scope = self as unknown as { postMessage(r: ImportReply): void; onmessage: ((e: MessageEvent<ImportRequest>) => void) | null };
const abort = new AbortController();

scope.onmessage = (e) => {
  const request = e.data;
  if (request.type === 'cancel') return abort.abort();
  void (async () => {
    const db = await openGranulaDb(request.dbName);
    try {
      const result = await importGeoJsonStream(db, request.file, {
        existing: new Set(request.existing),
        signal: abort.signal,
        onProgress: (progress) => scope.postMessage({ type: 'progress', progress }),
      });
      scope.postMessage({ type: 'done', result });
    } finally {
      db.close();
    }
  })();
};
