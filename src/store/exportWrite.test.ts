import { describe, expect, it } from 'vitest';
import { readAnyFormat } from '../formats/detect';
import { excludeOptedOut } from '../formats/optOut';
import { sampleProjectData, withSlideOutlines } from '../formats/testData';
import { writeAny } from '../formats/writeAny';
import { created, deleted, updated } from '../model/changes';
import { labelGapsOf } from '../model/labelChecks';
import type { ProjectData } from '../model/projectData';
import { openGranulaDb } from '../storage/db';
import { loadProject } from '../storage/repository';
import { bigProject, cell, storeImport, useSmallPacks } from '../storage/testProjects';
import { writeChangesMerging } from '../storage/writes';
import { blobTarget, fileTarget, writeExport, type ExportTarget, type SaveFileHandle } from './exportWrite';

const NOW = '2026-03-01T00:00:00.000Z';

/** Two pathology slides, the second of a patient who opted out; `count` more outlines on the first (enough bytes for pauses). */
function project(count: number): ProjectData {
  const data = withSlideOutlines(sampleProjectData('pathology-cells', { images: 2 }), count);
  return { ...data, project: { ...data.project, optOut: [data.images[1].patientKey!] } };
}

/** A target that keeps what it is given, and says whether it was aborted. */
function recording(failAt = Infinity): ExportTarget & { bytes: number; aborted: boolean } {
  const t = {
    bytes: 0,
    aborted: false,
    write: async (batch: Uint8Array[]) => {
      if (t.bytes > failAt) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      for (const c of batch) t.bytes += c.length;
    },
    close: async () => undefined,
    abort: async () => void (t.aborted = true),
  };
  return t;
}

describe('an export written from the stored project through the streaming writers (the export worker\'s work)', () => {
  it('shared, COCO and GeoJSON: the bytes of the whole-file writer for the project without the opted-out patient', async () => {
    const db = await openGranulaDb('export-write-formats');
    const data = project(500);
    await storeImport(db, data);
    // The reference: the project as storage gives it back (in its own order), opt-outs removed as every
    // export removes them, then the whole-text writer.
    const expected = excludeOptedOut((await loadProject(db, data.project.id))!);
    for (const format of ['shared', 'coco', 'geojson'] as const) {
      const r = await writeExport(db, { projectId: data.project.id, format, includeImages: false, exportedAt: NOW }, async (_name, mime) => blobTarget(mime));
      if (!r.ok || !r.blob) throw new Error(`${format}: ${JSON.stringify(r)}`);
      const whole = writeAny(expected.data, format, { exportedAt: NOW });
      expect([r.name, await r.blob.text()]).toEqual([whole.files[0].name, whole.files[0].text]);
      expect([r.images, r.annotations, r.excludedImages]).toEqual([1, expected.data.annotations.length, 1]);
    }
    const back = readAnyFormat(await (await writeExport(db, { projectId: data.project.id, format: 'shared', includeImages: false }, async (_n, mime) => blobTarget(mime)) as { blob: Blob }).blob.text(), 'p.json');
    expect(back.ok && back.data.images.map((im) => im.patientKey)).toEqual([data.images[0].patientKey]);
    db.close();
  });

  it('labels lacking a required value: listed first and nothing written; written once the user says to go on', async () => {
    const db = await openGranulaDb('export-write-gaps');
    const data = sampleProjectData('endoscopy-lesions');
    // The first polyp of reader-a without its Paris class, which the endoscopy template requires.
    const at = data.annotations.findIndex((a) => a.classId === 'polyp');
    const { paris: _p, ...rest } = data.annotations[at].attributes;
    data.annotations[at] = { ...data.annotations[at], attributes: rest };
    await storeImport(db, data);
    const target = recording();
    const asked = await writeExport(db, { projectId: data.project.id, format: 'coco', includeImages: false }, async () => target);
    expect(asked).toMatchObject({ ok: false, gapCount: 1, gapLabels: 1 });
    expect(!asked.ok && 'gaps' in asked && asked.gaps.map((g) => [g.annotation.id, g.gap])).toEqual([[data.annotations[at].id, expect.objectContaining({ kind: 'attribute', attribute: expect.objectContaining({ id: 'paris' }) })]]);
    expect(target.bytes).toBe(0);
    const written = await writeExport(db, { projectId: data.project.id, format: 'coco', includeImages: false, allowGaps: true }, async () => target);
    expect([written.ok, target.bytes > 0]).toEqual([true, true]);
    db.close();
  });

  it('reports progress as it writes; a cancel stops it and leaves nothing (the target is aborted)', async () => {
    const db = await openGranulaDb('export-write-cancel');
    const data = project(30_000);
    await storeImport(db, data);
    const fractions: number[] = [];
    const done = await writeExport(db, { projectId: data.project.id, format: 'shared', includeImages: false }, async () => recording(), { onProgress: (f) => fractions.push(f) });
    expect(done.ok).toBe(true);
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    const abort = new AbortController();
    const target = recording();
    const cancelled = await writeExport(db, { projectId: data.project.id, format: 'geojson', includeImages: false }, async () => target, { signal: abort.signal, onProgress: () => abort.abort() });
    expect(cancelled).toEqual({ ok: false, cancelled: true });
    expect(target.aborted).toBe(true);
    db.close();
  });

  it('a disk that fills up part-way: the reason, and the partial file discarded and removed', async () => {
    const db = await openGranulaDb('export-write-full');
    const data = project(30_000);
    await storeImport(db, data);
    const calls: string[] = [];
    const handle: SaveFileHandle = {
      name: 'slide.granula.json',
      createWritable: async () => ({
        write: async () => {
          calls.push('write');
          if (calls.length > 1) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        },
        close: async () => void calls.push('close'),
        abort: async () => void calls.push('abort'),
      }),
      remove: async () => void calls.push('remove'),
    };
    const r = await writeExport(db, { projectId: data.project.id, format: 'shared', includeImages: false }, () => fileTarget(handle));
    expect(r).toEqual({ ok: false, message: 'The quota has been exceeded.' });
    expect(calls).toEqual(['write', 'write', 'abort', 'remove']);
    expect(await writeExport(db, { projectId: 'prj_gone', format: 'coco', includeImages: false }, async (_n, mime) => blobTarget(mime))).toEqual({ ok: false, message: 'the project is not in this browser' });
    db.close();
  });
});

