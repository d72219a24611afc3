import type { ImportProgress, StreamImportResult } from './streamImport';
import { refreshProjects, useWorkspace, workspaceDb } from './workspace';

export type ImportRequest = { type: 'import'; file: File; dbName: string; existing: string[] } | { type: 'cancel' };
export type ImportReply = { type: 'progress'; progress: ImportProgress } | { type: 'done'; result: StreamImportResult };

/**
 * Imports a JSON file of any size (a shared document, COCO or GeoJSON) in a worker (streamed, all or nothing). Aborting `signal`
 * cancels it: the worker deletes what it stored and answers that nothing was kept.
 */
export function importInWorker(file: File, opts: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal } = {}): Promise<StreamImportResult> {
  const db = workspaceDb();
  // Without IndexedDB (a private window that refuses it) there is nowhere to stream into.
  if (!db) return Promise.resolve({ ok: false, problems: [{ path: '(storage)', message: 'is not available in this browser window; nothing was imported' }] });
  const worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' });
  return new Promise<StreamImportResult>((resolve) => {
    const cancel = () => worker.postMessage({ type: 'cancel' } satisfies ImportRequest);
    opts.signal?.addEventListener('abort', cancel);
    worker.onmessage = (e: MessageEvent<ImportReply>) => {
      if (e.data.type === 'progress') return opts.onProgress?.(e.data.progress);
      opts.signal?.removeEventListener('abort', cancel);
      worker.terminate();
      resolve(e.data.result);
    };
    worker.onerror = (e) => {
      worker.terminate();
      resolve({ ok: false, problems: [{ path: '(import)', message: `stopped: ${e.message}` }] });
    };
    worker.postMessage({ type: 'import', file, dbName: db.name, existing: useWorkspace.getState().projects.map((p) => p.id) } satisfies ImportRequest);
  }).then(async (result) => {
    if (result.ok) await refreshProjects();
    return result;
  });
}
