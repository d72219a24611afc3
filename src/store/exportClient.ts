import type { ExportRequest, ExportResult, SaveFileHandle } from './exportWrite';
import { runWorkerTask } from './workerTask';
import { flushSaves, workspaceDb } from './workspace';

export interface ExportWorkerRequest {
  dbName: string;
  export: ExportRequest;
  handle?: SaveFileHandle;
}

/** Whether exports can be written in a worker: it reads the project from the database, so there must be one. */
export function canExportInWorker(): boolean {
  return workspaceDb() !== null && typeof Worker === 'function';
}

/**
 * Writes an export in a worker, through the streaming writers: into `handle` (a file the user chose
 * with the File System Access API) as the bytes come, or into a Blob handed back for a download.
 * Pending edits are saved first, so the export holds them. Aborting `signal` cancels it: nothing
 * is left behind (a chosen file is discarded and removed).
 */
export async function exportInWorker(request: ExportRequest, opts: { handle?: SaveFileHandle; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<ExportResult> {
  const db = workspaceDb();
  if (!db) return { ok: false, message: 'storage is not available in this window' };
  await flushSaves();
  const worker = new Worker(new URL('./exportWorker.ts', import.meta.url), { type: 'module' });
  return runWorkerTask<ExportWorkerRequest, number, ExportResult>(worker, { dbName: db.name, export: request, handle: opts.handle }, { ...opts, failed: (message) => ({ ok: false, message: `the export stopped: ${message}` }) });
}
