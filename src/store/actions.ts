import { created, deleted, schemaRecordId, updated, type RecordChange } from '../model/changes';
import { newId, nowIso, statusId } from '../model/ids';
import { labelGapsOf, type ShapeGap } from '../model/labelChecks';
import { nextSchemaVersion } from '../model/schemaEdit';
import type { Annotation, Annotator, ImageRecord, ImageStatus, LabelSchema, Project } from '../model/types';
import { annotationsOnImage, type DocState } from './docState';
import { useDocStore, type CommitOptions } from './docStore';

function doc(): DocState {
  const d = useDocStore.getState().doc;
  if (!d) throw new Error('no project is open');
  return d;
}

function commit(label: string, changes: RecordChange[], record = true, audit?: CommitOptions['audit']): void {
  useDocStore.getState().commit(changes, { label, record, audit });
}

export function currentSchemaOf(d: DocState): LabelSchema {
  let best: LabelSchema | undefined;
  for (const s of d.schemas.values()) if (s.id === d.project.schemaId && (!best || s.version > best.version)) best = s;
  if (!best) throw new Error('the project has no schema');
  return best;
}

export function updateProject(patch: Partial<Omit<Project, 'id' | 'createdAt'>>, label = 'Edit project', audit?: CommitOptions['audit']): void {
  const before = doc().project;
  commit(label, [updated('project', before, { ...before, ...patch, updatedAt: nowIso() })], true, audit);
}

/** Applies a schema edit; a schema version already used by annotations is kept and a new version made. */
export function editSchema(edited: LabelSchema, label = 'Edit schema'): LabelSchema {
  const d = doc();
  const current = currentSchemaOf(d);
  const next = nextSchemaVersion(current, edited, [...d.annotations.values()], nowIso());
  if (next.version === current.version) commit(label, [updated('schema', current, next)]);
  else commit(label, [created('schema', next)]);
  return next;
}

export function ensureAnnotator(identity: { id: string; displayName: string }): void {
  const d = doc();
  const existing = d.annotators.get(identity.id);
  if (!existing) {
    const a: Annotator = { id: identity.id, projectId: d.project.id, displayName: identity.displayName };
    commit('Add annotator', [created('annotator', a)], false);
  } else if (existing.displayName !== identity.displayName && identity.displayName) {
    commit('Rename annotator', [updated('annotator', existing, { ...existing, displayName: identity.displayName })], false);
  }
}

export function addImages(images: Omit<ImageRecord, 'id' | 'projectId' | 'order' | 'addedAt'>[]): ImageRecord[] {
  const d = doc();
  let order = Math.max(-1, ...[...d.images.values()].map((i) => i.order)) + 1;
  const now = nowIso();
  const records = images.map((im) => ({ ...im, id: newId('img'), projectId: d.project.id, order: order++, addedAt: now }));
  commit(records.length === 1 ? `Add image ${records[0].name}` : `Add ${records.length} images`, records.map((r) => created('image', r)));
  return records;
}

export function updateImage(id: string, patch: Partial<Omit<ImageRecord, 'id' | 'projectId'>>): void {
  const before = doc().images.get(id);
  if (!before) return;
  commit('Edit image', [updated('image', before, { ...before, ...patch })]);
}

/**
 * Sets the microns per level-0 pixel of one or several images in one undoable step (the scale bar,
 * the nucleus assistant and every measurement use it). `undefined` clears it.
 */
export function setImagesMpp(ids: readonly string[], mpp: number | undefined): number {
  if (mpp !== undefined && !(Number.isFinite(mpp) && mpp > 0)) throw new RangeError(`microns per pixel must be a positive number, got ${mpp}`);
  const d = doc();
  const changes: RecordChange[] = [];
  for (const id of ids) {
    const before = d.images.get(id);
    if (before && before.mpp !== mpp) changes.push(updated('image', before, { ...before, mpp }));
  }
  if (changes.length) commit(changes.length === 1 ? 'Set µm per pixel' : `Set µm per pixel of ${changes.length} images`, changes);
  return changes.length;
}

/** Removes an image with its annotations and statuses in one undoable step. */
export function removeImage(id: string): void {
  const d = doc();
  const image = d.images.get(id);
  if (!image) return;
  const changes: RecordChange[] = [deleted('image', image)];
  for (const a of d.annotations.values()) if (a.imageId === id) changes.push(deleted('annotation', a));
  for (const s of d.statuses.values()) if (s.imageId === id) changes.push(deleted('status', s));
  commit(`Remove image ${image.name}`, changes);
}

