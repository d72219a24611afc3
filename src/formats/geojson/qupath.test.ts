// QuPath's own GeoJSON, built here field by field as QuPath writes it: the object writer of QuPath
// 0.4/0.5 (qupath-core, PathObjectTypeAdapters / QuPathTypeAdapters: `type`, `id` (a UUID),
// `geometry`, then `properties` with `objectType`, `name`, `color` [r, g, b], `classification`
// {name | names, color}, `isLocked` only when locked, `measurements` {name: value}, `metadata`), and
// the export described in QuPath's documentation ("Exporting annotations → GeoJSON",
// qupath.readthedocs.io/en/stable/docs/advanced/exporting_annotations.html). Before 0.4 a class was
// Gson's default form: {name, colorRGB, parentClass}.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedJson, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import { readAnyFormat } from '../detect';
import { readGeoJson } from './read';
import { geoJsonFileChunks } from './stream';
import type { GeoCollection } from './types';
import { writeGeoJson } from './write';

const NOW = '2026-03-01T00:00:00.000Z';
const IMAGE = { name: 'case-12.svs', width: 40_000, height: 30_000 };

const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

/** A QuPath 0.5 export of four objects, as its writer lays them out. */
function qupathExport() {
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: '6c8e0f3a-1b2d-4e5f-8a9b-0c1d2e3f4a5b',
        // One annotation in two pieces, the second with a hole: a MultiPolygon.
        geometry: { type: 'MultiPolygon', coordinates: [[square(1000, 1000, 400)], [square(2000, 2000, 300), square(2100, 2100, 50)]] },
        properties: {
          objectType: 'annotation',
          name: 'Invasive front',
          color: [10, 20, 30],
          classification: { names: ['Tumor', 'Positive'], color: [200, 0, 0] },
          isLocked: true,
          measurements: { 'Area µm^2': 62_127.5, 'Num Detections': 3 },
        },
      },
      {
        type: 'Feature',
        id: '7d9f1a4b-2c3e-4f60-9bac-1d2e3f4a5b6c',
        geometry: { type: 'Polygon', coordinates: [[[1010.5, 1020.25], [1022, 1018], [1026, 1030], [1012, 1034], [1010.5, 1020.25]]] },
        properties: {
          objectType: 'cell',
          classification: { name: 'Lymphocyte', color: [0, 0, 255] },
          measurements: { 'Nucleus: Area': 41.2, 'Nucleus: Hematoxylin OD mean': 0.61 },
          metadata: { source: 'cell detection' },
        },
      },
      {
        type: 'Feature',
        id: '8e0a2b5c-3d4f-4061-acbd-2e3f4a5b6c7d',
        geometry: { type: 'Polygon', coordinates: [square(5000, 5000, 100)] },
        // An unclassified annotation: QuPath writes no classification at all.
        properties: { objectType: 'annotation' },
      },
      {
        type: 'Feature',
        id: '9f1b3c6d-4e50-4172-bdce-3f4a5b6c7d8e',
        geometry: { type: 'Point', coordinates: [7000.5, 7100.25] },
        properties: { objectType: 'annotation', classification: { name: 'Mitosis', color: [255, 200, 0] } },
      },
    ],
  };
}

function read(value: unknown, name = 'case-12.geojson') {
  const r = readGeoJson(value, name, { now: NOW, image: IMAGE });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
}

/** What QuPath would see: each feature without Granula's own block. */
function asQuPathSees(c: GeoCollection): unknown[] {
  return c.features.map((f) => {
    const { granula: _g, ...properties } = f.properties;
    return { ...f, properties };
  });
}

