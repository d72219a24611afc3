import { describe, expect, it } from 'vitest';
import { readAnyFormat } from './detect';

const NOW = '2026-03-01T00:00:00.000Z';
const EXPECTED =
  'which is none of the lists Granula reads: GeoJSON features or geometries ({"type": "Feature", "geometry", "properties"}), ' +
  'COCO results ({"image_id", "category_id", "bbox" or "segmentation", "score"}) or Label Studio tasks ({"data", "annotations"})';

describe('a JSON list that no reader takes', () => {
  it('gets one message saying what it holds, not one GeoJSON error per item', () => {
    const list = Array.from({ length: 50 }, (_, i) => ({ file: `frame-${i}.jpg`, label: 'polyp', x: i }));
    expect(readAnyFormat(JSON.stringify(list), 'labels.json', { now: NOW })).toEqual({
      ok: false,
      problems: [{ path: '(root)', message: `is a JSON list of 50 objects with keys "file", "label", "x", ${EXPECTED}` }],
    });
  });

  it('says what a list of plain values is', () => {
    expect(readAnyFormat('[1, 2, "three", null]', 'values.json')).toEqual({
      ok: false,
      problems: [{ path: '(root)', message: `is a JSON list of 2 numbers, 1 string, 1 null, ${EXPECTED}` }],
    });
  });

  it('sends each list it knows to its reader, by content', () => {
    const cases: [unknown, string][] = [
      [[{ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: {} }], 'geojson'],
      [[{ type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]]] }], 'geojson'],
      [[{ image_id: 1, category_id: 2, bbox: [1, 2, 3, 4], score: 0.5 }], 'coco'],
      [[{ id: 1, data: { image: 'a.jpg' }, annotations: [] }], 'labelstudio'],
      [[], 'geojson'],
    ];
    for (const [value, format] of cases) {
      const r = readAnyFormat(JSON.stringify(value), 'upload.json', { now: NOW, image: { width: 10, height: 10 } });
      expect([format, r.format, r.ok]).toEqual([format, format, true]);
    }
  });
});
