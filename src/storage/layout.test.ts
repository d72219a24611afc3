// Storage layout 2: annotations of big images in packs, the upgrade from layout 1, and edits of
// packed annotations surviving a reload. (tests/unit/upgrades.test.ts checks every layout fixture
// opens through the whole app; this file checks the packing itself.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { created, deleted, updated } from '../model/changes';
import type { Annotation } from '../model/types';
import { applyToDoc, countAnnotations, dataFromDoc, docFromData, packedOnImage } from '../store/docState';
import { LAYOUT_VERSION, openGranulaDb } from './db';
import { listProjects, loadProject, loadStoredProject } from './repository';
import { bigProject, cell, expectSameProject, PACK_MIN, PACK_SIZE, storeImport, useSmallPacks } from './testProjects';
import { deleteProject, writeChangesMerging } from './writes';

interface LayoutFixture {
  layoutVersion: number;
  stores: { records: { key: string; projectId: string; kind: string; value: unknown }[] };
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** A database exactly as layout 1's code made it (raw calls, frozen here), holding `records`. */
async function installLayout1(name: string, records: LayoutFixture['stores']['records']): Promise<void> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('records', { keyPath: 'key' }).createIndex('projectId', 'projectId');
    db.createObjectStore('blobs', { keyPath: 'blobId' }).createIndex('projectId', 'projectId');
    db.createObjectStore('meta', { keyPath: 'key' });
  };
  const db = await request(open);
  const tx = db.transaction('records', 'readwrite');
  for (const r of records) tx.objectStore('records').put(r);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

useSmallPacks();

describe('layout 2', () => {
  it('upgrades the layout 1 fixture without touching a record', async () => {
    const f = JSON.parse(readFileSync('tests/fixtures/storage/layout-v1.json', 'utf8')) as LayoutFixture;
    await installLayout1('v1-fixture', f.stores.records);
    const db = await openGranulaDb('v1-fixture');
    expect(db.version).toBe(LAYOUT_VERSION);
    const rows = await db.getAll('records');
    expect(rows.sort((x, y) => x.key.localeCompare(y.key))).toEqual([...f.stores.records].sort((x, y) => x.key.localeCompare(y.key)));
    expect(await db.count('annotationPacks')).toBe(0);
    expect((await listProjects(db)).map((p) => p.id)).toEqual(f.stores.records.filter((r) => r.kind === 'project').map((r) => r.projectId));
    db.close();
  });

  it('moves the annotation rows of a big image into packs on upgrade, and loads every record as it was', async () => {
    const data = bigProject();
    const v1Rows = [
      { key: 'prj_big/project/prj_big', projectId: 'prj_big', kind: 'project', value: data.project },
      ...data.schemas.map((s) => ({ key: `prj_big/schema/${s.id}@${s.version}`, projectId: 'prj_big', kind: 'schema', value: s })),
      ...data.images.map((s) => ({ key: `prj_big/image/${s.id}`, projectId: 'prj_big', kind: 'image', value: s })),
      ...data.annotators.map((s) => ({ key: `prj_big/annotator/${s.id}`, projectId: 'prj_big', kind: 'annotator', value: s })),
      ...data.annotations.map((s) => ({ key: `prj_big/annotation/${s.id}`, projectId: 'prj_big', kind: 'annotation', value: s })),
      ...data.statuses.map((s) => ({ key: `prj_big/status/${s.id}`, projectId: 'prj_big', kind: 'status', value: s })),
    ];
    await installLayout1('v1-big', v1Rows);
    const db = await openGranulaDb('v1-big');
    // The slide's annotations are packed; the small image's stay rows.
    const annotationRows = (await db.getAll('records')).filter((r) => r.kind === 'annotation');
    expect(annotationRows.map((r) => (r.value as Annotation).imageId).sort()).toEqual(Array(6).fill('small'));
    const packs = await db.getAll('annotationPacks');
    expect(packs.map((p) => [p.imageId, p.pack.count])).toEqual([
      ['slide', PACK_SIZE],
      ['slide', PACK_SIZE],
      ['slide', 30],
    ]);
    const loaded = (await loadProject(db, 'prj_big'))!;
    expectSameProject(loaded, data);
    db.close();
  });

  it('leaves layout 1 as it was when the upgrade fails part-way', async () => {
    const data = bigProject(PACK_MIN);
    const rows = data.annotations.map((s) => ({ key: `prj_big/annotation/${s.id}`, projectId: 'prj_big', kind: 'annotation', value: s }));
    await installLayout1('v1-fails', rows);
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'annotationPacks' && ++puts > 0) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    } as IDBObjectStore['put'];
    try {
      await expect(openGranulaDb('v1-fails')).rejects.toThrow(/could not be opened/);
    } finally {
      IDBObjectStore.prototype.put = realPut;
    }
    const raw = await request(indexedDB.open('v1-fails'));
    expect(raw.version).toBe(1);
    expect(await request(raw.transaction('records').objectStore('records').count())).toBe(rows.length);
    raw.close();
  });

  it('stores an import with a big image as packs, and edits, deletions and new shapes survive a reload', async () => {
    const db = await openGranulaDb('edits');
    const data = bigProject();
    await storeImport(db, data);
    expect(await db.count('annotationPacks')).toBe(3);
    const first = (await loadProject(db, 'prj_big'))!;
    expectSameProject(first, data);

    const slide = data.annotations.filter((a) => a.imageId === 'slide');
    const moved = { ...slide[3], geometry: { type: 'point' as const, x: 1, y: 2 }, updatedAt: '2026-02-02T00:00:00.000Z' };
    const added = cell(999_999, 'slide');
    await writeChangesMerging(db, 'prj_big', [updated('annotation', slide[3], moved), deleted('annotation', slide[4]), created('annotation', added), deleted('annotation', data.annotations.find((a) => a.id === 'label')!)]);
    const expected = data.annotations.filter((a) => a.id !== slide[4].id && a.id !== 'label').map((a) => (a.id === moved.id ? moved : a));
    expected.push(added);
    expectSameProject((await loadProject(db, 'prj_big'))!, { ...data, annotations: expected });

    // Deleting the edited one, then restoring the deleted one (undo), through the document too.
    const doc = docFromData((await loadStoredProject(db, 'prj_big'))!);
    const changes = [deleted('annotation', moved), created('annotation', slide[4])];
    applyToDoc(doc, changes);
    await writeChangesMerging(db, 'prj_big', changes);
    const again = expected.filter((a) => a.id !== moved.id).concat(slide[4]);
    expectSameProject(dataFromDoc(doc), { ...data, annotations: again });
    expectSameProject((await loadProject(db, 'prj_big'))!, { ...data, annotations: again });

    await deleteProject(db, 'prj_big');
    expect(await db.count('annotationPacks')).toBe(0);
    expect(await db.count('records')).toBe(0);
    db.close();
  });

  it('keeps an import all-or-nothing when a pack cannot be written', async () => {
    const db = await openGranulaDb('all-or-nothing');
    const data = bigProject();
    await storeImport(db, { ...data, annotations: data.annotations.slice(0, 10) });
    const before = JSON.stringify({ records: await db.getAll('records'), packs: await db.count('annotationPacks') });
    const realPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'annotationPacks') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    } as IDBObjectStore['put'];
    try {
      await expect(storeImport(db, data)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    } finally {
      IDBObjectStore.prototype.put = realPut;
    }
    expect(JSON.stringify({ records: await db.getAll('records'), packs: await db.count('annotationPacks') })).toBe(before);
    db.close();
  });
});

