import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAnyFormat } from '../formats/detect';
import { sampleProjectData, withSlideOutlines } from '../formats/testData';
import { writeAny } from '../formats/writeAny';
import type { ProjectData } from '../model/projectData';
import { openGranulaDb } from '../storage/db';
import { listProjects, loadProject } from '../storage/repository';
import { expectSameProject, PACK_SIZE, useSmallPacks } from '../storage/testProjects';
import { importFileStream, type ImportProgress } from './streamImport';

const NOW = '2026-03-01T00:00:00.000Z';

const slideProject = (count: number) => withSlideOutlines(sampleProjectData('pathology-cells', { images: 2 }), count);

const sharedFile = (data: ProjectData, name = 'slide.granula.json', extra: Record<string, unknown> = {}) => {
  const doc = { ...JSON.parse(writeAny(data, 'shared', { exportedAt: NOW }).files[0].text!), ...extra };
  return new File([JSON.stringify(doc)], name, { type: 'application/json' });
};

describe('a shared or COCO file imported as a stream (small packs: many batches)', () => {
  useSmallPacks();
  const COUNT = 30 * PACK_SIZE;

  it('stores every record of a shared document, packed, as the document holds it, with progress to the end', async () => {
    const db = await openGranulaDb('file-import-shared');
    const data = slideProject(COUNT);
    const progress: ImportProgress[] = [];
    const result = await importFileStream(db, sharedFile(data), { existing: new Set(), now: NOW, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ ok: true, projectId: data.project.id, annotations: data.annotations.length, images: 2, format: 'shared' });
    expectSameProject((await loadProject(db, data.project.id))!, data);
    // ⌊(COUNT + the sample's own on that slide) / PACK_SIZE⌋ full packs at least: the slide is packed.
    expect(await db.countFromIndex('annotationPacks', 'projectId', data.project.id)).toBeGreaterThanOrEqual(Math.floor(COUNT / PACK_SIZE));
    expect(progress.some((p) => p.phase === 'checking')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'storing', records: data.annotations.length });
    db.close();
  });

  it('a broken annotation near the end: its place in the file, nothing stored', async () => {
    const db = await openGranulaDb('file-import-bad');
    const data = slideProject(COUNT);
    const doc = JSON.parse(writeAny(data, 'shared', { exportedAt: NOW }).files[0].text!);
    const at = doc.annotations.length - 5;
    doc.annotations[at].geometry.points = [0, 0, 5, 5];
    const result = await importFileStream(db, new File([JSON.stringify(doc)], 'bad.json'), { existing: new Set(), now: NOW });
    expect(result).toEqual({ ok: false, problems: [{ path: `annotations[${at}].geometry.points`, message: 'ring needs at least 3 points' }] });
    expect(await db.count('records')).toBe(0);
    expect(await db.count('annotationPacks')).toBe(0);
    db.close();
  });

  it('a cancel while storing leaves nothing; the same file imported again beside itself is renamed', async () => {
    const db = await openGranulaDb('file-import-cancel');
    const data = slideProject(COUNT);
    const abort = new AbortController();
    const cancelled = await importFileStream(db, sharedFile(data), {
      existing: new Set(),
      now: NOW,
      signal: abort.signal,
      onProgress: (p) => void (p.phase === 'storing' && p.records > COUNT / 3 && abort.abort()),
    });
    expect(cancelled).toEqual({ ok: false, cancelled: true, problems: [{ path: '(import)', message: 'was cancelled; nothing was kept' }] });
    expect(await db.count('records')).toBe(0);
    expect(await db.count('annotationPacks')).toBe(0);
    const first = await importFileStream(db, sharedFile(data), { existing: new Set(), now: NOW });
    const second = await importFileStream(db, sharedFile(data), { existing: new Set([data.project.id]), now: NOW });
    expect([first.ok, second.ok && second.name]).toEqual([true, `${data.project.name} (imported 2026-03-01)`]);
    expect((await listProjects(db)).length).toBe(2);
    db.close();
  });

  it('a COCO file from another tool is stored as the whole-text reader reads it', async () => {
    const db = await openGranulaDb('file-import-coco');
    const text = readFileSync('tests/fixtures/formats/coco-foreign.json', 'utf8');
    const whole = readAnyFormat(text, 'reader-a.json', { now: NOW });
    if (!whole.ok) throw new Error('whole read failed');
    const result = await importFileStream(db, new File([text], 'reader-a.json'), { existing: new Set(), now: NOW });
    expect(result).toMatchObject({ ok: true, format: 'coco', annotations: whole.data.annotations.length, warnings: whole.warnings });
    expectSameProject((await loadProject(db, whole.data.project.id))!, whole.data);
    db.close();
  });

  it('embedded image files are stored with the project; a work package is left to the page, stored nowhere', async () => {
    const db = await openGranulaDb('file-import-files');
    const data = sampleProjectData('endoscopy-lesions');
    const withFile = { ...data, images: data.images.map((im, i) => (i === 0 ? { ...im, source: { kind: 'file' as const, blobId: 'blob-1', mime: 'image/png', fileName: 'frame-001.png' } } : im)) };
    const png = 'iVBORw0KGgo=';
    const result = await importFileStream(db, sharedFile(withFile, 'frames.json', { files: [{ blobId: 'blob-1', mime: 'image/png', base64: png }] }), { existing: new Set(), now: NOW });
    expect(result.ok).toBe(true);
    const blob = await db.get('blobs', 'blob-1');
    expect([blob?.projectId, blob?.mime, new Uint8Array(await blob!.data.arrayBuffer())]).toEqual([data.project.id, 'image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])]);
    const annotator = data.annotators[0];
    const pkg = await importFileStream(db, sharedFile({ ...data, project: { ...data.project, id: 'prj_pkg' }, annotations: [] }, 'package.json', { package: { annotatorId: annotator.id, issuedAt: NOW, issuedBy: 'coordinator' } }), { existing: new Set(), now: NOW });
    expect(pkg).toEqual({ ok: false, problems: [], team: 'package' });
    expect(await db.countFromIndex('records', 'projectId', 'prj_pkg')).toBe(0);
    db.close();
  });
});
