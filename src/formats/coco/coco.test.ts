import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedJson, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import { sampleProjectData, type SampleTemplate } from '../testData';
import { readCoco, readCocoText } from './read';
import type { CocoDataset } from './types';
import { writeCoco } from './write';

const NOW = '2026-03-01T00:00:00.000Z';
const TEMPLATES: SampleTemplate[] = ['pathology-cells', 'endoscopy-lesions', 'fundus-diagnosis'];

/** The file as another program would load it: plain JSON. */
function cocoJson(template: SampleTemplate): CocoDataset {
  return JSON.parse(JSON.stringify(writeCoco(sampleProjectData(template), { exportedAt: NOW }).coco));
}

/** The same file with every Granula block removed: what a file from another tool looks like. */
function withoutGranula(coco: CocoDataset): Record<string, unknown> {
  const plain = structuredClone(coco) as unknown as { info: Record<string, unknown>; images: Record<string, unknown>[]; categories: Record<string, unknown>[]; annotations: { attributes: Record<string, unknown> }[] };
  delete plain.info.granula;
  for (const x of [...plain.images, ...plain.categories]) delete x.granula;
  for (const a of plain.annotations) delete a.attributes.granula;
  return plain;
}

/** The checks pycocotools' COCO() and COCOeval make on load, written out. */
function pycocotoolsProblems(coco: Record<string, unknown>): string[] {
  const out: string[] = [];
  const images = coco.images as Record<string, unknown>[];
  const categories = coco.categories as Record<string, unknown>[];
  const annotations = coco.annotations as Record<string, unknown>[];
  const imageIds = new Set(images.map((im) => im.id));
  const categoryIds = new Set(categories.map((c) => c.id));
  images.forEach((im, i) => {
    if (!Number.isInteger(im.id)) out.push(`images[${i}].id not an int`);
    if (!Number.isInteger(im.width) || !Number.isInteger(im.height)) out.push(`images[${i}] size not ints`);
    if (typeof im.file_name !== 'string') out.push(`images[${i}].file_name`);
  });
  categories.forEach((c, i) => {
    if (!Number.isInteger(c.id)) out.push(`categories[${i}].id not an int`);
    if (typeof c.name !== 'string' || typeof c.supercategory !== 'string') out.push(`categories[${i}] name/supercategory`);
  });
  const annotationIds = new Set<unknown>();
  annotations.forEach((a, i) => {
    if (!Number.isInteger(a.id) || annotationIds.has(a.id)) out.push(`annotations[${i}].id not a unique int`);
    annotationIds.add(a.id);
    if (!imageIds.has(a.image_id)) out.push(`annotations[${i}].image_id unknown`);
    if (!categoryIds.has(a.category_id)) out.push(`annotations[${i}].category_id unknown`);
    const bbox = a.bbox as unknown[];
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((v) => typeof v === 'number' && Number.isFinite(v))) out.push(`annotations[${i}].bbox`);
    if (typeof a.area !== 'number' || !Number.isFinite(a.area)) out.push(`annotations[${i}].area`);
    if (a.iscrowd !== 0) out.push(`annotations[${i}].iscrowd`);
    const seg = a.segmentation as unknown[];
    if (!Array.isArray(seg) || !seg.length || !seg.every((p) => Array.isArray(p) && p.length >= 6 && p.length % 2 === 0 && p.every((v) => typeof v === 'number'))) out.push(`annotations[${i}].segmentation`);
  });
  return out;
}

