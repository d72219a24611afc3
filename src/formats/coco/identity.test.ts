// COCO files built here as the COCO tools write them: an instances file laid out as the COCO 2017
// annotation files and pycocotools' COCO() read them (cocodataset.org/#format-data: images
// {id, width, height, file_name}, categories {id, name, supercategory}, annotations {id, image_id,
// category_id, segmentation, area, bbox, iscrowd}; a crowd region's segmentation is uncompressed RLE
// {counts: [...], size: [h, w]}), compressed RLE strings as pycocotools' mask.encode writes them
// (maskApi.c rleToString), and a results list as COCO's detection results format describes it
// (cocodataset.org/#format-results: [{image_id, category_id, bbox | segmentation, score}]).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedJson, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import { readAnyFormat } from '../detect';
import { Report } from '../interchange/result';
import { readCoco } from './read';
import { readCocoResults } from './results';
import { decodeCounts, readRle } from './rle';
import { writeCoco } from './write';

const NOW = '2026-03-01T00:00:00.000Z';

/** An instances file with the sparse ids real datasets have (COCO's own skip numbers). */
function instances() {
  return {
    info: { description: 'COCO-style val subset', version: '1.0', year: 2017, contributor: 'lab', date_created: '2017/09/01' },
    licenses: [{ url: 'http://creativecommons.org/licenses/by/2.0/', id: 4, name: 'Attribution License' }],
    images: [
      { license: 4, file_name: '000000397133.jpg', coco_url: '', height: 427, width: 640, date_captured: '2013-11-14 17:02:52', flickr_url: '', id: 397133 },
      { license: 4, file_name: '000000037777.jpg', coco_url: '', height: 230, width: 352, date_captured: '2013-11-14 20:55:31', flickr_url: '', id: 37777 },
    ],
    annotations: [
      { segmentation: [[10, 10, 50, 10, 50, 40, 10, 40]], area: 1200, iscrowd: 0, image_id: 397133, bbox: [10, 10, 40, 30], category_id: 18, id: 1768 },
      // One dog seen in two pieces (behind a post): two polygons of one object.
      { segmentation: [[100, 100, 120, 100, 120, 150, 100, 150], [130, 100, 160, 100, 160, 150, 130, 150]], area: 2500, iscrowd: 0, image_id: 397133, bbox: [100, 100, 60, 50], category_id: 18, id: 2197 },
      // A crowd of bottles: uncompressed RLE down the columns of a 230 × 352 image. Pixels x 2–3,
      // y 1–2: 1 + 230 × 2 zeros, 2 ones, 228 zeros, 2 ones, then the rest.
      { segmentation: { counts: [461, 2, 228, 2, 230 * 352 - 693], size: [230, 352] }, area: 4, iscrowd: 1, image_id: 37777, bbox: [2, 1, 2, 2], category_id: 44, id: 900100037777 },
    ],
    categories: [
      { supercategory: 'person', id: 1, name: 'person' },
      { supercategory: 'animal', id: 18, name: 'dog' },
      { supercategory: 'kitchen', id: 44, name: 'bottle' },
    ],
  };
}

function read(value: unknown, name = 'val-subset.json') {
  const r = readCoco(value, name, { now: NOW });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
}

/** What pycocotools' COCO() and COCOeval need of an instances file: resolvable integer ids, polygon lists, numeric boxes and areas. */
function loadsInPycocotools(coco: ReturnType<typeof writeCoco>['coco']): boolean {
  const images = new Set(coco.images.map((im) => im.id));
  const categories = new Set(coco.categories.map((c) => c.id));
  const ids = new Set(coco.annotations.map((a) => a.id));
  return (
    ids.size === coco.annotations.length &&
    [...images, ...categories, ...ids].every((id) => Number.isSafeInteger(id)) &&
    coco.annotations.every(
      (a) =>
        images.has(a.image_id) &&
        categories.has(a.category_id) &&
        a.segmentation.length > 0 &&
        a.segmentation.every((p) => p.length >= 6 && p.length % 2 === 0 && p.every(Number.isFinite)) &&
        a.bbox.length === 4 &&
        a.bbox.every(Number.isFinite) &&
        Number.isFinite(a.area) &&
        (a.iscrowd === 0 || a.iscrowd === 1),
    )
  );
}

