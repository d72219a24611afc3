import { describe, expect, it } from 'vitest';
import { jpegBytes, pngBytes } from '../../../tests/fixtures/formats/images';
import { labelStudioExport, roboflowExport } from '../../../tests/fixtures/formats/yoloExports';
import type { ProjectData } from '../../model/projectData';
import { imageSize } from '../imageSize';
import { Report } from '../interchange/result';
import { sampleProjectData } from '../testData';
import { parseDataYaml, planYoloDataset, readYoloDataset, type YoloDatasetPlan } from './dataset';
import type { YoloReadOptions } from './read';
import { writeYolo } from './write';

const NOW = '2026-03-01T00:00:00.000Z';

/** Reads a folder given as path → content, as a caller with a file system does. */
function readFolder(name: string, files: Record<string, string | Uint8Array>, opts: YoloReadOptions = {}) {
  const plan = planYoloDataset(Object.keys(files)) as YoloDatasetPlan;
  const texts = new Map(Object.entries(files).flatMap(([p, c]) => (typeof c === 'string' ? [[p, c] as [string, string]] : [])));
  const sizes = new Map(
    Object.entries(files).flatMap(([p, c]) => {
      if (typeof c === 'string') return [];
      const r = imageSize(c);
      return [[p, r.ok ? { width: r.width, height: r.height } : { problem: r.message }] as const];
    }),
  );
  return readYoloDataset({ name, plan, texts, sizes }, { now: NOW, ...opts });
}

function boxes(data: ProjectData) {
  const image = new Map(data.images.map((im) => [im.id, im]));
  const cls = new Map(data.schemas.flatMap((s) => s.classes).map((c) => [c.id, c.name.en]));
  return data.annotations.map((a) => ({ image: image.get(a.imageId)!.name, cls: cls.get(a.classId), geometry: a.geometry }));
}

function expectBox(actual: unknown, [x, y, w, h]: number[]) {
  const g = actual as { type: string; x: number; y: number; w: number; h: number };
  expect(g.type).toBe('box');
  for (const [k, v] of [['x', x], ['y', y], ['w', w], ['h', h]] as const) expect(g[k]).toBeCloseTo(v, 5);
}