describe('COCO writer', () => {
  it.each(TEMPLATES)('writes fields of the types pycocotools expects (%s)', (template) => {
    const coco = cocoJson(template);
    expect(pycocotoolsProblems(coco as unknown as Record<string, unknown>)).toEqual([]);
    expect(coco.annotations).toHaveLength(sampleProjectData(template).annotations.length);
  });

  it('names categories by English class name with a supercategory, ids from 1', () => {
    const coco = cocoJson('pathology-cells');
    expect(coco.categories.slice(0, 2)).toEqual([
      { id: 1, name: 'Tumour cell', supercategory: 'cell', granula: { classId: 'tumor-cell' } },
      { id: 2, name: 'Lymphocyte', supercategory: 'cell', granula: { classId: 'lymphocyte' } },
    ]);
  });

  it('writes a box as a four-point polygon and keeps attributes flat, as CVAT does', () => {
    const a = cocoJson('endoscopy-lesions').annotations[0];
    expect(a.segmentation).toEqual([[320, 240, 500.5, 240, 500.5, 390, 320, 390]]);
    expect(a.bbox).toEqual([320, 240, 180.5, 150]);
    expect(a.area).toBe(180.5 * 150);
    expect(a.attributes).toMatchObject({ paris: '0-Is', nice: '2', size_mm: 8, granula: { shape: 'box', annotatorId: 'reader-a' } });
  });

  it('draws the outline of a polygon with a hole, keeps the hole in attributes and subtracts it from area', () => {
    const region = cocoJson('pathology-cells').annotations[3];
    expect(region.segmentation).toEqual([[800, 900, 1400, 900, 1400, 1600, 800, 1600]]);
    expect(region.area).toBe(600 * 700 - 100 * 100);
    expect((region.attributes.granula as { holes: number[][] }).holes).toEqual([[1000, 1000, 1100, 1000, 1100, 1100, 1000, 1100]]);
  });

  it('writes an image-level label as an annotation covering the whole image', () => {
    const a = cocoJson('fundus-diagnosis').annotations[0];
    expect(a.bbox).toEqual([0, 0, 2048, 1536]);
    expect(a.segmentation).toEqual([[0, 0, 2048, 0, 2048, 1536, 0, 1536]]);
    expect(a.attributes.granula).toMatchObject({ shape: 'image' });
  });

  it('writes a point as a one-pixel square centred on it', () => {
    const data = sampleProjectData('pathology-cells');
    data.annotations[0].geometry = { type: 'point', x: 10, y: 20 };
    const a = writeCoco(data, { exportedAt: NOW }).coco.annotations[0];
    expect(a.bbox).toEqual([9.5, 19.5, 1, 1]);
    expect(a.segmentation).toEqual([[9.5, 19.5, 10.5, 19.5, 10.5, 20.5, 9.5, 20.5]]);
  });
});

