import { describe, expect, it } from 'vitest';
import { readGeoJsonText } from '../formats/geojson/read';
import { writeGeoJson } from '../formats/geojson/write';
import { sampleProjectData } from '../formats/testData';
import { openGranulaDb, packRows } from '../storage/db';
import { listProjects, loadProject, setMeta } from '../storage/repository';
import { cell, expectSameProject, PACK_SIZE, useSmallPacks } from '../storage/testProjects';
import { appendToProject } from '../storage/writes';
import { importGeoJsonStream, streamedFormat, sweepUnfinishedImports, type ImportProgress } from './streamImport';

const NOW = '2026-03-01T00:00:00.000Z';
const CLASSES = [
  { name: 'Tumor', color: [200, 0, 0] },
  { name: 'Lymphocyte', color: [0, 0, 180] },
];

/**
 * Cell i as QuPath 0.4 exports a detection: a UUID, its class and colour, an outline of four
 * corners closed by repeating the first (GeoJSON's rule). The outline is a 7 × 5 box at
 * (10·(i mod 1000), 10·⌊i / 1000⌋): what a reader must give back, worked out by hand.
 */
function qupathCell(i: number): object {
  const x = 10 * (i % 1000), y = 10 * Math.floor(i / 1000);
  const c = CLASSES[i % 2];
  return {
    type: 'Feature',
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 7, y], [x + 7, y + 5], [x, y + 5], [x, y]]] },
    properties: { objectType: 'detection', classification: { name: c.name, color: c.color } },
  };
}

function geoJsonFile(count: number, name = 'slide-1.geojson', change?: (i: number, f: object) => object): File {
  const parts = ['{"type":"FeatureCollection","features":['];
  for (let i = 0; i < count; i++) parts.push((i ? ',\n' : '') + JSON.stringify(change ? change(i, qupathCell(i)) : qupathCell(i)));
  parts.push(']}');
  return new File(parts, name, { type: 'application/geo+json' });
}


describe('a GeoJSON file imported as a stream', () => {
  it('stores every feature of a 50,000-cell QuPath export, packed, and the project opens as the whole-text reader reads it', async () => {
    const db = await openGranulaDb('stream-import-big');
    const file = geoJsonFile(50_000);
    const progress: ImportProgress[] = [];
    const result = await importGeoJsonStream(db, file, { existing: new Set(), now: NOW, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ ok: true, annotations: 50_000, images: 1, name: 'slide-1' });
    if (!result.ok) return;
    const stored = (await loadProject(db, result.projectId))!;
    expect(stored.annotations).toHaveLength(50_000);
    // Cell 12,345 by hand: x = 10 · 345, y = 10 · 12, class Lymphocyte (odd).
    const a = stored.annotations.find((x) => x.id === '00000000-0000-4000-8000-000000012345')!;
    expect(a.geometry).toEqual({ type: 'polygon', points: [3450, 120, 3457, 120, 3457, 125, 3450, 125] });
    expect(a.classId).toBe('Lymphocyte');
    // Packed as a whole store packs an image of 50,000 outlines: ⌈50,000 / 8,192⌉ = 7 packs.
    expect(await db.countFromIndex('annotationPacks', 'projectId', result.projectId)).toBe(7);
    // Every record as the whole-text reader builds it (the path a small file takes).
    const whole = readGeoJsonText(await file.text(), file.name, { now: NOW });
    if (!whole.ok) throw new Error('whole read failed');
    expectSameProject(stored, whole.data);
    // Progress: both rounds reached the file's end, and the second stored every record.
    expect(progress.filter((p) => p.phase === 'checking').at(-1)).toEqual({ phase: 'checking', bytes: file.size, totalBytes: file.size, records: 50_000 });
    expect(progress.filter((p) => p.phase === 'storing').at(-1)).toEqual({ phase: 'storing', bytes: file.size, totalBytes: file.size, records: 50_000 });
    db.close();
  });

});

