import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedText, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import type { ProjectData } from '../../model/projectData';
import { CONSENSUS_ANNOTATOR, type Geometry } from '../../model/types';
import { sampleProjectData } from '../testData';
import { readYoloFiles, readYoloText } from './read';
import { writeYolo } from './write';

const NOW = '2026-03-01T00:00:00.000Z';

function problems(text: string, opts = {}): string[] {
  const r = readYoloText(text, 'labels.yolo.txt', { now: NOW, ...opts });
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

/** Boxes by image name, annotator and class name, as YOLO can carry them. */
function boxes(data: ProjectData) {
  const image = new Map(data.images.map((im) => [im.id, im.name]));
  const cls = new Map(data.schemas.flatMap((s) => s.classes).map((c) => [c.id, c.name.en]));
  return data.annotations.map((a) => ({ image: image.get(a.imageId), annotator: a.annotatorId, cls: cls.get(a.classId), geometry: a.geometry }));
}

/** Six decimals of a fraction of the image: within a thousandth of a pixel on a 1280-pixel frame. */
function expectSameBox(actual: Geometry | null, expected: Geometry | null) {
  if (actual?.type !== 'box' || expected?.type !== 'box') throw new Error('not boxes');
  for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(actual[k] - expected[k])).toBeLessThan(2e-3);
}

