import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedText, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import type { ProjectData } from '../../model/projectData';
import type { Geometry } from '../../model/types';
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

  it('writes classes.txt and a file per image, in a folder per annotator when there are several', () => {
    const data = sampleProjectData('endoscopy-lesions');
    expect(writeYolo(data).files.map((f) => f.name)).toEqual(['classes.txt', 'reader-a/frame-001.txt', 'reader-b/frame-001.txt', 'reader-a/frame-002.txt', 'reader-b/frame-002.txt']);
    const one = writeYolo(sampleProjectData('endoscopy-lesions', { annotators: ['r'] })).files;
    expect(one.map((f) => f.name)).toEqual(['classes.txt', 'frame-001.txt', 'frame-002.txt']);
    expect(one[0].text).toBe('Polyp\nSuspected cancer\nOther lesion\n');
    expect(one[2].text).toBe('0 0.320508 0.307617 0.141016 0.146484\n1 0.582031 0.546875 0.070313 0.117188\n');
  });

  it('writes polygons as their boxes, clips boxes to the image, and says what it left out', () => {
    const data = sampleProjectData('pathology-cells', { images: 1, annotators: ['r'] });
    data.annotations[1].geometry = { type: 'point', x: 1, y: 1 };
    data.annotations[2].geometry = { type: 'box', x: -10, y: 0, w: 20, h: 10 };
    const { files, warnings } = writeYolo(data);
    expect(files[1].text.split('\n')[1]).toBe('1 0.000125 0.000167 0.000250 0.000333');
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

  it('the folder form reads back with the image sizes given', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const result = readYoloFiles(writeYolo(data).files, { now: NOW, images: data.images });
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
    expect(problems('# image: a.jpg\n0 0.5 0.5 0.1 0.1\n')).toEqual(['line 1: no size for image "a.jpg": YOLO coordinates are fractions of it (add "# size: WIDTH HEIGHT" or give the image sizes)']);
    expect(problems('# class 0: p\n0 0.5 0.5 0.1 0.1\n# image: a.jpg\n# size: 0 10\n')).toEqual(['line 2: a label line before any "# image:" line', 'line 4: size must be "WIDTH HEIGHT" in whole pixels above zero']);
    expect(problems(`${head}0 0.1 0.1 0.2 0.2 0.3 0.3\n`)).toEqual(['line 4: ring has zero area']);
  });

  it('a plain label file without its image size', () => {
    expect(problems('0 0.5 0.5 0.1 0.1\n')).toEqual(['(file): no size for image "labels.yolo": YOLO coordinates are fractions of it (add "# size: WIDTH HEIGHT" or give the image sizes)']);
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
      fc.property(mutatedText(files[1].text), mutatedText(files[0].text), (labels, classes) => {
        expect(brokenPromise(readYoloText(labels, 'frame-001.txt', { now: NOW, images: data.images }))).toBeNull();
        expect(brokenPromise(readYoloFiles([{ name: 'classes.txt', text: classes }, { name: 'frame-001.txt', text: labels }], { now: NOW, images: data.images }))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });
});
