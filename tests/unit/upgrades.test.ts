// Upgrades never wipe data: stored data of every earlier storage layout opens with every record
// intact, and files of every earlier shared-format version import whole. One fixture per version;
// add one (never regenerate an old one) whenever LAYOUT_VERSION or FORMAT_VERSION goes up.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LAYOUT_VERSION } from '../../src/storage/db';
import { FORMAT_VERSION } from '../../src/formats/shared/schema';
import type { PackRow } from '../../src/storage/db';
import { decodeTyped, packedFixtureProject, SLIDE_CELLS } from './packedFixture';

interface LayoutFixture {
  layoutVersion: number;
  stores: {
    records: { key: string; projectId: string; kind: string; value: unknown }[];
    blobs: { blobId: string; projectId: string; mime: string; base64: string }[];
    meta: { key: string; value: unknown }[];
    /** Layout 2 on: packed annotations, typed arrays as { typedArray, base64 } (see packedFixture.ts). */
    annotationPacks?: PackRow[];
  };
}

const LAYOUT_FIXTURES = ['tests/fixtures/storage/layout-v1.json', 'tests/fixtures/storage/layout-v2.json'];
/** A layout 2 database holding packs and rows that shadow them, made by the app's write path. */
const PACKED_FIXTURE = 'tests/fixtures/storage/layout-v2-packs.json';
const FORMAT_FIXTURES = ['tests/fixtures/shared/v0-fundus.json', 'tests/fixtures/shared/v1-endoscopy.json', 'tests/fixtures/shared/v2-team-endoscopy.json', 'tests/fixtures/shared/v3-slides-pathology.json', 'tests/fixtures/shared/v4-radiology-ct.json', 'tests/fixtures/shared/v5-radiology-lengths.json'];

/**
 * Builds the database exactly as that layout version's code did, with raw IndexedDB calls frozen
 * here (not today's openGranulaDb), so the test keeps proving the upgrade from the old layout.
 */