describe('YOLO writer', () => {
  it('writes one text with classes, image sizes and annotators, normalised to six decimals', () => {
    const data = sampleProjectData('endoscopy-lesions', { images: 1, annotators: ['reader-a'] });
    const { files, warnings } = writeYolo(data, 'single');
    expect(warnings).toEqual([]);
    expect(files).toEqual([
      {
        name: 'Sample endoscopy-lesions.yolo.txt',
        text: [
          '# granula-yolo 1',
          '# class 0: Polyp',
          '# class 1: Suspected cancer',
          '# class 2: Other lesion',
          '# image: frame-001.jpg',
          '# size: 1280 1024',
          '# annotator: reader-a',
          '0 0.320508 0.307617 0.141016 0.146484',
          '1 0.582031 0.546875 0.070313 0.117188',
          '2 0.019531 0.039063 0.023438 0.039063',
          '',
        ].join('\n'),
      },
    ]);
  });

  it('writes a dataset folder: data.yaml with names in class order, classes.txt, labels/<stem>.txt for every image', () => {
    const data = sampleProjectData('endoscopy-lesions', { images: 3, annotators: ['r'] });
    data.annotations = data.annotations.filter((a) => a.imageId !== 'img_3');
    data.statuses = data.statuses.map((s) => (s.imageId === 'img_3' ? { ...s, noFinding: true } : s));
    const { files, warnings, images } = writeYolo(data);
    expect(warnings).toEqual([]);
    expect(files).toEqual([
      {
        name: 'data.yaml',
        text: [
          '# Images in images/, one label file per image in labels/ (same name, .txt).',
          '# train and val both name the whole set: split it before training to validate on unseen images.',
          'train: images',
          'val: images',
          'nc: 3',
          'names:',
          '  0: "Polyp"',
          '  1: "Suspected cancer"',
          '  2: "Other lesion"',
          '',
        ].join('\n'),
      },
      { name: 'classes.txt', text: 'Polyp\nSuspected cancer\nOther lesion\n' },
      // (320 + 180.5 / 2) / 1280 = 0.320508, (240 + 75) / 1024 = 0.307617, 180.5 / 1280 = 0.141016, 150 / 1024 = 0.146484
      { name: 'labels/frame-001.txt', text: '0 0.320508 0.307617 0.141016 0.146484\n1 0.582031 0.546875 0.070313 0.117188\n2 0.019531 0.039063 0.023438 0.039063\n' },
      { name: 'labels/frame-002.txt', text: '0 0.320508 0.307617 0.141016 0.146484\n1 0.582031 0.546875 0.070313 0.117188\n' },
      { name: 'labels/frame-003.txt', text: '' }, // "no lesion": a negative
    ]);
    expect(images).toEqual([
      { imageId: 'img_1', stem: 'frame-001', ext: '.jpg' },
      { imageId: 'img_2', stem: 'frame-002', ext: '.jpg' },
      { imageId: 'img_3', stem: 'frame-003', ext: '.jpg' },
    ]);
  });

  it('one set of labels per image: the consensus where there is one, otherwise every annotator\'s boxes, said in a warning', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const twoReaders = writeYolo(data);
    expect(twoReaders.files.map((f) => f.name)).toEqual(['data.yaml', 'classes.txt', 'labels/frame-001.txt', 'labels/frame-002.txt']);
    expect(twoReaders.files[3].text.split('\n').filter(Boolean)).toHaveLength(4); // two boxes from each reader
    expect(twoReaders.warnings).toEqual(['2 images have boxes of several annotators, written together (a YOLO dataset holds one set of labels per image, so one lesion may be boxed twice): settle them into consensus labels for one set']);
    // A reviewer settles frame-002 to a single polyp box.
    const polyp = data.annotations.find((a) => a.imageId === 'img_2' && a.classId === 'polyp')!;
    data.annotations.push({ ...polyp, id: 'ann_consensus', annotatorId: CONSENSUS_ANNOTATOR, geometry: { type: 'box', x: 640, y: 512, w: 128, h: 256 } });
    const settled = writeYolo(data);
    expect(settled.files[3]).toEqual({ name: 'labels/frame-002.txt', text: '0 0.550000 0.625000 0.100000 0.250000\n' });
    expect(settled.warnings).toEqual([
      '1 images have consensus labels: those were written, the annotators\' own labels of those images were not',
      '1 images have boxes of several annotators, written together (a YOLO dataset holds one set of labels per image, so one lesion may be boxed twice): settle them into consensus labels for one set',
    ]);
  });

  it('an image nobody finished or marked "no lesion" is still written empty, with a warning', () => {
    const data = sampleProjectData('endoscopy-lesions', { images: 2, annotators: ['r'] });
    data.annotations = data.annotations.filter((a) => a.imageId !== 'img_2');
    data.statuses = data.statuses.filter((s) => s.imageId !== 'img_2');
    expect(writeYolo(data).warnings).toEqual(['1 images without boxes were never marked done or "no lesion": their empty label files tell a trainer there is nothing to find']);
  });

  it('writes polygons as their boxes, clips boxes to the image, and says what it left out', () => {
    const data = sampleProjectData('pathology-cells', { images: 1, annotators: ['r'] });
    data.annotations[1].geometry = { type: 'point', x: 1, y: 1 };
    data.annotations[2].geometry = { type: 'box', x: -10, y: 0, w: 20, h: 10 };
    const { files, warnings } = writeYolo(data);
    expect(files[2].text.split('\n')[1]).toBe('1 0.000125 0.000167 0.000250 0.000333');
    expect(warnings).toEqual(['1 point annotations not written (YOLO holds boxes)', '1 boxes clipped to their image (YOLO coordinates lie in 0–1)', '2 polygons written as their bounding boxes']);
    expect(writeYolo(sampleProjectData('fundus-diagnosis')).warnings).toEqual(['8 image-level labels not written (YOLO holds boxes)']);
  });
});

