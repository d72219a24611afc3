import type { RecordChange, RecordKind } from '../model/changes';
import { isQuotaError } from './db';
import type { WriteOutcome } from './writes';

export type SaveState = 'saved' | 'saving' | 'error';

export interface SaveStatus {
  state: SaveState;
  /** Changes not yet acknowledged by IndexedDB. */
  pending: number;
  error?: { kind: 'quota' | 'unavailable' | 'other'; message: string };
  lastSavedAt?: number;
}

export interface WriteOptions {
  /** The page is going away: write without a read first, so the browser can finish it alone. */
  urgent?: boolean;
}

export interface AutosaveTarget {
  /** Resolves once IndexedDB acknowledged the batch; may report what it merged with another tab's write. */
  write(projectId: string, changes: RecordChange[], opts?: WriteOptions): Promise<WriteOutcome | void>;
}

type Pending = { projectId: string; change: RecordChange };

const keyOf = (projectId: string, kind: RecordKind, id: string) => `${projectId}/${kind}/${id}`;

/**
 * Gathers changes and writes them within `delayMs` (well inside the promised second), merged so
 * each record is written once with its latest value. A failed write keeps every pending change in
 * memory and is retried with the next change or on `retry()`; nothing is dropped.
 */
export class Autosaver {
  private pending = new Map<string, Pending>();
  /** The batch being written: still this tab's edits until IndexedDB acknowledges them. */
  private writing = new Map<string, Pending>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: Promise<void> | null = null;
  private status: SaveStatus = { state: 'saved', pending: 0 };

  constructor(
    private target: AutosaveTarget | null,
    private onStatus: (s: SaveStatus) => void,
    private onWritten: (projectId: string, changes: RecordChange[]) => void = () => {},
    private delayMs = 250,
    private onMerged: (projectId: string, changes: RecordChange[]) => void = () => {},
  ) {}

  setTarget(target: AutosaveTarget | null, unavailableMessage?: string): void {
    this.target = target;
    if (!target && unavailableMessage) this.report({ state: 'error', pending: this.pending.size, error: { kind: 'unavailable', message: unavailableMessage } });
  }

  enqueue(projectId: string, changes: readonly RecordChange[]): void {
    for (const c of changes) {
      const key = keyOf(projectId, c.kind, c.id);
      const prev = this.pending.get(key);
      // Keep the first `before` so the merged change still describes the stored state.
      this.pending.set(key, { projectId, change: prev ? ({ ...c, before: prev.change.before } as RecordChange) : c });
    }
    if (!changes.length) return;
    if (this.status.state !== 'error' || this.target) this.report({ ...this.status, state: this.target ? 'saving' : 'error', pending: this.pending.size });
    this.schedule();
  }

  /** This tab's unacknowledged change of a record, if any: a remote value is shown merged with it. */
  localChange(projectId: string, kind: RecordKind, id: string): RecordChange | undefined {
    const key = keyOf(projectId, kind, id);
    const newer = this.pending.get(key)?.change;
    const older = this.writing.get(key)?.change;
    if (newer && older) return { ...newer, before: older.before } as RecordChange;
    return newer ?? older;
  }

  /** Another tab deleted the project: edits of it must not bring its records back. */
  discardProject(projectId: string): void {
    for (const [k, p] of this.pending) if (p.projectId === projectId) this.pending.delete(k);
    if (this.status.state !== 'error') this.report({ ...this.status, state: this.pending.size || this.inflight ? 'saving' : 'saved', pending: this.pending.size });
  }

  private schedule(): void {
    if (this.timer || !this.target) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /**
   * Writes everything pending now; resolves when IndexedDB has acknowledged it (or failed).
   * `urgent` (the page is being hidden for good) does not wait for a write in progress: a later
   * transaction on the same store commits after it, so the order of values is still kept.
   */
  async flush(opts: WriteOptions = {}): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!opts.urgent) while (this.inflight) await this.inflight;
    // A write in progress may never finish when the page goes: a merging write reads before it
    // writes, and a page that dies between the two never issues its puts. The urgent write carries
    // that batch again (the same values; a later transaction commits after the earlier one).
    const unfinished = opts.urgent ? [...this.writing].filter(([key]) => !this.pending.has(key)).map(([, item]) => item) : [];
    if ((!this.pending.size && !unfinished.length) || !this.target) return;
    const batch = [...this.pending.values(), ...unfinished];
    this.pending.clear();
    const byProject = new Map<string, RecordChange[]>();
    for (const item of batch) {
      this.writing.set(keyOf(item.projectId, item.change.kind, item.change.id), item);
      const list = byProject.get(item.projectId) ?? [];
      list.push(item.change);
      byProject.set(item.projectId, list);
    }
    const target = this.target;
    const previous = this.inflight;
    // Declared first: the run's own `finally` compares against it.
    let run!: Promise<void>;
    run = (async () => {
      // Writes are issued in this task; `previous` is only awaited so statuses arrive in order.
      const writes = [...byProject].map(([projectId, changes]) => ({ projectId, result: target.write(projectId, changes, opts) }));
      for (const w of writes) w.result.catch(() => {});
      try {
        if (previous) await previous.catch(() => {});
        const outcomes: (WriteOutcome | void)[] = [];
        for (const w of writes) outcomes.push(await w.result);
        // Acknowledged: from here only newer edits (still pending) count as this tab's own.
        for (const item of batch) {
          const key = keyOf(item.projectId, item.change.kind, item.change.id);
          if (this.writing.get(key) === item) this.writing.delete(key);
        }
        writes.forEach((w, i) => {
          const outcome = outcomes[i];
          this.onWritten(w.projectId, outcome ? outcome.stored : byProject.get(w.projectId)!);
          if (outcome?.merged.length) this.onMerged(w.projectId, outcome.merged);
        });
        const still = this.pending.size;
        this.report({ state: still ? 'saving' : 'saved', pending: still, lastSavedAt: Date.now() });
        if (still) this.schedule();
      } catch (e) {
        // Put the batch back under any newer edits of the same records (keeping the older `before`).
        for (const item of batch) {
          const key = keyOf(item.projectId, item.change.kind, item.change.id);
          if (this.writing.get(key) === item) this.writing.delete(key);
          const newer = this.pending.get(key);
          this.pending.set(key, newer ? { ...newer, change: { ...newer.change, before: item.change.before } as RecordChange } : item);
        }
        this.report({
          state: 'error',
          pending: this.pending.size,
          error: { kind: isQuotaError(e) ? 'quota' : 'other', message: (e as Error)?.message ?? String(e) },
          lastSavedAt: this.status.lastSavedAt,
        });
      } finally {
        if (this.inflight === run) this.inflight = null;
      }
    })();
    this.inflight = run;
    await run;
  }

  retry(): Promise<void> {
    return this.flush();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private report(s: SaveStatus): void {
    this.status = s;
    this.onStatus(s);
  }
}
