import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The endoscopy sample as a reader leaves it: three frames with boxes, and a fourth marked "no lesion". */
function endoscopyWithNegative(): ProjectData {
  const data = sampleProjectData('endoscopy-lesions', { images: 4, annotators: ['reader-a'] });
  data.annotations = data.annotations.filter((a) => a.imageId !== 'img_4');
  data.statuses = data.statuses.map((s) => (s.imageId === 'img_4' ? { ...s, noFinding: true } : s));
  return data;
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('CSV writer', () => {
  it('writes image,annotator,label,grade,uncertain,note,status in UTF-8 without a BOM, CRLF, quoting where needed', () => {
    const { text, warnings } = writeCsv(sampleProjectData('fundus-diagnosis'));
    expect(warnings).toEqual([]);
    expect(text.split('\r\n')).toEqual([
      'image,annotator,label,grade,uncertain,note,status',
      'fundus-001.jpg,reader-a,Normal,,,,',
      'fundus-001.jpg,reader-b,Normal,,,,',
      'fundus-002.jpg,reader-a,Diabetic retinopathy,2,,,',
      'fundus-002.jpg,reader-b,Diabetic retinopathy,3,true,,',
      'fundus-003.jpg,reader-a,Glaucoma suspect,,,,',
      'fundus-003.jpg,reader-b,Normal,,,,',
      'fundus-004.jpg,reader-a,Diabetic retinopathy,1,,"cataract, hazy view",',
      'fundus-004.jpg,reader-b,Diabetic retinopathy,2,,"cataract, hazy view",',
      '',
    ]);
  });

  it('adds a column per attribute, prefixing one that shares a fixed column name', () => {
    const data = sampleProjectData('fundus-diagnosis', { images: 1, annotators: ['a'] });
    data.annotations[0].attributes = { laterality: 'left', note: 'from the referral letter', status: 'referred' };
    expect(writeCsv(data).text.split('\r\n').slice(0, 2)).toEqual([
      'image,annotator,label,grade,uncertain,note,status,laterality,attribute:note,attribute:status',
      'fundus-001.jpg,a,Normal,,,,,left,from the referral letter,referred',
    ]);
  });

  it('endoscopy: a row per box with its pixels, and a "no lesion" row for the frame found clear', () => {
    const { text, warnings } = writeCsv(endoscopyWithNegative());
    expect(warnings).toEqual([]);
    // By hand from the sample: boxes at (320, 240) 180.5 × 150, (700, 500) 90 × 120 and (10, 20) 30 × 40.
    expect(text.split('\r\n')).toEqual([
      'image,annotator,label,grade,uncertain,note,status,shape,x,y,width,height,points,paris,nice,size_mm,comment',
      'frame-001.jpg,reader-a,Polyp,,,,,box,320,240,180.5,150,,0-Is,2,8,',
      'frame-001.jpg,reader-a,Suspected cancer,,true,NBI unclear,,box,700,500,90,120,,0-IIc,,12.5,',
      'frame-001.jpg,reader-a,Other lesion,,,,,box,10,20,30,40,,,,,"bleeding, ""old"""',
      'frame-002.jpg,reader-a,Polyp,,,,,box,320,240,180.5,150,,0-Is,2,8,',
      'frame-002.jpg,reader-a,Suspected cancer,,true,NBI unclear,,box,700,500,90,120,,0-IIc,,12.5,',
      'frame-003.jpg,reader-a,Polyp,,,,,box,320,240,180.5,150,,0-Is,2,8,',
      'frame-003.jpg,reader-a,Suspected cancer,,true,NBI unclear,,box,700,500,90,120,,0-IIc,,12.5,',
      'frame-004.jpg,reader-a,,,,,no lesion,,,,,,,,,,',
      '',
    ]);
  });

  it('polygons: their bounding box, then the outline and each hole after ";"', () => {
    const data = sampleProjectData('pathology-cells', { images: 1, annotators: ['r'] });
    const rows = writeCsv(data).text.split('\r\n');
    expect(rows[0]).toBe('image,annotator,label,grade,uncertain,note,status,shape,x,y,width,height,points');
    expect(rows[4]).toBe('slide-001.svs,r,Tumour region,,,hole is a vessel lumen,,polygon,800,900,600,700,800 900 1400 900 1400 1600 800 1600; 1000 1000 1100 1000 1100 1100 1000 1100');
  });

  it.skipIf(!hasPython)("Python's csv module reads the header as written (no \\ufeff before image)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'granula-csv-'));
    try {
      writeFileSync(join(dir, 'labels.csv'), writeCsv(endoscopyWithNegative()).text);
      const script = "import csv, json, sys\nwith open(sys.argv[1], encoding='utf-8', newline='') as f:\n    print(json.dumps([[r['image'], r['label'], r['status'], r['shape'], r['x'], r['width']] for r in csv.DictReader(f)]))";
      const rows = JSON.parse(execFileSync('python3', ['-c', script, join(dir, 'labels.csv')], { encoding: 'utf8' }));
      expect(rows).toEqual([
        ['frame-001.jpg', 'Polyp', '', 'box', '320', '180.5'],
        ['frame-001.jpg', 'Suspected cancer', '', 'box', '700', '90'],
        ['frame-001.jpg', 'Other lesion', '', 'box', '10', '30'],
        ['frame-002.jpg', 'Polyp', '', 'box', '320', '180.5'],
        ['frame-002.jpg', 'Suspected cancer', '', 'box', '700', '90'],
        ['frame-003.jpg', 'Polyp', '', 'box', '320', '180.5'],
        ['frame-003.jpg', 'Suspected cancer', '', 'box', '700', '90'],
        ['frame-004.jpg', '', 'no lesion', '', '', ''],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

describe('CSV round trip of shapes and "no lesion"', () => {
  it('boxes, attributes and the "no lesion" frame come back as drawn, with the schema', () => {
    const data = endoscopyWithNegative();
    const result = readCsvText(writeCsv(data).text, 'labels.csv', { now: NOW, schema: data.schemas[0], images: data.images });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const shapes = (d: ProjectData) => d.annotations.map((a) => ({ ...labels(d)[d.annotations.indexOf(a)], geometry: a.geometry }));
    expect(shapes(result.data)).toEqual(shapes(data));
    expect(result.data.statuses.map((s) => [result.data.images.find((im) => im.id === s.imageId)!.name, s.annotatorId, s.state, s.noFinding])).toEqual([['frame-004.jpg', 'reader-a', 'done', true]]);
    expect(result.warnings).toEqual([]);
  });

  it('polygons keep every point and hole; without sizes, images are as large as their shapes reach', () => {
    const data = sampleProjectData('pathology-cells');
    const result = readCsvText(writeCsv(data).text, 'cells.csv', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.data.annotations.map((a) => a.geometry)).toEqual(data.annotations.map((a) => a.geometry));
    expect(result.data.schemas[0].granularity).toBe('polygon');
    // The tumour region reaches x = 1400 + 1.5 (reader-b) and y = 1600.
    expect(result.data.images.map((im) => [im.name, im.width, im.height])).toEqual([['slide-001.svs', 1402, 1600], ['slide-002.svs', 1402, 1600]]);
    expect(result.warnings).toEqual([{ path: '(file)', message: 'CSV does not give image sizes: 2 images are recorded as large as their shapes reach (1 × 1 without shapes) until the image files are added' }]);
  });

  it('several boxes of one class on one frame are not repeats', () => {
    const text = 'image,annotator,label,shape,x,y,width,height\r\nf.jpg,r,polyp,box,1,2,3,4\r\nf.jpg,r,polyp,box,10,20,30,40\r\n';
    const result = readCsvText(text, 'x.csv', { now: NOW });
    expect(result.ok && result.data.annotations.map((a) => a.geometry)).toEqual([{ type: 'box', x: 1, y: 2, w: 3, h: 4 }, { type: 'box', x: 10, y: 20, w: 30, h: 40 }]);
  });
});

describe('CSV identity: the same file gives the same ids', () => {
  // Two readers' labels of two frames: reader-a boxed the same polyp twice (two identical rows).
  const ROWS = [
    'image,annotator,label,shape,x,y,width,height,points,note',
    'frame-001.jpg,reader-a,polyp,box,10,20,30,40,,',
    'frame-001.jpg,reader-a,polyp,box,10,20,30,40,,',
    'frame-001.jpg,reader-b,polyp,box,10,20,30,40,,',
    'frame-002.jpg,reader-a,cancer,point,5,6,,,,',
    'frame-002.jpg,reader-a,normal,,,,,,,hazy view',
    'frame-002.jpg,reader-b,,,,,,,,',
  ];
  const read = (rows: string[], name = 'labels.csv') => {
    const r = readCsvText(rows.join('\r\n'), name, { now: NOW });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.data;
  };
  const idsOf = (data: ProjectData) => ({ project: data.project.id, images: data.images.map((im) => im.id), annotations: data.annotations.map((a) => a.id) });

  it('reading the file twice gives the same project, image and annotation ids', () => {
    const first = idsOf(read(ROWS));
    expect(idsOf(read(ROWS))).toEqual(first);
    expect(first.annotations).toHaveLength(5);
    expect(new Set(first.annotations).size).toBe(5);
    // The same box by another reader is another annotation.
    expect(first.annotations[2]).not.toBe(first.annotations[0]);
  });

  it('identical rows get _2, _3… in file order', () => {
    const [a, twin] = idsOf(read(ROWS)).annotations;
    expect(twin).toBe(`${a}_2`);
    const three = idsOf(read([...ROWS.slice(0, 2), ROWS[1], ...ROWS.slice(2)])).annotations;
    expect(three.slice(0, 3)).toEqual([a, `${a}_2`, `${a}_3`]);
  });

  it('editing one row changes only its id; the order of the columns and an empty column added change none', () => {
    const ids = idsOf(read(ROWS)).annotations;
    const moved = read(ROWS.map((r, i) => (i === 4 ? 'frame-002.jpg,reader-a,cancer,point,7,6,,,,' : r)));
    expect(moved.annotations.map((a, i) => a.id === ids[i])).toEqual([true, true, true, false, true]);
    const noted = read(ROWS.map((r, i) => (i === 5 ? 'frame-002.jpg,reader-a,normal,,,,,,,clear view' : r)));
    expect(noted.annotations.map((a, i) => a.id === ids[i])).toEqual([true, true, true, true, false]);
    // The same rows with the first three columns the other way round, and a "comment" column nobody filled in.
    const reordered = ROWS.map((r, i) => {
      const [image, annotator, label, ...rest] = r.split(',');
      return [label, annotator, image, ...rest, i === 0 ? 'comment' : ''].join(',');
    });
    expect(idsOf(read(reordered)).annotations).toEqual(ids);
  });
});

describe('CSV reader refuses bad files, naming row and column', () => {
  it('bad shapes and statuses', () => {
    const text = [
      'image,annotator,label,status,shape,x,y,width,height,points',
      'a,r,p,,box,1,2,0,4,',
      'a,r,p,,box,1,,3,4,',
      'a,r,p,,circle,1,2,3,4,',
      'a,r,p,,polygon,,,,,1 2 3',
      'a,r,p,,polygon,,,,,0 0 10 0 10 10; 1 1 2',
      'b,r,,maybe,,,,,,',
      'c,r,p,no lesion,,,,,,',
      '',
    ].join('\r\n');
    expect(problems(text)).toEqual([
      'row 2, column "width": a box needs a width above zero',
      'row 3, column "y": a box needs a number here, not ""',
      'row 4, column "shape": must be box, polygon, point, line or empty, not "circle"',
      'row 5, column "points": ring 1: needs x y pairs, found 3 numbers',
      'row 6, column "points": ring 2: needs x y pairs, found 3 numbers',
      'row 7, column "status": must be "no lesion" or empty, not "maybe"',
      'row 8, column "label": must be empty on a "no lesion" row (the image has no finding)',
    ]);
  });

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
    ['with boxes and "no lesion"', () => writeCsv(endoscopyWithNegative()).text],
    ['with polygons and holes', () => writeCsv(sampleProjectData('pathology-cells', { images: 1 })).text],
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
