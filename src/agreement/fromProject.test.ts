import { describe, expect, it } from 'vitest';
import type { ProjectData } from '../model/projectData';
import type { Annotation, Geometry, LabelSchema } from '../model/types';
import { agreementInputFromProject, mergeAgreementInputs } from './fromProject';

const T = '2026-01-01T00:00:00.000Z';

function project(schema: Partial<LabelSchema>, annotations: [string, string, string, Geometry | null, number?][], statuses: [string, string][] = []): ProjectData {
  const classes = ['normal', 'glaucoma', 'dr'].map((id) => ({ id, name: { en: id, ja: id }, color: '#000000', attributes: [] }));
  const full: LabelSchema = { id: 's', version: 1, name: { en: 's', ja: 's' }, purpose: '', granularity: 'image', selection: 'single', classes, createdAt: T, ...schema };
  const images = ['im1', 'im2', 'dup-a', 'dup-b'].map((id, order) => ({
    id, projectId: 'p', name: id.startsWith('dup') ? 'same.png' : `${id}.png`, modality: 'fundus' as const, source: { kind: 'synthetic' as const, seed: 1 }, width: 100, height: 100, order, addedAt: T,
  }));
  const anns: Annotation[] = annotations.map(([annotatorId, imageId, classId, geometry, grade], i) => ({
    id: `n${i}`, projectId: 'p', imageId, classId, attributes: {}, geometry, annotatorId, schemaId: 's', schemaVersion: 1, ...(grade === undefined ? {} : { grade }), createdAt: T, updatedAt: T,
  }));
  return {
    project: { id: 'p', name: 'p', description: '', schemaId: 's', reviewMode: false, optOut: [], exportLog: [], createdAt: T, updatedAt: T },
    schemas: [full],
    images,
    annotators: [],
    annotations: anns,
    statuses: statuses.map(([annotatorId, imageId]) => ({ id: `${imageId}~${annotatorId}`, projectId: 'p', imageId, annotatorId, state: 'done', noFinding: true, updatedAt: T })),
    audit: [],
  };
}

describe('agreement input from a project', () => {
  it('turns image labels into ratings and boxes and polygons into shapes, raters in order of first appearance', () => {
    const box: Geometry = { type: 'box', x: 0, y: 0, w: 5, h: 5 };
    const input = agreementInputFromProject(
      project({}, [
        ['dr-b', 'im1', 'glaucoma', null],
        ['dr-a', 'im1', 'normal', null],
        ['dr-a', 'im2', 'dr', box],
        ['dr-a', 'im2', 'dr', { type: 'point', x: 1, y: 1 }],
        ['dr-b', 'dup-a', 'dr', null],
      ]),
    );
    expect(input.raters).toEqual(['dr-b', 'dr-a']);
    // Diagnoses are categories: the schema's class list is no order.
    expect(input.classOrder).toBeUndefined();
    // Items are image names, so files from different annotators line up; a repeated name falls back to the id.
    expect(input.ratings).toEqual([
      { item: 'im1.png', rater: 'dr-b', label: 'glaucoma' },
      { item: 'im1.png', rater: 'dr-a', label: 'normal' },
      { item: 'dup-a', rater: 'dr-b', label: 'dr' },
    ]);
    expect(input.shapes).toEqual([{ id: 'n2', image: 'im2.png', classId: 'dr', rater: 'dr-a', geometry: box }]);
    expect(agreementInputFromProject(project({}, [['x', 'im1', 'dr', { type: 'point', x: 1, y: 1 }]]), { points: true }).shapes).toHaveLength(1);
  });

  it('uses the grade as a number string when asked; a label without a grade is a missing rating', () => {
    const input = agreementInputFromProject(project({}, [['a', 'im1', 'dr', null, 2], ['b', 'im1', 'dr', null]]), { label: 'grade' });
    expect(input.ratings.map((r) => r.label)).toEqual(['2', null]);
  });

  it('asks a multi-label schema one present/absent question per class, for raters who labelled or finished the image', () => {
    const input = agreementInputFromProject(project({ selection: 'multi' }, [['a', 'im1', 'dr', null], ['a', 'im1', 'glaucoma', null]], [['b', 'im1']]));
    expect(input.raters).toEqual(['a', 'b']);
    expect(input.ratings).toEqual([
      { item: 'im1.png#normal', rater: 'a', label: 'absent', image: 'im1.png' },
      { item: 'im1.png#glaucoma', rater: 'a', label: 'present', image: 'im1.png' },
      { item: 'im1.png#dr', rater: 'a', label: 'present', image: 'im1.png' },
      { item: 'im1.png#normal', rater: 'b', label: 'absent', image: 'im1.png' },
      { item: 'im1.png#glaucoma', rater: 'b', label: 'absent', image: 'im1.png' },
      { item: 'im1.png#dr', rater: 'b', label: 'absent', image: 'im1.png' },
    ]);
  });

  it('merges files: raters across files in order, class orders joined', () => {
    const merged = mergeAgreementInputs([
      { ratings: [{ item: 'x', rater: 'r1', label: 'a' }], shapes: [], raters: ['r1'], classOrder: ['a', 'b'] },
      { ratings: [{ item: 'x', rater: 'r2', label: 'c' }], shapes: [], raters: ['r2', 'r1'], classOrder: ['b', 'c'] },
      { ratings: [], shapes: [], raters: [] },
    ]);
    expect(merged.raters).toEqual(['r1', 'r2']);
    expect(merged.classOrder).toEqual(['a', 'b', 'c']);
    expect(merged.ratings).toHaveLength(2);
  });
});
