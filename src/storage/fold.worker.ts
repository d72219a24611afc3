/// <reference lib="webworker" />
import { openGranulaDb } from './db';
import { runFold, type FoldPlan, type FoldResult } from './writes';

export interface FoldRequest {
  dbName: string;
  projectId: string;
  plan: FoldPlan;
}

export type FoldReply = { type: 'done'; result: FoldResult } | { type: 'error'; message: string };

// Folding rewrites whole packs (building and packing thousands of outlines each): done here, off
// the main thread, so the project that was just opened stays responsive. IndexedDB serialises this
// worker's transactions with the page's like any other tab's.
self.onmessage = async (e: MessageEvent<FoldRequest>) => {
  const post = (m: FoldReply) => (self as unknown as Worker).postMessage(m);
  try {
    const db = await openGranulaDb(e.data.dbName);
    // A newer Granula upgrading the layout must not wait for this worker.
    db.addEventListener('versionchange', () => db.close());
    try {
      post({ type: 'done', result: await runFold(db, e.data.projectId, e.data.plan) });
    } finally {
      db.close();
    }
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
