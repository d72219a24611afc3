import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newProjectData } from '../../model/projectFactory';
import type { TemplateId } from '../../model/templates';
import type { Annotation, Geometry } from '../../model/types';
import { fromSharedDocument, toSharedDocument } from './convert';
import { sharedJsonSchema } from './jsonSchema';
import { MIGRATIONS } from './migrations';
import { FORMAT_VERSION } from './schema';
import { validateSharedDocument, validateSharedText } from './validate';

const GEOMETRIES: (Geometry | null)[] = [
  { type: 'polygon', points: [10.5, 10, 40, 12, 35, 44.25, 8, 30] },
  { type: 'polygon', points: [0, 0, 100, 0, 100, 100, 0, 100], holes: [[20, 20, 40, 20, 40, 40, 20, 40]] },
  { type: 'box', x: 5, y: 6, w: 70, h: 40 },
  { type: 'point', x: 12.5, y: 99 },
  { type: 'line', points: [3, 4.5, 60, 80] },
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
    // The label with a grade is of a class the grade applies to (the fundus DR grade: diabetic retinopathy only).
    if (geometry === null) Object.assign(a, { grade: 2, uncertain: true, note: 'blurred <b>image</b>' }, schema.grade?.classes ? { classId: schema.grade.classes[0] } : {});
    data.annotations.push(a);
  });
  data.statuses.push({ id: 'im1~dr-a', projectId: pid, imageId: 'im1', annotatorId: 'dr-a', state: 'done', noFinding: false, updatedAt: 't' });
  return data;
}

/** The same project worked by a team: roles, assignments, edit stamps, a consensus label, a conflict and the audit trail. */
function teamProject(template: TemplateId) {
  const data = projectWithEverything(template);
  const pid = data.project.id;
  data.annotators.push({ id: 'coord', projectId: pid, displayName: 'Coordinator', role: 'coordinator' }, { id: 'rev', projectId: pid, displayName: 'Reviewer', role: 'reviewer' });
  data.project.assignments = [{ annotatorId: 'dr-a', imageIds: ['im1', 'im2'] }];
  Object.assign(data.annotations[0], { updatedBy: 'coord', baseUpdatedAt: 't2', updatedAt: 't3' });
  data.annotations[1].provenance = { kind: 'consensus', acceptedBy: 'rev', from: ['dr-a', 'dr-b'], decidedAt: 't4', disputed: ['grade'] };
  Object.assign(data.statuses[0], { updatedBy: 'dr-a' });
  const { projectId: _p, ...theirs } = { ...data.annotations[0], updatedAt: 't5', updatedBy: 'dr-a' };
  delete theirs.baseUpdatedAt;
  data.project.conflicts = [{ id: 'cfl_1', recordKind: 'annotation', recordId: 'a0', imageId: 'im1', annotatorId: 'dr-a', theirs, file: 'return.json', at: 't6' }];
  data.audit = [
    { id: 'aud_1', projectId: pid, at: 't1', actor: 'dr-a', action: 'create', recordKind: 'annotation', imageId: 'im1', targets: ['a0', 'a1'] },
    { id: 'aud_2', projectId: pid, at: 't6', actor: 'coord', action: 'gather', targets: [], detail: 'return.json: dr-a: 0 added, 1 conflicts' },
    { id: 'aud_3', projectId: pid, at: 't7', actor: 'coord', action: 'export', recordKind: 'project', targets: [pid], detail: 'coco: 2 images, 5 annotations' },
  ];
  return data;
}

const fixture = (name: string) => readFileSync(`tests/fixtures/shared/${name}`, 'utf8');