describe('YOLO round trip', () => {
  it('the one-file form keeps boxes (to six decimals), classes, image names, sizes and annotators', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const result = readYoloText(writeYolo(data, 'single').files[0].text, 'frames.yolo.txt', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const [read, original] = [boxes(result.data), boxes(data)];
    expect(read.map((b) => [b.image, b.annotator, b.cls])).toEqual(original.map((b) => [b.image, b.annotator, b.cls]));
    read.forEach((b, i) => expectSameBox(b.geometry, original[i].geometry));
    expect(result.data.images.map((im) => [im.name, im.width, im.height])).toEqual([['frame-001.jpg', 1280, 1024], ['frame-002.jpg', 1280, 1024]]);
    expect(result.data.schemas[0].granularity).toBe('box');
  });

  it('the folder form of earlier versions (classes.txt, <annotator>/<stem>.txt) reads back with the image sizes given', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const files = [{ name: 'classes.txt', text: 'Polyp\nSuspected cancer\nOther lesion\n' }];
    for (const im of data.images) for (const r of data.annotators) files.push({ name: `${r.id}/${im.name.replace('.jpg', '.txt')}`, text: writeYolo({ ...data, annotators: [r], annotations: data.annotations.filter((a) => a.annotatorId === r.id) }).files.find((f) => f.name === `labels/${im.name.replace('.jpg', '.txt')}`)!.text });
    const result = readYoloFiles(files, { now: NOW, images: data.images });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const key = (b: ReturnType<typeof boxes>[number]) => `${b.image} ${b.annotator} ${b.cls}`;
    expect(boxes(result.data).map(key).sort()).toEqual(boxes(data).map(key).sort());
  });

  it('reads the fixture, with an image that has no labels', () => {
    const result = readYoloText(readFileSync('tests/fixtures/formats/frames.yolo.txt', 'utf8'), 'frames.yolo.txt', { now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.data.images.map((im) => im.name)).toEqual(['frame-001.jpg', 'frame-002.jpg']);
    expect(boxes(result.data).map((b) => [b.image, b.annotator, b.cls])).toEqual([
      ['frame-001.jpg', 'reader-a', 'Polyp'],
      ['frame-001.jpg', 'reader-a', 'Suspected cancer'],
      ['frame-001.jpg', 'reader-b', 'Polyp'],
    ]);
  });

  it('reads a plain label file with its image given, and segmentation lines as polygons', () => {
    const result = readYoloText('0 0.5 0.5 0.25 0.5\n3 0.1 0.1 0.2 0.1 0.2 0.2\n', 'frame-9.txt', { now: NOW, images: [{ name: 'frame-9.png', width: 200, height: 100 }], classes: ['polyp'] });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(boxes(result.data)).toEqual([
      { image: 'frame-9.png', annotator: 'frame-9', cls: 'polyp', geometry: { type: 'box', x: 75, y: 25, w: 50, h: 50 } },
      { image: 'frame-9.png', annotator: 'frame-9', cls: '3', geometry: { type: 'polygon', points: [20, 10, 40, 10, 40, 20] } },
    ]);
    expect(result.data.schemas[0].granularity).toBe('polygon');
  });
});

describe('YOLO identity: the same file gives the same ids', () => {
  // reader-a boxed the same polyp twice (two identical lines); reader-b boxed it once.
  const LINES = [
    '# class 0: polyp',
    '# class 1: suspected cancer',
    '# image: frame-001.jpg',
    '# size: 1280 1024',
    '# annotator: reader-a',
    '0 0.5 0.5 0.1 0.1',
    '0 0.5 0.5 0.1 0.1',
    '1 0.2 0.2 0.1 0.1',
    '# image: frame-001.jpg',
    '# size: 1280 1024',
    '# annotator: reader-b',
    '0 0.5 0.5 0.1 0.1',
  ];
  const read = (lines: string[]) => {
    const r = readYoloText(lines.join('\n'), 'frames.yolo.txt', { now: NOW });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.data;
  };

  it('reading the file twice gives the same project, image and annotation ids', () => {
    const [first, second] = [read(LINES), read(LINES)];
    expect(second.project.id).toBe(first.project.id);
    expect(second.images.map((im) => im.id)).toEqual(first.images.map((im) => im.id));
    expect(second.annotations.map((a) => a.id)).toEqual(first.annotations.map((a) => a.id));
    expect(new Set(first.annotations.map((a) => a.id)).size).toBe(4);
  });

  it('identical lines get _2; the same box by another reader is another id; editing one line changes only its id', () => {
    const ids = read(LINES).annotations.map((a) => a.id);
    expect(ids[1]).toBe(`${ids[0]}_2`);
    expect(ids[3]).not.toBe(ids[0]);
    const moved = read(LINES.map((l, i) => (i === 7 ? '1 0.2 0.25 0.1 0.1' : l))).annotations.map((a) => a.id);
    expect(moved.map((id, i) => id === ids[i])).toEqual([true, true, false, true]);
    // The same numbers written another way are the same line.
    expect(read(LINES.map((l, i) => (i === 7 ? '1 0.20 0.2 0.100 0.1' : l))).annotations.map((a) => a.id)).toEqual(ids);
  });
});

