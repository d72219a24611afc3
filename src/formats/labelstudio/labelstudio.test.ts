// Label Studio's JSON export, built here as Label Studio writes it: the task format of its docs
// ("Label Studio JSON format of annotated tasks", labelstud.io/guide/export and /guide/task_format:
// tasks {id, data: {image}, annotations: [{id, completed_by, result, was_cancelled, created_at,
// updated_at}], predictions: [{model_version, result, score}]}) and the result fields of each tag
// (labelstud.io/tags/rectanglelabels, /polygonlabels, /keypointlabels, /choices: `value` in
// percentages 0–100 of the image, `original_width`/`original_height` in pixels, `rotation` in
// degrees about the rectangle's top-left corner; per-region answers share the region's `id`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedJson, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import { readAnyFormat } from '../detect';
import { readLabelStudio } from './read';

const NOW = '2026-03-01T00:00:00.000Z';
const size = { original_width: 1280, original_height: 1024, image_rotation: 0 };

function exportJson() {
  return [
    {
      id: 1,
      data: { image: '/data/upload/3/8f3a2b1c-frame%20001.jpg' },
      annotations: [
        {
          id: 1001,
          completed_by: 10,
          result: [
            { id: 'Dx_aB91ISN', type: 'rectanglelabels', from_name: 'lesion', to_name: 'image', ...size, value: { x: 25, y: 50, width: 12.5, height: 10, rotation: 0, rectanglelabels: ['Polyp'] } },
            // A per-region answer: same id as the rectangle.
            { id: 'Dx_aB91ISN', type: 'choices', from_name: 'paris', to_name: 'image', ...size, value: { choices: ['0-Is'] } },
            { id: 'Dx_aB91ISN', type: 'textarea', from_name: 'comment', to_name: 'image', ...size, value: { text: ['flat', 'reddish'] } },
            { id: 'Pq3zLm0wXe', type: 'polygonlabels', from_name: 'region', to_name: 'image', ...size, value: { points: [[10, 10], [20, 10], [20, 30]], polygonlabels: ['Bleeding'] } },
            { id: 'kP1tQa9z0B', type: 'keypointlabels', from_name: 'tip', to_name: 'image', ...size, value: { x: 50, y: 25, width: 0.5, keypointlabels: ['Instrument tip'] } },
            // Not attached to a region: a label of the whole image.
            { id: 'cH0iC3sQ1a', type: 'choices', from_name: 'quality', to_name: 'image', value: { choices: ['Adequate'] } },
          ],
          was_cancelled: false,
          ground_truth: false,
          created_at: '2024-05-02T09:15:00.123456Z',
          updated_at: '2024-05-02T09:20:30.654321Z',
          lead_time: 42.1,
          task: 1,
        },
        { id: 1002, completed_by: 11, result: [{ id: 'Zz9', type: 'rectanglelabels', from_name: 'lesion', to_name: 'image', ...size, value: { x: 10, y: 10, width: 20, height: 20, rotation: 90, rectanglelabels: ['Polyp'] } }], was_cancelled: false, task: 1 },
        { id: 1003, completed_by: 12, result: [], was_cancelled: true, task: 1 },
      ],
      predictions: [{ id: 7, model_version: 'yolo-v8', score: 0.8, result: [{ id: 'm1', type: 'rectanglelabels', from_name: 'lesion', to_name: 'image', ...size, score: 0.93, value: { x: 24, y: 49, width: 13, height: 11, rotation: 0, rectanglelabels: ['Polyp'] } }] }],
      meta: {},
      created_at: '2024-05-01T08:00:00.000000Z',
      updated_at: '2024-05-02T09:20:30.654321Z',
      inner_id: 1,
      project: 3,
    },
  ];
}

function read(value: unknown, name = 'project-3-at-2024-05-02.json', opts = {}) {
  const r = readLabelStudio(value, name, { now: NOW, ...opts });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
}