describe('YOLO dataset folders as labelling tools export them', () => {
  it('a labelling tool\'s export (classes.txt, images/, labels/, notes.json; CRLF): boxes in pixels from the PNG sizes', () => {
    const result = readFolder('project-3-at-2026-02-27', labelStudioExport());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { data } = result;
    expect(data.images.map((im) => [im.name, im.width, im.height])).toEqual([
      ['3f2a9c1e-frame-001.png', 1280, 1024],
      ['7b41d0aa-frame-002.png', 1280, 1024],
    ]);
    expect(data.schemas[0].classes.map((c) => c.name.en)).toEqual(['Cancer', 'Polyp']);
    const read = boxes(data);
    expect(read.map((b) => [b.image, b.cls])).toEqual([
      ['3f2a9c1e-frame-001.png', 'Polyp'],
      ['3f2a9c1e-frame-001.png', 'Cancer'],
      ['7b41d0aa-frame-002.png', 'Polyp'],
    ]);
    // The boxes were drawn at x, y, w, h percent of 1280 × 1024: (25, 23.4375, 14.1015625, 14.6484375) and so on.
    expectBox(read[0].geometry, [320, 240, 180.5, 150]);
    expectBox(read[1].geometry, [700, 500, 90, 120]);
    expectBox(read[2].geometry, [(33.33333333333333 / 100) * 1280, (10.416666666666668 / 100) * 1024, 256, (16.666666666666664 / 100) * 1024]);
    expect(data.annotators.map((a) => a.id)).toEqual(['project-3-at-2026-02-27']);
    expect(result.warnings).toEqual([]);
  });

  it('a dataset platform\'s export (data.yaml, train/valid/test): splits in one project, the empty label file a negative', () => {
    const result = readFolder('polyps.v3i.yolov8', roboflowExport());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { data } = result;
    const names = data.images.map((im) => [im.name, im.width, im.height]);
    expect(names).toEqual([
      ['frame-003_jpg.rf.9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b.jpg', 640, 640],
      ['frame-001_jpg.rf.6a1f0c2b9d8e7f6a5b4c3d2e1f0a9b8c.jpg', 640, 640],
      ['frame-002_jpg.rf.0f1e2d3c4b5a69788796a5b4c3d2e1f0.jpg', 640, 640],
    ]);
    expect(data.schemas[0].classes.map((c) => c.name.en)).toEqual(['polyp', 'suspected cancer']);
    const read = boxes(data);
    expect(read.map((b) => [b.image.slice(0, 9), b.cls])).toEqual([
      ['frame-001', 'polyp'],
      ['frame-002', 'suspected cancer'],
      ['frame-002', 'suspected cancer'],
    ]);
    // 0.5 ± 0.125 of 640 → 240…400; 0.25 ± 0.05 → 128…192 wide, 0.75 ± 0.1 → 416…544 high.
    expectBox(read[0].geometry, [240, 240, 160, 160]);
    expectBox(read[1].geometry, [128, 416, 64, 128]);
    expectBox(read[2].geometry, [432, 176, 32, 32]);
    expect(data.statuses.map((s) => [data.images.find((im) => im.id === s.imageId)!.name.slice(0, 9), s.state, s.noFinding])).toEqual([['frame-003', 'done', true]]);
    expect(result.warnings).toEqual([{ path: '(folder)', message: 'the splits test, train, valid are read into one project: which image was in which split is not kept' }]);
  });

  it('Granula\'s own dataset folder reads back: boxes to six decimals, "no lesion" from the empty file', () => {
    const data = sampleProjectData('endoscopy-lesions', { images: 3, annotators: ['r'] });
    data.annotations = data.annotations.filter((a) => a.imageId !== 'img_3');
    data.statuses = data.statuses.map((s) => (s.imageId === 'img_3' ? { ...s, noFinding: true } : s));
    const written = writeYolo(data);
    const files: Record<string, string | Uint8Array> = Object.fromEntries(written.files.map((f) => [f.name, f.text]));
    for (const slot of written.images) files[`images/${slot.stem}.jpg`] = jpegBytes(1280, 1024);
    const result = readFolder('frames', files);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.data.images.map((im) => im.name)).toEqual(['frame-001.jpg', 'frame-002.jpg', 'frame-003.jpg']);
    const read = boxes(result.data);
    const original = boxes(data);
    expect(read.map((b) => [b.image, b.cls])).toEqual(original.map((b) => [b.image, b.cls]));
    read.forEach((b, i) => {
      const o = original[i].geometry as { x: number; y: number; w: number; h: number };
      for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs((b.geometry as typeof o)[k] - o[k])).toBeLessThan(2e-3);
    });
    expect(result.data.statuses.map((s) => [s.imageId === result.data.images[2].id, s.noFinding])).toEqual([[true, true]]);
  });

  it('label files without their images: the problem names what is missing and what to give; given it, the folder reads', () => {
    const files = labelStudioExport();
    delete files['images/7b41d0aa-frame-002.png'];
    files['images/3f2a9c1e-frame-001.png'] = new TextEncoder().encode('not an image');
    const result = readFolder('ls', files, { advice: { size: 'give --images DIR or --image-size W,H' } });
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'labels/3f2a9c1e-frame-001.txt: no size for image "3f2a9c1e-frame-001.png": YOLO coordinates are fractions of it (images/3f2a9c1e-frame-001.png is not a PNG or JPEG image, so its size cannot be read; give --images DIR or --image-size W,H)',
      'labels/7b41d0aa-frame-002.txt: no size for image "7b41d0aa-frame-002": YOLO coordinates are fractions of it (no image file 7b41d0aa-frame-002.* in images; give --images DIR or --image-size W,H)',
    ]);
    const followed = readFolder('ls', files, { imageSize: { width: 1280, height: 1024 } });
    expect(followed.ok && followed.data.images.map((im) => [im.name, im.width])).toEqual([
      ['3f2a9c1e-frame-001.png', 1280],
      ['7b41d0aa-frame-002', 1280],
    ]);
  });

  it('reading the same folder twice gives the same ids; editing one label line changes only its id', () => {
    const ids = (files: Record<string, string | Uint8Array>) => {
      const r = readFolder('polyps.v3i.yolov8', files);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return { project: r.data.project.id, images: r.data.images.map((im) => im.id), statuses: r.data.statuses.map((s) => s.id), annotations: r.data.annotations.map((a) => a.id) };
    };
    const first = ids(roboflowExport());
    expect(ids(roboflowExport())).toEqual(first);
    expect(new Set(first.annotations).size).toBe(3);
    // frame-002's second box moved: its first box, and frame-001's, keep their ids.
    const edited = roboflowExport();
    edited['valid/labels/frame-002_jpg.rf.0f1e2d3c4b5a69788796a5b4c3d2e1f0.txt'] = '1 0.25 0.75 0.1 0.2\n1 0.7 0.35 0.05 0.05\n';
    const after = ids(edited);
    expect(after.annotations.map((id, i) => id === first.annotations[i])).toEqual([true, true, false]);
    expect([after.project, after.images, after.statuses]).toEqual([first.project, first.images, first.statuses]);
  });

  it('a class number past the names says which file names the classes', () => {
    const files = roboflowExport();
    files['valid/labels/frame-002_jpg.rf.0f1e2d3c4b5a69788796a5b4c3d2e1f0.txt'] = '2 0.5 0.5 0.1 0.1\n';
    const result = readFolder('rf', files);
    expect(!result.ok && result.problems).toEqual([{ path: 'valid/labels/frame-002_jpg.rf.0f1e2d3c4b5a69788796a5b4c3d2e1f0.txt line 1, field "class"', message: 'no class 2: data.yaml names classes 0–1' }]);
  });

  it('a folder without label files says what it looked for', () => {
    expect(planYoloDataset(['notes.md', 'a.geojson', 'images/x.png'])).toEqual({ problem: 'holds no YOLO label files: expected labels/*.txt, <split>/labels/*.txt, or *.txt beside classes.txt' });
  });

  it('the flat form: classes.txt beside the label files and their images', () => {
    const result = readFolder('flat', { 'classes.txt': 'polyp\n', 'a.txt': '0 0.5 0.5 0.5 0.5\n', 'a.png': pngBytes(100, 80), 'README.txt': 'see notes' });
    expect(result.ok && boxes(result.data)).toEqual([{ image: 'a.png', cls: 'polyp', geometry: { type: 'box', x: 25, y: 20, w: 50, h: 40 } }]);
  });
});