describe('shared format', () => {
  it.each(['pathology-cells', 'endoscopy-lesions', 'fundus-diagnosis'] as TemplateId[])('round-trips a %s project with every geometry', (template) => {
    const data = projectWithEverything(template);
    const text = JSON.stringify(toSharedDocument(data, { exportedAt: '2026-02-01T00:00:00.000Z' }));
    const back = validateSharedText(text);
    expect(back.ok ? [] : back.problems).toEqual([]);
    if (!back.ok) return;
    expect(fromSharedDocument(back.doc)).toEqual(data);
  });

  it.each(['pathology-cells', 'fundus-diagnosis'] as TemplateId[])('round-trips a %s team project with every version 2 field', (template) => {
    const data = teamProject(template);
    const text = JSON.stringify(toSharedDocument(data, { exportedAt: '2026-02-01T00:00:00.000Z' }));
    const back = validateSharedText(text);
    expect(back.ok ? [] : back.problems).toEqual([]);
    if (!back.ok) return;
    expect(fromSharedDocument(back.doc)).toEqual(data);
  });

  it('writes the audit trail oldest first, whatever order the project holds it in', () => {
    const data = teamProject('pathology-cells');
    data.audit.reverse();
    expect(toSharedDocument(data, { exportedAt: 't' }).audit.map((e) => e.id)).toEqual(['aud_1', 'aud_2', 'aud_3']);
  });

  it('migrates a version 0 file instead of rejecting it', () => {
    const r = validateSharedText(readFileSync('tests/fixtures/shared/v0-fundus.json', 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(0);
    expect(r.doc.version).toBe(FORMAT_VERSION);
    expect(r.doc.audit).toEqual([]);
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
    expect((sharedJsonSchema() as { required: string[] }).required).toEqual(expect.arrayContaining(['format', 'version', 'schema', 'images', 'annotations', 'audit']));
  });
});

describe('shared-format fixtures', () => {
  it('migrates a version 1 file to version 2 by adding an empty audit trail, nothing else changed', () => {
    const v1 = JSON.parse(fixture('v1-endoscopy.json'));
    expect(v1.version).toBe(1);
    expect(MIGRATIONS[1](v1)).toEqual({ ...v1, version: 2, audit: [] });
    const r = validateSharedDocument(v1);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(1);
    expect(r.doc).toEqual({ ...v1, version: FORMAT_VERSION, audit: [] });
    // Written back, the migrated file is a current document that needs no migration.
    const again = validateSharedDocument(JSON.parse(JSON.stringify(toSharedDocument(fromSharedDocument(r.doc), { exportedAt: r.doc.exportedAt }))));
    expect(again.ok && again.migratedFrom).toBe(FORMAT_VERSION);
  });

  it('round-trips the version 2 team fixture: migrated to version 3 (only the number changes), then written back unchanged', () => {
    const text = fixture('v2-team-endoscopy.json');
    const raw = JSON.parse(text);
    expect(raw.version).toBe(2);
    expect(MIGRATIONS[2](raw)).toEqual({ ...raw, version: 3 });
    const r = validateSharedText(text);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect({ migratedFrom: r.migratedFrom, warnings: r.warnings }).toEqual({ migratedFrom: 2, warnings: [] });
    const data = fromSharedDocument(r.doc);
    expect(data.audit).toHaveLength(raw.audit.length);
    const back = toSharedDocument(data, { exportedAt: r.doc.exportedAt });
    expect(JSON.parse(JSON.stringify(back))).toStrictEqual({ ...raw, version: FORMAT_VERSION });
  });

  it('round-trips the version 3 fixture (slides opened from disk: file names, size, format, associated images by name only): migrated to version 4, only the number changes', () => {
    const text = fixture('v3-slides-pathology.json');
    const raw = JSON.parse(text);
    expect(raw.version).toBe(3);
    expect(MIGRATIONS[3](raw)).toEqual({ ...raw, version: 4 });
    const r = validateSharedText(text);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(3);
    expect(r.doc.images.map((i) => i.source.kind)).toEqual(['slide', 'slide']);
    const back = toSharedDocument(fromSharedDocument(r.doc), { exportedAt: r.doc.exportedAt });
    expect(JSON.parse(JSON.stringify(back))).toStrictEqual({ ...raw, version: FORMAT_VERSION });
  });

  it('round-trips the version 4 fixture (a CT series from disk by its project UIDs; box, polygon and point each on its slice): migrated to version 5, only the number changes', () => {
    const text = fixture('v4-radiology-ct.json');
    const raw = JSON.parse(text);
    expect(raw.version).toBe(4);
    expect(MIGRATIONS[4](raw)).toEqual({ ...raw, version: 5 });
    const r = validateSharedText(text);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(4);
    expect(r.doc.annotations.map((a) => a.slice?.sopInstanceUid)).toEqual([raw.images[0].source.slices[2].sopInstanceUid, raw.images[0].source.slices[1].sopInstanceUid, raw.images[0].source.slices[3].sopInstanceUid]);
    const back = toSharedDocument(fromSharedDocument(r.doc), { exportedAt: r.doc.exportedAt });
    expect(JSON.parse(JSON.stringify(back))).toStrictEqual({ ...raw, version: FORMAT_VERSION });
  });

  it('round-trips the version 5 fixture (length lines on CT slices beside a box and a polygon) unchanged', () => {
    const text = fixture('v5-radiology-lengths.json');
    const raw = JSON.parse(text);
    expect(raw.version).toBe(FORMAT_VERSION);
    const r = validateSharedText(text);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.doc.annotations.filter((a) => a.geometry?.type === 'line').map((a) => [a.id, a.geometry, a.slice?.sopInstanceUid])).toEqual([
      ['ann_len_nodule', { type: 'line', points: [300, 219, 324, 219] }, raw.images[0].source.slices[2].sopInstanceUid],
      ['ann_len_mass', { type: 'line', points: [120, 300, 170, 340] }, raw.images[0].source.slices[1].sopInstanceUid],
    ]);
    const back = toSharedDocument(fromSharedDocument(r.doc), { exportedAt: r.doc.exportedAt });
    expect(JSON.parse(JSON.stringify(back))).toStrictEqual(raw);
  });

  it('refuses a length line of 3 points or of one point twice, naming the annotation, and a document newer than this build', () => {
    const raw = JSON.parse(fixture('v5-radiology-lengths.json'));
    raw.annotations[3].geometry.points = [300, 219, 324, 219, 330, 230];
    raw.annotations[4].geometry.points = [120, 300, 120, 300];
    const r = validateSharedDocument(raw);
    expect(r.ok ? [] : r.problems).toEqual([
      { path: 'annotations[3].geometry.points', message: 'a length line needs exactly 2 points' },
      { path: 'annotations[4].geometry.points', message: 'a length line needs two different points' },
    ]);
    const newer = validateSharedDocument({ ...JSON.parse(fixture('v5-radiology-lengths.json')), version: FORMAT_VERSION + 1 });
    expect(newer.ok ? [] : newer.problems).toEqual([{ path: 'version', message: `format version ${FORMAT_VERSION + 1} is newer than this Granula understands (${FORMAT_VERSION}); update Granula` }]);
  });

  it('refuses a shape on a slice the series does not have, a series shape without its slice, and a UID that is not one, naming each', () => {
    const raw = JSON.parse(fixture('v4-radiology-ct.json'));
    raw.annotations[0].slice.sopInstanceUid = '2.25.1';
    delete raw.annotations[1].slice;
    raw.images[0].source.slices[3].sopInstanceUid = '1.2.03';
    const r = validateSharedDocument(raw);
    expect(r.ok ? [] : r.problems).toEqual(
      expect.arrayContaining([
        { path: 'images[0].source.slices[3].sopInstanceUid', message: 'is not a DICOM UID (digits and dots, at most 64 characters)' },
      ]),
    );
    raw.images[0].source.slices[3].sopInstanceUid = raw.annotations[2].slice.sopInstanceUid;
    const r2 = validateSharedDocument(raw);
    expect(r2.ok ? [] : r2.problems).toEqual([
      { path: 'annotations[0].slice', message: 'no slice 2.25.1 frame 1 in the series of image "img_ct"' },
      { path: 'annotations[1].slice', message: 'a shape on a CT/MR series needs the slice it was drawn on' },
    ]);
  });

  it('keeps the project\'s stain setting, and refuses one it does not know, naming the field', () => {
    const data = projectWithEverything('pathology-cells');
    data.project.stain = 'hdab';
    const doc = toSharedDocument(data, { exportedAt: '2026-02-01T00:00:00.000Z' });
    expect(doc.project.stain).toBe('hdab');
    const back = validateSharedText(JSON.stringify(doc));
    expect(back.ok && fromSharedDocument(back.doc).project.stain).toBe('hdab');
    const wrong = validateSharedDocument({ ...doc, project: { ...doc.project, stain: 'pas' } });
    expect(wrong.ok ? [] : wrong.problems.map((p) => p.path)).toContain('project.stain');
  });

  it('refuses a slide source without file names, naming the field', () => {
    const raw = JSON.parse(fixture('v3-slides-pathology.json'));
    raw.images[0].source.fileNames = [];
    const r = validateSharedDocument(raw);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toContain('images[0].source.fileNames');
  });

  it('the version 2 fixture holds a whole team loop', () => {
    const raw = JSON.parse(fixture('v2-team-endoscopy.json'));
    const roles = Object.fromEntries(raw.annotators.map((a: { id: string; role?: string }) => [a.id, a.role]));
    expect(roles).toMatchObject({ coord: 'coordinator', 'reader-b': 'annotator', 'reader-c': 'annotator', 'reviewer-r': 'reviewer' });
    expect(raw.project.assignments.map((a: { annotatorId: string }) => a.annotatorId)).toEqual(['reader-b', 'reader-c']);
    const consensus = raw.annotations.find((a: { provenance?: { kind: string } }) => a.provenance?.kind === 'consensus');
    expect(consensus.provenance).toMatchObject({ acceptedBy: 'reviewer-r', from: ['reader-b', 'reader-c'], decidedAt: expect.any(String), disputed: ['paris'] });
    expect(raw.annotations.some((a: { updatedBy?: string; baseUpdatedAt?: string }) => a.updatedBy === 'coord' && a.baseUpdatedAt)).toBe(true);
    expect(raw.project.conflicts).toHaveLength(1);
    expect(new Set(raw.audit.map((e: { action: string }) => e.action))).toEqual(new Set(['update', 'package', 'create', 'return', 'gather', 'adjudicate', 'export']));
    const times = raw.audit.map((e: { at: string }) => e.at);
    expect(times).toEqual([...times].sort());
    expect(raw.package).toBeUndefined(); // the coordinator's own project: neither a work package nor a return
    expect(raw.return).toBeUndefined();
  });
});
