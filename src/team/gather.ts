import { auditEntriesFor } from '../model/audit';
import { canonicalJson, sameValue } from '../model/canonical';
import { created, deleted, schemaRecordId, updated, type RecordChange } from '../model/changes';
import { newId, statusId } from '../model/ids';
import type { Annotation, AuditEntry, ImageStatus, MergeConflict } from '../model/types';
import type { Problem } from '../formats/shared/paths';
import type { SharedDocument } from '../formats/shared/schema';
import { validateSharedDocument } from '../formats/shared/validate';
import type { TeamState } from './state';
import { asTeamRole } from './roles';
import { CONSENSUS_ANNOTATOR } from '../model/types';

/**
 * The team loop's gather step: one annotator's return merged into the coordinator's project.
 *
 * Records are matched by id. A return may only hold its own annotator's records and audit lines;
 * anything else refuses the whole file. For each record:
 * - not stored yet: added, unless the audit trail says it was deleted after its last change;
 * - stored as the annotator left it: the later `updatedAt` wins (two returns of the same annotator);
 * - changed on the coordinator's side since (its `updatedBy` is someone else) and changed in the
 *   return after the version that change started from: a conflict, listed for the coordinator; the
 *   stored record stays until it is settled.
 * A record the annotator deleted goes when the deletion is the latest thing that happened to it.
 * Every rule compares times and contents only, so gathering the same return again changes nothing,
 * and returns of different annotators can be gathered in any order with the same result.
 */

export interface GatherReport {
  file: string;
  annotator: string;
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
  conflicts: number;
  /** Records on images the project no longer has. */
  skipped: number;
}

export type GatherOutcome =
  | { ok: true; report: GatherReport; changes: RecordChange[] }
  | { ok: false; file: string; problems: Problem[] };

type Owned = Annotation | ImageStatus;

function refuse(file: string, problems: Problem[]): GatherOutcome {
  return { ok: false, file, problems };
}

/** The records of one owned kind: annotations and statuses are gathered by the same rules. */
function ownedRecords(state: TeamState, kind: 'annotation' | 'status'): Map<string, Owned> {
  return (kind === 'annotation' ? state.annotations : state.statuses) as Map<string, Owned>;
}

/**
 * Someone here changed the record since it was last gathered: its last change was made neither by its
 * own annotator nor by the person returning it (a reviewer returning the consensus they made).
 */
function changedHere(s: Owned, returning: string): boolean {
  return !!s.updatedBy && s.updatedBy !== s.annotatorId && s.updatedBy !== returning;
}

/**
 * Whose records a return may hold: its own annotator's; a reviewer's (or coordinator's) return also
 * carries the consensus records they decided.
 */
export function returnOwners(state: Pick<TeamState, 'annotators'>, returning: string): Set<string> {
  const owners = new Set([returning]);
  const role = asTeamRole(state.annotators.get(returning)?.role);
  if (role === 'reviewer' || role === 'coordinator') owners.add(CONSENSUS_ANNOTATOR);
  return owners;
}

/** A total order on versions: later `updatedAt`, then (a tie in the same millisecond) the content. */
function newer(a: Owned, b: Owned): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  return canonicalJson(a) > canonicalJson(b);
}

/**
 * For every record id the returning person's own trail lines mention: when they last deleted it, and
 * last created or changed it. Only their lines count: a deletion here (the coordinator taking a
 * gather back, say) must not keep their work out when it is gathered again.
 */
function trailTimes(entries: Iterable<AuditEntry>, returning: string): { deletedAt: Map<string, string>; liveAt: Map<string, string> } {
  const deletedAt = new Map<string, string>();
  const liveAt = new Map<string, string>();
  for (const e of entries) {
    if (e.actor !== returning || (e.recordKind !== 'annotation' && e.recordKind !== 'status')) continue;
    const map = e.action === 'delete' ? deletedAt : e.action === 'create' || e.action === 'update' ? liveAt : null;
    if (!map) continue;
    for (const t of e.targets) if ((map.get(t) ?? '') < e.at) map.set(t, e.at);
  }
  return { deletedAt, liveAt };
}

