import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedJson, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import { isUuid } from '../interchange/ids';
import { sampleProjectData, type SampleTemplate } from '../testData';
import { readGeoJson, readGeoJsonText } from './read';
import type { GeoCollection } from './types';
import { writeGeoJson } from './write';

const NOW = '2026-03-01T00:00:00.000Z';
const TEMPLATES: SampleTemplate[] = ['pathology-cells', 'endoscopy-lesions', 'fundus-diagnosis'];

function collection(template: SampleTemplate, images = 1): GeoCollection {
  return JSON.parse(JSON.stringify(writeGeoJson(sampleProjectData(template, { images }), { exportedAt: NOW }).files[0].collection));
}

function withoutGranula(c: GeoCollection): Record<string, unknown> {
  const plain = structuredClone(c) as unknown as { granula?: unknown; features: { properties: Record<string, unknown> }[] };
  delete plain.granula;
  for (const f of plain.features) delete f.properties.granula;
  return plain;
}

function fixture(name: string): string {
  return readFileSync(`tests/fixtures/formats/${name}`, 'utf8');
}

describe('QuPath GeoJSON writer', () => {
  it('writes one FeatureCollection per image, named after it', () => {
    const { files } = writeGeoJson(sampleProjectData('pathology-cells'), { exportedAt: NOW });
    expect(files.map((f) => f.name)).toEqual(['slide-001.geojson', 'slide-002.geojson']);
    expect(files.map((f) => f.collection.features.length)).toEqual([8, 8]);
  });

  it('gives every feature a UUID, an object type and a classification with its colour', () => {
    for (const template of TEMPLATES) {
      for (const f of collection(template).features) {
        expect(isUuid(f.id)).toBe(true);
        expect(f.properties.classification!.color).toHaveLength(3);
        expect(typeof (f.properties.classification as { name: string }).name).toBe('string');
      }
    }
    const [cell, , , region] = collection('pathology-cells').features;
    expect(cell.properties).toMatchObject({ objectType: 'detection', classification: { name: 'Tumour cell', color: [214, 39, 40] } });
    expect(region.properties).toMatchObject({ objectType: 'annotation', classification: { name: 'Tumour region', color: [255, 127, 14] } });
  });

  it('closes every ring and writes holes as inner rings, in full-resolution pixels', () => {
    const region = collection('pathology-cells').features[3];
    expect(region.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [[800, 900], [1400, 900], [1400, 1600], [800, 1600], [800, 900]],
        [[1000, 1000], [1100, 1000], [1100, 1100], [1000, 1100], [1000, 1000]],
      ],
    });
    for (const f of collection('endoscopy-lesions').features) {
      const ring = (f.geometry.coordinates as number[][][])[0];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
  });

  it('writes a point as a Point and an image-level label as a rectangle over the image', () => {
    const data = sampleProjectData('pathology-cells', { images: 1 });
    data.annotations[0].geometry = { type: 'point', x: 5.5, y: 6 };
    expect(writeGeoJson(data).files[0].collection.features[0].geometry).toEqual({ type: 'Point', coordinates: [5.5, 6] });
    expect(collection('fundus-diagnosis').features[0].geometry).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [2048, 0], [2048, 1536], [0, 1536], [0, 0]]] });
  });
});

