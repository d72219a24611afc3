import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnyFormat } from '../../src/formats/detect';
import { sampleProjectData } from '../../src/formats/testData';
import { writeAny } from '../../src/formats/writeAny';
import { jpegBytes, pngBytes } from '../fixtures/formats/images';
import { labelStudioExport, roboflowExport } from '../fixtures/formats/yoloExports';

const dir = mkdtempSync(join(tmpdir(), 'granula-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function granula(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/granula.mjs', ...args], { cwd: process.cwd() }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function input(name: string, text: string | Uint8Array): string {
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
    expect(r.stdout).toBe(`${src} (coco) → ${out} (geojson, 2 files): 2 images, 1 annotator, 4 annotations\n`);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual(['warning: annotations[3].segmentation: an RLE mask was traced to 1 polygon along its pixel edges (it is written back as polygons)']);
    expect(readdirSync(out).sort()).toEqual(['frame-0007.geojson', 'frame-0008.geojson']);
  });

  it('to YOLO: a dataset folder when OUT has no extension (labels/ for every image), one text with "# image:" blocks otherwise', async () => {
    const src = input('frames.json', writeAny(sampleProjectData('endoscopy-lesions', { annotators: ['r'] }), 'shared').files[0].text);
    const out = join(dir, 'yolo');
    const r = await granula('convert', src, '--to', 'yolo', '-o', out);
    expect([r.code, r.stdout]).toEqual([0, `${src} (shared) → ${out} (yolo, 4 files): 2 images, 1 annotator, 5 annotations\n`]);
    expect(r.stderr).toBe(`warning: the image files are not at hand: convert again with --images DIR, or copy them into ${join(out, 'images')}/, each named as its label file (labels/frame-001.txt, images/frame-001.jpg)\n`);
    expect(readdirSync(out).sort()).toEqual(['classes.txt', 'data.yaml', 'labels']);
    expect(readdirSync(join(out, 'labels')).sort()).toEqual(['frame-001.txt', 'frame-002.txt']);
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

  it('bad input far into a file read as a stream: the record named, exit 1, no output file', async () => {
    // 40 images of pathology outlines: a file of many pieces, the broken record near its end.
    const doc = JSON.parse(writeAny(sampleProjectData('pathology-cells', { images: 40 }), 'shared', { exportedAt: NOW }).files[0].text!);
    const at = doc.annotations.length - 2;
    doc.annotations[at].geometry.points = [10, 10, 20, 20];
    const src = input('slide-broken.granula.json', JSON.stringify(doc));
    for (const to of ['shared', 'geojson', 'coco']) {
      const out = join(dir, `slide-broken.${to}.json`);
      const r = await granula('convert', src, '--to', to, '-o', out);
      expect([r.code, r.stdout.split('\n')[0]]).toEqual([1, `annotations[${at}].geometry.points: ring needs at least 3 points`]);
      expect(existsSync(out)).toBe(false);
    }
    // A QuPath feature without a shape, and a file cut off mid-record.
    const features = JSON.parse(readFileSync('tests/fixtures/formats/qupath-0.4-collection.geojson', 'utf8'));
    const last = features.features.length - 1;
    features.features[last].geometry = null;
    const geo = await granula('convert', input('cells.geojson', JSON.stringify(features)), '--to', 'shared', '-o', join(dir, 'cells.granula.json'));
    expect([geo.code, geo.stdout]).toEqual([1, `features[${last}].geometry: is missing: Granula needs a shape\n`]);
    expect(existsSync(join(dir, 'cells.granula.json'))).toBe(false);
    const text = JSON.stringify(doc);
    const cut = await granula('convert', input('cut.granula.json', text.slice(0, Math.floor(text.length * 0.7))), '--to', 'coco', '-o', join(dir, 'cut.coco.json'));
    expect([cut.code, cut.stdout]).toEqual([1, '(file): ends before the JSON document does\n']);
    expect(existsSync(join(dir, 'cut.coco.json'))).toBe(false);
  });

  it('a COCO results list with --instances: image names and sizes and category names come from the instances file', async () => {
    // What a detector writes for COCO evaluation (image_id, category_id, bbox, score), and the instances file it ran on.
    const instances = input(
      'val-instances.json',
      JSON.stringify({
        images: [
          { id: 7, file_name: 'frame-007.jpg', width: 1280, height: 1024 },
          { id: 8, file_name: 'frame-008.jpg', width: 640, height: 480 },
        ],
        categories: [
          { id: 1, name: 'polyp', supercategory: 'lesion' },
          { id: 2, name: 'suspected cancer', supercategory: 'lesion' },
        ],
        annotations: [],
      }),
    );
    const src = input('detections.json', JSON.stringify([{ image_id: 7, category_id: 1, bbox: [100, 200, 50, 40], score: 0.91 }, { image_id: 8, category_id: 2, bbox: [10, 20, 30, 40], score: 0.5 }]));
    const out = join(dir, 'detections.coco.json');
    const r = await granula('convert', src, '--to', 'coco', '-o', out, '--instances', instances);
    expect(r).toEqual({ code: 0, stdout: `${src} (coco) → ${out} (coco): 2 images, 1 annotator, 2 annotations\n`, stderr: '' });
    const coco = JSON.parse(readFileSync(out, 'utf8'));
    expect(coco.images.map((im: { id: number; file_name: string; width: number; height: number }) => [im.id, im.file_name, im.width, im.height])).toEqual([
      [7, 'frame-007.jpg', 1280, 1024],
      [8, 'frame-008.jpg', 640, 480],
    ]);
    expect(coco.categories.map((c: { id: number; name: string }) => [c.id, c.name])).toEqual([[1, 'polyp'], [2, 'suspected cancer']]);
    expect(coco.annotations.map((a: { image_id: number; category_id: number; bbox: number[] }) => [a.image_id, a.category_id, a.bbox])).toEqual([
      [7, 1, [100, 200, 50, 40]],
      [8, 2, [10, 20, 30, 40]],
    ]);

    // As CSV, the rows name the images and classes; without --instances they are the bare ids, with warnings.
    const csv = join(dir, 'detections.csv');
    expect((await granula('convert', src, '--to', 'csv', '-o', csv, '--instances=' + instances)).code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\r\n')).toEqual([
      'image,annotator,label,grade,uncertain,note,status,shape,x,y,width,height,points,score',
      'frame-007.jpg,detections,polyp,,,,,box,100,200,50,40,,0.91',
      'frame-008.jpg,detections,suspected cancer,,,,,box,10,20,30,40,,0.5',
      '',
    ]);
    const bare = await granula('convert', src, '--to', 'csv', '-o', csv);
    expect([bare.code, bare.stderr.split('\n').filter(Boolean).length]).toEqual([0, 2]);
    expect(readFileSync(csv, 'utf8').split('\r\n').slice(1, 3)).toEqual(['7,detections,1,,,,,box,100,200,50,40,,0.91', '8,detections,2,,,,,box,10,20,30,40,,0.5']);

    // An id the instances file does not hold is a problem at its place; nothing is written.
    const stray = input('stray.json', JSON.stringify([{ image_id: 9, category_id: 1, bbox: [1, 2, 3, 4], score: 0.2 }]));
    const strayOut = join(dir, 'stray.coco.json');
    expect(await granula('convert', stray, '--to', 'coco', '-o', strayOut, '--instances', instances)).toEqual({ code: 1, stdout: '[0].image_id: unknown image id 9 (not in the instances file)\n', stderr: '' });
    expect(existsSync(strayOut)).toBe(false);
    const missing = join(dir, 'no-instances.json');
    expect(await granula('convert', src, '--to', 'coco', '-o', strayOut, '--instances', missing)).toEqual({ code: 1, stdout: `${missing}: cannot read: ENOENT\n`, stderr: '' });
    const notJson = input('instances.txt', 'images: none');
    const broken = await granula('convert', src, '--to', 'coco', '-o', strayOut, '--instances', notJson);
    expect([broken.code, broken.stdout.startsWith(`${notJson}: is not JSON: `)]).toEqual([1, true]);
  });

  it('--to shared and --to geojson are written piece by piece, the same as the whole-file writer', async () => {
    const data = sampleProjectData('pathology-cells');
    const text = writeAny(data, 'shared', { exportedAt: NOW }).files[0].text;
    const src = input('streamed.json', text);
    const read = readAnyFormat(text, 'streamed.json');
    if (!read.ok) throw new Error('the sample does not read back');
    const stampOf = (written: string) => /"exportedAt":"([^"]+)"/.exec(written)![1];

    const shared = join(dir, 'streamed.granula.json');
    expect((await granula('convert', src, '--to', 'shared', '-o', shared)).code).toBe(0);
    const got = readFileSync(shared, 'utf8');
    const whole = writeAny(read.data, 'shared', { exportedAt: stampOf(got) }).files[0].text;
    expect(JSON.parse(got)).toEqual(JSON.parse(whole));
    expect(got).toBe(whole);

    const geo = join(dir, 'streamed-geojson');
    expect((await granula('convert', src, '--to', 'geojson', '-o', geo)).code).toBe(0);
    const files = readdirSync(geo).sort();
    const expected = writeAny(read.data, 'geojson').files;
    expect(files).toEqual(expected.map((f) => f.name).sort());
    for (const f of expected) {
      const streamed = readFileSync(join(geo, f.name), 'utf8');
      expect(JSON.parse(streamed)).toEqual(JSON.parse(f.text));
      expect(streamed).toBe(f.text);
    }
  });

  it('usage errors exit 2', async () => {
    const src = input('two-images.json', writeAny(sampleProjectData('pathology-cells'), 'shared').files[0].text);
    const cases: [string[], string][] = [
      [['convert', src, '-o', join(dir, 'a.json')], 'granula convert: missing --to FORMAT'],
      [['convert', src, '--to', 'dicom', '-o', join(dir, 'a.json')], 'granula convert: unknown format "dicom" (use shared, coco, geojson, csv, yolo)'],
      [['convert', src, src, '--to', 'coco', '-o', join(dir, 'a.json')], 'granula convert: expected one input file, got 2'],
      [['convert', src, '--to', 'coco', '-o', src], `granula convert: OUT is the input file; write to another path so ${src} is kept`],
      [['convert', src, '--to', 'geojson', '-o', join(dir, 'one.geojson')], 'granula convert: geojson writes one file per image (2 files): give a folder as OUT (a path without extension)'],
      [['convert', src, '--to', 'coco', '-o', join(dir, 'a.json'), '--instances'], 'granula convert: missing FILE after --instances'],
      [['convert', src, '--to', 'coco', '-o', join(dir, 'a.json'), '--instances', src], `granula convert: --instances goes with a COCO results list, and ${src} (shared) is not one`],
      [['convert', dir, '--to', 'coco', '-o', join(dir, 'a.json'), '--instances', src], 'granula convert: --instances goes with a COCO results list, not a folder'],
    ];
    for (const [args, message] of cases) {
      const r = await granula(...args);
      expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([2, '', message]);
    }
  });
});

