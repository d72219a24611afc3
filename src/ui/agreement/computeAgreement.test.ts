import { describe, expect, it } from 'vitest';
import { newProjectData } from '../../model/projectFactory';
import type { Annotation, Geometry } from '../../model/types';
import { parisNiceStudy } from '../../agreement/testProjects';
import { computeAgreement } from './computeAgreement';

function project(template: 'fundus-diagnosis' | 'endoscopy-lesions', labels: [string, string, string | Geometry][]) {
  const data = newProjectData({ name: 'p', template, now: 't' });
  const schema = data.schemas[0];
  const images = [...new Set(labels.map((l) => l[1]))];
  images.forEach((id, i) => data.images.push({ id, projectId: data.project.id, name: `${id}.png`, modality: 'other', source: { kind: 'image-url', url: id }, width: 100, height: 100, order: i, addedAt: 't' }));
  for (const r of new Set(labels.map((l) => l[0]))) data.annotators.push({ id: r, projectId: data.project.id, displayName: r });
  labels.forEach(([rater, image, what], i) => {
    const a: Annotation = {
      id: `a${i}`, projectId: data.project.id, imageId: image, annotatorId: rater, schemaId: schema.id, schemaVersion: 1, attributes: {}, createdAt: 't', updatedAt: 't',
      classId: typeof what === 'string' ? what : 'polyp',
      geometry: typeof what === 'string' ? null : what,
    };
    data.annotations.push(a);
  });
  return data;
}

describe('project agreement for the agreement page', () => {
  it('gives pairwise kappa and ranks the image the two readers disagree on first', () => {
    const A = ['normal', 'glaucoma-suspect', 'diabetic-retinopathy', 'diabetic-retinopathy', 'amd'];
    const B = ['normal', 'glaucoma-suspect', 'diabetic-retinopathy', 'amd', 'amd'];
    const data = project('fundus-diagnosis', [...A.map((c, i): [string, string, string] => ['dr-a', `f${i}`, c]), ...B.map((c, i): [string, string, string] => ['dr-b', `f${i}`, c])]);
    const r = computeAgreement({ data, raters: ['dr-a', 'dr-b'], label: 'class', mode: { kind: 'iou', threshold: 0.5 }, includeAssisted: true });
    // p_o = 0.8, p_e = 0.24 (hand-computed from the marginals): kappa = 0.56 / 0.76. Diagnoses have no
    // order, so there is no weighted kappa; five images are too few for an interval.
    expect(r.pairLabels).toEqual([{ a: 'dr-a', b: 'dr-b', items: 5, kappa: expect.closeTo(0.7368, 4), linear: null, quadratic: null, kappaCi: null, tooFewImages: true }]);
    expect(r.labels.cohen_kappa).toBeCloseTo(0.7368, 4);
    expect(r.labels).toMatchObject({ ordered: false, images_compared: 5, too_few_images: true });
    expect(r.images[0]).toMatchObject({ imageId: 'f3', name: 'f3.png', labelDisagreement: 0.5 });
    expect(r.images.slice(1).every((i) => i.labelDisagreement === 0)).toBe(true);
    expect(r.majority.find((m) => m.item === 'f3')).toMatchObject({ label: null, tie: true });
  });

  it('matches boxes one-to-one and counts the unmatched ones per image', () => {
    const same: Geometry = { type: 'box', x: 10, y: 10, w: 20, h: 20 };
    const data = project('endoscopy-lesions', [
      ['dr-a', 'e1', same],
      ['dr-b', 'e1', same],
      ['dr-a', 'e2', { type: 'box', x: 0, y: 0, w: 10, h: 10 }],
      ['dr-b', 'e2', { type: 'box', x: 5, y: 0, w: 10, h: 10 }],
    ]);
    const r = computeAgreement({ data, raters: ['dr-a', 'dr-b'], label: 'class', mode: { kind: 'iou', threshold: 0.5 }, includeAssisted: true });
    expect(r.shapes.pairs[0]).toMatchObject({ a_count: 2, b_count: 2, matched: 1, precision: 0.5, recall: 0.5, f1: 0.5, mean_iou: 1 });
    expect(r.images.map((i) => [i.imageId, i.unmatched])).toEqual([
      ['e2', 2],
      ['e1', 0],
    ]);
  });

  it('counts assistant-made shapes only when asked', () => {
    const box: Geometry = { type: 'box', x: 10, y: 10, w: 20, h: 20 };
    const data = project('endoscopy-lesions', [
      ['dr-a', 'e1', box],
      ['dr-b', 'e1', box],
    ]);
    data.annotations[1].provenance = { kind: 'assistant', acceptedBy: 'dr-b' };
    const withAssist = computeAgreement({ data, raters: ['dr-a', 'dr-b'], label: 'class', mode: { kind: 'iou', threshold: 0.5 }, includeAssisted: true });
    const without = computeAgreement({ data, raters: ['dr-a', 'dr-b'], label: 'class', mode: { kind: 'iou', threshold: 0.5 }, includeAssisted: false });
    expect(withAssist.shapes.pairs[0]).toMatchObject({ matched: 1, f1: 1 });
    expect(without.shapes.pairs).toEqual([]);
  });

  it('leaves out annotators who are not chosen', () => {
    const data = project('fundus-diagnosis', [
      ['dr-a', 'f1', 'normal'],
      ['dr-b', 'f1', 'amd'],
      ['dr-c', 'f1', 'normal'],
    ]);
    const r = computeAgreement({ data, raters: ['dr-a', 'dr-c'], label: 'class', mode: { kind: 'iou', threshold: 0.5 }, includeAssisted: true });
    expect(r.raters).toEqual(['dr-a', 'dr-c']);
    expect(r.pairLabels).toHaveLength(1);
    expect(r.images[0].labelDisagreement).toBe(0);
  });

  it('counts only the images rated by two or more, and warns below ten', () => {
    // Six photos labelled by dr-a, two of them also by dr-b: the page once said 6 here.
    const data = project('fundus-diagnosis', [
      ...['normal', 'amd', 'normal', 'amd', 'normal', 'amd'].map((c, i): [string, string, string] => ['dr-a', `f${i}`, c]),
      ['dr-b', 'f0', 'normal'],
      ['dr-b', 'f1', 'amd'],
    ]);
    const r = computeAgreement({ data, raters: ['dr-a', 'dr-b'], label: 'class', mode: { kind: 'iou', threshold: 0.5 }, includeAssisted: true });
    expect(r.labels.items).toBe(6);
    expect(r.labels.images_compared).toBe(2);
    expect(r.labels.too_few_images).toBe(true);
    expect(r.labels.cohen_kappa).toBe(1);
    expect(r.labels.ci95.cohen_kappa).toBeNull();
  });

  it('gives Paris and NICE agreement on the boxes two endoscopists matched', () => {
    const data = parisNiceStudy();
    const r = computeAgreement({ data, raters: ['dr-a', 'dr-b'], label: 'class', mode: { kind: 'iou', threshold: 0.5 }, includeAssisted: true });
    // Hand derivations in src/agreement/attributes.test.ts: Paris 35/47 over 12 pairs, NICE 3/4 over 8.
    expect(r.attributes.map((a) => [a.attribute, a.pairs, a.too_few_images])).toEqual([
      ['paris', 12, false],
      ['nice', 8, true],
    ]);
    expect(r.attributes[0].cohen_kappa).toBeCloseTo(35 / 47, 10);
    expect(r.attributes[1].cohen_kappa).toBeCloseTo(0.75, 10);
  });
});
