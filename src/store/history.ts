import type { RecordChange } from '../model/changes';
import { invertChanges } from '../model/changes';

export interface HistoryEntry {
  label: string;
  changes: RecordChange[];
}

/** Undo replays the recorded change set in reverse; there is no hand-written inverse per command. */
export class History {
  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[] = [];

  constructor(private limit = 500) {}

  record(entry: HistoryEntry): void {
    if (!entry.changes.length) return;
    this.undoStack.push(entry);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
  }

  /** The changes that undo the last entry, moving it to the redo stack. */
  takeUndo(): HistoryEntry | null {
    const e = this.undoStack.pop();
    if (!e) return null;
    this.redoStack.push(e);
    return { label: e.label, changes: invertChanges(e.changes) };
  }

  takeRedo(): HistoryEntry | null {
    const e = this.redoStack.pop();
    if (!e) return null;
    this.undoStack.push(e);
    return e;
  }

  /** Forgets the last entry without offering it for redo (an edit that could not be stored). */
  dropLast(): HistoryEntry | null {
    return this.undoStack.pop() ?? null;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }
}
