import { beforeAll, describe, expect, it } from 'vitest';
import type { ProjectData } from '../model/projectData';
import { loadProject } from '../storage/repository';
import { addAnnotations, addImages, currentSchemaOf, deleteAnnotations, editSchema, setImageStatus, updateAnnotations } from './actions';
import { dataFromDoc } from './docState';
import { useDocStore } from './docStore';
import { exportSharedText, importSharedText } from './importExport';
import { bigProject, PACK_FOLD, useSmallPacks } from '../storage/testProjects';
import { createProject, flushSaves, initWorkspace, openProject, storeWholeProject, useWorkspace, workspaceDb } from './workspace';

async function dumpAll(): Promise<string> {
  const db = workspaceDb()!;
  const records = await db.getAll('records');
  const meta = await db.getAll('meta');
  return JSON.stringify({ records, meta });
}

/** Record order is not part of a project's meaning: compare sorted by id. */
function canonical(d: ProjectData | null) {
  if (!d) return d;
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  return { ...d, images: byId(d.images), annotators: byId(d.annotators), annotations: byId(d.annotations), statuses: byId(d.statuses) };
}

async function reopenedCopy(projectId: string) {
  // Read back what IndexedDB acknowledged: what a reload would find.
  return loadProject(workspaceDb()!, projectId);
}

beforeAll(async () => {
  await initWorkspace({ dbName: 'granula-workspace-test' });
});

describe('workspace: every edit saved, undo through one history', () => {
  it('saves a new project, its images, annotations and statuses, and restores them exactly', async () => {
    const created = await createProject('Liver biopsies', 'pathology-cells');
    expect(await openProject(created.project.id)).toBe(true);
    const [img] = addImages([{ name: 'slide-1', modality: 'pathology-wsi', source: { kind: 'synthetic', seed: 7 }, width: 100000, height: 80000 }]);
    addAnnotations([
      { imageId: img.id, classId: 'tumor-cell', attributes: {}, geometry: { type: 'polygon', points: [0, 0, 10, 0, 10, 10] }, annotatorId: 'dr-a' },
      { imageId: img.id, classId: 'lymphocyte', attributes: {}, geometry: { type: 'point', x: 5, y: 5 }, annotatorId: 'dr-a' },
    ]);
    await flushSaves();
    expect(useWorkspace.getState().save).toMatchObject({ state: 'saved', pending: 0 });
    const restored = await reopenedCopy(created.project.id);
    const inMemory = dataFromDoc(useDocStore.getState().doc!);
    expect(canonical(restored)).toEqual(canonical(inMemory));
    expect(restored!.annotations).toHaveLength(2);
    expect(restored!.statuses).toEqual([expect.objectContaining({ imageId: img.id, annotatorId: 'dr-a', state: 'in-progress' })]);
  });

  it('undoes and redoes an edit, and the stored copy follows', async () => {
    const doc = useDocStore.getState().doc!;
    const target = [...doc.annotations.values()].find((a) => a.classId === 'tumor-cell')!;
    updateAnnotations([{ id: target.id, patch: { classId: 'stromal-cell' } }]);
    deleteAnnotations([target.id]);
    expect(useDocStore.getState().doc!.annotations.has(target.id)).toBe(false);
    useDocStore.getState().undo();
    expect(useDocStore.getState().doc!.annotations.get(target.id)!.classId).toBe('stromal-cell');
    useDocStore.getState().undo();
    expect(useDocStore.getState().doc!.annotations.get(target.id)!.classId).toBe('tumor-cell');
    useDocStore.getState().redo();
    await flushSaves();
    const stored = await reopenedCopy(doc.project.id);
    expect(stored!.annotations.find((a) => a.id === target.id)!.classId).toBe('stromal-cell');
  });

  it('marks a frame "no lesion" apart from "not yet looked at"', async () => {
    const doc = useDocStore.getState().doc!;
    const [img] = addImages([{ name: 'frame', modality: 'endoscopy', source: { kind: 'image-url', url: 'x.png' }, width: 640, height: 480 }]);
    expect([...doc.statuses.values()].some((s) => s.imageId === img.id)).toBe(false);
    setImageStatus(img.id, 'dr-a', { state: 'done', noFinding: true });
    await flushSaves();
    const stored = await reopenedCopy(doc.project.id);
    expect(stored!.statuses.find((s) => s.imageId === img.id)).toMatchObject({ state: 'done', noFinding: true });
  });

  it('makes a new schema version once annotations exist, and keeps the old one', async () => {
    const doc = useDocStore.getState().doc!;
    const v1 = currentSchemaOf(doc);
    const v2 = editSchema({ ...v1, classes: v1.classes.filter((c) => c.id !== 'necrosis') });
    expect(v2.version).toBe(v1.version + 1);
    const v2b = editSchema({ ...v2, purpose: 'changed again' });
    expect(v2b.version).toBe(v2.version);
    expect([...useDocStore.getState().doc!.schemas.values()].map((s) => s.version)).toEqual([1, 2]);
    expect([...useDocStore.getState().doc!.annotations.values()].every((a) => a.schemaVersion === 1)).toBe(true);
  });
});

