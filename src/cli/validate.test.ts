import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSharedDocument } from '../formats/shared/convert';
import { FORMAT_VERSION } from '../formats/shared/schema';
import { newProjectData } from '../model/projectFactory';

const dir = mkdtempSync(join(tmpdir(), 'granula-validate-'));
const cli = (file: string) => spawnSync('node', ['bin/granula.mjs', 'validate', file], { encoding: 'utf8' });

function sampleDoc() {
  const data = newProjectData({ name: 'Fundus', template: 'fundus-diagnosis', now: '2026-01-01T00:00:00.000Z' });
  const schema = data.schemas[0];
  data.images.push({ id: 'im1', projectId: data.project.id, name: 'eye.png', modality: 'fundus', source: { kind: 'image-url', url: 'eye.png' }, width: 800, height: 600, order: 0, addedAt: 't' });
  data.annotators.push({ id: 'dr-a', projectId: data.project.id, displayName: 'Dr A' });
  data.annotations.push({ id: 'a1', projectId: data.project.id, imageId: 'im1', classId: 'glaucoma-suspect', attributes: {}, geometry: null, annotatorId: 'dr-a', schemaId: schema.id, schemaVersion: 1, createdAt: 't', updatedAt: 't' });
  return toSharedDocument(data, { exportedAt: '2026-01-02T00:00:00.000Z' });
}

describe('granula validate', () => {
  it('exits 0 with a one-line summary for a valid document', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(sampleDoc()));
    const r = cli(file);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain(`valid granula-shared v${FORMAT_VERSION}: schema`);
    expect(r.stdout).toContain('1 image, 1 annotator, 1 annotation');
  });

  it('exits 1 with one "path: message" line per problem', () => {
    const doc = sampleDoc() as any;
    doc.annotations[0].imageId = 'missing';
    doc.annotations.push({ ...doc.annotations[0], id: 'a2', geometry: { type: 'polygon', points: [0, 0, 1, 1] }, imageId: 'im1' });
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = cli(file);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual(['annotations[1].geometry.points: ring needs at least 3 points']);
  });

  it('reports reference problems after the structure is right', () => {
    const doc = sampleDoc() as any;
    doc.annotations[0].imageId = 'missing';
    const file = join(dir, 'ref.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = cli(file);
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe('annotations[0].imageId: unknown image "missing"');
  });

  it('migrates a version 0 document instead of rejecting it', () => {
    const out = execFileSync('node', ['bin/granula.mjs', 'validate', 'tests/fixtures/shared/v0-fundus.json'], { encoding: 'utf8' });
    expect(out).toContain('migrated from version 0');
  });

  it('names a file that is not JSON', () => {
    const file = join(dir, 'text.json');
    writeFileSync(file, 'hello');
    const r = cli(file);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^\(file\): is not JSON/);
  });
});

describe('granula validate: labels a finished dataset cannot have', () => {
  function endoscopyDoc(attributes: Record<string, string>) {
    const data = newProjectData({ name: 'Endo', template: 'endoscopy-lesions', now: '2026-01-01T00:00:00.000Z' });
    const schema = data.schemas[0];
    data.images.push({ id: 'f1', projectId: data.project.id, name: 'frame.png', modality: 'endoscopy', source: { kind: 'image-url', url: 'frame.png' }, width: 640, height: 480, order: 0, addedAt: 't' });
    data.annotators.push({ id: 'dr-a', projectId: data.project.id, displayName: 'Dr A' });
    data.annotations.push({ id: 'b1', projectId: data.project.id, imageId: 'f1', classId: 'polyp', attributes, geometry: { type: 'box', x: 10, y: 10, w: 50, h: 40 }, annotatorId: 'dr-a', schemaId: schema.id, schemaVersion: 1, createdAt: 't', updatedAt: 't' });
    return toSharedDocument(data, { exportedAt: '2026-01-02T00:00:00.000Z' });
  }
  const run = (name: string, doc: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(doc));
    return cli(file);
  };

  it('exits 1 naming a polyp box without its required Paris classification', () => {
    const r = run('no-paris.json', endoscopyDoc({ nice: '2' }));
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe('annotations[0].attributes.paris: required');
    expect(run('with-paris.json', endoscopyDoc({ paris: '0-Is' })).status).toBe(0);
  });

  it('exits 1 for a grade 9 on the 0–4 DR scale', () => {
    const doc = sampleDoc();
    Object.assign(doc.annotations[0], { classId: 'diabetic-retinopathy', grade: 9 });
    const r = run('grade-9.json', doc);
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe('annotations[0].grade: 9 is not a level of "Diabetic retinopathy grade" (0–4)');
  });

  it('exits 1 for a DR grade on a glaucoma-suspect label, but not in an older schema whose grade names no classes', () => {
    const doc = sampleDoc();
    doc.annotations[0].grade = 2; // the label is "glaucoma suspect"
    const r = run('glaucoma-graded.json', doc);
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe('annotations[0].grade: "Diabetic retinopathy grade" does not apply to class "glaucoma-suspect"');
    delete doc.schema.grade!.classes;
    expect(run('glaucoma-graded-old-schema.json', doc).status).toBe(0);
  });
});