describe('COCO identity', () => {
  it('writes image, category and annotation ids back as they came, so a label map keyed by them still holds', () => {
    const out = writeCoco(read(instances()).data, { exportedAt: NOW }).coco;
    expect(loadsInPycocotools(out)).toBe(true);
    expect(out.images.map((im) => [im.id, im.file_name])).toEqual([[397133, '000000397133.jpg'], [37777, '000000037777.jpg']]);
    expect(out.categories.map((c) => [c.id, c.name])).toEqual([[1, 'person'], [18, 'dog'], [44, 'bottle']]);
    expect(out.annotations.map((a) => [a.id, a.image_id, a.category_id, a.iscrowd])).toEqual([
      [1768, 397133, 18, 0],
      [2197, 397133, 18, 0],
      [900100037777, 37777, 44, 1],
    ]);
  });

  it('gives the same annotation ids each time the file is read, and different ones for another reader numbering from the same ids', () => {
    const ids = read(instances()).data.annotations.map((a) => a.id);
    expect(read(instances()).data.annotations.map((a) => a.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    const other = read(instances(), 'reader-b.json').data.annotations.map((a) => a.id);
    expect(other.some((id) => ids.includes(id))).toBe(false);
  });

  it('numbers a label made in Granula after the highest id in use, and keeps text ids as text', () => {
    const file = instances();
    (file.images[1] as { id: unknown }).id = 'frame-b';
    (file.annotations[2] as { image_id: unknown }).image_id = 'frame-b';
    const { data } = read(file);
    data.annotations.push({ ...data.annotations[0], id: 'ann_new', carried: undefined });
    const out = writeCoco(data, { exportedAt: NOW }).coco;
    expect(out.images.map((im) => im.id)).toEqual([397133, 'frame-b']);
    expect(out.annotations.map((a) => a.id)).toEqual([1768, 2197, 900100037777, 900100037778]);
  });

  it('says so when two records came with the same id (two files merged), and numbers the second anew', () => {
    const { data } = read(instances());
    data.annotations[1].carried = { coco: { id: 1768 } };
    const out = writeCoco(data, { exportedAt: NOW });
    expect(out.coco.annotations.map((a) => a.id)).toEqual([1768, 900100037778, 900100037777]);
    expect(out.warnings).toEqual([`1 annotation (${data.annotations[1].id}) came with a COCO id another annotation already has: numbered anew`]);
  });
});

describe('COCO shapes in several pieces and masks', () => {
  it('keeps an object of two polygons as one annotation and writes both back, with the exact area of both', () => {
    const { data } = read(instances());
    const dog = data.annotations[1];
    expect(dog.geometry).toEqual({ type: 'polygon', points: [100, 100, 120, 100, 120, 150, 100, 150] });
    expect(dog.carried?.parts).toEqual([[[130, 100, 160, 100, 160, 150, 130, 150]]]);
    const written = writeCoco(data, { exportedAt: NOW }).coco.annotations[1];
    expect(written.segmentation).toEqual(instances().annotations[1].segmentation);
    // 20 × 50 + 30 × 50 = 2500, over the union box x 100–160, y 100–150.
    expect([written.area, written.bbox]).toEqual([2500, [100, 100, 60, 50]]);
  });

  it('traces an uncompressed RLE crowd region along its pixel edges: area = pixel count, still a crowd', () => {
    const { data, warnings } = read(instances());
    const crowd = data.annotations[2];
    expect(crowd.geometry).toEqual({ type: 'polygon', points: [2, 1, 4, 1, 4, 3, 2, 3] });
    expect(crowd.carried?.coco).toEqual({ id: 900100037777, crowd: true });
    expect(warnings).toEqual([{ path: 'annotations[2].segmentation', message: 'an RLE mask was traced to 1 polygon along its pixel edges (it is written back as polygons)' }]);
    const written = writeCoco(data, { exportedAt: NOW }).coco.annotations[2];
    expect([written.segmentation, written.area, written.bbox, written.iscrowd]).toEqual([[[2, 1, 4, 1, 4, 3, 2, 3]], 4, [2, 1, 2, 2], 1]);
  });

  it('decodes compressed RLE strings as pycocotools writes them', () => {
    // A 3 × 3 ring on a 4 × 4 image, down the columns: 1110 1010 1110 0000 → runs 0,3,1,1,1,1,1,3,5.
    // rleToString: 0 → "0", 3 → "3", 1 → "1", then differences to the run two back:
    // 1−3 = −2 → 30 with the sign bit → "N"; 0, 0, 0 → "000"; 3−1 = 2 → "2"; 5−1 = 4 → "4".
    expect(decodeCounts('031N00024')).toEqual([0, 3, 1, 1, 1, 1, 1, 3, 5]);
    // A 10 × 10 square at x 20–29, y 40–49 on a 100 × 100 image: 2040 zeros, then ten columns of
    // 10 ones and 90 zeros, the last ending in 7050 zeros. 2040 = 24 + 31·32 + 1·1024 → "h", "o", "1"
    // (each group but the last has bit 0x20); 90 → "j2"; the repeats differ by 0 → "0"; 7050 − 90 = 6960 → "`i6".
    expect(decodeCounts(`ho1:j2${'0'.repeat(17)}\`i6`)).toEqual([2040, ...Array.from({ length: 9 }, () => [10, 90]).flat(), 10, 7050]);
    expect(decodeCounts('03S7NnH0R72^\\^2')).toEqual([0, 3, 227, 1, 1, 1, 227, 3, 80497]);
  });

  it('traces a compressed mask with a hole: the outline, then the hole', () => {
    const file = instances();
    file.annotations[2] = { segmentation: { counts: '031N00024', size: [4, 4] } as never, area: 8, iscrowd: 0, image_id: 37777, bbox: [0, 0, 3, 3], category_id: 44, id: 5 };
    const crowd = read(file).data.annotations[2];
    expect(crowd.geometry).toEqual({ type: 'polygon', points: [0, 0, 3, 0, 3, 3, 0, 3], holes: [[2, 1, 1, 1, 1, 2, 2, 2]] });
    expect(writeCoco(read(file).data).coco.annotations[2].area).toBe(8);
  });

  it('refuses a mask whose runs do not cover the image, or a string pycocotools never writes, at its path', () => {
    const report = new Report();
    readRle({ counts: [0, 10, 630], size: [480, 640] }, 'annotations[3].segmentation', report);
    readRle({ counts: '03\u00ff', size: [4, 4] }, 'annotations[4].segmentation', report);
    readRle({ counts: 'h', size: [4, 4] }, 'annotations[5].segmentation', report);
    expect(report.problems).toEqual([
      { path: 'annotations[3].segmentation.counts', message: 'the runs cover 640 pixels, not height × width = 307200' },
      { path: 'annotations[4].segmentation.counts', message: 'character 2 ("\u00ff") is not one pycocotools writes' },
      { path: 'annotations[5].segmentation.counts', message: 'ends in the middle of a run (at character 1)' },
    ]);
  });
});

describe('COCO results lists', () => {
  /** As a detector writes them for COCO evaluation: no ids, no names, no sizes. */
  const results = () => [
    { image_id: 397133, category_id: 18, bbox: [10.5, 20, 40, 30], score: 0.92 },
    { image_id: 397133, category_id: 1, bbox: [200, 100, 50, 120.5], score: 0.41 },
    // The same 3 × 3 ring, on this 230-row image: runs 0, 3, 227, 1, 1, 1, 227, 3, 80497 →
    // "0" "3" "S7" (227 = 3 + 7·32) "N" (1 − 3) "nH" (1 − 227 = −226) "0" "R7" (226) "2" "^\\^2" (80270).
    { image_id: 37777, category_id: 44, segmentation: { size: [230, 352], counts: '03S7NnH0R72^\\^2' }, score: 0.77 },
  ];

  it('reads what it can without the instances file and says what is missing', () => {
    const r = readAnyFormat(JSON.stringify(results()), 'detections.json', { now: NOW });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.format).toBe('coco');
    // Image 397133's size is its boxes' extent (x to 250, y to 220.5 → 221); 37777's mask gives 352 × 230.
    expect(r.data.images.map((im) => [im.name, im.width, im.height, im.carried])).toEqual([
      ['397133', 250, 221, { coco: { id: 397133 } }],
      ['37777', 352, 230, { coco: { id: 37777 } }],
    ]);
    expect(r.data.schemas[0].classes.map((c) => [c.id, c.carried])).toEqual([['18', { coco: { id: 18 } }], ['1', { coco: { id: 1 } }], ['44', { coco: { id: 44 } }]]);
    expect(r.data.annotations.map((a) => [a.annotatorId, a.attributes])).toEqual([['detections', { score: 0.92 }], ['detections', { score: 0.41 }], ['detections', { score: 0.77 }]]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'an RLE mask was traced to 1 polygon with 1 hole along its pixel edges (it is written back as polygons)',
      "COCO results name no images: each image is named by its image_id, and 1 of 2 sized to their shapes' extent (no mask gave their size) (read them with their instances file for names and sizes)",
      'COCO results name no categories: each class is named by its category_id (read them with their instances file for names)',
    ]);
    // Written as COCO, the image and category ids are the ones the results used.
    const out = writeCoco(r.data).coco;
    expect(out.annotations.map((a) => [a.image_id, a.category_id])).toEqual([[397133, 18], [397133, 1], [37777, 44]]);
  });

  it('with the instances file, takes its names and sizes; the same list read twice gives the same ids', () => {
    const r = readCocoResults(results(), 'detections.json', { now: NOW, instances: instances() });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.data.images.map((im) => [im.name, im.width, im.height])).toEqual([['000000397133.jpg', 640, 427], ['000000037777.jpg', 352, 230]]);
    expect(r.data.annotations.map((a) => a.classId)).toEqual(['dog', 'person', 'bottle']);
    const again = readCocoResults(results(), 'detections.json', { now: NOW, instances: instances() });
    expect(again.ok && again.data.annotations.map((a) => a.id)).toEqual(r.data.annotations.map((a) => a.id));
  });

  it('refuses an unknown image, a score that is not a number and a bad box, each at its place', () => {
    const bad = results();
    (bad[0] as { image_id: unknown }).image_id = 5;
    (bad[1] as { score: unknown }).score = 'high';
    (bad[2] as Record<string, unknown>).segmentation = undefined;
    const r = readCocoResults(bad, 'detections.json', { now: NOW, instances: instances() });
    expect(!r.ok && r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      '[0].image_id: unknown image id 5 (not in the instances file)',
      '[1].score: must be a number',
      '[2].bbox: is needed: this annotation has no polygon',
    ]);
  });

  it('mutated results and instances give valid data or located problems, never a throw', () => {
    for (const [base, read] of [
      [results(), (v: unknown) => readCocoResults(v, 'm.json', { now: NOW })],
      [instances(), (v: unknown) => readCoco(v, 'm.json', { now: NOW })],
    ] as const) {
      fc.assert(
        fc.property(mutatedJson(base), (value) => {
          expect(brokenPromise(read(value))).toBeNull();
        }),
        PROPERTY_RUNS,
      );
    }
  });
});