/** Writes a folder of path → content under the test folder. */
function folder(name: string, files: Record<string, string | Uint8Array>): string {
  const root = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('granula convert: YOLO datasets as labelling tools export them', { timeout: 60_000 }, () => {
  it('reads a labelling tool\'s export folder (classes.txt, images/, labels/, CRLF): image sizes from the PNG headers', async () => {
    const src = folder('ls-export', labelStudioExport());
    const out = join(dir, 'ls.granula.json');
    const r = await granula('convert', src, '--to', 'shared', '-o', out);
    expect(r).toEqual({ code: 0, stdout: `${src} (yolo) → ${out} (shared): 2 images, 1 annotator, 3 annotations\n`, stderr: '' });
    const back = readAnyFormat(readFileSync(out, 'utf8'), 'ls.granula.json');
    if (!back.ok) throw new Error(JSON.stringify(back.problems));
    expect(back.data.images.map((im) => [im.name, im.width, im.height])).toEqual([['3f2a9c1e-frame-001.png', 1280, 1024], ['7b41d0aa-frame-002.png', 1280, 1024]]);
    // Polyp drawn at 25 %, 23.4375 % of 1280 × 1024, 14.1015625 % × 14.6484375 %: 320, 240, 180.5 × 150 pixels.
    const polyp = back.data.annotations[0].geometry as { x: number; y: number; w: number; h: number };
    expect([polyp.x, polyp.y, polyp.w, polyp.h].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([320, 240, 180.5, 150]);
  });

  it('a data.yaml given as IN reads its folder (train/valid/test); --to csv writes every box and the "no lesion" frame', async () => {
    const src = folder('rf-export', roboflowExport());
    const out = join(dir, 'rf.csv');
    const r = await granula('convert', join(src, 'data.yaml'), '--to', 'csv', '-o', out);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `${join(src, 'data.yaml')} (yolo) → ${out} (csv): 3 images, 1 annotator, 3 annotations\n`, 'warning: (folder): the splits test, train, valid are read into one project: which image was in which split is not kept\n']);
    expect(readFileSync(out, 'utf8').split('\r\n')).toEqual([
      'image,annotator,label,grade,uncertain,note,status,shape,x,y,width,height,points',
      'frame-003_jpg.rf.9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b.jpg,rf-export,,,,,no lesion,,,,,,',
      'frame-001_jpg.rf.6a1f0c2b9d8e7f6a5b4c3d2e1f0a9b8c.jpg,rf-export,polyp,,,,,box,240,240,160,160,',
      'frame-002_jpg.rf.0f1e2d3c4b5a69788796a5b4c3d2e1f0.jpg,rf-export,suspected cancer,,,,,box,128,416,64,128,',
      'frame-002_jpg.rf.0f1e2d3c4b5a69788796a5b4c3d2e1f0.jpg,rf-export,suspected cancer,,,,,box,432,176,32,32,',
      '',
    ]);
  });

  it('one bare label file: the problem says what to give, and each piece of advice works when followed', async () => {
    const src = folder('ls-bare', labelStudioExport());
    const label = join(src, 'labels', '3f2a9c1e-frame-001.txt');
    const out = join(dir, 'bare.json');
    const refused = await granula('convert', label, '--to', 'shared', '-o', out);
    expect(refused).toEqual({
      code: 1,
      stdout: `(file): no size for image "3f2a9c1e-frame-001": YOLO coordinates are fractions of it (give the image files with --images DIR (PNG and JPEG sizes are read from their headers), or one size for all with --image-size WIDTH,HEIGHT, or convert the dataset folder ${src})\n`,
      stderr: '',
    });
    const named = (r: { stdout: string }) => {
      const back = readAnyFormat(readFileSync(out, 'utf8'), 'bare.json');
      return [r.stdout.split(' → ')[1], back.ok && back.data.images.map((im) => [im.name, im.width, im.height]), back.ok && back.data.schemas[0].classes.map((c) => c.name.en)];
    };
    const withImages = await granula('convert', label, '--to', 'shared', '-o', out, '--images', join(src, 'images'));
    expect([withImages.code, withImages.stderr]).toEqual([0, 'warning: (file): no name for classes 0, 1, so named by number (give them with --classes FILE, a classes.txt or data.yaml)\n']);
    expect(named(withImages)).toEqual([`${out} (shared): 1 image, 1 annotator, 2 annotations\n`, [['3f2a9c1e-frame-001.png', 1280, 1024]], ['0', '1']]);
    const withClasses = await granula('convert', label, '--to', 'shared', '-o', out, '--image-size', '1280,1024', '--classes', join(src, 'classes.txt'));
    expect([withClasses.code, withClasses.stderr]).toEqual([0, '']);
    expect(named(withClasses)).toEqual([`${out} (shared): 1 image, 1 annotator, 2 annotations\n`, [['3f2a9c1e-frame-001', 1280, 1024]], ['Cancer', 'Polyp']]);
    const whole = await granula('convert', src, '--to', 'shared', '-o', out);
    expect([whole.code, whole.stderr]).toEqual([0, '']);
  });

  it('an export without its images, given the original image files: matched past the upload prefix, named as the originals', async () => {
    const files = labelStudioExport();
    const originals = folder('originals', { 'frame-001.png': files['images/3f2a9c1e-frame-001.png'], 'frame-002.png': files['images/7b41d0aa-frame-002.png'] });
    for (const k of Object.keys(files)) if (k.startsWith('images/')) delete files[k];
    const src = folder('ls-no-images', files);
    const out = join(dir, 'ls-originals');
    const refused = await granula('convert', src, '--to', 'yolo', '-o', out);
    expect([refused.code, refused.stdout.split('\n')[0]]).toEqual([
      1,
      'labels/3f2a9c1e-frame-001.txt: no size for image "3f2a9c1e-frame-001": YOLO coordinates are fractions of it (no image file 3f2a9c1e-frame-001.* in images; give the image files with --images DIR (PNG and JPEG sizes are read from their headers), or one size for all with --image-size WIDTH,HEIGHT)',
    ]);
    const r = await granula('convert', src, '--to', 'yolo', '-o', out, '--images', originals);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readdirSync(join(out, 'images')).sort()).toEqual(['frame-001.png', 'frame-002.png']);
    expect(readdirSync(join(out, 'labels')).sort()).toEqual(['frame-001.txt', 'frame-002.txt']);
    expect(readFileSync(join(out, 'labels', 'frame-001.txt'), 'utf8')).toBe('1 0.320508 0.307617 0.141016 0.146484\n0 0.582031 0.546875 0.070313 0.117188\n');
  });

  it('a dataset folder to a YOLO dataset: images/ copied beside labels/, each image with its label file', async () => {
    const src = folder('rf-again', roboflowExport());
    const out = join(dir, 'rf-yolo');
    const r = await granula('convert', src, '--to', 'yolo', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${src} (yolo) → ${out} (yolo, 8 files): 3 images, 1 annotator, 3 annotations\n`);
    const images = readdirSync(join(out, 'images')).sort();
    const labels = readdirSync(join(out, 'labels')).sort();
    // A trainer pairs images/<stem>.<ext> with labels/<stem>.txt.
    expect(images.map((f) => f.replace(/\.jpg$/, '.txt'))).toEqual(labels);
    expect(readFileSync(join(out, 'labels', 'frame-003_jpg.rf.9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b.txt'), 'utf8')).toBe('');
    expect(readFileSync(join(out, 'images', images[0]))).toEqual(readFileSync(join(src, 'train/images', images[0])));
    expect(readFileSync(join(out, 'data.yaml'), 'utf8')).toContain('nc: 2\nnames:\n  0: "polyp"\n  1: "suspected cancer"\n');
  });

  it('a shared document carrying its image files: the YOLO dataset gets them in images/', async () => {
    const data = sampleProjectData('endoscopy-lesions', { images: 1, annotators: ['r'] });
    data.images[0] = { ...data.images[0], name: 'frame-001.png', source: { kind: 'file', blobId: 'b1', mime: 'image/png', fileName: 'frame-001.png' } };
    const png = pngBytes(1280, 1024);
    const doc = { ...JSON.parse(writeAny(data, 'shared').files[0].text), files: [{ blobId: 'b1', mime: 'image/png', base64: png.toString('base64') }] };
    const src = input('with-images.granula.json', JSON.stringify(doc));
    const out = join(dir, 'embedded-yolo');
    const r = await granula('convert', src, '--to', 'yolo', '-o', out);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readFileSync(join(out, 'images', 'frame-001.png'))).toEqual(png);
    expect(readdirSync(join(out, 'labels'))).toEqual(['frame-001.txt']);
  });

  it('an image given where an annotation file belongs is named for what it is', async () => {
    const src = input('labels.json', pngBytes(8, 8));
    const r = await granula('convert', src, '--to', 'coco', '-o', join(dir, 'x.coco.json'));
    expect(r).toEqual({ code: 1, stdout: '(file): is a PNG image, not an annotation file\n', stderr: '' });
    const jpeg = input('frame.txt', jpegBytes(8, 8));
    expect((await granula('convert', jpeg, '--to', 'coco', '-o', join(dir, 'x.coco.json'))).stdout).toBe('(file): is a JPEG image, not an annotation file\n');
  });

  it('a folder that is not a YOLO dataset, and a bad --image-size', async () => {
    const src = folder('not-yolo', { 'a.geojson': '{}', 'notes.md': 'x' });
    expect(await granula('convert', src, '--to', 'coco', '-o', join(dir, 'y.json'))).toEqual({
      code: 1,
      stdout: `${src}: holds no YOLO label files: expected labels/*.txt, <split>/labels/*.txt, or *.txt beside classes.txt\n`,
      stderr: '',
    });
    const bad = await granula('convert', src, '--to', 'coco', '-o', join(dir, 'y.json'), '--image-size', '1280');
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'granula convert: --image-size must be WIDTH,HEIGHT in whole pixels, e.g. --image-size 1280,1024 (not "1280")']);
  });
});
