// What tests/fixtures/storage/layout-v2-packs.json holds, written out so a test can check every
// annotation read from it against what was stored, not against what the loader returns. The
// fixture was made once by the app's own write path (storeProjects for the import, then
// writeChangesMerging for the edits, production pack sizes) and is frozen: change neither this file
// nor the fixture; a new layout gets a new fixture.
import { created, deleted, updated, type RecordChange } from '../../src/model/changes';
import type { ProjectData } from '../../src/model/projectData';
import type { Annotation } from '../../src/model/types';
import { withChanges } from '../../src/storage/testProjects';

const T = '2026-02-01T09:00:00.000Z';
const EDITED = '2026-02-02T10:00:00.000Z';
const PID = 'prj_packed';
/** More than the 4096 that make an image packed (one pack of up to 8192). */
export const SLIDE_CELLS = 4100;

/** Cell i of the slide: polygons mostly, some boxes and points, one with a hole, in tenths of a pixel. */
function slideCell(i: number): Annotation {
  const x = (i % 64) * 40 + 0.5, y = Math.floor(i / 64) * 40 + 0.5;
  const geometry: Annotation['geometry'] =
    i === 7 ? { type: 'polygon', points: [x, y, x + 30, y, x + 30, y + 30, x, y + 30], holes: [[x + 10, y + 10, x + 20, y + 10, x + 20, y + 20]] }
    : i % 97 === 1 ? { type: 'box', x, y, w: 30, h: 20 }
    : i % 89 === 2 ? { type: 'point', x: x + 15, y: y + 15 }
    : { type: 'polygon', points: [x, y, x + 30, y, x + 30.5, y + 25, x, y + 25] };
  return {
    id: `cell_${String(i).padStart(5, '0')}`,
    projectId: PID,
    imageId: 'slide-1',
    classId: i % 3 ? 'tumor-cell' : 'lymphocyte',
    attributes: i % 50 ? {} : { mitosis: true },
    geometry,
    annotatorId: i % 2 ? 'dr-a' : 'dr-b',
    schemaId: 'sch_cells',
    schemaVersion: 1,
    provenance: { kind: 'manual' },
    createdAt: T,
    updatedAt: T,
  };
}

/** The project as it was imported. */
export function packedFixtureImport(): ProjectData {
  const photo = (i: number): Annotation => ({ ...slideCell(i), id: `photo_${i}`, imageId: 'photo-1', geometry: { type: 'box', x: 10 * i, y: 10, w: 5, h: 5 } });
  return {
    project: { id: PID, name: 'Packed slide', description: 'One slide with many cells, and a photograph', schemaId: 'sch_cells', reviewMode: false, optOut: [], exportLog: [], createdAt: T, updatedAt: T },
    schemas: [
      {
        id: 'sch_cells',
        version: 1,
        name: { en: 'Cells', ja: '細胞' },
        purpose: 'Cell outlines',
        granularity: 'polygon',
        selection: 'single',
        classes: ['tumor-cell', 'lymphocyte', 'stroma'].map((id) => ({ id, name: { en: id, ja: id }, color: '#aa3300', attributes: [] })),
        createdAt: T,
      },
    ],
    images: [
      { id: 'slide-1', projectId: PID, name: 'slide-1.svs', modality: 'pathology-wsi', source: { kind: 'synthetic', seed: 3 }, width: 4096, height: 4096, order: 0, addedAt: T },
      { id: 'photo-1', projectId: PID, name: 'photo-1.png', modality: 'other', source: { kind: 'synthetic', seed: 4 }, width: 100, height: 100, order: 1, addedAt: T },
    ],
    annotators: [
      { id: 'dr-a', projectId: PID, displayName: 'Dr A' },
      { id: 'dr-b', projectId: PID, displayName: 'Dr B' },
    ],
    annotations: [...Array.from({ length: SLIDE_CELLS }, (_, i) => slideCell(i)), photo(1), photo(2)],
    statuses: [{ id: 'slide-1~dr-a', projectId: PID, imageId: 'slide-1', annotatorId: 'dr-a', state: 'in-progress', noFinding: false, updatedAt: T }],
    audit: [],
  };
}

/**
 * The edits saved after the import: two packed cells changed, two deleted (rows marked gone), one
 * new cell and one photograph label deleted. Their rows shadow the packs.
 */
export function packedFixtureEdits(data: ProjectData): RecordChange[] {
  const byId = new Map(data.annotations.map((a) => [a.id, a]));
  const a = (id: string) => byId.get(id)!;
  return [
    updated('annotation', a('cell_00003'), { ...a('cell_00003'), classId: 'stroma', updatedAt: EDITED }),
    updated('annotation', a('cell_04099'), { ...a('cell_04099'), geometry: { type: 'point', x: 1.5, y: 2.5 }, uncertain: true, updatedAt: EDITED }),
    deleted('annotation', a('cell_00010')),
    deleted('annotation', a('cell_02000')),
    created('annotation', { ...slideCell(SLIDE_CELLS), createdAt: EDITED, updatedAt: EDITED }),
    deleted('annotation', a('photo_2')),
  ];
}

/** What the fixture's project holds: the import with the edits. */
export function packedFixtureProject(): ProjectData {
  const data = packedFixtureImport();
  return withChanges(data, packedFixtureEdits(data));
}

/** Typed arrays in JSON: `{ "typedArray": "Int16Array", "base64": … }` (little-endian bytes). */
const TYPED = { Uint8Array, Uint16Array, Uint32Array, Int16Array, Int32Array, Float64Array } as const;

export function encodeTyped(_key: string, v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { typedArray: v.constructor.name, base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  return v;
}

export function decodeTyped(_key: string, v: unknown): unknown {
  const t = v as { typedArray?: keyof typeof TYPED; base64?: string } | null;
  if (!t || typeof t !== 'object' || !t.typedArray || typeof t.base64 !== 'string') return v;
  const bytes = Buffer.from(t.base64, 'base64');
  const Type = TYPED[t.typedArray];
  return new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
