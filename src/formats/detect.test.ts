import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectJsonFormat, detectTextFormat, readAnyFormat } from './detect';
import { sampleProjectData } from './testData';
import { writeAny } from './writeAny';

const NOW = '2026-03-01T00:00:00.000Z';
const fixture = (name: string) => readFileSync(`tests/fixtures/formats/${name}`, 'utf8');

describe('format detection', () => {
  it('knows each format by its content, whatever the file is called', () => {
    const cases: [string, string][] = [
      [writeAny(sampleProjectData('fundus-diagnosis'), 'shared').files[0].text, 'shared'],
      [writeAny(sampleProjectData('endoscopy-lesions'), 'coco').files[0].text, 'coco'],
      [fixture('coco-foreign.json'), 'coco'],
      [fixture('qupath-0.4-collection.geojson'), 'geojson'],
      [fixture('qupath-0.2-array.json'), 'geojson'],
      [fixture('qupath-single-feature.geojson'), 'geojson'],
      [fixture('labels-excel.csv'), 'csv'],
      [fixture('frames.yolo.txt'), 'yolo'],
    ];
    for (const [text, format] of cases) {
      const r = readAnyFormat(text, 'upload.dat', { now: NOW, image: { width: 4000, height: 3000 } });
      expect([format, r.format, r.ok]).toEqual([format, format, true]);
    }
  });

  it('uses the extension only to break ties', () => {
    expect(detectJsonFormat({}, 'x.geojson')).toBe('geojson');
    expect(detectJsonFormat({}, 'x.json')).toBe('shared');
    expect(detectJsonFormat({ images: [], annotations: [] }, 'x.json')).toBe('coco');
    expect(detectJsonFormat({ images: [], annotations: [], schema: {}, project: {} }, 'x.json')).toBe('shared');
    expect(detectTextFormat('a,b\n1,2\n', 'x.csv')).toBe('csv');
    expect(detectTextFormat('0 0.5 0.5 0.1 0.1\n', 'x.dat')).toBe('yolo');
    expect(detectTextFormat('hello\n', 'x.txt')).toBe('yolo');
    expect(detectTextFormat('hello\n', 'x.md')).toBeUndefined();
  });

  it('names the COCO annotator after the file stem', () => {
    const r = readAnyFormat(fixture('coco-foreign.json'), 'data/reader-a.json');
    expect(r.ok && r.data.annotators.map((a) => a.id)).toEqual(['reader-a']);
  });

  it('reports what it cannot read, with a path', () => {
    expect(readAnyFormat('just some notes', 'notes.md')).toEqual({
      ok: false,
      problems: [{ path: '(file)', message: 'is not a format Granula reads (shared JSON, COCO, GeoJSON, Label Studio JSON, CVAT XML, CSV with image,annotator,label columns, or YOLO text)' }],
    });
    expect(readAnyFormat('{"name": "x"}', 'x.json')).toEqual({ ok: false, format: 'shared', problems: [{ path: 'format', message: 'expected "granula-shared"' }] });
    expect(readAnyFormat('image,label\na,b\n', 'x.csv')).toEqual({ ok: false, format: 'csv', problems: [{ path: 'row 1', message: 'missing column "annotator" (the header needs image,annotator,label)' }] });
  });
});

describe('writeAny → readAnyFormat', () => {
  it('the shared format keeps everything', () => {
    const data = sampleProjectData('pathology-cells');
    const r = readAnyFormat(writeAny(data, 'shared', { exportedAt: NOW }).files[0].text, 'p.json');
    expect(r.ok && r.data).toEqual(data);
  });

  it('COCO keeps everything, in one file', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const out = writeAny(data, 'coco', { exportedAt: NOW });
    expect(out.files.map((f) => f.name)).toEqual(['Sample endoscopy-lesions.coco.json']);
    const r = readAnyFormat(out.files[0].text, out.files[0].name);
    expect(r.ok && r.data).toEqual(data);
  });

  it('GeoJSON writes a file per image; each reads back as that image', () => {
    const data = sampleProjectData('pathology-cells');
    const out = writeAny(data, 'geojson', { exportedAt: NOW });
    const counts = out.files.map((f) => {
      const r = readAnyFormat(f.text, f.name);
      return r.ok ? r.data.annotations.length : -1;
    });
    expect(counts).toEqual([8, 8]);
  });

  it('CSV and the one-file YOLO form read back as their format', () => {
    const csv = writeAny(sampleProjectData('fundus-diagnosis'), 'csv').files[0];
    expect(readAnyFormat(csv.text, csv.name).format).toBe('csv');
    const yolo = writeAny(sampleProjectData('endoscopy-lesions'), 'yolo', { yoloLayout: 'single' }).files[0];
    const r = readAnyFormat(yolo.text, yolo.name);
    expect([r.format, r.ok && r.data.annotations.length]).toEqual(['yolo', 10]);
  });

  it('file names from the data cannot leave the output folder', () => {
    const data = sampleProjectData('endoscopy-lesions', { images: 1 });
    data.images[0].name = '../../etc/passwd';
    data.annotators[0].id = '..';
    data.project.name = 'a/../../b';
    for (const format of ['shared', 'coco', 'geojson', 'csv', 'yolo'] as const) {
      for (const f of writeAny(data, format).files) expect(f.name.split('/').every((part) => part !== '..' && part !== '')).toBe(true);
    }
  });
});