/** Who a return is from: its header, or the one annotator whose records it holds. */
function returningAnnotator(doc: SharedDocument): string | Problem {
  if (doc.return) return doc.return.annotatorId;
  const owners = new Set([...doc.annotations.map((a) => a.annotatorId), ...doc.imageStatus.map((s) => s.annotatorId)]);
  if (owners.size === 1) return [...owners][0];
  if (owners.size === 0) return { path: '(file)', message: 'holds no annotator’s work and no return header' };
  return { path: '(file)', message: `a return holds one annotator’s work; this file holds the work of ${owners.size} annotators (${[...owners].slice(0, 5).join(', ')})` };
}

/** The checks that refuse a whole file: nothing of it is merged when one fails. */
function refusals(state: TeamState, doc: SharedDocument, annotatorId: string): Problem[] {
  const out: Problem[] = [];
  const versions = [...state.schemas.values()].filter((s) => s.id === state.project.schemaId).map((s) => s.version).sort((a, b) => a - b);
  const owners = returnOwners(state, annotatorId);
  const checkOwned = (r: { annotatorId: string; schemaId?: string; schemaVersion?: number }, at: string, storedOwner: string | undefined) => {
    if (!owners.has(r.annotatorId)) out.push({ path: `${at}.annotatorId`, message: `"${r.annotatorId}" is not the returning annotator "${annotatorId}": a return may hold only its own annotator’s records` });
    else if (storedOwner !== undefined && storedOwner !== r.annotatorId) out.push({ path: `${at}.id`, message: `is a record of annotator "${storedOwner}": a return may not change another annotator’s records` });
    if (r.schemaId !== undefined && (r.schemaId !== state.project.schemaId || !state.schemas.has(schemaRecordId(r.schemaId, r.schemaVersion ?? 0)))) {
      out.push({ path: `${at}.schemaVersion`, message: `schema "${r.schemaId}" version ${r.schemaVersion} is unknown to this project (it has version${versions.length === 1 ? '' : 's'} ${versions.join(', ')})` });
    }
  };
  doc.annotations.forEach((a, i) => checkOwned(a, `annotations[${i}]`, state.annotations.get(a.id)?.annotatorId));
  doc.imageStatus.forEach((s, i) => checkOwned(s, `imageStatus[${i}]`, undefined));
  doc.audit.forEach((e, i) => {
    if (e.actor !== annotatorId) out.push({ path: `audit[${i}].actor`, message: `"${e.actor}" is not the returning annotator "${annotatorId}"` });
    const stored = state.audit.get(e.id);
    if (stored) {
      const { projectId: _p, ...plain } = stored;
      if (!sameValue(plain, e)) out.push({ path: `audit[${i}]`, message: `differs from the audit entry "${e.id}" already gathered: the trail is append-only` });
    }
  });
  return out;
}

/**
 * Merges one return (a parsed JSON value: it is validated here) into `state`. Returns the changes to
 * apply, or the reasons the whole file is refused. `state` is not modified.
 */
