import type { ImportProgress, StreamImportResult } from './streamImport';
import { runWorkerTask } from './workerTask';
import { refreshProjects, useWorkspace, workspaceDb } from './workspace';

export interface ImportRequest {
  file: File;
  dbName: string;
  existing: string[];
}

/**
 * Imports a JSON file of any size (a shared document, COCO or GeoJSON) in a worker (streamed, all or nothing). Aborting `signal`
 * cancels it: the worker deletes what it stored and answers that nothing was kept.
 */
export function importInWorker(file: File, opts: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal } = {}): Promise<StreamImportResult> {
  const db = workspaceDb();
  // Without IndexedDB (a private window that refuses it) there is nowhere to stream into.
  if (!db) return Promise.resolve({ ok: false, problems: [{ path: '(storage)', message: 'is not available in this browser window; nothing was imported' }] });
  const worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' });
  const request: ImportRequest = { file, dbName: db.name, existing: useWorkspace.getState().projects.map((p) => p.id) };
  return runWorkerTask<ImportRequest, ImportProgress, StreamImportResult>(worker, request, { ...opts, failed: (message) => ({ ok: false, problems: [{ path: '(import)', message: `stopped: ${message}` }] }) }).then(async (result) => {
    if (result.ok) await refreshProjects();
    return result;
  });
}
