import { describe, expect, it } from 'vitest';
import { ArraySource } from './annotationSource';
import { recordingSource } from './testSources';
import { firstLabelGaps, gradeProblem, gradeRangeText, labelGaps, labelGapsOf, missingRequired } from './labelChecks';
import { templateSchema } from './templates';
import type { Annotation, ImageRecord, LabelSchema } from './types';

const endoscopy = templateSchema('endoscopy-lesions', 'sch-endo');
const fundus = templateSchema('fundus-diagnosis', 'sch-fundus');

let n = 0;
function label(p: Partial<Annotation> & Pick<Annotation, 'classId'>): Annotation {
  n++;
  return { id: `a${n}`, projectId: 'p', imageId: 'im1', attributes: {}, geometry: null, annotatorId: 'dr-a', schemaId: endoscopy.id, schemaVersion: 1, createdAt: `2026-01-01T00:00:0${n % 10}Z`, updatedAt: 't', ...p };
}
const box = (attributes: Annotation['attributes'], createdAt: string, extra: Partial<Annotation> = {}) =>
  label({ classId: 'polyp', attributes, geometry: { type: 'box', x: 0, y: 0, w: 10, h: 10 }, createdAt, ...extra });

describe('required attributes', () => {
  it('names the Paris classification a polyp box leaves empty, and nothing once it is chosen', () => {
    expect(missingRequired(box({ nice: '2' }, 't1'), endoscopy).map((d) => d.id)).toEqual(['paris']);
    expect(missingRequired(box({ paris: '' }, 't1'), endoscopy).map((d) => d.id)).toEqual(['paris']);
    expect(missingRequired(box({ paris: '0-Is' }, 't1'), endoscopy)).toEqual([]);
    // "Other lesion" has only an optional comment.
    expect(missingRequired(label({ classId: 'other-lesion' }), endoscopy)).toEqual([]);
  });

  it('never counts a required yes/no as missing: an unticked box means "no"', () => {
    const schema: LabelSchema = { ...endoscopy, classes: [{ ...endoscopy.classes[0], attributes: [{ id: 'biopsied', name: { en: 'Biopsied', ja: '生検済み' }, type: 'boolean', required: true }] }] };
    expect(missingRequired(box({}, 't1'), schema)).toEqual([]);
  });

  it('numbers one annotator’s shapes on an image in the order they were drawn: the second box is "box 2"', () => {
    const first = box({ paris: '0-Is' }, '2026-01-01T10:00:00Z');
    const second = box({}, '2026-01-01T10:05:00Z');
    const point = label({ classId: 'polyp', attributes: {}, geometry: { type: 'point', x: 1, y: 1 }, createdAt: '2026-01-01T10:01:00Z' });
    const othersBox = box({}, '2026-01-01T09:00:00Z', { annotatorId: 'dr-b' });
    // Listed out of order, as a store may hold them.
    const gaps = labelGapsOf([second, othersBox, point, first], [endoscopy]);
    expect(gaps.map((g) => [g.annotation.annotatorId, g.shape.kind, g.shape.n, g.gap.kind === 'attribute' ? g.gap.attribute.id : 'grade'])).toEqual([
      ['dr-a', 'point', 1, 'paris'],
      ['dr-a', 'box', 2, 'paris'],
      ['dr-b', 'box', 1, 'paris'],
    ]);
  });

  it('judges a label by the schema version it was made under', () => {
    const v2: LabelSchema = { ...endoscopy, version: 2, classes: endoscopy.classes.map((c) => ({ ...c, attributes: c.attributes.map((a) => ({ ...a, required: false })) })) };
    const made = box({}, 't1', { schemaVersion: 2 });
    expect(labelGapsOf([made], [endoscopy, v2])).toEqual([]);
    expect(labelGapsOf([{ ...made, schemaVersion: 1 }], [endoscopy, v2])).toHaveLength(1);
  });
});