describe('COCO round trip', () => {
  it.each(TEMPLATES)('Granula → COCO → Granula loses nothing (%s)', (template) => {
    const data = sampleProjectData(template);
    const result = readCocoText(JSON.stringify(writeCoco(data, { exportedAt: NOW }).coco), 'export.json', { now: NOW });
    expect(result.ok && result.warnings).toEqual([]);
    expect(result.ok && result.data).toEqual(data);
  });

  it('still reads a file whose Granula block is version 1 (made by the previous Granula), losing nothing', () => {
    // A version-1 block had no audit trail, roles, assignments or package fields: the sample has none
    // of those either, so the same project must come back.
    const data = sampleProjectData('endoscopy-lesions');
    const coco = JSON.parse(JSON.stringify(writeCoco(data, { exportedAt: NOW }).coco)) as CocoDataset;
    coco.info.granula!.version = 1;
    const result = readCoco(coco, 'made-by-granula-1.json', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.warnings).toEqual([]);
    expect(result.data).toEqual(data);
  });

  it('refuses a Granula block from a newer Granula than this one, at info.granula.version', () => {
    const coco = cocoJson('endoscopy-lesions');
    coco.info.granula!.version = 99;
    const r = readCoco(coco, 'from-the-future.json', { now: NOW });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.path)).toContain('info.granula.version');
  });

  it('keeps geometry, classes and attributes of a file without Granula fields; one annotator named by the file', () => {
    const result = readCoco(withoutGranula(cocoJson('endoscopy-lesions')), 'dir/reader-a.json', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { data } = result;
    expect(data.annotators.map((a) => a.id)).toEqual(['reader-a']);
    expect(data.schemas[0].granularity).toBe('box');
    expect(data.schemas[0].classes.map((c) => c.name.en)).toEqual(['Polyp', 'Suspected cancer', 'Other lesion']);
    const original = sampleProjectData('endoscopy-lesions').annotations;
    expect(data.annotations.map((a) => a.geometry)).toEqual(original.map((a) => a.geometry));
    expect(data.annotations.map((a) => a.attributes)).toEqual(original.map((a) => a.attributes));
    expect(data.annotations.every((a) => a.provenance?.kind === 'import' && a.uncertain === undefined && a.note === undefined)).toBe(true);
  });

  it('without Granula fields, holes are lost and image-level labels become whole-image boxes', () => {
    const polygons = readCoco(withoutGranula(cocoJson('pathology-cells')), 'a.json', { now: NOW });
    expect(polygons.ok && polygons.data.annotations[3].geometry).toEqual({ type: 'polygon', points: [800, 900, 1400, 900, 1400, 1600, 800, 1600] });
    const labels = readCoco(withoutGranula(cocoJson('fundus-diagnosis')), 'a.json', { now: NOW });
    expect(labels.ok && labels.data.annotations[0].geometry).toEqual({ type: 'box', x: 0, y: 0, w: 2048, h: 1536 });
  });

  it('reads a file from another tool: several polygons kept as one object, a bbox-only box, an RLE mask traced', () => {
    const text = readFileSync('tests/fixtures/formats/coco-foreign.json', 'utf8');
    const result = readCocoText(text, 'coco-foreign.json', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { data, warnings } = result;
    expect(data.schemas[0].granularity).toBe('polygon');
    expect(data.images.map((im) => [im.name, im.width, im.height])).toEqual([['frame-0007.jpg', 640, 480], ['frame-0008.jpg', 640, 480]]);
    expect(data.annotations.map((a) => [a.classId, a.geometry?.type])).toEqual([['polyp', 'polygon'], ['bleeding', 'polygon'], ['polyp', 'box'], ['bleeding', 'polygon']]);
    expect(data.annotations[0].attributes).toEqual({ occluded: false, paris: '0-Is' });
    // Two polygons are one object in COCO: the first is the shape, the second travels with it.
    expect(data.annotations[1].carried).toEqual({ coco: { id: 2 }, parts: [[[40, 40, 60, 40, 60, 60]]] });
    // counts [0, 10, 307190] on a 480-row image: rows 0–9 of column 0, the 1 × 10 strip of its bbox.
    expect(data.annotations[3].geometry).toEqual({ type: 'polygon', points: [0, 0, 1, 0, 1, 10, 0, 10] });
    expect(data.annotations[3].carried).toEqual({ coco: { id: 4, crowd: true } });
    expect(warnings).toEqual([{ path: 'annotations[3].segmentation', message: 'an RLE mask was traced to 1 polygon along its pixel edges (it is written back as polygons)' }]);
  });

  it('adds a category that is not in the embedded schema as a new class, with a warning', () => {
    const coco = cocoJson('endoscopy-lesions');
    coco.categories.push({ id: 9, name: 'Diverticulum', supercategory: 'lesion' });
    coco.annotations[0].category_id = 9;
    const result = readCoco(coco, 'x.json', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.warnings).toEqual([{ path: 'categories[3]', message: 'not in the embedded schema: added as class "Diverticulum"' }]);
    expect(result.data.schemas[0].classes.map((c) => c.id)).toEqual(['polyp', 'cancer', 'other-lesion', 'Diverticulum']);
    expect(result.data.annotations[0].classId).toBe('Diverticulum');
  });
});

