import { create } from 'zustand';
import type { RecordChange } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import type { StoredProject } from '../storage/repository';
import { applyToDoc, docFromData, type DocState } from './docState';
import { History } from './history';
import { auditEntriesFor, stampChanges } from '../model/audit';
import { created, invertChanges } from '../model/changes';
import { nowIso } from '../model/ids';
import type { AuditAction } from '../model/types';

/** `rollback`: an edit taken back because it could not be stored; it leaves no trace, not even in the trail. */
export type ChangeOrigin = 'local' | 'undo' | 'redo' | 'remote' | 'rollback';

export interface CommitOptions {
  /** Whether the edit is an undo step. A remote (other tab) change never is. */
  record: boolean;
  label: string;
  /**
   * How the audit trail names this edit: by default create/update/delete per record; a gather or an
   * adjudication names itself (and then the records keep their annotators' edit stamps).
   */
  audit?: { action: AuditAction; detail?: string } | 'included';
}

let actor = '';

/** The person editing in this tab (the identity chosen in Settings): stamps edits and the audit trail. */
export function setAuditActor(id: string): void {
  actor = id;
}

export function auditActor(): string {
  return actor;
}

type ChangeListener = (projectId: string, changes: RecordChange[], origin: ChangeOrigin) => void;

interface DocStoreState {
  doc: DocState | null;
  /** Bumped on every applied change; views select on it. */
  rev: number;
  canUndo: boolean;
  canRedo: boolean;
  open(data: ProjectData | StoredProject): void;
  close(): void;
  commit(changes: RecordChange[], opts: CommitOptions): void;
  applyRemote(projectId: string, changes: RecordChange[]): void;
  undo(): void;
  redo(): void;
  /**
   * Takes back the last `steps` recorded edits, and `extra` changes (audit lines that came with them),
   * as if they never happened: for work that storage refused as a whole.
   */
  rollback(steps: number, extra: RecordChange[]): void;
}

const history = new History();
const listeners = new Set<ChangeListener>();

/** Autosave and cross-tab sync listen here; every change of the open project passes through. */
export function onDocChanges(fn: ChangeListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const useDocStore = create<DocStoreState>()((set, get) => {
  function apply(changes: RecordChange[], origin: ChangeOrigin, audit?: CommitOptions['audit']): void {
    const doc = get().doc;
    if (!doc || !changes.length) return;
    if (origin !== 'remote' && origin !== 'rollback' && audit !== 'included') {
      // The trail is appended to, never undone: an undo is one more entry, not a removal.
      const detail = audit?.detail ?? (origin === 'local' ? undefined : origin);
      const entries = auditEntriesFor(changes, { projectId: doc.project.id, actor, at: nowIso(), action: audit?.action, detail });
      if (entries.length) changes = [...changes, ...entries.map((e) => created('audit', e))];
    }
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
      const stamped = opts.audit === 'included' ? changes : stampChanges(changes, actor);
      // The trail is never undone: an entry that came with the changes stays out of the undo step.
      if (opts.record) history.record({ label: opts.label, changes: opts.audit === 'included' ? stamped.filter((c) => c.kind !== 'audit') : stamped });
      apply(stamped, 'local', opts.audit);
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
    rollback(steps, extra) {
      const changes: RecordChange[] = [...invertChanges(extra)];
      for (let i = 0; i < steps; i++) {
        const e = history.dropLast();
        if (e) changes.push(...invertChanges(e.changes));
      }
      apply(changes, 'rollback');
    },
  };
});