describe('import is all-or-nothing', () => {
  const badFiles: [string, string, string][] = [
    ['not JSON', '{"format": "granula-shared", ', '(file): is not JSON'],
    ['JSON of another kind', JSON.stringify({ type: 'FeatureCollection', features: [] }), 'format: expected "granula-shared"; this looks like GeoJSON'],
    ['an unknown format version', JSON.stringify({ format: 'granula-shared', version: 9 }), 'version: format version 9 is newer'],
  ];

  it.each(badFiles)('refuses %s with a message naming where, and stores nothing', async (_name, text, expected) => {
    const before = await dumpAll();
    const r = await importSharedText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(`${r.problems[0].path}: ${r.problems[0].message}`).toContain(expected);
    expect(await dumpAll()).toBe(before);
  });

  it('refuses a document with bad records and leaves stored data byte-identical', async () => {
    const projectId = useDocStore.getState().doc!.project.id;
    const good = JSON.parse((await exportSharedText(projectId, { includeImages: false }))!.text);
    const cases: [string, (d: any) => void, string][] = [
      ['duplicate ids', (d) => d.annotations.push({ ...d.annotations[0] }), 'annotations[2].id: duplicate id'],
      ['NaN coordinates', (d) => (d.annotations[0].geometry = { type: 'point', x: 'NaN', y: 1 }), 'annotations[0].geometry.x'],
      ['string coordinates', (d) => (d.annotations[0].geometry = { type: 'polygon', points: [0, 0, '1', 0, 1, 1] }), 'annotations[0].geometry.points[2]'],
      ['a polygon with two points', (d) => (d.annotations[0].geometry = { type: 'polygon', points: [0, 0, 1, 1] }), 'annotations[0].geometry.points: ring needs at least 3 points'],
      ['an unknown image', (d) => (d.annotations[0].imageId = 'nope'), 'annotations[0].imageId: unknown image "nope"'],
      ['an unknown class', (d) => (d.annotations[0].classId = 'nope'), 'annotations[0].classId: unknown class "nope"'],
    ];
    for (const [name, mutate, expected] of cases) {
      const before = await dumpAll();
      const doc = structuredClone(good);
      mutate(doc);
      const r = await importSharedText(JSON.stringify(doc));
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'), name).toContain(expected);
      expect(await dumpAll(), name).toBe(before);
    }
  });

  it('round-trips: export then import gives an identical project (as a copy when the id exists)', async () => {
    const projectId = useDocStore.getState().doc!.project.id;
    const exported = (await exportSharedText(projectId, { includeImages: false }))!;
    const r = await importSharedText(exported.text);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.projectId).not.toBe(projectId);
    const copy = (await reopenedCopy(r.projectId))!;
    const strip = (d: typeof copy) => JSON.parse(JSON.stringify(d).replaceAll(d.project.id, 'P').replace(/"name":"[^"]*\(imported[^"]*\)"/, '"name":"X"'));
    const original = { ...exported.data, project: { ...exported.data.project, name: 'X' } };
    expect(strip(copy)).toEqual(strip(original as typeof copy));
  });
});

describe('a packed project edited a lot', () => {
  useSmallPacks();
  const annotationRows = async () => (await workspaceDb()!.getAll('records')).filter((r) => r.projectId === 'prj_big' && r.kind === 'annotation').length;

  it('is folded back into packs when it is opened again, with every edit kept', async () => {
    const data = bigProject();
    await storeWholeProject(data);
    expect(await openProject('prj_big')).toBe(true);
    const slide = data.annotations.filter((a) => a.imageId === 'slide');
    // PACK_FOLD edits and one deletion in the slide's first pack: enough to fold it.
    updateAnnotations(slide.slice(0, PACK_FOLD).map((a) => ({ id: a.id, patch: { classId: 'stroma' } })));
    deleteAnnotations([slide[PACK_FOLD].id]);
    await flushSaves();
    const shown = new Map(dataFromDoc(useDocStore.getState().doc!).annotations.map((a) => [a.id, a]));
    expect(await annotationRows()).toBe(6 + PACK_FOLD + 1);
    useDocStore.getState().close();
    expect(await openProject('prj_big')).toBe(true);
    // The fold runs once the project is open; only the small image's 6 rows stay rows.
    for (let tries = 0; (await annotationRows()) !== 6; tries++) {
      if (tries > 200) throw new Error(`still ${await annotationRows()} annotation rows`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const stored = (await reopenedCopy('prj_big'))!;
    expect(new Map(stored.annotations.map((a) => [a.id, a]))).toEqual(shown);
    expect(stored.annotations.filter((a) => a.classId === 'stroma')).toHaveLength(PACK_FOLD);
    expect(stored.annotations.some((a) => a.id === slide[PACK_FOLD].id)).toBe(false);
  });
});