export function gatherReturn(state: TeamState, file: { name: string; value: unknown }, o: { actor: string; at: string }): GatherOutcome {
  const v = validateSharedDocument(file.value);
  if (!v.ok) return refuse(file.name, v.problems);
  const doc = v.doc;
  if (doc.package) return refuse(file.name, [{ path: 'package', message: 'this is a work package (what a coordinator hands out), not a return' }]);
  if (doc.project.id !== state.project.id) {
    return refuse(file.name, [{ path: 'project.id', message: `is project "${doc.project.id}" (“${doc.project.name}”), not this project "${state.project.id}" (“${state.project.name}”)` }]);
  }
  const who = returningAnnotator(doc);
  if (typeof who !== 'string') return refuse(file.name, [who]);
  const annotatorId = who;
  const problems = refusals(state, doc, annotatorId);
  if (problems.length) return refuse(file.name, problems);
  const owners = returnOwners(state, annotatorId);

  const pid = state.project.id;
  const report: GatherReport = { file: file.name, annotator: annotatorId, added: 0, updated: 0, deleted: 0, unchanged: 0, conflicts: 0, skipped: 0 };
  const changes: RecordChange[] = [];
  const newAudit = doc.audit.filter((e) => !state.audit.has(e.id)).map((e): AuditEntry => ({ ...e, projectId: pid }));
  const { deletedAt, liveAt } = trailTimes([...state.audit.values(), ...newAudit], annotatorId);
  const conflicts = [...(state.project.conflicts ?? [])];
  let conflictsChanged = false;

  /** `when`: the returned version's `updatedAt`, or the time of the annotator's deletion. */
  const conflict = (kind: 'annotation' | 'status', id: string, stored: Owned, theirs: Owned | null, when: string) => {
    report.conflicts++;
    const plain = theirs ? strip(kind, theirs) : null;
    const i = conflicts.findIndex((c) => c.recordId === id);
    if (i >= 0) {
      const old = conflicts[i].theirs as Owned | null;
      if (sameValue(old, plain)) return;
      // Two returns both changed it: the later change (an edit or a deletion) is what the coordinator
      // weighs against ours, whichever return is gathered first.
      const later = old && theirs ? newer(theirs, { ...old, projectId: pid } as Owned) : when > (old ? old.updatedAt : (deletedAt.get(id) ?? ''));
      if (!later) return;
    }
    const c: MergeConflict = { id: i >= 0 ? conflicts[i].id : newId('cfl'), recordKind: kind, recordId: id, imageId: stored.imageId, annotatorId, theirs: plain, file: file.name, at: o.at };
    if (i >= 0) conflicts[i] = c;
    else conflicts.push(c);
    conflictsChanged = true;
  };

  const merge = (kind: 'annotation' | 'status', r: Owned) => {
    const map = ownedRecords(state, kind);
    const s = map.get(r.id);
    if (!state.images.has(r.imageId)) {
      report.skipped++;
      return;
    }
    const removedLater = (deletedAt.get(r.id) ?? '') > (r.updatedAt > (liveAt.get(r.id) ?? '') ? r.updatedAt : liveAt.get(r.id)!);
    if (!s) {
      if (removedLater) report.unchanged++;
      else {
        changes.push(created(kind, r as never));
        report.added++;
      }
    } else if (sameValue(s, r)) report.unchanged++;
    else if (changedHere(s, annotatorId)) {
      if (r.updatedAt <= (s.baseUpdatedAt ?? '')) report.unchanged++;
      else conflict(kind, r.id, s, r, r.updatedAt);
    } else if (newer(r, s)) {
      changes.push(updated(kind, s as never, r as never));
      report.updated++;
    } else report.unchanged++;
  };

  const present = new Set<string>();
  for (const a of doc.annotations) {
    const r: Annotation = { ...a, projectId: pid };
    present.add(r.id);
    merge('annotation', r);
  }
  for (const st of doc.imageStatus) {
    const r: ImageStatus = { ...st, projectId: pid, id: statusId(st.imageId, st.annotatorId) };
    present.add(r.id);
    merge('status', r);
  }
  // Deletions travel as the annotator's audit lines.
  for (const e of doc.audit) {
    if (e.action !== 'delete' || (e.recordKind !== 'annotation' && e.recordKind !== 'status')) continue;
    const kind = e.recordKind;
    for (const id of e.targets) {
      if (present.has(id)) continue;
      present.add(id);
      const map = ownedRecords(state, kind);
      const s = map.get(id);
      if (!s || !owners.has(s.annotatorId)) continue;
      const del = deletedAt.get(id) ?? '';
      if (changedHere(s, annotatorId)) {
        if (del > (s.baseUpdatedAt ?? '')) conflict(kind, id, s, null, del);
        continue;
      }
      if (del > s.updatedAt && del > (liveAt.get(id) ?? '')) {
        changes.push(deleted(kind, s as never));
        report.deleted++;
      }
    }
  }
  // Every gathered record names an annotator the project lists: the returning one, and the
  // consensus annotator whose records a reviewer's return adds.
  const named = new Set([annotatorId]);
  for (const c of changes) if ((c.kind === 'annotation' || c.kind === 'status') && c.after) named.add(c.after.annotatorId);
  for (const id of named) {
    if (state.annotators.has(id)) continue;
    const listed = doc.annotators.find((a) => a.id === id);
    changes.push(created('annotator', { id, projectId: pid, displayName: listed?.displayName ?? id, ...(id === annotatorId ? { role: 'annotator' } : {}) }));
  }
  const detail = `${file.name}: ${annotatorId}: ${report.added} added, ${report.updated} updated, ${report.deleted} deleted, ${report.unchanged} unchanged, ${report.conflicts} conflicts`;
  const trail = auditEntriesFor(changes, { projectId: pid, actor: o.actor, at: o.at, action: 'gather', detail });
  if (!trail.length) trail.push({ id: newId('aud'), projectId: pid, at: o.at, actor: o.actor, action: 'gather', targets: [], detail });
  if (conflictsChanged) changes.push(updated('project', state.project, { ...state.project, conflicts, updatedAt: o.at }));
  for (const e of [...newAudit, ...trail]) changes.push(created('audit', e));
  return { ok: true, report, changes };
}