describe('YOLO reader refuses bad files, naming line and field', () => {
  const head = '# class 0: polyp\n# image: a.jpg\n# size: 100 100\n';

  it('values outside 0–1, text, wrong field counts, unknown classes', () => {
    expect(problems(`${head}0 1.5 0.5 0.1 0.1\n0 0.5 x 0.1 0.1\n0 0.5 0.5 0.1\n1 0.5 0.5 0.1 0.1\n0 0.5 0.5 0 0.1\n`)).toEqual([
      'line 4, field "cx": must be a number between 0 and 1, not "1.5"',
      'line 5, field "cy": must be a number between 0 and 1, not "x"',
      'line 6: expected "class cx cy w h" (5 fields), found 4',
      'line 7, field "class": no class 1: the file names only class 0',
      'line 8, field "w": a box needs a width above zero',
    ]);
  });

  it('a missing size, a label before any image, a bad size, a degenerate polygon', () => {
    expect(problems('# image: a.jpg\n0 0.5 0.5 0.1 0.1\n')).toEqual(['line 1: no size for image "a.jpg": YOLO coordinates are fractions of it (add "# size: WIDTH HEIGHT" after its "# image:" line, or give the image sizes)']);
    expect(problems('# class 0: p\n0 0.5 0.5 0.1 0.1\n# image: a.jpg\n# size: 0 10\n')).toEqual(['line 2: a label line before any "# image:" line', 'line 4: size must be "WIDTH HEIGHT" in whole pixels above zero']);
    expect(problems(`${head}0 0.1 0.1 0.2 0.2 0.3 0.3\n`)).toEqual(['line 4: ring has zero area']);
  });

  it('a plain label file without its image size: the advice is the caller\'s, and following it reads the file', () => {
    // Editing a trainer's label file is no fix: a "# size:" line there is refused, so it is not advised.
    expect(problems('0 0.5 0.5 0.1 0.1\n')).toEqual(['(file): no size for image "labels.yolo": YOLO coordinates are fractions of it (give the image sizes)']);
    expect(problems('0 0.5 0.5 0.1 0.1\n', { advice: { size: 'give --image-size W,H' } })).toEqual(['(file): no size for image "labels.yolo": YOLO coordinates are fractions of it (give --image-size W,H)']);
    const r = readYoloText('0 0.5 0.5 0.1 0.1\r\n', 'frame-7.txt', { now: NOW, imageSize: { width: 640, height: 480 }, classes: ['polyp'] });
    expect(r.ok && boxes(r.data)).toEqual([{ image: 'frame-7', annotator: 'frame-7', cls: 'polyp', geometry: { type: 'box', x: 288, y: 216, w: 64, h: 48 } }]);
  });

  it('a label file without class names warns that classes are named by number', () => {
    const r = readYoloText('0 0.5 0.5 0.1 0.1\n2 0.5 0.5 0.1 0.1\n', 'f.txt', { now: NOW, imageSize: { width: 10, height: 10 }, advice: { classes: 'give them with --classes FILE' } });
    expect(r.ok && r.warnings).toEqual([{ path: '(file)', message: 'no name for classes 0, 2, so named by number (give them with --classes FILE)' }]);
  });
});

describe('YOLO reader never throws', () => {
  it('mutated files give valid data or located problems', () => {
    const base = writeYolo(sampleProjectData('endoscopy-lesions'), 'single').files[0].text;
    fc.assert(
      fc.property(mutatedText(base), (text) => {
        expect(brokenPromise(readYoloText(text, 'm.txt', { now: NOW }))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });

  it('mutated plain and folder files give valid data or located problems', () => {
    const data = sampleProjectData('endoscopy-lesions', { annotators: ['r'] });
    const files = writeYolo(data).files;
    fc.assert(
      fc.property(mutatedText(files[2].text), mutatedText(files[1].text), (labels, classes) => {
        expect(brokenPromise(readYoloText(labels, 'frame-001.txt', { now: NOW, images: data.images }))).toBeNull();
        expect(brokenPromise(readYoloFiles([{ name: 'classes.txt', text: classes }, { name: 'frame-001.txt', text: labels }], { now: NOW, images: data.images }))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });
});
