import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSharedDocument } from '../formats/shared/convert';
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
    expect(r.stdout).toContain('valid granula-shared v2: schema');
    expect(r.stdout).toContain('1 images, 1 annotators, 1 annotations');
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