describe('a project\'s label gaps, read as they come (the export\'s check)', () => {
  // Worklist: img_1 first, then img_2 (the order field, not the list order).
  const images = [{ id: 'img_2', order: 1 }, { id: 'img_1', order: 0 }] as ImageRecord[];
  const polyp = (id: string, imageId: string, annotatorId: string, createdAt: string, paris?: string, geometry: Annotation['geometry'] = { type: 'box', x: 0, y: 0, w: 10, h: 10 }) =>
    label({ id, imageId, annotatorId, classId: 'polyp', createdAt, attributes: paris ? { paris } : {}, geometry });
  const list = [
    polyp('x1', 'img_2', 'dr-a', '2026-01-01T10:00:00Z'),
    polyp('y1', 'img_1', 'dr-b', '2026-01-01T10:00:00Z', '0-Is'),
    polyp('y2', 'img_1', 'dr-b', '2026-01-01T10:02:00Z'),
    polyp('y3', 'img_1', 'dr-b', '2026-01-01T10:01:00Z', undefined, { type: 'point', x: 5, y: 5 }),
    polyp('z1', 'img_1', 'dr-a', '2026-01-01T10:03:00Z'),
    polyp('z2', 'img_1', 'dr-a', '2026-01-01T09:00:00Z', '0-IIa'),
  ];
  const named = (gaps: ReturnType<typeof firstLabelGaps>['gaps']) => gaps.map((g) => `${g.annotation.id} ${g.shape.kind} ${g.shape.n}`);

  it('lists them by image order, then annotator, each annotator\'s in the order made, numbered among all their shapes', () => {
    // By hand: img_1 comes first; dr-a before dr-b. dr-a's boxes on img_1 were made z2 (09:00) then z1
    // (10:03): z1 is box 2. dr-b's: y1 box (10:00), y3 point (10:01), y2 box (10:02): y3 is point 1,
    // y2 box 2. Then img_2: x1 is dr-a's box 1 there. y1 and z2 have their Paris class: no gap.
    const r = firstLabelGaps(new ArraySource(list), images, [endoscopy], 1000);
    expect(named(r.gaps)).toEqual(['z1 box 2', 'y3 point 1', 'y2 box 2', 'x1 box 1']);
    expect([r.gapCount, r.gapLabels]).toEqual([4, 4]);
    expect(r.gaps.every((g) => g.gap.kind === 'attribute' && g.gap.attribute.id === 'paris')).toBe(true);
  });

  it('keeps only the first ones, numbered as in the whole list, and still counts them all', () => {
    const r = firstLabelGaps(new ArraySource(list), images, [endoscopy], 2);
    expect(named(r.gaps)).toEqual(['z1 box 2', 'y3 point 1']);
    expect([r.gapCount, r.gapLabels]).toEqual([4, 4]);
  });

  it('reads the fields of the whole list once, then only the images of the gaps it keeps, whole', () => {
    const { source, read } = recordingSource(list);
    firstLabelGaps(source, images, [endoscopy], 2);
    expect(read).toEqual(['fields', 'img_1']);
  });
});

describe('grades', () => {
  const dr = (grade: number | undefined, classId = 'diabetic-retinopathy') => label({ classId, grade, schemaId: fundus.id });

  it('refuses a grade that is not a level of the scale, naming the scale', () => {
    expect(gradeProblem(dr(9), fundus)).toBe('9 is not a level of "Diabetic retinopathy grade" (0–4)');
    expect(gradeProblem(dr(2.5), fundus)).toBe('2.5 is not a level of "Diabetic retinopathy grade" (0–4)');
    expect(gradeProblem(dr(4), fundus)).toBeNull();
    expect(gradeProblem(dr(undefined), fundus)).toBeNull();
  });

  it('refuses a DR grade beside "glaucoma suspect": the fundus template grades diabetic retinopathy only', () => {
    expect(gradeProblem(dr(2, 'glaucoma-suspect'), fundus)).toBe('"Diabetic retinopathy grade" does not apply to class "glaucoma-suspect"');
  });

  it('keeps today’s rule for a schema whose grade names no classes: any class may carry a grade of the scale', () => {
    const { classes: _, ...older } = fundus.grade!;
    const schema: LabelSchema = { ...fundus, grade: older };
    expect(gradeProblem(dr(2, 'glaucoma-suspect'), schema)).toBeNull();
    expect(gradeProblem(dr(9, 'glaucoma-suspect'), schema)).toBe('9 is not a level of "Diabetic retinopathy grade" (0–4)');
  });

  it('lists the levels when they are not consecutive', () => {
    expect(gradeRangeText({ id: 'g', name: { en: 'G', ja: 'G' }, required: false, levels: [0, 1, 3].map((value) => ({ value, name: { en: '', ja: '' } })) })).toBe('0, 1, 3');
  });

  it('asks for a required grade only on a label of a class the grade applies to', () => {
    const schema: LabelSchema = { ...fundus, grade: { ...fundus.grade!, required: true } };
    expect(labelGaps(dr(undefined), schema).map((g) => g.kind)).toEqual(['grade']);
    expect(labelGaps(dr(undefined, 'normal'), schema)).toEqual([]);
    expect(labelGaps(dr(1), schema)).toEqual([]);
  });
});
