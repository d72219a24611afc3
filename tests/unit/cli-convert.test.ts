import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnyFormat } from '../../src/formats/detect';
import { sampleProjectData } from '../../src/formats/testData';
import { writeAny } from '../../src/formats/writeAny';

const dir = mkdtempSync(join(tmpdir(), 'granula-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function granula(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/granula.mjs', ...args], { cwd: process.cwd() }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function input(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const NOW = '2026-03-01T00:00:00.000Z';

describe('granula convert', { timeout: 60_000 }, () => {
  it('shared → COCO: exit 0, one summary line, a file that reads back whole', async () => {
    const data = sampleProjectData('endoscopy-lesions');
    const src = input('project.json', writeAny(data, 'shared', { exportedAt: NOW }).files[0].text);
    const out = join(dir, 'project.coco.json');
    const r = await granula('convert', src, '--to', 'coco', '-o', out);
    expect(r).toEqual({ code: 0, stdout: `${src} (shared) → ${out} (coco): 2 images, 2 annotators, 10 annotations\n`, stderr: '' });
    const back = readAnyFormat(readFileSync(out, 'utf8'), 'project.coco.json');
    expect(back.ok && back.data).toEqual(data);
  });

  it('COCO → GeoJSON into a folder: one file per image; what GeoJSON cannot say goes to stderr', async () => {
    const src = input('reader-a.json', readFileSync('tests/fixtures/formats/coco-foreign.json', 'utf8'));
    const out = join(dir, 'geojson');
    const r = await granula('convert', src, '--to=geojson', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${src} (coco) → ${out} (geojson, 2 files): 2 images, 1 annotators, 5 annotations\n`);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'warning: annotations[3].segmentation: an RLE mask is not read; its bbox was kept as a box',
      'warning: annotations[1].segmentation: 2 polygons became 2 annotations (a Granula polygon has one outline)',
    ]);
    expect(readdirSync(out).sort()).toEqual(['frame-0007.geojson', 'frame-0008.geojson']);
  });

  it('to YOLO: a folder when OUT has no extension, one text with "# image:" blocks otherwise', async () => {
    const src = input('frames.json', writeAny(sampleProjectData('endoscopy-lesions', { annotators: ['r'] }), 'shared').files[0].text);
    expect((await granula('convert', src, '--to', 'yolo', '-o', join(dir, 'yolo'))).code).toBe(0);
    expect(readdirSync(join(dir, 'yolo')).sort()).toEqual(['classes.txt', 'frame-001.txt', 'frame-002.txt']);
    const single = join(dir, 'frames.txt');
    expect((await granula('convert', src, '--to', 'yolo', '-o', single)).code).toBe(0);
    expect(readFileSync(single, 'utf8').split('\n').slice(0, 5)).toEqual(['# granula-yolo 1', '# class 0: Polyp', '# class 1: Suspected cancer', '# class 2: Other lesion', '# image: frame-001.jpg']);
  });

  it('CSV → shared gives a document that granula validate accepts', async () => {
    const src = input('labels.csv', readFileSync('tests/fixtures/formats/labels-excel.csv', 'utf8'));
    const out = join(dir, 'labels.granula.json');
    const r = await granula('convert', src, '--to', 'shared', '-o', out);
    expect([r.code, r.stdout]).toEqual([0, `${src} (csv) → ${out} (shared): 3 images, 2 annotators, 5 annotations\n`]);
    const v = await granula('validate', out);
    expect(v.code).toBe(0);
  });

  it('bad input: exit 1, one "path: message" line per problem, nothing written', async () => {
    const coco = JSON.parse(readFileSync('tests/fixtures/formats/coco-foreign.json', 'utf8'));
    coco.annotations[0].segmentation = [[0, 0, 1, 1, 0, 0]];
    coco.annotations[2].image_id = 99;
    const src = input('broken.json', JSON.stringify(coco));
    const out = join(dir, 'broken.geojson');
    const r = await granula('convert', src, '--to', 'geojson', '-o', out);
    expect(r).toEqual({ code: 1, stdout: 'annotations[0].segmentation[0]: ring needs at least 3 points\nannotations[2].image_id: unknown image id 99\n', stderr: '' });
    expect(existsSync(out)).toBe(false);
    const missing = await granula('convert', join(dir, 'nope.json'), '--to', 'coco', '-o', join(dir, 'x.json'));
    expect(missing).toEqual({ code: 1, stdout: `${join(dir, 'nope.json')}: cannot read: ENOENT\n`, stderr: '' });
  });

  it('usage errors exit 2', async () => {
    const src = input('two-images.json', writeAny(sampleProjectData('pathology-cells'), 'shared').files[0].text);
    const cases: [string[], string][] = [
      [['convert', src, '-o', join(dir, 'a.json')], 'granula convert: missing --to FORMAT'],
      [['convert', src, '--to', 'dicom', '-o', join(dir, 'a.json')], 'granula convert: unknown format "dicom" (use shared, coco, geojson, csv, yolo)'],
      [['convert', src, src, '--to', 'coco', '-o', join(dir, 'a.json')], 'granula convert: expected one input file, got 2'],
      [['convert', src, '--to', 'coco', '-o', src], `granula convert: OUT is the input file; write to another path so ${src} is kept`],
      [['convert', src, '--to', 'geojson', '-o', join(dir, 'one.geojson')], 'granula convert: geojson writes one file per image (2 files): give a folder as OUT (a path without extension)'],
    ];
    for (const [args, message] of cases) {
      const r = await granula(...args);
      expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([2, '', message]);
    }
  });
});
