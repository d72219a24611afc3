import { gradeApplies } from '../model/labelChecks';
import type { LabelSchema } from '../model/types';
import { addAnnotations, currentSchemaOf, deleteAnnotations, setImageStatus, updateAnnotations, type StatusResult } from './actions';
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
      // The grade is shared by the labels that take it; a class the grade does not apply to gets none.
      const graded = existing.find((a) => a.grade !== undefined);
      const grade = graded && gradeApplies(schema.grade, classId) ? graded.grade : undefined;
      const extras = existing[0] ? { grade, uncertain: existing[0].uncertain, note: existing[0].note } : {};
      addAnnotations([{ imageId, annotatorId, classId, attributes: {}, geometry: null, provenance: { kind: 'manual' }, ...stripUndefined(extras) }], 'Add label');
    }
    return;
  }
  const [first, ...rest] = existing;
  if (rest.length) deleteAnnotations(rest.map((a) => a.id), 'Tidy labels');
  if (!first) addAnnotations([{ imageId, annotatorId, classId, attributes: {}, geometry: null, provenance: { kind: 'manual' } }], 'Add label');
  else if (first.classId !== classId) {
    // Changed to a class the grade does not apply to, the label drops its grade rather than carry a meaningless one.
    const dropGrade = first.grade !== undefined && !!schema.grade && !gradeApplies(schema.grade, classId);
    updateAnnotations([{ id: first.id, patch: dropGrade ? { classId, grade: undefined } : { classId } }], 'Change label');
  }
}

/**
 * Grade, uncertainty and note belong to the image's label(s), kept the same on each; a grade only on
 * the labels of classes it applies to. False when no label takes the change.
 */
export function setImageLabelExtras(imageId: string, annotatorId: string, patch: { grade?: number | undefined; uncertain?: boolean; note?: string }): boolean {
  const existing = mine(imageId, annotatorId);
  if (!existing.length) return false;
  // Setting a grade (not clearing it) reaches only the labels whose class takes it.
  const gradeDef = patch.grade !== undefined ? currentSchemaOf(useDocStore.getState().doc!).grade : undefined;
  const takes = (classId: string) => !gradeDef || gradeApplies(gradeDef, classId);
  if (gradeDef && !existing.some((a) => takes(a.classId))) return false;
  const { grade: _grade, ...withoutGrade } = patch;
  const patches = existing.map((a) => ({ id: a.id, patch: takes(a.classId) ? patch : withoutGrade })).filter((p) => Object.keys(p.patch).length);
  if (!patches.length) return false;
  updateAnnotations(patches, 'Edit label');
  return true;
}

/** Refused (nothing changes) while a label on the image lacks a required value. */
export function confirmImage(imageId: string, annotatorId: string): StatusResult {
  return setImageStatus(imageId, annotatorId, { state: 'done', noFinding: false }, 'Confirm image');
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
