/**
 * The import's Web Worker (see importClient.ts): a file of any size is read, checked and stored
 * here, so the page stays responsive however long it takes. It writes to the same database as the
 * page, through the same write path.
 */
import { newId } from '../model/ids';
import { openGranulaDb } from '../storage/db';
import { importFileStream } from './streamImport';
import type { ImportReply, ImportRequest } from './importClient';

// The project compiles against the DOM lib; the WebWorker lib would clash with it, so type only what is used.
const scope = self as unknown as { postMessage(r: ImportReply): void; onmessage: ((e: MessageEvent<ImportRequest>) => void) | null };
const abort = new AbortController();

scope.onmessage = (e) => {
  const request = e.data;
  if (request.type === 'cancel') return abort.abort();
  void (async () => {
    const db = await openGranulaDb(request.dbName);
    // Held while this worker imports: a tab starting meanwhile leaves the import alone (see sweepUnfinishedImports).
    const lock = `granula-import-${newId('imp')}`;
    try {
      const run = () =>
        importFileStream(db, request.file, {
          existing: new Set(request.existing),
          signal: abort.signal,
          lock: navigator.locks ? lock : undefined,
          onProgress: (progress) => scope.postMessage({ type: 'progress', progress }),
        });
      const result = navigator.locks ? await navigator.locks.request(lock, run) : await run();
      scope.postMessage({ type: 'done', result });
    } finally {
      db.close();
    }
  })();
};