function strip(kind: 'annotation' | 'status', r: Owned): MergeConflict['theirs'] {
  if (kind === 'status') {
    const { projectId: _p, id: _id, ...rest } = r as ImageStatus;
    return rest;
  }
  const { projectId: _p, ...rest } = r as Annotation;
  return rest;
}

/**
 * Settles a conflict: `ours` keeps the stored record (and remembers the returned version as seen, so
 * gathering the same return again does not raise it anew); `theirs` takes the returned version.
 */
export function settleConflict(state: TeamState, conflictId: string, choice: 'ours' | 'theirs', o: { actor: string; at: string }): RecordChange[] {
  const c = (state.project.conflicts ?? []).find((x) => x.id === conflictId);
  if (!c) return [];
  const pid = state.project.id;
  const kind = c.recordKind;
  const map = ownedRecords(state, kind);
  const s = map.get(c.recordId);
  const changes: RecordChange[] = [];
  if (choice === 'theirs') {
    if (c.theirs === null) {
      if (s) changes.push(deleted(kind, s as never));
    } else {
      const theirs = (kind === 'status' ? { ...c.theirs, projectId: pid, id: c.recordId } : { ...c.theirs, projectId: pid }) as Owned;
      changes.push(s ? updated(kind, s as never, theirs as never) : created(kind, theirs as never));
    }
  } else if (s) {
    const seen = c.theirs ? (c.theirs as Owned).updatedAt : c.at;
    if ((s.baseUpdatedAt ?? '') < seen) changes.push(updated(kind, s as never, { ...s, baseUpdatedAt: seen } as never));
  }
  const detail = `${c.file}: ${choice === 'ours' ? 'kept the coordinator’s version' : 'took the returned version'} of ${c.recordId} (${c.annotatorId})`;
  const trail = auditEntriesFor(changes, { projectId: pid, actor: o.actor, at: o.at, action: 'settle', detail });
  if (!trail.length) trail.push({ id: newId('aud'), projectId: pid, at: o.at, actor: o.actor, action: 'settle', recordKind: kind, imageId: c.imageId, targets: [c.recordId], detail });
  changes.push(updated('project', state.project, { ...state.project, conflicts: (state.project.conflicts ?? []).filter((x) => x.id !== conflictId), updatedAt: o.at }));
  for (const e of trail) changes.push(created('audit', e));
  return changes;
}