const INSTALL: Record<number, (db: IDBDatabase) => void> = {
  1: (db) => {
    db.createObjectStore('records', { keyPath: 'key' }).createIndex('projectId', 'projectId');
    db.createObjectStore('blobs', { keyPath: 'blobId' }).createIndex('projectId', 'projectId');
    db.createObjectStore('meta', { keyPath: 'key' });
  },
  2: (db) => {
    const records = db.createObjectStore('records', { keyPath: 'key' });
    records.createIndex('projectId', 'projectId');
    records.createIndex('kind', 'kind');
    db.createObjectStore('annotationPacks', { keyPath: 'key' }).createIndex('projectId', 'projectId');
    db.createObjectStore('blobs', { keyPath: 'blobId' }).createIndex('projectId', 'projectId');
    db.createObjectStore('meta', { keyPath: 'key' });
  },
};

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function installFixture(name: string, f: LayoutFixture): Promise<void> {
  const open = indexedDB.open(name, f.layoutVersion);
  open.onupgradeneeded = () => INSTALL[f.layoutVersion](open.result);
  const db = await request(open);
  const packs = f.stores.annotationPacks ?? [];
  const tx = db.transaction(['records', 'blobs', 'meta', ...(packs.length ? ['annotationPacks'] : [])], 'readwrite');
  for (const r of f.stores.records) tx.objectStore('records').put(r);
  for (const p of packs) tx.objectStore('annotationPacks').put(p);
  for (const b of f.stores.blobs) tx.objectStore('blobs').put({ ...b, base64: undefined, data: new Blob([Buffer.from(b.base64, 'base64')], { type: b.mime }) });
  for (const m of f.stores.meta) tx.objectStore('meta').put(m);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

let ws: typeof import('../../src/store/workspace') | null = null;
afterEach(() => {
  ws?.closeWorkspace();
  ws = null;
});

describe('stored data of every layout version opens intact', () => {
  it('has a fixture for every layout version up to the current one', () => {
    const versions = LAYOUT_FIXTURES.map((p) => (JSON.parse(readFileSync(p, 'utf8')) as LayoutFixture).layoutVersion);
    expect(versions).toEqual(Array.from({ length: LAYOUT_VERSION }, (_, i) => i + 1));
  });

  it.each(LAYOUT_FIXTURES)('%s: every record, file and setting is there after the app opens it', async (path) => {
    const f = JSON.parse(readFileSync(path, 'utf8')) as LayoutFixture;
    const name = `upgrade-${f.layoutVersion}`;
    await installFixture(name, f);
    vi.resetModules();
    ws = await import('../../src/store/workspace');
    await ws.initWorkspace({ dbName: name, channelName: name });
    expect(ws.useWorkspace.getState().storageError).toBeNull();
    const db = ws.workspaceDb()!;
    expect(db.version).toBe(LAYOUT_VERSION);
    const records = await db.getAll('records');
    expect(records.sort((a, b) => a.key.localeCompare(b.key))).toEqual([...f.stores.records].sort((a, b) => a.key.localeCompare(b.key)));
    const projectId = f.stores.records.find((r) => r.kind === 'project')!.projectId;
    const data = (await ws.loadProjectData(projectId))!;
    expect(data.annotations).toHaveLength(f.stores.records.filter((r) => r.kind === 'annotation').length);
    // Layouts before the audit trail hold no audit rows: the project opens with an empty trail.
    expect(data.audit).toEqual(f.stores.records.filter((r) => r.kind === 'audit').map((r) => r.value));
    const blobs = await ws.loadProjectBlobs(projectId);
    expect(Buffer.from(await blobs[0].data.arrayBuffer()).toString('base64')).toBe(f.stores.blobs[0].base64);
    const { projectKey } = await import('../../src/ui/privacy/projectKey');
    expect(await projectKey(projectId)).toHaveLength(32); // the pseudonym key survived too
  });

  it('a layout 2 database with packed annotations, edited since packing, opens with every annotation as it was stored', async () => {
    const f = JSON.parse(readFileSync(PACKED_FIXTURE, 'utf8'), decodeTyped) as LayoutFixture;
    expect(f.stores.annotationPacks!.map((p) => p.pack.count)).toEqual([SLIDE_CELLS]);
    await installFixture('upgrade-packs', f);
    vi.resetModules();
    ws = await import('../../src/store/workspace');
    await ws.initWorkspace({ dbName: 'upgrade-packs', channelName: 'upgrade-packs' });
    const expected = packedFixtureProject();
    const byId = (list: readonly { id: string }[]) => new Map(list.map((a) => [a.id, a]));
    // Built whole (what a backup or an export reads).
    const data = (await ws.loadProjectData('prj_packed'))!;
    expect({ ...data, annotations: byId(data.annotations) }).toEqual({ ...expected, annotations: byId(expected.annotations) });
    // Opened for editing: packed cells are read from the packs as needed, edits and deletions win.
    expect(await ws.openProject('prj_packed')).toBe(true);
    const { useDocStore } = await import('../../src/store/docStore');
    const doc = useDocStore.getState().doc!;
    expect(doc.annotations.size).toBe(expected.annotations.length);
    for (const id of ['cell_00003', 'cell_04099', 'cell_04100', 'cell_00042', 'photo_1']) expect(doc.annotations.get(id)).toEqual(byId(expected.annotations).get(id));
    for (const id of ['cell_00010', 'cell_02000', 'photo_2']) expect(doc.annotations.has(id)).toBe(false);
    expect(doc.annotationsByImage.get('slide-1')!.size).toBe(SLIDE_CELLS - 2 + 1);
    // Nothing stored was rewritten by opening it.
    const db = ws.workspaceDb()!;
    expect(await db.getAll('annotationPacks')).toEqual(f.stores.annotationPacks);
    expect((await db.getAll('records')).sort((a, b) => a.key.localeCompare(b.key))).toEqual([...f.stores.records].sort((a, b) => a.key.localeCompare(b.key)));
  });

  it('a database from a newer Granula is left alone: storage reported unavailable, nothing deleted', async () => {
    const f = JSON.parse(readFileSync(LAYOUT_FIXTURES[0], 'utf8')) as LayoutFixture;
    const newer = { ...f, layoutVersion: LAYOUT_VERSION + 1 };
    INSTALL[newer.layoutVersion] = INSTALL[f.layoutVersion];
    await installFixture('from-the-future', newer);
    vi.resetModules();
    ws = await import('../../src/store/workspace');
    await ws.initWorkspace({ dbName: 'from-the-future', channelName: 'future' });
    expect(ws.useWorkspace.getState().storageError).toMatch(/could not be opened/);
    const db = await request(indexedDB.open('from-the-future'));
    const count = await request(db.transaction('records').objectStore('records').count());
    db.close();
    expect(count).toBe(f.stores.records.length);
  });
});

describe('files of every shared-format version import whole', () => {
  it('has a fixture for every format version up to the current one', () => {
    const versions = FORMAT_FIXTURES.map((p) => (JSON.parse(readFileSync(p, 'utf8')) as { version: number }).version);
    expect(versions).toEqual(Array.from({ length: FORMAT_VERSION + 1 }, (_, i) => i));
  });

  it.each(FORMAT_FIXTURES)('%s: every image, annotation, status and audit entry is imported, none changed', async (path) => {
    const text = readFileSync(path, 'utf8');
    const doc = JSON.parse(text);
    vi.resetModules();
    ws = await import('../../src/store/workspace');
    await ws.initWorkspace({ dbName: `format-${doc.version}`, channelName: `format-${doc.version}` });
    const { importSharedText } = await import('../../src/store/importExport');
    const r = await importSharedText(text);
    expect(r.ok ? 'ok' : r.problems).toBe('ok');
    if (!r.ok) return;
    const data = (await ws.loadProjectData(r.projectId))!;
    const statuses = doc.imageStatus ?? doc.progress;
    expect({ images: data.images.length, annotations: data.annotations.length, statuses: data.statuses.length }).toEqual({
      images: doc.images.length,
      annotations: doc.annotations.length,
      statuses: statuses.length,
    });
    for (const a of doc.annotations) {
      const stored = data.annotations.find((x) => x.id === a.id)!;
      expect({ classId: stored.classId, geometry: stored.geometry, annotatorId: stored.annotatorId }).toEqual({ classId: a.classId, geometry: a.geometry, annotatorId: a.annotatorId });
    }
    // Files before version 2 had no audit trail; the file's entries are kept as they were (the import may add its own).
    const audit = (doc.audit ?? []) as { id: string }[];
    for (const e of audit) expect(data.audit.find((x) => x.id === e.id)).toEqual({ ...e, projectId: r.projectId });
  });
});
