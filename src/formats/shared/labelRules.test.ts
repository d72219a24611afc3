import { describe, expect, it } from 'vitest';
import { sampleProjectData } from '../testData';
import { toSharedDocument } from './convert';
import { validateSharedDocument } from './validate';

const docOf = (template: 'endoscopy-lesions' | 'fundus-diagnosis') => JSON.parse(JSON.stringify(toSharedDocument(sampleProjectData(template), { exportedAt: '2026-02-02T00:00:00.000Z' })));

describe('shared format: required values and grades', () => {
  it('reads a document whose label lacks a required attribute, and reports the gap by its path', () => {
    const doc = docOf('endoscopy-lesions');
    // annotations[0] is reader-a's polyp box on the first frame, annotations[4] reader-b's cancer box.
    delete doc.annotations[0].attributes.paris;
    doc.annotations[4].attributes.paris = '';
    const r = validateSharedDocument(doc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.incomplete).toEqual([
      { path: 'annotations[0].attributes.paris', message: 'required' },
      { path: 'annotations[4].attributes.paris', message: 'required' },
    ]);
  });

  it('a complete document has nothing incomplete', () => {
    const r = validateSharedDocument(docOf('endoscopy-lesions'));
    expect(r.ok && r.incomplete).toEqual([]);
  });

  it('refuses a grade off the scale and a grade on a class the grade does not apply to, each at its path', () => {
    const doc = docOf('fundus-diagnosis');
    // Sample fundus labels: annotations[2] is reader-a's diabetic retinopathy, annotations[4] reader-a's glaucoma suspect.
    expect([doc.annotations[2].classId, doc.annotations[4].classId]).toEqual(['diabetic-retinopathy', 'glaucoma-suspect']);
    doc.annotations[2].grade = 9;
    doc.annotations[4].grade = 1;
    const r = validateSharedDocument(doc);
    expect(r.ok ? [] : r.problems).toEqual([
      { path: 'annotations[2].grade', message: '9 is not a level of "Diabetic retinopathy grade" (0–4)' },
      { path: 'annotations[4].grade', message: '"Diabetic retinopathy grade" does not apply to class "glaucoma-suspect"' },
    ]);
  });

  it('refuses a grade that names a class its schema does not have', () => {
    const doc = docOf('fundus-diagnosis');
    doc.schema.grade.classes = ['diabetic-retinopathy', 'retinopathy'];
    const r = validateSharedDocument(doc);
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'schema.grade.classes[1]', message: 'unknown class "retinopathy"' }]);
  });
});
