// What each interchange format does with length lines (geometry `line`, two points): GeoJSON and
// CSV keep them (a LineString as QuPath writes its line annotations; a `line` row), COCO and YOLO
// have no line and leave them out, saying how many.
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../model/types';
import { writeCoco } from '../coco/write';
import { readCsvText } from '../csv/read';
import { writeCsv } from '../csv/write';
import { readGeoJson, readGeoJsonText } from '../geojson/read';
import { writeGeoJson } from '../geojson/write';
import { sampleProjectData } from '../testData';
import { writeYolo } from '../yolo/write';

const NOW = '2026-03-01T00:00:00.000Z';

function withLines() {
  const data = sampleProjectData('pathology-cells', { images: 1 });
  const first = data.annotations[0];
  const line = (id: string, points: number[]): Annotation => ({ ...first, id, note: undefined, uncertain: undefined, geometry: { type: 'line', points } });
  data.annotations.push(line('len_1', [1000.25, 1200.5, 1030, 1240]), line('len_2', [800, 900, 1400.5, 900]));
  for (const a of data.annotations) for (const k of Object.keys(a) as (keyof Annotation)[]) if (a[k] === undefined) delete a[k];
  return data;
}

describe('length lines in the interchange formats', () => {
  it('GeoJSON: written as a two-position LineString, read back unchanged', () => {
    const data = withLines();
    const { files, warnings } = writeGeoJson(data, { exportedAt: NOW });
    expect(warnings).toEqual([]);
    const features = files[0].collection.features;
    expect(features.filter((f) => f.geometry.type === 'LineString').map((f) => f.geometry.coordinates)).toEqual([
      [[1000.25, 1200.5], [1030, 1240]],
      [[800, 900], [1400.5, 900]],
    ]);
    const back = readGeoJsonText(JSON.stringify(files[0].collection), files[0].name, { now: NOW });
    expect(back.ok && back.warnings).toEqual([]);
    expect(back.ok && back.data).toEqual(data);
  });

  it('GeoJSON from elsewhere: each two-point line of a MultiLineString is a length line; a polyline is left out with a warning', () => {
    const feature = (geometry: unknown) => ({ type: 'Feature', geometry, properties: { objectType: 'annotation', classification: { name: 'Tumor', color: [200, 0, 0] } } });
    const r = readGeoJson(
      {
        type: 'FeatureCollection',
        features: [
          feature({ type: 'MultiLineString', coordinates: [[[0, 0], [3, 4]], [[10, 10], [10, 20]]] }),
          feature({ type: 'LineString', coordinates: [[0, 0], [5, 5], [9, 0]] }),
        ],
      },
      'lines.geojson',
      { now: NOW, image: { width: 100, height: 100 } },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.data.annotations.map((a) => a.geometry)).toEqual([
      { type: 'line', points: [0, 0, 3, 4] },
      { type: 'line', points: [10, 10, 10, 20] },
    ]);
    expect(r.warnings).toEqual([{ path: 'features[1].geometry.coordinates', message: 'a line of 3 points is not kept (Granula keeps straight lines of 2 points, length measurements)' }]);
  });

  it('GeoJSON from elsewhere: a line from a point to itself is refused, naming where', () => {
    const r = readGeoJson({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[4, 4], [4, 4]] }, properties: { objectType: 'annotation' } }, 'x.geojson', { now: NOW, image: { width: 10, height: 10 } });
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'geometry.coordinates', message: 'a length line needs two different points' }]);
  });

  it('CSV: a `line` row with its bounding box and the two points, read back as the line', () => {
    const data = withLines();
    const { text } = writeCsv(data);
    const rows = text.split('\r\n').filter((l) => l.includes(',line,'));
    expect(rows).toHaveLength(2);
    // shape, x, y, width, height, points: the box from (800, 900) 600.5 wide and 0 high, then x0 y0 x1 y1.
    expect(rows[1]).toContain(',line,800,900,600.5,0,800 900 1400.5 900');
    const back = readCsvText(text, 'labels.csv', { now: NOW });
    if (!back.ok) throw new Error(JSON.stringify(back.problems));
    expect(back.data.annotations.filter((a) => a.geometry?.type === 'line').map((a) => a.geometry)).toEqual([
      { type: 'line', points: [1000.25, 1200.5, 1030, 1240] },
      { type: 'line', points: [800, 900, 1400.5, 900] },
    ]);
  });

  it('CSV: a line row with three points is refused, naming the cell', () => {
    const text = 'image,annotator,label,shape,x,y,width,height,points\r\na.png,dr-a,Tumor,line,0,0,4,4,0 0 2 2 4 4\r\n';
    const r = readCsvText(text, 'bad.csv', { now: NOW });
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual(['a length line needs exactly 2 points']);
  });

  it('COCO and YOLO: no line shape, so lines are left out and counted in a warning', () => {
    const data = withLines();
    const coco = writeCoco(data, { exportedAt: NOW });
    expect(coco.coco.annotations).toHaveLength(data.annotations.length - 2);
    expect(coco.warnings).toContain('2 length measurements not written: COCO has no line shape. Export the shared format, GeoJSON or CSV to keep them');
    const yolo = writeYolo(data);
    expect(yolo.warnings).toContain('2 length measurements not written (YOLO holds boxes)');
    expect(yolo.files.filter((f) => f.name.startsWith('labels/')).flatMap((f) => f.text.split('\n').filter(Boolean))).toHaveLength(data.annotations.length - 2);
  });
});
