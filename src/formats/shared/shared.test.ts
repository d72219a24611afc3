import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newProjectData } from '../../model/projectFactory';
import type { TemplateId } from '../../model/templates';
import type { Annotation, Geometry } from '../../model/types';
import { fromSharedDocument, toSharedDocument } from './convert';
import { sharedJsonSchema } from './jsonSchema';
import { validateSharedDocument, validateSharedText } from './validate';

const GEOMETRIES: (Geometry | null)[] = [
  { type: 'polygon', points: [10.5, 10, 40, 12, 35, 44.25, 8, 30] },
  { type: 'polygon', points: [0, 0, 100, 0, 100, 100, 0, 100], holes: [[20, 20, 40, 20, 40, 40, 20, 40]] },
  { type: 'box', x: 5, y: 6, w: 70, h: 40 },
  { type: 'point', x: 12.5, y: 99 },
  null,
];

function projectWithEverything(template: TemplateId) {
  const data = newProjectData({ name: `T ${template}`, template, now: '2026-01-01T00:00:00.000Z' });
  const schema = data.schemas[0];
  const pid = data.project.id;
  data.images.push({ id: 'im1', projectId: pid, name: 'a.png', modality: 'other', source: { kind: 'file', blobId: 'b1', mime: 'image/png', fileName: 'a.png' }, width: 640, height: 480, order: 0, addedAt: 't', patientKey: 'pk-1', caseKey: 'c-1' });
  data.images.push({ id: 'im2', projectId: pid, name: 'slide', modality: 'pathology-wsi', source: { kind: 'synthetic', seed: 3 }, width: 100000, height: 80000, mpp: 0.25, order: 1, addedAt: 't' });
  data.annotators.push({ id: 'dr-a', projectId: pid, displayName: '佐藤 医師', role: 'pathologist' });
  const cls = schema.classes[0];
  GEOMETRIES.forEach((geometry, i) => {
    const a: Annotation = { id: `a${i}`, projectId: pid, imageId: 'im1', classId: cls.id, attributes: cls.attributes.length ? { [cls.attributes[0].id]: cls.attributes[0].options?.[0].id ?? 'x' } : {}, geometry, annotatorId: 'dr-a', schemaId: schema.id, schemaVersion: 1, createdAt: 't', updatedAt: 't2' };
    if (geometry === null) Object.assign(a, { grade: 2, uncertain: true, note: 'blurred <b>image</b>' });
    data.annotations.push(a);
  });
  data.statuses.push({ id: 'im1~dr-a', projectId: pid, imageId: 'im1', annotatorId: 'dr-a', state: 'done', noFinding: false, updatedAt: 't' });
  return data;
}

describe('shared format v1', () => {
  it.each(['pathology-cells', 'endoscopy-lesions', 'fundus-diagnosis'] as TemplateId[])('round-trips a %s project with every geometry', (template) => {
    const data = projectWithEverything(template);
    const text = JSON.stringify(toSharedDocument(data, { exportedAt: '2026-02-01T00:00:00.000Z' }));
    const back = validateSharedText(text);
    expect(back.ok ? [] : back.problems).toEqual([]);
    if (!back.ok) return;
    expect(fromSharedDocument(back.doc)).toEqual(data);
  });

  it('migrates a version 0 file instead of rejecting it', () => {
    const r = validateSharedText(readFileSync('tests/fixtures/shared/v0-fundus.json', 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(0);
    expect(r.doc.imageStatus).toEqual([{ imageId: 'e1', annotatorId: 'dr-a', state: 'done', noFinding: false, updatedAt: '2025-06-01T00:00:00.000Z' }]);
    expect(r.doc.annotations[0].schemaId).toBe('fundus-v');
  });

  it('names the JSON path of every problem', () => {
    const doc = JSON.parse(JSON.stringify(toSharedDocument(projectWithEverything('pathology-cells'), { exportedAt: 't' })));
    doc.annotations[0].geometry.points[3] = 'NaN';
    doc.images[1].width = -5;
    const r = validateSharedDocument(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['images[1].width', 'annotations[0].geometry.points[3]']);
  });

  it('ships a JSON Schema generated from the same code, identical to the committed copy', () => {
    const generated = JSON.stringify(sharedJsonSchema(), null, 2) + '\n';
    expect(readFileSync('docs/granula-shared.schema.json', 'utf8')).toBe(generated);
    expect(readFileSync('public/granula-shared.schema.json', 'utf8')).toBe(generated);
    expect((sharedJsonSchema() as { required: string[] }).required).toEqual(expect.arrayContaining(['format', 'version', 'schema', 'images', 'annotations']));
  });
});
