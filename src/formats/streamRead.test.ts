import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAnyFormat } from './detect';
import { NOT_UTF8 } from './interchange/encoding';
import { readJsonStream, type ByteSource } from './streamRead';
import { sampleProjectData } from './testData';
import { writeAny } from './writeAny';

const NOW = '2026-03-01T00:00:00.000Z';

/** A file whose stream gives `size`-byte pieces, as a disk or a browser File gives them (cut anywhere, mid-character too). */
function source(name: string, content: string | Uint8Array, size = 7): ByteSource {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    size: bytes.length,
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
          c.close();
        },
      }),
  };
}

const fixture = (name: string) => readFileSync(`tests/fixtures/${name}`, 'utf8');

/** A pathology project of many outlines, its Japanese class names (three bytes a character) cut across pieces. */
function bigShared(): { data: ReturnType<typeof sampleProjectData>; text: string } {
  const data = sampleProjectData('pathology-cells', { images: 40 });
  return { data, text: writeAny(data, 'shared', { exportedAt: NOW }).files[0].text! };
}

describe('readJsonStream: a JSON file read piece by piece gives what reading its whole text gives', () => {
  // The reference is the whole-text reader (readAnyFormat), which every format's own tests check.
  const cases: [string, string][] = [
    ['project.granula.json', bigShared().text],
    ['v0-fundus.json', fixture('shared/v0-fundus.json')],
    ['v3-slides-pathology.json', fixture('shared/v3-slides-pathology.json')],
    ['reader-a.json', fixture('formats/coco-foreign.json')],
    ['slide.geojson', fixture('formats/qupath-0.4-collection.geojson')],
    ['cells.json', fixture('formats/qupath-0.2-array.json')],
    ['one.geojson', fixture('formats/qupath-single-feature.geojson')],
    ['classified.json', fixture('formats/qupath-string-classification.json')],
  ];
  it.each(cases)('%s', async (name, text) => {
    const whole = readAnyFormat(text, name, { now: NOW });
    expect(whole.ok).toBe(true);
    for (const size of [7, 4096]) expect((await readJsonStream(source(name, text, size), { now: NOW })).result).toEqual(whole);
  });

  it('a shared document keeps every outline, and its embedded image files come back for the caller', async () => {
    const { data, text } = bigShared();
    const withFiles = JSON.stringify({ ...JSON.parse(text), files: [{ blobId: 'b1', mime: 'image/png', base64: 'iVBORw0KGgo=' }] });
    const read = await readJsonStream(source('p.json', text, 1000), { now: NOW });
    expect(read.result.ok && read.result.data).toEqual(data);
    expect((await readJsonStream(source('p.json', withFiles), {})).files).toEqual([{ blobId: 'b1', mime: 'image/png', base64: 'iVBORw0KGgo=' }]);
  });

  it('Granula\'s fields after the features: the features are read again knowing them', async () => {
    const collection = JSON.parse(writeAny(sampleProjectData('pathology-cells', { annotators: ['a'] }), 'geojson', { exportedAt: NOW }).files[0].text!);
    const { granula, ...rest } = collection;
    const late = JSON.stringify({ ...rest, granula });
    expect(Object.keys(JSON.parse(late)).at(-1)).toBe('granula');
    expect((await readJsonStream(source('slide.geojson', late, 64), { now: NOW })).result).toEqual(readAnyFormat(late, 'slide.geojson', { now: NOW }));
  });

  it('a COCO results list is named as one', async () => {
    const list = JSON.stringify([{ image_id: 1, category_id: 2, bbox: [1, 2, 3, 4], score: 0.5 }]);
    expect((await readJsonStream(source('dets.json', list), { now: NOW })).cocoResults).toBe(true);
  });
});

describe('readJsonStream: bad input says where', () => {
  it('a broken annotation far into a shared document: its place in the file, as the whole-text check says it', async () => {
    const doc = JSON.parse(bigShared().text);
    const at = doc.annotations.length - 3;
    doc.annotations[at].geometry.points = [1, 2, 3, 4];
    const broken = JSON.stringify(doc);
    const read = await readJsonStream(source('p.json', broken, 999), {});
    expect(read.result).toEqual(readAnyFormat(broken, 'p.json'));
    expect(!read.result.ok && read.result.problems.map((p) => p.path)).toEqual([`annotations[${at}].geometry.points`]);
    // Shapes right, a reference wrong: found once every record is read.
    doc.annotations[at].geometry.points = doc.annotations[0].geometry.points;
    doc.annotations[at - 1].imageId = 'no-such-image';
    const unknown = await readJsonStream(source('p.json', JSON.stringify(doc), 999), {});
    expect(unknown.result).toEqual({ ok: false, format: 'shared', problems: [{ path: `annotations[${at - 1}].imageId`, message: 'unknown image "no-such-image"' }] });
  });

  it('a file cut short, a bracket too many, text that is not UTF-8', async () => {
    const { text } = bigShared();
    const cut = await readJsonStream(source('p.json', text.slice(0, text.length / 2)), {});
    expect(cut.result).toEqual({ ok: false, problems: [{ path: '(file)', message: 'ends before the JSON document does' }] });
    const broken = text.replace('"annotations":[{', '"annotations":[{{');
    const bad = await readJsonStream(source('p.json', broken), {});
    expect(!bad.result.ok && bad.result.problems[0].path).toBe('annotations[0]');
    const latin1 = new Uint8Array([...new TextEncoder().encode('{"format":"granula-shared","project":{"name":"Caf'), 0xe9, ...new TextEncoder().encode('"}}')]);
    expect((await readJsonStream(source('p.json', latin1), {})).result).toEqual({ ok: false, problems: [{ path: '(file)', message: NOT_UTF8 }] });
  });
});
