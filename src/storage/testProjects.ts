// Test-only: a project big enough to be packed, with packs small enough for fake-indexeddb.
import { afterAll, beforeAll, expect } from 'vitest';
import type { RecordChange } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import type { Annotation } from '../model/types';
import { PACKING, type openGranulaDb } from './db';
import { storeProjects } from './writes';

const T = '2026-01-01T00:00:00.000Z';

export const PACK_SIZE = 64;
export const PACK_MIN = 40;
export const PACK_FOLD = 16;

/** Small packs keep fake-indexeddb quick; the logic is the same at production sizes. */
export function useSmallPacks(): void {
  const real = { ...PACKING };
  beforeAll(() => Object.assign(PACKING, { size: PACK_SIZE, min: PACK_MIN, fold: PACK_FOLD }));
  afterAll(() => Object.assign(PACKING, real));
}

export function cell(i: number, imageId: string, extra: Partial<Annotation> = {}): Annotation {
  const x = (i % 300) * 30 + 0.25, y = Math.floor(i / 300) * 30 + 0.5;
  return {
    id: `ann_${imageId}_${String(i).padStart(6, '0')}`,
    projectId: 'prj_big',
    imageId,
    classId: i % 3 ? 'tumor-cell' : 'lymphocyte',
    attributes: i % 7 ? {} : { confidence: i / 10 },
    geometry: i % 11 === 5 ? { type: 'box', x, y, w: 12, h: 9 } : i % 13 === 6 ? { type: 'point', x, y } : { type: 'polygon', points: [x, y, x + 10.5, y, x + 10.5, y + 9.75, x, y + 9.75] },
    annotatorId: i % 2 ? 'dr-a' : 'dr-b',
    schemaId: 'sch',
    schemaVersion: 1,
    provenance: { kind: 'import' },
    createdAt: T,
    updatedAt: T,
    ...extra,
  };
}

/** A project with one slide holding more than PACK_SIZE annotations and a small image. */
export function bigProject(count = 2 * PACK_SIZE + 30): ProjectData {
  const slide = Array.from({ length: count }, (_, i) => cell(i, 'slide', i === 9 ? { geometry: { type: 'polygon', points: [0, 0, 100, 0, 100, 100, 0, 100], holes: [[10, 10, 20, 10, 20, 20]] }, note: 'with a hole', uncertain: true } : {}));
  const small = Array.from({ length: 5 }, (_, i) => cell(i, 'small'));
  return {
    project: { id: 'prj_big', name: 'Big slide', description: '', schemaId: 'sch', reviewMode: false, optOut: [], exportLog: [], createdAt: T, updatedAt: T },
    schemas: [{ id: 'sch', version: 1, name: { en: 'S', ja: 'S' }, purpose: '', granularity: 'polygon', selection: 'single', classes: [], createdAt: T }],
    images: [
      { id: 'slide', projectId: 'prj_big', name: 'slide', modality: 'pathology-wsi', source: { kind: 'synthetic', seed: 1 }, width: 100000, height: 80000, order: 0, addedAt: T },
      { id: 'small', projectId: 'prj_big', name: 'small', modality: 'other', source: { kind: 'synthetic', seed: 2 }, width: 100, height: 100, order: 1, addedAt: T },
    ],
    annotators: [
      { id: 'dr-a', projectId: 'prj_big', displayName: 'A' },
      { id: 'dr-b', projectId: 'prj_big', displayName: 'B' },
    ],
    annotations: [...slide, ...small, { ...cell(0, 'small'), id: 'label', geometry: null }],
    statuses: [{ id: 'slide~dr-a', projectId: 'prj_big', imageId: 'slide', annotatorId: 'dr-a', state: 'in-progress', noFinding: false, updatedAt: T }],
    audit: [],
  };
}

/** An import, as the app stores it. */
export const storeImport = (db: Awaited<ReturnType<typeof openGranulaDb>>, data: ProjectData) => storeProjects(db, [{ data, blobs: [] }], { replaceFiles: false });

const byId = (list: readonly Annotation[]) => new Map(list.map((a) => [a.id, a]));

/** The same records; annotations compared by id (packing changes their order). */
export function expectSameProject(actual: ProjectData, expected: ProjectData): void {
  const { annotations: a, ...restA } = actual;
  const { annotations: b, ...restB } = expected;
  expect(restA).toEqual(restB);
  expect(a).toHaveLength(b.length);
  expect(byId(a)).toEqual(byId(b));
}

/** The project with annotation changes applied by hand (a change's `after`, or gone when undefined): what a reload must show. */
export function withChanges(data: ProjectData, changes: readonly RecordChange[]): ProjectData {
  const byId = new Map(data.annotations.map((a) => [a.id, a]));
  for (const c of changes) {
    if (c.kind !== 'annotation') continue;
    if (c.after === undefined) byId.delete(c.id);
    else byId.set(c.id, c.after as Annotation);
  }
  return { ...data, annotations: [...byId.values()] };
}
