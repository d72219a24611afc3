import type { RecordChange, RecordKind } from './changes';
import { newId } from './ids';
import type { Annotation, AuditAction, AuditEntry, ImageStatus } from './types';

/** The audit trail's order: by time, then id (entries made in the same millisecond stay put). */
export function byTime(a: { at: string; id: string }, b: { at: string; id: string }): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Record kinds whose changes the audit trail lists (annotator rows and the trail itself are not). */
const AUDITED: ReadonlySet<RecordKind> = new Set(['project', 'schema', 'image', 'annotation', 'status']);

function imageOf(c: RecordChange): string | undefined {
  const v = (c.after ?? c.before) as { imageId?: string; id?: string } | undefined;
  if (c.kind === 'annotation' || c.kind === 'status') return v?.imageId;
  if (c.kind === 'image') return v?.id;
  return undefined;
}

function actionOf(c: RecordChange): AuditAction {
  return c.before === undefined ? 'create' : c.after === undefined ? 'delete' : 'update';
}

/**
 * The audit entries for one batch of changes: one per (action, record kind, image), listing the
 * record ids. `action` overrides create/update/delete for work done on someone's behalf (a gather,
 * an adjudication); then there is one entry per image and kind.
 */
export function auditEntriesFor(changes: readonly RecordChange[], o: { projectId: string; actor: string; at: string; action?: AuditAction; detail?: string }): AuditEntry[] {
  const groups = new Map<string, AuditEntry>();
  for (const c of changes) {
    if (!AUDITED.has(c.kind)) continue;
    const action = o.action ?? actionOf(c);
    const imageId = imageOf(c);
    const key = `${action}\u0000${c.kind}\u0000${imageId ?? ''}`;
    let e = groups.get(key);
    if (!e) {
      e = { id: newId('aud'), projectId: o.projectId, at: o.at, actor: o.actor, action, recordKind: c.kind, targets: [] };
      if (imageId) e.imageId = imageId;
      if (o.detail) e.detail = o.detail;
      groups.set(key, e);
    }
    e.targets.push(c.id);
  }
  return [...groups.values()];
}

/**
 * Marks who made each annotation and status change. When someone other than the record's own
 * annotator changes it, the record keeps the `updatedAt` of the version it started from
 * (`baseUpdatedAt`): a later gather can then tell whether the return changed it too.
 */
export function stampChanges(changes: readonly RecordChange[], actor: string): RecordChange[] {
  if (!actor) return [...changes];
  return changes.map((c) => {
    if ((c.kind !== 'annotation' && c.kind !== 'status') || !c.after) return c;
    const after = { ...c.after } as Annotation | ImageStatus;
    after.updatedBy = actor;
    const before = c.before as Annotation | ImageStatus | undefined;
    // The version a change starts from is the last one somebody else made; one's own later changes keep it.
    if (actor === after.annotatorId || !before) delete after.baseUpdatedAt;
    else if (before.updatedBy === actor) after.baseUpdatedAt = before.baseUpdatedAt;
    else after.baseUpdatedAt = before.updatedAt;
    return { ...c, after } as RecordChange;
  });
}