describe('Label Studio JSON export', () => {
  it('turns percentages into pixels of the original image, one annotator per completed_by, a model per prediction', () => {
    const { data } = read(exportJson());
    expect(data.images.map((im) => [im.name, im.width, im.height])).toEqual([['8f3a2b1c-frame 001.jpg', 1280, 1024]]);
    expect(data.annotators.map((a) => a.id)).toEqual(['user-10', 'user-11', 'model yolo-v8']);
    const [polyp, bleeding, tip, adequate] = data.annotations;
    // x 25% of 1280 = 320, y 50% of 1024 = 512, width 12.5% = 160, height 10% = 102.4.
    expect(polyp).toMatchObject({ classId: 'Polyp', geometry: { type: 'box', x: 320, y: 512, w: 160, h: 102.4 }, attributes: { paris: '0-Is', comment: 'flat\nreddish' } });
    expect(polyp.createdAt).toBe('2024-05-02T09:15:00.123456Z');
    expect(polyp.updatedAt).toBe('2024-05-02T09:20:30.654321Z');
    // (10%, 10%), (20%, 10%), (20%, 30%) of 1280 × 1024.
    expect(bleeding.geometry).toEqual({ type: 'polygon', points: [128, 102.4, 256, 102.4, 256, 307.2] });
    expect(tip.geometry).toEqual({ type: 'point', x: 640, y: 256 });
    expect([adequate.classId, adequate.geometry]).toEqual(['Adequate', null]);
    expect(data.annotations.find((a) => a.annotatorId === 'model yolo-v8')?.attributes).toEqual({ score: 0.93 });
  });

  it('a rotated rectangle becomes its four corners, turned about its top-left corner', () => {
    const rotated = read(exportJson()).data.annotations.find((a) => a.annotatorId === 'user-11')!;
    // Top-left (128, 102.4); 256 wide, 204.8 high; turned 90° clockwise (y down):
    // (128, 102.4), (128, 358.4), (-76.8, 358.4), (-76.8, 102.4).
    const points = (rotated.geometry as { points: number[] }).points;
    [128, 102.4, 128, 358.4, -76.8, 358.4, -76.8, 102.4].forEach((v, i) => expect(points[i]).toBeCloseTo(v, 9));
  });

  it('leaves out cancelled annotations and results it cannot read, saying so', () => {
    const file = exportJson();
    file[0].annotations[0].result.push({ id: 'b1', type: 'brushlabels', from_name: 'mask', to_name: 'image', ...size, value: { format: 'rle', rle: [1, 2, 3], brushlabels: ['Polyp'] } } as never);
    expect(read(file).warnings).toEqual([
      { path: '(file)', message: '1 skipped (cancelled) annotation was left out' },
      { path: '[0].annotations[0].result[6]', message: '"brushlabels" results are not read' },
    ]);
  });

  it('gives the same ids each time, taken from the task, annotation and region ids (not the file name)', () => {
    const ids = read(exportJson()).data.annotations.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(read(exportJson(), 'renamed-export.json').data.annotations.map((a) => a.id)).toEqual(ids);
  });

  it('needs the image size to place a region: from original_width/height, else from the caller', () => {
    const file = exportJson();
    for (const r of file[0].annotations[0].result as Record<string, unknown>[]) delete r.original_width;
    file[0].annotations.splice(1);
    file[0].predictions = [];
    for (const r of file[0].annotations[0].result as Record<string, unknown>[]) delete r.original_height;
    const r = readLabelStudio(file, 'x.json', { now: NOW });
    expect(!r.ok && r.problems[0]).toEqual({ path: '[0].annotations[0].result[0]', message: 'needs original_width and original_height (or the image size) to place its percentages' });
    const given = read(file, 'x.json', { images: [{ name: '8f3a2b1c-frame 001.jpg', width: 1280, height: 1024 }] });
    expect(given.data.annotations[0].geometry).toEqual({ type: 'box', x: 320, y: 512, w: 160, h: 102.4 });
  });

  it('refuses bad values at their place', () => {
    const file = exportJson();
    (file[0].annotations[0].result[3].value as Record<string, unknown>).points = [[10, 10], [20, 'x'], [20, 30]];
    (file[0].annotations[1].result[0] as Record<string, unknown>).original_width = -5;
    const r = readLabelStudio(file, 'x.json', { now: NOW });
    expect(!r.ok && r.problems).toEqual([
      { path: '[0].annotations[1].result[0].original_width', message: 'original_width and original_height must be whole numbers above zero' },
      { path: '[0].annotations[0].result[3].value.points[1]', message: 'must be [x, y], numbers (percentages of the image)' },
    ]);
  });

  it('is found by its content, as is a single task', () => {
    const list = readAnyFormat(JSON.stringify(exportJson()), 'export.json', { now: NOW });
    expect([list.ok, list.format]).toEqual([true, 'labelstudio']);
    const one = readAnyFormat(JSON.stringify(exportJson()[0]), 'task.json', { now: NOW });
    expect([one.ok, one.format]).toEqual([true, 'labelstudio']);
  });

  it('mutated exports give valid data or located problems, never a throw', () => {
    fc.assert(
      fc.property(mutatedJson(exportJson()), (value) => {
        expect(brokenPromise(readLabelStudio(value, 'm.json', { now: NOW }))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });
});