describe('a streamed import is all or nothing (small packs: many batches from a small file)', () => {
  useSmallPacks();
  // A batch is four packs: a few thousand features are many batches.
  const FEATURES = 60 * PACK_SIZE;

  it('refuses the file, storing nothing, when a feature near the end is bad, and says where', async () => {
    const db = await openGranulaDb('stream-import-bad');
    const file = geoJsonFile(FEATURES, 'bad.geojson', (i, f) => (i === FEATURES - 10 ? { ...f, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] } } : f));
    const result = await importGeoJsonStream(db, file, { existing: new Set(), now: NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0].path).toBe(`features[${FEATURES - 10}].geometry.coordinates[0]`);
    expect(await db.count('records')).toBe(0);
    expect(await db.count('annotationPacks')).toBe(0);
    db.close();
  });

  it('leaves nothing when a duplicate id turns up while storing (after batches were stored)', async () => {
    const db = await openGranulaDb('stream-import-dup');
    const file = geoJsonFile(FEATURES, 'dup.geojson', (i, f) => (i === FEATURES - 10 ? qupathCell(5) : f));
    const result = await importGeoJsonStream(db, file, { existing: new Set(), now: NOW });
    expect(result).toEqual({ ok: false, problems: [{ path: `features[${FEATURES - 10}].id`, message: 'duplicate id "00000000-0000-4000-8000-000000000005"' }] });
    expect(await db.count('records')).toBe(0);
    expect(await db.count('annotationPacks')).toBe(0);
    db.close();
  });

  it('a cancel while storing leaves nothing, and says so', async () => {
    const db = await openGranulaDb('stream-import-cancel');
    const file = geoJsonFile(FEATURES);
    const abort = new AbortController();
    const result = await importGeoJsonStream(db, file, {
      existing: new Set(),
      now: NOW,
      signal: abort.signal,
      onProgress: (p) => void (p.phase === 'storing' && p.records > FEATURES / 2 && abort.abort()),
    });
    expect(result).toEqual({ ok: false, cancelled: true, problems: [{ path: '(import)', message: 'was cancelled; nothing was kept' }] });
    expect(await db.count('records')).toBe(0);
    expect(await db.count('annotationPacks')).toBe(0);
    db.close();
  });

  it('an import cut short (the tab closed) is cleared at the next start, unless its tab still runs it', async () => {
    const db = await openGranulaDb('stream-import-cut');
    const abort = new AbortController();
    let under: string[] = [];
    // Where things stand mid-import, as a tab closing then would leave them: no code runs after.
    const result = await importGeoJsonStream(db, geoJsonFile(FEATURES), {
      existing: new Set(),
      now: NOW,
      lock: 'tab-1',
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase !== 'storing' || p.records < FEATURES / 2 || abort.signal.aborted) return;
        void db.getAllKeys('meta').then((keys) => (under = keys));
        abort.abort();
      },
    });
    expect(result.ok).toBe(false);
    expect(under).toEqual([expect.stringMatching(/^importing:prj_/)]);
    // The same leftovers made by hand: rows and packs of a project without its project row, and the mark.
    for (const [pid, lock] of [['prj_cut', 'tab-gone'], ['prj_running', 'tab-2']]) {
      await setMeta(db, `importing:${pid}`, lock);
      const list = Array.from({ length: 3 * PACK_SIZE }, (_, i) => ({ ...cell(i, 'slide'), projectId: pid }));
      await appendToProject(db, pid, [{ kind: 'annotation', value: { ...cell(9999, 'small'), projectId: pid } }], packRows(pid, 'slide', list));
    }
    const swept = await sweepUnfinishedImports(db, async (lock) => lock === 'tab-2');
    expect(swept).toEqual(['prj_cut']);
    expect(await db.countFromIndex('records', 'projectId', 'prj_cut')).toBe(0);
    expect(await db.countFromIndex('annotationPacks', 'projectId', 'prj_cut')).toBe(0);
    expect(await db.countFromIndex('annotationPacks', 'projectId', 'prj_running')).toBe(3);
    expect(await db.getAllKeys('meta')).toEqual(['importing:prj_running']);
    db.close();
  });

  it('a full disk part-way leaves nothing and says the storage is full', async () => {
    const db = await openGranulaDb('stream-import-quota');
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'annotationPacks' && ++puts > 4) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    } as IDBObjectStore['put'];
    try {
      const result = await importGeoJsonStream(db, geoJsonFile(FEATURES), { existing: new Set(), now: NOW });
      expect(result).toEqual({ ok: false, problems: [{ path: '(storage)', message: 'is full: the browser has no room for this project; nothing was kept' }] });
    } finally {
      IDBObjectStore.prototype.put = realPut;
    }
    expect(await db.count('records')).toBe(0);
    expect(await db.count('annotationPacks')).toBe(0);
    db.close();
  });

  it('imports the same file twice as two projects, the second renamed', async () => {
    const db = await openGranulaDb('stream-import-twice');
    const first = await importGeoJsonStream(db, geoJsonFile(10), { existing: new Set(), now: NOW });
    if (!first.ok) throw new Error('first import failed');
    const second = await importGeoJsonStream(db, geoJsonFile(10), { existing: new Set([first.projectId]), now: NOW });
    expect(second).toMatchObject({ ok: true, name: 'slide-1 (imported 2026-03-01)', annotations: 10 });
    expect((await listProjects(db)).map((p) => p.name).sort()).toEqual(['slide-1', 'slide-1 (imported 2026-03-01)']);
    db.close();
  });

  it("reads Granula's own fields even when they come after the features", async () => {
    const db = await openGranulaDb('stream-import-late');
    const { files } = writeGeoJson(sampleProjectData('pathology-cells', { images: 1 }), { exportedAt: NOW });
    const { granula, ...collection } = files[0].collection;
    // The same document with its members in another order: JSON objects are unordered.
    const text = JSON.stringify({ ...collection, granula });
    expect(text.indexOf('"granula":{"version"')).toBeGreaterThan(text.indexOf('"features"'));
    const result = await importGeoJsonStream(db, new File([text], files[0].name), { existing: new Set(), now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const whole = readGeoJsonText(JSON.stringify(files[0].collection), files[0].name, { now: NOW });
    if (!whole.ok) throw new Error('whole read failed');
    expectSameProject((await loadProject(db, result.projectId))!, whole.data);
    db.close();
  });

  it('knows a GeoJSON file from its first bytes, and a shared or COCO file as not one', async () => {
    expect(await streamedFormat(geoJsonFile(3))).toBe(true);
    expect(await streamedFormat(new File(['[{"type":"Feature","geometry":null,"properties":{}}]'], 'cells.json'))).toBe(true);
    expect(await streamedFormat(new File(['{"format":"granula-shared","version":3,"annotations":[]}'], 'p.json'))).toBe(false);
    expect(await streamedFormat(new File(['{"images":[],"annotations":[],"categories":[]}'], 'coco.json'))).toBe(false);
  });
});
