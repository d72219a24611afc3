import { create } from 'zustand';
import type { RecordChange } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import { applyToDoc, docFromData, type DocState } from './docState';
import { History } from './history';

export type ChangeOrigin = 'local' | 'undo' | 'redo' | 'remote';

export interface CommitOptions {
  /** Whether the edit is an undo step. A remote (other tab) change never is. */
  record: boolean;
  label: string;
}

type ChangeListener = (projectId: string, changes: RecordChange[], origin: ChangeOrigin) => void;

interface DocStoreState {
  doc: DocState | null;
  /** Bumped on every applied change; views select on it. */
  rev: number;
  canUndo: boolean;
  canRedo: boolean;
  open(data: ProjectData): void;
  close(): void;
  commit(changes: RecordChange[], opts: CommitOptions): void;
  applyRemote(projectId: string, changes: RecordChange[]): void;
  undo(): void;
  redo(): void;
}

const history = new History();
const listeners = new Set<ChangeListener>();

/** Autosave and cross-tab sync listen here; every change of the open project passes through. */
export function onDocChanges(fn: ChangeListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const useDocStore = create<DocStoreState>()((set, get) => {
  function apply(changes: RecordChange[], origin: ChangeOrigin): void {
    const doc = get().doc;
    if (!doc || !changes.length) return;
    applyToDoc(doc, changes);
    set({ rev: get().rev + 1, canUndo: history.canUndo, canRedo: history.canRedo });
    for (const l of listeners) l(doc.project.id, changes, origin);
  }
  return {
    doc: null,
    rev: 0,
    canUndo: false,
    canRedo: false,
    open(data) {
      history.clear();
      set({ doc: docFromData(data), rev: get().rev + 1, canUndo: false, canRedo: false });
    },
    close() {
      history.clear();
      set({ doc: null, rev: get().rev + 1, canUndo: false, canRedo: false });
    },
    commit(changes, opts) {
      if (opts.record) history.record({ label: opts.label, changes });
      apply(changes, 'local');
    },
    applyRemote(projectId, changes) {
      if (get().doc?.project.id !== projectId) return;
      apply(changes, 'remote');
    },
    undo() {
      const e = history.takeUndo();
      if (e) apply(e.changes, 'undo');
    },
    redo() {
      const e = history.takeRedo();
      if (e) apply(e.changes, 'redo');
    },
  };
});