describe('data.yaml names', () => {
  const names = (text: string) => {
    const report = new Report();
    const out = parseDataYaml(text, 'data.yaml', report);
    return report.failed ? report.problems.map((p) => `${p.path}: ${p.message}`) : out;
  };

  it('as a flow list, a block list, a numbered map (block or flow), quoted or not, with comments and CRLF', () => {
    expect(names("nc: 2\r\nnames: ['polyp', 'suspected cancer']\r\n")).toEqual(['polyp', 'suspected cancer']);
    expect(names('names: [polyp, "a, b", \'it\'\'s\']  # classes\n')).toEqual(['polyp', 'a, b', "it's"]);
    expect(names('path: ../datasets/x\nnames:\n  - polyp\n  - cancer # malignant\ntrain: images\n')).toEqual(['polyp', 'cancer']);
    expect(names('names:\n  0: person\n  1: "traffic light"\n  2: 内視鏡所見\n')).toEqual(['person', 'traffic light', '内視鏡所見']);
    expect(names('names: {0: a, 1: b}\n')).toEqual(['a', 'b']);
    expect(names('names: [\n  a,\n  b\n]\n')).toEqual(['a', 'b']);
  });

  it('refuses what would misname classes, with the line', () => {
    expect(names('nc: 3\nnames: [a, b]\n')).toEqual(['data.yaml line 1: nc is 3 but names lists 2 classes']);
    expect(names('names:\n  0: a\n  2: c\n')).toEqual(['data.yaml line 1: names: class 1 has no name (class numbers run 0, 1, 2…)']);
    expect(names('nc: 2\n')).toEqual(['data.yaml line 1: gives nc but no names: add names: [first class, second class, …]']);
    expect(names('names: [a, b\n')).toEqual(['data.yaml line 1: names: "[" is never closed']);
  });
});
