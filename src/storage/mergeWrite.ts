import type { IDBPDatabase } from 'idb';
import type { RecordChange, RecordKind, RecordTypes } from '../model/changes';
import { rowKey, type GranulaDb } from './db';
import { mergeRecord, sameValue } from './recordMerge';
import { projectHasPacks, projectMayHavePacks, queueRecordWrite, RECORD_STORES } from './repository';

type Db = IDBPDatabase<GranulaDb>;

/** A request of an aborted transaction rejects too; the transaction's own failure is what we report. */
export function quiet(request: Promise<unknown>): void {
  request.catch(() => {});
}

export interface WriteOutcome {
  /** What is stored now for each record written: broadcast to other tabs. */
  stored: RecordChange[];
  /**
   * Records another tab had changed since this tab read them: the merged value that was stored,
   * as a change from what this tab holds. The tab applies these so it shows what is stored.
   */
  merged: RecordChange[];
}

/**
 * Writes one batch in a single transaction, merging with any record another tab wrote since this
 * tab read it. A readwrite transaction on `records` is serialised by the browser across tabs, so
 * the read, the merge and the write are one atomic step (no Web Lock needed). Any failure aborts the
 * whole transaction: all of the batch lands or none of it, whatever the browser threw and where.
 */
export async function writeChangesMerging(db: Db, projectId: string, changes: readonly RecordChange[]): Promise<WriteOutcome> {
  const tx = db.transaction(RECORD_STORES, 'readwrite');
  const store = tx.objectStore('records');
  const done = tx.done;
  done.catch(() => {}); // awaited below; this only keeps an abort from being reported as unhandled
  try {
    const keys = changes.map((c) => rowKey(projectId, c.kind, c.id));
    // All reads are queued at once: one round trip, not one per record.
    const rows = await Promise.all(keys.map((k) => store.get(k)));
    // A deleted annotation of a packed image must leave a `gone` row, or its packed copy returns.
    const packed = changes.some((c) => c.kind === 'annotation' && c.after === undefined) && (await projectHasPacks(tx, projectId));
    const outcome: WriteOutcome = { stored: [], merged: [] };
    changes.forEach((c, i) => {
      const stored = rows[i]?.value as RecordTypes[RecordKind] | undefined;
      const conflict = !sameValue(stored, c.before);
      const value = conflict ? mergeRecord<RecordTypes[RecordKind]>(c.before, c.after, stored) : c.after;
      quiet(queueRecordWrite(store, projectId, c.kind, c.id, value, packed));
      outcome.stored.push({ kind: c.kind, id: c.id, before: stored, after: value } as RecordChange);
      if (conflict && !sameValue(value, c.after)) outcome.merged.push({ kind: c.kind, id: c.id, before: c.after, after: value } as RecordChange);
    });
    await done;
    return outcome;
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already finished or aborted: nothing was committed either way
    }
    throw e;
  }
}

/**
 * Writes without reading first, for the last moment of a closing page: every request is issued in
 * the same task, so the browser can finish the transaction after the page is gone.
 */
export async function writeChangesBlind(db: Db, projectId: string, changes: readonly RecordChange[]): Promise<WriteOutcome> {
  const tx = db.transaction(RECORD_STORES, 'readwrite');
  const packed = projectMayHavePacks(projectId);
  const done = tx.done;
  done.catch(() => {});
  try {
    for (const c of changes) quiet(queueRecordWrite(tx.objectStore('records'), projectId, c.kind, c.id, c.after, packed));
    // Tells the browser no request follows, so it commits without waiting for this page to run again.
    (tx as unknown as { commit?: () => void }).commit?.();
    await done;
    return { stored: [...changes], merged: [] };
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // nothing committed
    }
    throw e;
  }
}

/** Reads the stored values of some records (for a tab told that another tab wrote them). */
export async function readRecords(db: Db, projectId: string, keys: readonly { kind: RecordKind; id: string }[]): Promise<(RecordTypes[RecordKind] | undefined)[]> {
  const tx = db.transaction('records');
  const rows = await Promise.all(keys.map((k) => tx.store.get(rowKey(projectId, k.kind, k.id))));
  return rows.map((r) => r?.value as RecordTypes[RecordKind] | undefined);
}
