import type { LabelSchema } from '../model/types';
import { addAnnotations, deleteAnnotations, setImageStatus, updateAnnotations } from './actions';
import { useDocStore } from './docStore';
import { myImageLabels } from './selectors';

function mine(imageId: string, annotatorId: string) {
  const doc = useDocStore.getState().doc;
  return doc ? myImageLabels(doc, imageId, annotatorId) : [];
}

/** Single choice replaces the image's label; multiple choice toggles the class. */
export function chooseImageClass(schema: LabelSchema, imageId: string, annotatorId: string, classId: string): void {
  const existing = mine(imageId, annotatorId);
  if (schema.selection === 'multi') {
    const same = existing.find((a) => a.classId === classId);
    if (same) deleteAnnotations([same.id], 'Remove label');
    else {
      const extras = existing[0] ? { grade: existing[0].grade, uncertain: existing[0].uncertain, note: existing[0].note } : {};
      addAnnotations([{ imageId, annotatorId, classId, attributes: {}, geometry: null, provenance: { kind: 'manual' }, ...stripUndefined(extras) }], 'Add label');
    }
    return;
  }
  const [first, ...rest] = existing;
  if (rest.length) deleteAnnotations(rest.map((a) => a.id), 'Tidy labels');
  if (!first) addAnnotations([{ imageId, annotatorId, classId, attributes: {}, geometry: null, provenance: { kind: 'manual' } }], 'Add label');
  else if (first.classId !== classId) updateAnnotations([{ id: first.id, patch: { classId } }], 'Change label');
}

/** Grade, uncertainty and note belong to the image's label(s), kept the same on each. */
export function setImageLabelExtras(imageId: string, annotatorId: string, patch: { grade?: number | undefined; uncertain?: boolean; note?: string }): boolean {
  const existing = mine(imageId, annotatorId);
  if (!existing.length) return false;
  updateAnnotations(existing.map((a) => ({ id: a.id, patch })), 'Edit label');
  return true;
}

export function confirmImage(imageId: string, annotatorId: string): void {
  setImageStatus(imageId, annotatorId, { state: 'done', noFinding: false }, 'Confirm image');
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