describe('a document opened from packs', () => {
  it('reads, edits and counts like one built from plain records, building only what is read', async () => {
    const db = await openGranulaDb('doc');
    const data = bigProject();
    await storeImport(db, data);
    const loaded = (await loadStoredProject(db, 'prj_big'))!;
    expect(loaded.annotations.packed).not.toBeNull();
    const doc = docFromData(loaded);
    const plain = docFromData(data);
    const packed = packedOnImage(doc, 'slide')!;
    expect(packed).not.toBeNull();
    expect(countAnnotations(doc, 'slide', 'dr-a')).toBe(countAnnotations(plain, 'slide', 'dr-a'));
    expect(countAnnotations(doc, 'small', 'dr-b', false)).toBe(1);
    expect(doc.annotations.size).toBe(plain.annotations.size);
    const some = data.annotations[42];
    expect(doc.annotations.get(some.id)).toEqual(some);
    expect(doc.annotations.get(some.id)).toBe(doc.annotations.get(some.id));
    expect([...doc.annotationsByImage.get('slide')!].sort()).toEqual([...plain.annotationsByImage.get('slide')!].sort());

    const edits = [updated('annotation', some, { ...some, classId: 'lymphocyte' }), deleted('annotation', data.annotations[43]), created('annotation', cell(777_777, 'slide', { annotatorId: 'dr-a' }))];
    applyToDoc(doc, edits);
    applyToDoc(plain, edits);
    expect(doc.annotations.size).toBe(plain.annotations.size);
    expect(doc.annotationsByImage.get('slide')!.size).toBe(plain.annotationsByImage.get('slide')!.size);
    expect(new Map(doc.annotations)).toEqual(new Map(plain.annotations));
    expect(countAnnotations(doc, 'slide', 'dr-a')).toBe(countAnnotations(plain, 'slide', 'dr-a'));
    expect(doc.annotationsByImage.get('slide')!.has(data.annotations[43].id)).toBe(false);
    db.close();
  });
});
