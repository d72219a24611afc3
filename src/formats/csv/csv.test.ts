import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedText, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import type { ProjectData } from '../../model/projectData';
import { sampleProjectData } from '../testData';
import { readCsvText } from './read';
import { writeCsv } from './write';

const NOW = '2026-03-01T00:00:00.000Z';

/** What CSV carries of a label, by names rather than ids. */
function labels(data: ProjectData) {
  const image = new Map(data.images.map((im) => [im.id, im.name]));
  return data.annotations.map((a) => ({ image: image.get(a.imageId), annotator: a.annotatorId, classId: a.classId, grade: a.grade, uncertain: a.uncertain, note: a.note, attributes: a.attributes }));
}

function problems(text: string, opts = {}): string[] {
  const r = readCsvText(text, 'labels.csv', { now: NOW, ...opts });
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('CSV writer', () => {
  it('writes image,annotator,label,grade,uncertain,note with a BOM and CRLF, quoting where needed', () => {
    const { text, warnings } = writeCsv(sampleProjectData('fundus-diagnosis'));
    expect(warnings).toEqual([]);
    expect(text.split('\r\n')).toEqual([
      '\uFEFFimage,annotator,label,grade,uncertain,note',
      'fundus-001.jpg,reader-a,Normal,,,',
      'fundus-001.jpg,reader-b,Normal,,,',
      'fundus-002.jpg,reader-a,Diabetic retinopathy,2,,',
      'fundus-002.jpg,reader-b,Diabetic retinopathy,3,true,',
      'fundus-003.jpg,reader-a,Glaucoma suspect,,,',
      'fundus-003.jpg,reader-b,Normal,,,',
      'fundus-004.jpg,reader-a,Diabetic retinopathy,1,,"cataract, hazy view"',
      'fundus-004.jpg,reader-b,Diabetic retinopathy,2,,"cataract, hazy view"',
      '',
    ]);
  });

  it('adds a column per attribute, prefixing one that shares a fixed column name', () => {
    const data = sampleProjectData('fundus-diagnosis', { images: 1, annotators: ['a'] });
    data.annotations[0].attributes = { laterality: 'left', note: 'from the referral letter' };
    expect(writeCsv(data).text.split('\r\n').slice(0, 2)).toEqual(['\uFEFFimage,annotator,label,grade,uncertain,note,laterality,attribute:note', 'fundus-001.jpg,a,Normal,,,,left,from the referral letter']);
  });

  it('says how many shapes it could not write', () => {
    expect(writeCsv(sampleProjectData('endoscopy-lesions')).warnings).toEqual(['10 annotations with shapes not written (CSV holds image-level labels only)']);
  });
});

describe('CSV round trip', () => {
  it('keeps every label, grade, flag, note and attribute; with the schema, classes keep their ids', () => {
    const data = sampleProjectData('fundus-diagnosis');
    data.annotations[0].attributes = { laterality: 'left', note: 'multi\nline, "quoted"' };
    const result = readCsvText(writeCsv(data).text, 'labels.csv', { now: NOW, schema: data.schemas[0], images: data.images });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(labels(result.data)).toEqual(labels(data));
    expect(result.data.images.map((im) => [im.name, im.width, im.height])).toEqual(data.images.map((im) => [im.name, im.width, im.height]));
    expect(result.warnings).toEqual([]);
  });

  it('without a schema, classes are the labels as written, in order of appearance, and grades make a scale', () => {
    const result = readCsvText(writeCsv(sampleProjectData('fundus-diagnosis')).text, 'labels.csv', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const schema = result.data.schemas[0];
    expect([schema.granularity, schema.selection, schema.name.en]).toEqual(['image', 'single', 'labels']);
    expect(schema.classes.map((c) => c.id)).toEqual(['Normal', 'Diabetic retinopathy', 'Glaucoma suspect']);
    expect(schema.grade?.levels.map((l) => l.value)).toEqual([1, 2, 3]);
    expect(result.warnings).toEqual([{ path: '(file)', message: 'CSV does not give image sizes: 4 images are recorded as 1 × 1 until the image files are added' }]);
  });

  it('reads an Excel file: BOM, CRLF, quoted commas, quotes and line breaks, Japanese, an empty label', () => {
    const result = readCsvText(readFileSync('tests/fixtures/formats/labels-excel.csv', 'utf8'), 'labels-excel.csv', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { data } = result;
    expect(data.images.map((im) => im.name)).toEqual(['fundus-001.jpg', 'fundus-002.jpg', 'fundus-003.jpg']);
    expect(data.annotators.map((a) => a.id)).toEqual(['dr-sato', 'dr-tanaka']);
    // dr-sato left fundus-003 unrated: a missing rating, not a label.
    expect(labels(data)).toEqual([
      { image: 'fundus-001.jpg', annotator: 'dr-sato', classId: 'Normal', grade: undefined, uncertain: undefined, note: undefined, attributes: {} },
      { image: 'fundus-001.jpg', annotator: 'dr-tanaka', classId: 'Normal', grade: undefined, uncertain: undefined, note: undefined, attributes: {} },
      { image: 'fundus-002.jpg', annotator: 'dr-sato', classId: 'Diabetic retinopathy', grade: 2, uncertain: undefined, note: 'microaneurysms, "dot" haemorrhages', attributes: {} },
      { image: 'fundus-002.jpg', annotator: 'dr-tanaka', classId: 'Diabetic retinopathy', grade: 3, uncertain: true, note: 'line one\nline two', attributes: {} },
      { image: 'fundus-003.jpg', annotator: 'dr-tanaka', classId: '緑内障疑い', grade: undefined, uncertain: undefined, note: '視神経乳頭陥凹', attributes: {} },
    ]);
  });

  it('accepts any header holding image, annotator and label, in any order and case; other columns become attributes', () => {
    const result = readCsvText('Label;reader comment;Image;Annotator\nnormal;ok;a.png;r1\n', 'x.csv', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(labels(result.data)).toEqual([{ image: 'a.png', annotator: 'r1', classId: 'normal', grade: undefined, uncertain: undefined, note: undefined, attributes: { 'reader comment': 'ok' } }]);
  });

  it('with a schema, matches labels by Japanese name and types attribute values', () => {
    const data = sampleProjectData('fundus-diagnosis');
    const schema = { ...data.schemas[0], classes: data.schemas[0].classes.map((c) => (c.id === 'normal' ? { ...c, attributes: [{ id: 'quality', name: { en: 'Quality', ja: '画質' }, type: 'number' as const, required: false, min: 1, max: 5 }] } : c)) };
    const result = readCsvText('image,annotator,label,quality\na.jpg,r,正常,4\n', 'x.csv', { now: NOW, schema });
    expect(result.ok && labels(result.data)).toEqual([{ image: 'a.jpg', annotator: 'r', classId: 'normal', grade: undefined, uncertain: undefined, note: undefined, attributes: { quality: 4 } }]);
  });
});

describe('CSV reader refuses bad files, naming row and column', () => {
  it('a header without the needed columns', () => {
    expect(problems('image,rater,diagnosis\na,b,c\n')).toEqual(['row 1: missing columns "annotator", "label" (the header needs image,annotator,label)']);
    expect(problems('')).toEqual(['row 1: expected a header with the columns image,annotator,label']);
  });

  it('bad cells, counted as a spreadsheet counts rows', () => {
    const text = ['image,annotator,label,grade,uncertain', 'a,r1,x,1,', 'b,r1,x,2,', 'c,r1,x,3,', ',r1,x,,', 'e,,x,,', 'f,r1,x,two,', 'g,r1,x,,maybe', 'h,r1,x', ''].join('\n');
    expect(problems(text)).toEqual([
      'row 5, column "image": must not be empty',
      'row 6, column "annotator": must not be empty',
      'row 9: has 3 fields, the header has 5',
    ]);
    expect(problems(text.replace(/\n,r1,x,,|\ne,,x,,|\nh,r1,x/g, ''))).toEqual(['row 5, column "grade": must be a number, not "two"', 'row 6, column "uncertain": must be true or false']);
  });

  it('an unterminated quote', () => {
    expect(problems('image,annotator,label,note\na,r,x,"open\nb,r,x,\n')).toEqual(['row 2: Quoted field unterminated']);
  });

  it('labels outside the given schema, grades outside its scale, a second label where the schema takes one', () => {
    const schema = sampleProjectData('fundus-diagnosis').schemas[0];
    expect(problems('image,annotator,label,grade\na,r,Normal,\na,r,Glaucoma suspect,\nb,r,Cataract,\nc,r,Diabetic retinopathy,7\n', { schema })).toEqual([
      'row 3, column "label": the schema takes one label per image, and row 2 already labels this image for this annotator',
      'row 4, column "label": unknown class "Cataract" (schema "Fundus: diagnosis" has "Normal", "Glaucoma suspect", "Diabetic retinopathy", "Age-related macular degeneration", "Other / ungradable")',
      'row 5, column "grade": must be one of 0, 1, 2, 3, 4',
    ]);
  });

  it('the same label twice', () => {
    expect(problems('image,annotator,label\na,r,x\na,r,x\n')).toEqual(['row 3: repeats row 2 (same image, annotator and label)']);
  });
});

describe('CSV reader never throws', () => {
  it.each([
    ['written by Granula', () => writeCsv(sampleProjectData('fundus-diagnosis')).text],
    ['from Excel', () => readFileSync('tests/fixtures/formats/labels-excel.csv', 'utf8')],
  ])('mutated files %s give valid data or located problems', (_, base) => {
    fc.assert(
      fc.property(mutatedText(base()), (text) => {
        expect(brokenPromise(readCsvText(text, 'm.csv', { now: NOW }))).toBeNull();
        expect(brokenPromise(readCsvText(text, 'm.csv', { now: NOW, schema: sampleProjectData('fundus-diagnosis').schemas[0] }))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });

  it('any text gives a result', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(brokenPromise(readCsvText(text, 'r.csv'))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });
});