describe('QuPath GeoJSON round trip', () => {
  it.each(TEMPLATES)('Granula → GeoJSON → Granula loses nothing for one image (%s)', (template) => {
    const data = sampleProjectData(template, { images: 1 });
    const result = readGeoJsonText(JSON.stringify(writeGeoJson(data, { exportedAt: NOW }).files[0].collection), 'x.geojson', { now: NOW });
    expect(result.ok && result.warnings).toEqual([]);
    expect(result.ok && result.data).toEqual(data);
  });

  it('each file of a several-image project holds that image and its annotations', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const files = writeGeoJson(data, { exportedAt: NOW }).files;
    const second = readGeoJson(files[1].collection, files[1].name, { now: NOW });
    expect(second.ok && second.data.images.map((im) => im.id)).toEqual(['img_2']);
    expect(second.ok && second.data.annotations).toEqual(data.annotations.filter((a) => a.imageId === 'img_2'));
  });

  it('without Granula fields: shapes, class names, colours and kinds are kept; boxes become polygons', () => {
    const result = readGeoJson(withoutGranula(collection('pathology-cells')), 'slide-001.geojson', { now: NOW, image: { name: 'slide-001.svs', width: 40_000, height: 30_000 } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { data } = result;
    expect(data.images.map((im) => [im.name, im.width, im.height])).toEqual([['slide-001.svs', 40_000, 30_000]]);
    expect(data.annotators.map((a) => a.id)).toEqual(['slide-001']);
    expect(data.schemas[0].classes.map((c) => [c.name.en, c.color, c.objectKind])).toEqual([
      ['Tumour cell', '#d62728', 'cell'],
      ['Lymphocyte', '#1f77b4', 'cell'],
      ['Tumour region', '#ff7f0e', 'region'],
    ]);
    const original = sampleProjectData('pathology-cells', { images: 1 }).annotations;
    expect(data.annotations.map((a) => a.geometry)).toEqual(original.map((a) => a.geometry));
    const boxes = readGeoJson(withoutGranula(collection('endoscopy-lesions')), 'f.geojson', { now: NOW });
    expect(boxes.ok && boxes.data.annotations[0].geometry).toEqual({ type: 'polygon', points: [320, 240, 500.5, 240, 500.5, 390, 320, 390] });
  });

  it('without an image size, takes it from the shapes and says so', () => {
    const result = readGeoJson(withoutGranula(collection('endoscopy-lesions')), 'frame-001.geojson', { now: NOW });
    expect(result.ok && result.data.images.map((im) => [im.name, im.width, im.height])).toEqual([['frame-001', 790, 622]]);
    expect(result.ok && result.warnings).toEqual([{ path: '(file)', message: "GeoJSON does not give the image size: took 790 × 622 from the shapes' extent" }]);
  });
});

describe("QuPath's own exports", () => {
  it('0.4 and later: holes, detections, a MultiPolygon kept whole, MultiPoint, a line as a length line, unclassified objects', () => {
    const result = readGeoJsonText(fixture('qupath-0.4-collection.geojson'), 'qupath-0.4-collection.geojson', { now: NOW, image: { width: 4000, height: 3000 } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { data, warnings } = result;
    expect(data.schemas[0].classes.map((c) => [c.id, c.color, c.objectKind ?? null])).toEqual([
      ['Tumor', '#c80000', 'region'],
      ['Stroma', '#009600', 'region'],
      ['Lymphocyte', '#0000ff', 'region'],
      ['Unclassified', '#7f7f7f', 'region'],
    ]);
    expect(data.annotations.map((a) => [a.classId, a.geometry?.type, a.carried?.parts?.length ?? 0])).toEqual([
      ['Tumor', 'polygon', 0],
      ['Tumor', 'polygon', 0],
      ['Stroma', 'polygon', 1],
      ['Lymphocyte', 'point', 0],
      ['Lymphocyte', 'point', 0],
      ['Unclassified', 'line', 0],
      ['Unclassified', 'polygon', 0],
    ]);
    // QuPath's line annotation (a two-point LineString) is a length line.
    expect(data.annotations[5].geometry).toEqual({ type: 'line', points: [0, 0, 100, 100] });
    expect(data.annotations[0]).toMatchObject({
      note: 'Invasive front',
      geometry: { type: 'polygon', points: [1000, 1000, 1600, 1000, 1600, 1500, 1000, 1500], holes: [[1200, 1200, 1300, 1200, 1300, 1300, 1200, 1300]] },
    });
    expect(warnings).toEqual([]);
  });

  it('0.2: a bare list of features, the Java class as id, colorRGB, measurements as a list', () => {
    const result = readGeoJsonText(fixture('qupath-0.2-array.json'), 'qupath-0.2-array.json', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.data.schemas[0].classes.map((c) => [c.id, c.color, c.objectKind])).toEqual([
      ['Tumor', '#c80000', 'region'],
      ['Immune cells', '#9999ff', 'cell'],
    ]);
    expect(result.data.annotations.map((a) => a.classId)).toEqual(['Tumor', 'Immune cells', 'Tumor']);
  });

  it('a classification as a plain string, object_type instead of objectType, a point', () => {
    const result = readGeoJsonText(fixture('qupath-string-classification.json'), 'slide.json', { now: NOW, image: { width: 100, height: 100 } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.data.schemas[0].classes.map((c) => [c.id, c.objectKind])).toEqual([['Necrosis', 'region'], ['Mitosis', 'cell']]);
    expect(result.data.annotations[1].geometry).toEqual({ type: 'point', x: 33.5, y: 20.25 });
  });

  it('a single Feature with its classification beside the properties', () => {
    const result = readGeoJsonText(fixture('qupath-single-feature.geojson'), 'roi.geojson', { now: NOW, image: { name: 'case-7.ndpi', width: 100, height: 100 } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.data.images[0].name).toBe('case-7.ndpi');
    expect(result.data.annotations.map((a) => [a.classId, a.geometry])).toEqual([['Tumor', { type: 'polygon', points: [0, 0, 80, 0, 80, 60, 0, 60] }]]);
  });
});

describe('GeoJSON reader refuses bad files, saying where', () => {
  const square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
  const feature = (geometry: unknown, properties: unknown = { objectType: 'annotation', classification: { name: 'Tumor', color: [1, 2, 3] } }) => ({ type: 'Feature', geometry, properties });

  function problems(value: unknown): string[] {
    const r = readGeoJson(value, 'x.geojson', { now: NOW, image: { width: 100, height: 100 } });
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  }

  it('a coordinate that is not a finite number, at its feature, ring, position and axis', () => {
    const bad = square.map((p) => [...p]) as unknown[][];
    bad.splice(5, 0, ['12', 3]);
    const features = [feature({ type: 'Polygon', coordinates: [square] }), feature({ type: 'Polygon', coordinates: [square] }), feature({ type: 'Polygon', coordinates: [square] }), feature({ type: 'Polygon', coordinates: [bad] })];
    expect(problems({ type: 'FeatureCollection', features })).toEqual(['features[3].geometry.coordinates[0][5][0]: coordinate must be a finite number']);
  });

  it('a ring of fewer than 3 points, an unknown geometry type, a missing geometry', () => {
    const features = [feature({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] }), feature({ type: 'Circle', coordinates: [] }), feature(null)];
    expect(problems({ type: 'FeatureCollection', features })).toEqual([
      'features[0].geometry.coordinates[0]: ring needs at least 3 points',
      'features[1].geometry.type: unknown geometry type "Circle"',
      'features[2].geometry: is missing: Granula needs a shape',
    ]);
  });

  it('not GeoJSON, a bad classification, a position that is not a pair', () => {
    expect(problems({ type: 'Topology' })).toEqual(['type: expected a GeoJSON "FeatureCollection", a "Feature", a geometry or a list of features']);
    expect(problems([feature({ type: 'Point', coordinates: [1] }, { classification: 7 })])).toEqual([
      '[0].properties.classification: must be a class name or {"name", "color"}',
      '[0].geometry.coordinates: must be a position [x, y]',
    ]);
  });

  it('duplicate Granula ids', () => {
    const c = collection('endoscopy-lesions');
    c.features[1].properties.granula.id = c.features[0].properties.granula.id;
    expect(problems(c)).toEqual([`features[1].properties.granula.id: duplicate id "${c.features[0].properties.granula.id}"`]);
  });
});

describe('GeoJSON reader never throws', () => {
  it.each([
    ['with Granula fields', () => collection('pathology-cells')],
    ['from QuPath 0.4', () => JSON.parse(fixture('qupath-0.4-collection.geojson'))],
    ['from QuPath 0.2', () => JSON.parse(fixture('qupath-0.2-array.json'))],
  ])('mutated files %s give valid data or located problems', (_, base) => {
    fc.assert(
      fc.property(mutatedJson(base()), (value) => {
        expect(brokenPromise(readGeoJson(value, 'm.geojson', { now: NOW }))).toBeNull();
        expect(brokenPromise(readGeoJsonText(JSON.stringify(value) ?? '', 'm.geojson', { now: NOW }))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });
});