describe('an export of a project whose big images are stored in packs', () => {
  useSmallPacks();

  /**
   * bigProject's slide (packed), a second packed slide of a patient who opted out, and a small image
   * (rows); its tumour cells need a "subtype" nobody gave (a label gap each); then edits since the
   * packing: a packed cell changed (a row now shadows it), one deleted, one drawn anew, a row deleted.
   */
  async function storedWithEdits(name: string): Promise<{ db: Awaited<ReturnType<typeof openGranulaDb>>; data: ProjectData }> {
    const db = await openGranulaDb(name);
    const base = bigProject();
    const T = base.project.createdAt;
    const optedOut = Array.from({ length: 90 }, (_, i) => cell(i, 'slide-2'));
    // A length measured on the slide, packed with its cells: COCO leaves it out and says so.
    const length = cell(500, 'slide', { id: 'length-1', classId: 'lymphocyte', geometry: { type: 'line', points: [10, 10, 250.5, 10] } });
    const data: ProjectData = {
      ...base,
      project: { ...base.project, optOut: ['pt-declined'], assignments: [{ annotatorId: 'dr-a', imageIds: ['slide', 'slide-2'] }] },
      schemas: [{ ...base.schemas[0], classes: [
        { id: 'tumor-cell', name: { en: 'Tumour cell', ja: '腫瘍細胞' }, color: '#d33', attributes: [{ id: 'subtype', name: { en: 'Subtype', ja: '亜型' }, type: 'text', required: true }] },
        { id: 'lymphocyte', name: { en: 'Lymphocyte', ja: 'リンパ球' }, color: '#33d', attributes: [] },
      ] }],
      images: [...base.images, { ...base.images[0], id: 'slide-2', name: 'slide-2', patientKey: 'pt-declined', order: 2 }],
      annotations: [...base.annotations, length, ...optedOut],
      audit: [{ id: 'au1', projectId: base.project.id, at: T, actor: 'dr-a', action: 'create', targets: [optedOut[0].id, base.annotations[0].id] } as ProjectData['audit'][number]],
    };
    await storeImport(db, data);
    expect(await db.count('annotationPacks')).toBeGreaterThan(3);
    const slide = data.annotations.filter((a) => a.imageId === 'slide');
    const later = '2026-02-02T00:00:00.000Z';
    await writeChangesMerging(db, data.project.id, [
      updated('annotation', slide[5], { ...slide[5], classId: 'lymphocyte', geometry: { type: 'point', x: 1, y: 2 }, updatedAt: later }),
      deleted('annotation', slide[4]),
      created('annotation', cell(999_999, 'slide', { createdAt: later, updatedAt: later })),
      deleted('annotation', data.annotations.find((a) => a.id === 'label')!),
    ]);
    return { db, data };
  }

  it('writes each format byte for byte as the whole-project path did: the project built whole, opt-outs removed, the whole-text writer', async () => {
    const { db, data } = await storedWithEdits('export-packs-formats');
    // The reference: every annotation built (as the export read them before), then the whole-text writers.
    const whole = excludeOptedOut((await loadProject(db, data.project.id))!);
    expect(whole.excludedAnnotations).toBe(90);
    for (const format of ['shared', 'coco', 'geojson'] as const) {
      const r = await writeExport(db, { projectId: data.project.id, format, includeImages: false, allowGaps: true, exportedAt: NOW }, async (_name, mime) => blobTarget(mime));
      if (!r.ok || !r.blob) throw new Error(`${format}: ${JSON.stringify(r)}`);
      const expected = writeAny(whole.data, format, { exportedAt: NOW });
      // Several images in GeoJSON: a .zip of one file each, compared file by file below.
      if (format !== 'geojson') expect([r.name, await r.blob.text(), r.warnings]).toEqual([expected.files[0].name, expected.files[0].text, expected.warnings]);
      else {
        const zip = new Uint8Array(await r.blob.arrayBuffer());
        const text = new TextDecoder().decode(zip);
        for (const f of expected.files) expect(text).toContain(f.text);
        expect(r.warnings).toEqual(expected.warnings);
      }
      expect([r.images, r.annotations, r.excludedImages]).toEqual([2, whole.data.annotations.length, 1]);
      if (format === 'coco') expect(r.warnings).toContain('1 length measurement not written: COCO has no line shape. Export the shared format, GeoJSON or CSV to keep them');
    }
    db.close();
  });

  it('lists the same label gaps as the whole project gives, in worklist order, opted-out patients left out', async () => {
    const { db, data } = await storedWithEdits('export-packs-gaps');
    const r = await writeExport(db, { projectId: data.project.id, format: 'coco', includeImages: false }, async (_name, mime) => blobTarget(mime));
    if (r.ok || !('gaps' in r)) throw new Error(JSON.stringify(r));
    // The reference: labelGapsOf over every annotation built, sorted by image order, then annotator.
    const whole = excludeOptedOut((await loadProject(db, data.project.id))!).data;
    const order = new Map(whole.images.map((im) => [im.id, im.order]));
    const expected = labelGapsOf(whole.annotations, whole.schemas).sort((a, b) => order.get(a.annotation.imageId)! - order.get(b.annotation.imageId)! || a.annotation.annotatorId.localeCompare(b.annotation.annotatorId));
    // Tumour cells (i % 3 ≠ 0) lack their subtype: 105 of the slide's 158, less cell 5 (now a lymphocyte) and
    // cell 4 (deleted); the cell drawn anew is a lymphocyte (999999 % 3 = 0); 3 of the small image's 5 (i = 1, 2, 4).
    expect([r.gapCount, r.gapLabels]).toEqual([106, 106]);
    expect(r.gaps.map((g) => [g.annotation.id, g.shape.kind, g.shape.n])).toEqual(expected.map((g) => [g.annotation.id, g.shape.kind, g.shape.n]));
    expect(r.gaps.every((g) => g.annotation.imageId !== 'slide-2')).toBe(true);
    db.close();
  });
});