describe('COCO reader refuses bad files, saying where', () => {
  function minimal(annotations: unknown[]): Record<string, unknown> {
    return { images: [{ id: 1, file_name: 'a.jpg', width: 100, height: 100 }], categories: [{ id: 1, name: 'cell' }], annotations };
  }
  const good = (id: number) => ({ id, image_id: 1, category_id: 1, segmentation: [[0, 0, 10, 0, 10, 10]], bbox: [0, 0, 10, 10], area: 50, iscrowd: 0 });

  function problems(value: unknown): string[] {
    const r = readCoco(value, 'x.json', { now: NOW });
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  }

  it('a ring of fewer than 3 points, reported at its annotation and polygon', () => {
    const annotations = Array.from({ length: 13 }, (_, i) => good(i + 1));
    annotations[12].segmentation = [[0, 0, 1, 1, 0, 0]];
    expect(problems(minimal(annotations))).toEqual(['annotations[12].segmentation[0]: ring needs at least 3 points']);
  });

  it('NaN, Infinity and text where a coordinate belongs', () => {
    const annotations = [good(1), good(2), good(3)];
    annotations[0].segmentation = [[0, 0, 10, NaN, 10, 10]];
    annotations[1].segmentation = [[0, 0, 10, 0, Infinity, 10]];
    annotations[2].segmentation = [[0, 0, 10, '0', 10, 10]] as never;
    expect(problems(minimal(annotations))).toEqual([
      'annotations[0].segmentation[0][3]: coordinate must be a finite number',
      'annotations[1].segmentation[0][4]: coordinate must be a finite number',
      'annotations[2].segmentation[0][3]: coordinate must be a finite number',
    ]);
  });

  it('unknown image and category ids, duplicate ids', () => {
    const value = minimal([good(1), { ...good(1), image_id: 99, category_id: 5 }]);
    (value.images as unknown[]).push({ id: 1, file_name: 'b.jpg', width: 10, height: 10 });
    expect(problems(value)).toEqual([
      'images[1].id: duplicate id 1',
      'annotations[1].id: duplicate id 1',
      'annotations[1].image_id: unknown image id 99',
      'annotations[1].category_id: unknown category id 5',
    ]);
  });

  it('odd coordinates, a bad bbox, a non-integer id, a missing list', () => {
    expect(problems({ images: [], categories: [] })).toEqual(['annotations: must be a list']);
    const annotations = [{ ...good(1.5), segmentation: [[0, 0, 10, 0, 10]] }, { ...good(2), segmentation: [], bbox: [0, 0, 10] }];
    expect(problems(minimal(annotations))).toEqual([
      'annotations[0].id: must be a whole number (COCO ids are integers)',
      'annotations[0].segmentation[0]: needs an even number of coordinates (x, y pairs)',
      'annotations[1].bbox: must be [x, y, width, height]',
      'annotations[1].bbox: is needed: this annotation has no polygon',
    ]);
  });

  it('a broken Granula block is reported alone, at its own path', () => {
    const coco = cocoJson('pathology-cells');
    (coco.info.granula as { schema: { classes: { color: string }[] } }).schema.classes[0].color = 'red';
    expect(problems(coco)).toEqual(['info.granula.schema.classes[0].color: colour must be #rrggbb']);
  });

  it('returns nothing of a file with one bad annotation among good ones', () => {
    const annotations = [good(1), good(2), { ...good(3), category_id: 2 }];
    const r = readCoco(minimal(annotations), 'x.json');
    expect(r).toEqual({ ok: false, format: 'coco', problems: [{ path: 'annotations[2].category_id', message: 'unknown category id 2' }] });
  });

  it('text that is not JSON', () => {
    const r = readCocoText('{"images": [', 'x.json');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0].path).toBe('(file)');
  });
});

describe('COCO reader never throws', () => {
  it.each([
    ['with Granula fields', () => cocoJson('endoscopy-lesions')],
    ['without Granula fields', () => withoutGranula(cocoJson('pathology-cells'))],
  ])('mutated files %s give valid data or located problems', (_, base) => {
    fc.assert(
      fc.property(mutatedJson(base()), (value) => {
        expect(brokenPromise(readCoco(value, 'm.json', { now: NOW }))).toBeNull();
        expect(brokenPromise(readCocoText(JSON.stringify(value) ?? '', 'm.json', { now: NOW }))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });

  it('any JSON value gives a result', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(brokenPromise(readCoco(value, 'j.json'))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });
});