describe('QuPath identity', () => {
  it("keeps each feature's UUID as the annotation id, so reading the file again gives the same ids", () => {
    const first = read(qupathExport()).data.annotations.map((a) => a.id);
    expect(first).toEqual(['6c8e0f3a-1b2d-4e5f-8a9b-0c1d2e3f4a5b', '7d9f1a4b-2c3e-4f60-9bac-1d2e3f4a5b6c', '8e0a2b5c-3d4f-4061-acbd-2e3f4a5b6c7d', '9f1b3c6d-4e50-4172-bdce-3f4a5b6c7d8e']);
    expect(read(qupathExport()).data.annotations.map((a) => a.id)).toEqual(first);
  });

  it('without UUIDs (QuPath 0.2 wrote the Java class name as id), ids come from what each feature says: stable, and only an edited feature changes', () => {
    // As QuPath 0.2 wrote it: a bare list, `id` is the object's Java class.
    const v02 = () => [
      { type: 'Feature', id: 'PathAnnotationObject', geometry: { type: 'Polygon', coordinates: [square(0, 0, 10)] }, properties: { classification: { name: 'Tumor', colorRGB: -3670016 }, isLocked: false } },
      { type: 'Feature', id: 'PathAnnotationObject', geometry: { type: 'Polygon', coordinates: [square(20, 0, 10)] }, properties: { classification: { name: 'Tumor', colorRGB: -3670016 }, isLocked: false } },
    ];
    const ids = read(v02(), 'reader-a.json').data.annotations.map((a) => a.id);
    expect(read(v02(), 'reader-a.json').data.annotations.map((a) => a.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(2);
    const edited = v02();
    edited[1].geometry.coordinates = [square(30, 0, 10)];
    const after = read(edited, 'reader-a.json').data.annotations.map((a) => a.id);
    expect([after[0] === ids[0], after[1] === ids[1]]).toEqual([true, false]);
    // Two readers' files holding the same shape do not share an id: who drew it is part of it.
    expect(read(v02(), 'reader-b.json').data.annotations[0].id).not.toBe(ids[0]);
  });

  it('a UUID twice in one file is refused at the second feature', () => {
    const file = qupathExport();
    file.features[1].id = file.features[0].id;
    const r = readGeoJson(file, 'x.geojson', { now: NOW, image: IMAGE });
    expect(!r.ok && r.problems).toEqual([{ path: 'features[1].id', message: 'duplicate id "6c8e0f3a-1b2d-4e5f-8a9b-0c1d2e3f4a5b"' }]);
  });
});

describe('QuPath → Granula → QuPath', () => {
  it('writes back every object as QuPath wrote it: id, type, name, colour, lock, derived class, measurements, metadata, no class, one MultiPolygon', () => {
    const { data, warnings } = read(qupathExport());
    expect(warnings).toEqual([]);
    const out = writeGeoJson(data, { exportedAt: NOW });
    expect(out.warnings).toEqual([]);
    expect(asQuPathSees(out.files[0].collection)).toEqual(qupathExport().features);
  });

  it('reads the pieces as Granula holds them: one annotation per object, its further polygons carried beside it', () => {
    const [islands, cell, unclassified, point] = read(qupathExport()).data.annotations;
    expect(islands).toMatchObject({
      classId: 'Tumor: Positive',
      note: 'Invasive front',
      geometry: { type: 'polygon', points: [1000, 1000, 1400, 1000, 1400, 1400, 1000, 1400] },
      carried: {
        parts: [[[2000, 2000, 2300, 2000, 2300, 2300, 2000, 2300], [2100, 2100, 2150, 2100, 2150, 2150, 2100, 2150]]],
        qupath: { color: '#0a141e', locked: true, measurements: { 'Area µm^2': 62_127.5, 'Num Detections': 3 } },
      },
    });
    expect(cell.carried?.qupath).toMatchObject({ objectType: 'cell', metadata: { source: 'cell detection' } });
    expect([unclassified.classId, unclassified.carried?.qupath?.unclassified]).toEqual(['Unclassified', 'Unclassified']);
    expect(point.carried).toBeUndefined();
  });

  it('a legacy class with its parentClass chain keeps the whole derived name and is written back as QuPath 0.4+ writes it', () => {
    // Gson's default form of a derived class before 0.4: the last name, its parent in parentClass.
    const legacy = {
      type: 'Feature',
      id: 'PathDetectionObject',
      geometry: { type: 'Polygon', coordinates: [square(0, 0, 8)] },
      properties: { classification: { name: 'Positive', colorRGB: -377282, parentClass: { name: 'Tumor', colorRGB: -3670016 } }, isLocked: false, measurements: [] },
    };
    const { data } = read(legacy);
    expect(data.schemas[0].classes.map((c) => [c.id, c.color, c.objectKind])).toEqual([['Tumor: Positive', '#fa3e3e', 'cell']]);
    expect(writeGeoJson(data).files[0].collection.features[0].properties.classification).toEqual({ names: ['Tumor', 'Positive'], color: [250, 62, 62] });
  });

  it('leaves out measurements of a shape edited since QuPath measured it, and says so', () => {
    const { data } = read(qupathExport());
    const cell = data.annotations[1];
    cell.geometry = { type: 'polygon', points: [1010, 1020, 1030, 1020, 1030, 1040] };
    const out = writeGeoJson(data, { exportedAt: NOW });
    const [islands, edited] = out.files[0].collection.features;
    expect(islands.properties.measurements).toEqual({ 'Area µm^2': 62_127.5, 'Num Detections': 3 });
    expect(edited.properties.measurements).toBeUndefined();
    expect(edited.properties.metadata).toEqual({ source: 'cell detection' });
    expect(out.warnings).toEqual(["case-12.geojson: QuPath's measurements of 1 object was left out: the shape was edited after QuPath measured it (QuPath measures again)"]);
  });

  it('an unclassified object is written without a class, and with the class Granula gave it once reclassified', () => {
    const { data } = read(qupathExport());
    expect('classification' in writeGeoJson(data).files[0].collection.features[2].properties).toBe(false);
    data.annotations[2].classId = 'Mitosis';
    const f = writeGeoJson(data).files[0].collection.features[2];
    expect(f.properties.classification).toEqual({ name: 'Mitosis', color: [255, 200, 0] });
  });

  it('Granula → QuPath → Granula keeps the carried fields, and the streamed writer writes the same bytes', () => {
    const { data } = read(qupathExport());
    expect(data.annotations.map((a) => Object.keys(a.carried ?? {}))).toEqual([['parts', 'qupath'], ['qupath'], ['qupath'], []]);
    const whole = writeGeoJson(data, { exportedAt: NOW });
    const text = JSON.stringify(whole.files[0].collection) + '\n';
    const streamed = geoJsonFileChunks(data, { exportedAt: NOW }, 64);
    const decoder = new TextDecoder();
    expect([...streamed.files[0].chunks()].map((c) => decoder.decode(c)).join('')).toBe(text);
    const back = readGeoJson(JSON.parse(text), 'case-12.geojson', { now: NOW });
    expect(back.ok && back.data).toEqual(data);
  });
});

describe('a bare GeoJSON geometry, as QuPath reads one', () => {
  it('is one unclassified annotation; a MultiPolygon stays one with its further part', () => {
    const polygon = read({ type: 'Polygon', coordinates: [square(10, 20, 30)] }, 'roi.json');
    expect(polygon.data.annotations.map((a) => [a.classId, a.geometry])).toEqual([['Unclassified', { type: 'polygon', points: [10, 20, 40, 20, 40, 50, 10, 50] }]]);
    const multi = read({ type: 'MultiPolygon', coordinates: [[square(0, 0, 10)], [square(50, 50, 10)]] }, 'roi.json');
    expect(multi.data.annotations.map((a) => a.carried?.parts)).toEqual([[[[50, 50, 60, 50, 60, 60, 50, 60]]]]);
  });

  it('a list of geometries gives one annotation each; the ids are the same every time the file is read', () => {
    const list = () => [{ type: 'Polygon', coordinates: [square(0, 0, 10)] }, { type: 'Point', coordinates: [5, 6] }];
    const first = read(list(), 'rois.json').data.annotations;
    expect(first.map((a) => a.geometry?.type)).toEqual(['polygon', 'point']);
    expect(read(list(), 'rois.json').data.annotations.map((a) => a.id)).toEqual(first.map((a) => a.id));
  });

  it('is found by its content, and a bad one is refused at its own path', () => {
    const r = readAnyFormat(JSON.stringify({ type: 'Polygon', coordinates: [square(0, 0, 10)] }), 'roi.json', { now: NOW });
    expect([r.ok, r.format]).toEqual([true, 'geojson']);
    const bad = readGeoJson({ type: 'Polygon', coordinates: [[[0, 0], [1, 'x'], [2, 2]]] }, 'roi.json', { now: NOW });
    expect(!bad.ok && bad.problems).toEqual([{ path: 'coordinates[0][1][1]', message: 'coordinate must be a finite number' }]);
  });

  it('mutated QuPath exports and geometries give valid data or located problems, never a throw', () => {
    for (const base of [qupathExport(), { type: 'MultiPolygon', coordinates: [[square(0, 0, 10)], [square(50, 50, 10)]] }]) {
      fc.assert(
        fc.property(mutatedJson(base), (value) => {
          expect(brokenPromise(readGeoJson(value, 'm.geojson', { now: NOW }))).toBeNull();
        }),
        PROPERTY_RUNS,
      );
    }
  });
});
