// "Done" means the labels are finished: the store refuses it while a label lacks a required value,
// and the fundus label panel's actions keep the DR grade on diabetic retinopathy labels only.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newProjectData } from '../model/projectFactory';
import { statusId } from '../model/ids';
import type { TemplateId } from '../model/templates';
import type { LabelSchema } from '../model/types';
import { addAnnotations, currentSchemaOf, setImageStatus, updateAnnotations } from './actions';
import { useDocStore } from './docStore';
import { chooseImageClass, confirmImage, setImageLabelExtras } from './imageLabelActions';
import { myImageLabels } from './selectors';

const doc = () => useDocStore.getState().doc!;
const stateOf = (imageId: string, annotatorId: string) => doc().statuses.get(statusId(imageId, annotatorId))?.state;

function open(template: TemplateId, editSchema: (s: LabelSchema) => LabelSchema = (s) => s): string {
  const data = newProjectData({ name: 'P', template, now: '2026-01-01T00:00:00.000Z' });
  data.schemas = data.schemas.map(editSchema);
  data.images.push({ id: 'im1', projectId: data.project.id, name: 'frame-1.png', modality: 'other', source: { kind: 'image-url', url: 'x.png' }, width: 640, height: 480, order: 0, addedAt: 't' });
  useDocStore.getState().open(data);
  return 'im1';
}

// Shapes are numbered in the order they were made: each one here is made a second after the last.
let clock = Date.parse('2026-03-01T09:00:00.000Z');
beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());
function later(): void {
  clock += 1000;
  vi.setSystemTime(clock);
}

const at = (x: number) => ({ type: 'box' as const, x, y: 10, w: 40, h: 30 });

describe('marking an image done', () => {
  it('is refused while the annotator’s second box lacks its Paris classification, naming it; then accepted once it is filled', () => {
    const im = open('endoscopy-lesions');
    later();
    addAnnotations([{ imageId: im, annotatorId: 'dr-a', classId: 'polyp', attributes: { paris: '0-Is' }, geometry: at(10) }]);
    later();
    const [second] = addAnnotations([{ imageId: im, annotatorId: 'dr-a', classId: 'cancer', attributes: { size_mm: 12 }, geometry: at(100) }]);
    const result = setImageStatus(im, 'dr-a', { state: 'done' }, 'Mark image done');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.gaps.map((g) => ({ id: g.annotation.id, shape: `${g.shape.kind} ${g.shape.n}`, missing: g.gap.kind === 'attribute' ? g.gap.attribute.name.en : '' }))).toEqual([
      { id: second.id, shape: 'box 2', missing: 'Paris classification' },
    ]);
    expect(stateOf(im, 'dr-a')).toBe('in-progress');

    updateAnnotations([{ id: second.id, patch: { attributes: { size_mm: 12, paris: '0-IIc' } } }]);
    expect(setImageStatus(im, 'dr-a', { state: 'done' }).ok).toBe(true);
    expect(stateOf(im, 'dr-a')).toBe('done');
  });

  it('is not held up by another annotator’s unfinished box', () => {
    const im = open('endoscopy-lesions');
    addAnnotations([{ imageId: im, annotatorId: 'dr-b', classId: 'polyp', attributes: {}, geometry: at(10) }]);
    addAnnotations([{ imageId: im, annotatorId: 'dr-a', classId: 'polyp', attributes: { paris: '0-Ip' }, geometry: at(60) }]);
    expect(setImageStatus(im, 'dr-a', { state: 'done' }).ok).toBe(true);
    expect(setImageStatus(im, 'dr-b', { state: 'done' }).ok).toBe(false);
    expect(stateOf(im, 'dr-b')).toBe('in-progress');
  });

  it('confirming a diagnosis label (Enter) is refused while its class’s required attribute is empty', () => {
    // "Other / ungradable" asks for the reason.
    const reason = { id: 'reason', name: { en: 'Reason', ja: '理由' }, type: 'text' as const, required: true };
    const im = open('fundus-diagnosis', (s) => ({ ...s, classes: s.classes.map((c) => (c.id === 'other' ? { ...c, attributes: [reason] } : c)) }));
    const withComment = currentSchemaOf(doc());
    chooseImageClass(withComment, im, 'dr-a', 'other');
    const refused = confirmImage(im, 'dr-a');
    expect(refused.ok ? [] : refused.gaps.map((g) => `${g.shape.kind} ${g.shape.n}`)).toEqual(['label 1']);
    expect(stateOf(im, 'dr-a')).toBe('in-progress');
    chooseImageClass(withComment, im, 'dr-a', 'normal');
    expect(confirmImage(im, 'dr-a').ok).toBe(true);
    expect(stateOf(im, 'dr-a')).toBe('done');
  });
});

describe('the DR grade follows the class it applies to', () => {
  it('takes no grade on glaucoma suspect; keeps it on diabetic retinopathy; drops it when the label changes to normal', () => {
    const im = open('fundus-diagnosis');
    const schema = currentSchemaOf(doc());
    const label = () => myImageLabels(doc(), im, 'dr-a')[0];
    chooseImageClass(schema, im, 'dr-a', 'glaucoma-suspect');
    expect(setImageLabelExtras(im, 'dr-a', { grade: 2 })).toBe(false);
    expect(label().grade).toBeUndefined();

    chooseImageClass(schema, im, 'dr-a', 'diabetic-retinopathy');
    expect(setImageLabelExtras(im, 'dr-a', { grade: 3 })).toBe(true);
    expect(label()).toMatchObject({ classId: 'diabetic-retinopathy', grade: 3 });

    chooseImageClass(schema, im, 'dr-a', 'normal');
    expect(label().classId).toBe('normal');
    expect(label().grade).toBeUndefined();
  });
});
