import type { RecordChange } from '../model/changes';
import { isQuotaError } from './db';

export type SaveState = 'saved' | 'saving' | 'error';

export interface SaveStatus {
  state: SaveState;
  /** Changes not yet acknowledged by IndexedDB. */
  pending: number;
  error?: { kind: 'quota' | 'unavailable' | 'other'; message: string };
  lastSavedAt?: number;
}

export interface AutosaveTarget {
  write(projectId: string, changes: RecordChange[]): Promise<void>;
}

/**
 * Gathers changes and writes them within `delayMs` (well inside the promised second), merged so
 * each record is written once with its latest value. A failed write keeps every pending change in
 * memory and is retried with the next change or on `retry()`; nothing is dropped.
 */
export class Autosaver {
  private pending = new Map<string, { projectId: string; change: RecordChange }>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: Promise<void> | null = null;
  private status: SaveStatus = { state: 'saved', pending: 0 };

  constructor(
    private target: AutosaveTarget | null,
    private onStatus: (s: SaveStatus) => void,
    private onWritten: (projectId: string, changes: RecordChange[]) => void = () => {},
    private delayMs = 250,
  ) {}

  setTarget(target: AutosaveTarget | null, unavailableMessage?: string): void {
    this.target = target;
    if (!target && unavailableMessage) this.report({ state: 'error', pending: this.pending.size, error: { kind: 'unavailable', message: unavailableMessage } });
  }

  enqueue(projectId: string, changes: readonly RecordChange[]): void {
    for (const c of changes) {
      const key = `${projectId}/${c.kind}/${c.id}`;
      const prev = this.pending.get(key);
      // Keep the first `before` so the merged change still describes the stored state.
      this.pending.set(key, { projectId, change: prev ? ({ ...c, before: prev.change.before } as RecordChange) : c });
    }
    if (!changes.length) return;
    if (this.status.state !== 'error' || this.target) this.report({ ...this.status, state: this.target ? 'saving' : 'error', pending: this.pending.size });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || !this.target) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Writes everything pending now; resolves when IndexedDB has acknowledged it (or failed). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.inflight) await this.inflight;
    if (!this.pending.size || !this.target) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    const byProject = new Map<string, RecordChange[]>();
    for (const { projectId, change } of batch) {
      const list = byProject.get(projectId) ?? [];
      list.push(change);
      byProject.set(projectId, list);
    }
    const target = this.target;
    this.inflight = (async () => {
      try {
        for (const [projectId, changes] of byProject) {
          await target.write(projectId, changes);
          this.onWritten(projectId, changes);
        }
        const still = this.pending.size;
        this.report({ state: still ? 'saving' : 'saved', pending: still, lastSavedAt: Date.now() });
        if (still) this.schedule();
      } catch (e) {
        // Put the batch back under any newer edits of the same records.
        for (const item of batch) {
          const key = `${item.projectId}/${item.change.kind}/${item.change.id}`;
          if (!this.pending.has(key)) this.pending.set(key, item);
        }
        this.report({
          state: 'error',
          pending: this.pending.size,
          error: { kind: isQuotaError(e) ? 'quota' : 'other', message: (e as Error)?.message ?? String(e) },
          lastSavedAt: this.status.lastSavedAt,
        });
      } finally {
        this.inflight = null;
      }
    })();
    await this.inflight;
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
