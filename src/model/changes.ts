import type { Annotation, Annotator, AuditEntry, ImageRecord, ImageStatus, LabelSchema, Project } from './types';

/** Every document record kind; one IndexedDB row each. */
export interface RecordTypes {
  project: Project;
  schema: LabelSchema;
  image: ImageRecord;
  annotator: Annotator;
  annotation: Annotation;
  status: ImageStatus;
  audit: AuditEntry;
}

export type RecordKind = keyof RecordTypes;
export const RECORD_KINDS: readonly RecordKind[] = ['project', 'schema', 'image', 'annotator', 'annotation', 'status', 'audit'];

/**
 * One record's change: `before` undefined means created, `after` undefined means deleted.
 * Undo, autosave and cross-tab sync all consume these; nobody writes an inverse by hand.
 */
export type RecordChange = {
  [K in RecordKind]: { kind: K; id: string; before: RecordTypes[K] | undefined; after: RecordTypes[K] | undefined };
}[RecordKind];

export function recordId(kind: RecordKind, value: RecordTypes[RecordKind]): string {
  if (kind === 'schema') {
    const s = value as LabelSchema;
    return schemaRecordId(s.id, s.version);
  }
  return (value as { id: string }).id;
}

export function schemaRecordId(schemaId: string, version: number): string {
  return `${schemaId}@${version}`;
}

export function created<K extends RecordKind>(kind: K, value: RecordTypes[K]): RecordChange {
  return { kind, id: recordId(kind, value), before: undefined, after: value } as RecordChange;
}

export function updated<K extends RecordKind>(kind: K, before: RecordTypes[K], after: RecordTypes[K]): RecordChange {
  return { kind, id: recordId(kind, after), before, after } as RecordChange;
}

export function deleted<K extends RecordKind>(kind: K, value: RecordTypes[K]): RecordChange {
  return { kind, id: recordId(kind, value), before: value, after: undefined } as RecordChange;
}

export function invertChanges(changes: readonly RecordChange[]): RecordChange[] {
  return changes.map((c) => ({ ...c, before: c.after, after: c.before }) as RecordChange).reverse();
}