export type NewAnnotation = Omit<Annotation, 'id' | 'projectId' | 'schemaId' | 'schemaVersion' | 'createdAt' | 'updatedAt'> & { id?: string };

export function addAnnotations(items: NewAnnotation[], label = 'Add annotation', audit?: CommitOptions['audit']): Annotation[] {
  const d = doc();
  const schema = currentSchemaOf(d);
  const now = nowIso();
  const records: Annotation[] = items.map((a) => ({
    ...a,
    id: a.id ?? newId('ann'),
    projectId: d.project.id,
    schemaId: schema.id,
    schemaVersion: schema.version,
    createdAt: now,
    updatedAt: now,
  }));
  const changes = [...annotatorChanges(d, records.map((r) => r.annotatorId)), ...records.map((r) => created('annotation', r))];
  for (const r of records) changes.push(...statusChanges(d, r.imageId, r.annotatorId, { state: 'in-progress', noFinding: false }, true));
  commit(label, changes, true, audit);
  return records;
}

export function updateAnnotations(patches: { id: string; patch: Partial<Omit<Annotation, 'id' | 'projectId'>> }[], label = 'Edit annotation', audit?: CommitOptions['audit']): void {
  const d = doc();
  const now = nowIso();
  const changes: RecordChange[] = [];
  for (const { id, patch } of patches) {
    const before = d.annotations.get(id);
    if (before) changes.push(updated('annotation', before, { ...before, ...patch, updatedAt: now }));
  }
  commit(label, changes, true, audit);
}

export function deleteAnnotations(ids: readonly string[], label = 'Delete annotation'): void {
  const d = doc();
  const changes: RecordChange[] = [];
  for (const id of ids) {
    const a = d.annotations.get(id);
    if (a) changes.push(deleted('annotation', a));
  }
  commit(label, changes);
}

/** An annotation or status never points at an annotator the project does not list. */
function annotatorChanges(d: DocState, ids: readonly string[]): RecordChange[] {
  const out: RecordChange[] = [];
  for (const id of new Set(ids)) {
    if (!d.annotators.has(id)) out.push(created('annotator', { id, projectId: d.project.id, displayName: id }));
  }
  return out;
}

function statusChanges(d: DocState, imageId: string, annotatorId: string, patch: Partial<Pick<ImageStatus, 'state' | 'noFinding'>>, onlyIfTodo = false): RecordChange[] {
  const id = statusId(imageId, annotatorId);
  const before = d.statuses.get(id);
  if (onlyIfTodo && before && before.state !== 'todo') return before.noFinding ? [updated('status', before, { ...before, noFinding: false, updatedAt: nowIso() })] : [];
  const after: ImageStatus = {
    id,
    projectId: d.project.id,
    imageId,
    annotatorId,
    state: 'todo',
    noFinding: false,
    ...before,
    ...patch,
    updatedAt: nowIso(),
  };
  return [before ? updated('status', before, after) : created('status', after)];
}

/** What one annotator's labels on one image still need (required attributes, a required grade), shape by shape. */
export function imageLabelGaps(d: DocState, imageId: string, annotatorId: string): ShapeGap[] {
  const mine = annotationsOnImage(d, imageId).filter((a) => a.annotatorId === annotatorId);
  return mine.length ? labelGapsOf(mine, [...d.schemas.values()]) : [];
}

export type StatusResult = { ok: true } | { ok: false; gaps: ShapeGap[] };

/**
 * Sets an annotator's progress on an image. "Done" is refused, and nothing changes, while one of
 * their labels on it lacks a required value: the gaps are returned for the view to name.
 */
export function setImageStatus(imageId: string, annotatorId: string, patch: Partial<Pick<ImageStatus, 'state' | 'noFinding'>>, label = 'Set image status'): StatusResult {
  const d = doc();
  if (patch.state === 'done') {
    const gaps = imageLabelGaps(d, imageId, annotatorId);
    if (gaps.length) return { ok: false, gaps };
  }
  commit(label, [...annotatorChanges(d, [annotatorId]), ...statusChanges(d, imageId, annotatorId, patch)]);
  return { ok: true };
}

export function schemaById(d: DocState, schemaId: string, version: number): LabelSchema | undefined {
  return d.schemas.get(schemaRecordId(schemaId, version));
}
