import { describe, expect, it } from 'vitest';
import type { Geometry } from '../model/types';
import { agreementReport } from './report';
import { compareRaterShapes, shapeAgreement } from './shapeAgreement';
import type { ShapeRecord } from './types';

const box = (x: number, y: number, w = 10, h = 10): Geometry => ({ type: 'box', x, y, w, h });
const shape = (id: string, rater: string, g: Geometry, image = 'im1', classId = 'polyp'): ShapeRecord => ({ id, image, classId, rater, geometry: g });

describe('agreement report', () => {
  it('has exactly the keys of the contract in docs/AGREEMENT.md', () => {
    const r = agreementReport({
      ratings: [{ item: 'i1', rater: 'r1', label: '1' }, { item: 'i1', rater: 'r2', label: '1' }, { item: 'i2', rater: 'r1', label: '0' }, { item: 'i2', rater: 'r2', label: '1' }],
      shapes: [shape('s1', 'r1', box(0, 0)), shape('s2', 'r2', box(1, 0))],
      raters: ['r1', 'r2'],
    });
    // The first contract's keys keep their names and order; later keys are only added after them.
    expect(Object.keys(r)).toEqual(['labels', 'shapes', 'attributes', 'bootstrap']);
    expect(Object.keys(r.labels)).toEqual(['raters', 'items', 'cohen_kappa', 'weighted_kappa', 'fleiss_kappa', 'krippendorff_alpha', 'ordered', 'images_compared', 'images_minimum', 'too_few_images', 'ci95']);
    expect(Object.keys(r.labels.ci95)).toEqual(['cohen_kappa', 'weighted_kappa', 'fleiss_kappa', 'krippendorff_alpha']);
    expect(r.bootstrap).toEqual({ resamples: 1000, seed: 1 });
    expect(Object.keys(r.labels.weighted_kappa)).toEqual(['linear', 'quadratic']);
    expect(Object.keys(r.labels.krippendorff_alpha)).toEqual(['nominal', 'ordinal', 'interval']);
    expect(Object.keys(r.shapes)).toEqual(['iou_threshold', 'pairs']);
    expect(Object.keys(r.shapes.pairs[0])).toEqual(['a', 'b', 'a_count', 'b_count', 'matched', 'precision', 'recall', 'f1', 'mean_iou', 'mean_dice']);
    expect(r.shapes.iou_threshold).toBe(0.5);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('gives nulls, not numbers, for what does not apply', () => {
    const r = agreementReport({ ratings: [], shapes: [], raters: [] });
    expect(r).toEqual({
      labels: {
        raters: [],
        items: 0,
        cohen_kappa: null,
        weighted_kappa: { linear: null, quadratic: null },
        fleiss_kappa: null,
        krippendorff_alpha: { nominal: null, ordinal: null, interval: null },
        ordered: false,
        images_compared: 0,
        images_minimum: 10,
        too_few_images: true,
        ci95: { cohen_kappa: null, weighted_kappa: { linear: null, quadratic: null }, fleiss_kappa: null, krippendorff_alpha: { nominal: null, ordinal: null, interval: null } },
      },
      shapes: { iou_threshold: 0.5, pairs: [] },
      attributes: [],
      bootstrap: { resamples: 1000, seed: 1 },
    });
  });
});

describe('shape agreement between raters', () => {
  it('matches per image and class, with a as the reference', () => {
    const shapes = [
      shape('a1', 'a', box(0, 0)), shape('a2', 'a', box(50, 0)), shape('a3', 'a', box(0, 0), 'im2'),
      shape('b1', 'b', box(1, 0)), // IoU 9/11 with a1
      shape('b2', 'b', box(50, 0), 'im1', 'other-class'), // same place as a2 but another class
      shape('b3', 'b', box(0, 5), 'im2'), // IoU 1/3 with a3: below 0.5
    ];
    const { report, matches } = compareRaterShapes(shapes, 'a', 'b');
    expect(matches.map((m) => [m.a, m.b])).toEqual([['a1', 'b1']]);
    expect(report).toMatchObject({ a: 'a', b: 'b', a_count: 3, b_count: 3, matched: 1 });
    expect(report.precision).toBeCloseTo(1 / 3, 12);
    expect(report.recall).toBeCloseTo(1 / 3, 12);
    expect(report.f1).toBeCloseTo(1 / 3, 12);
    expect(report.mean_iou).toBeCloseTo(9 / 11, 12);
    expect(report.mean_dice).toBeCloseTo(18 / 20, 12);
    // A lower threshold admits the 1/3 pair too.
    expect(compareRaterShapes(shapes, 'a', 'b', { kind: 'iou', threshold: 0.3 }).report.matched).toBe(2);
  });

  it('leaves precision, recall and means null where they have no denominator', () => {
    const { report } = compareRaterShapes([shape('a1', 'a', box(0, 0))], 'a', 'b');
    expect(report).toEqual({ a: 'a', b: 'b', a_count: 1, b_count: 0, matched: 0, precision: null, recall: 0, f1: 0, mean_iou: null, mean_dice: null });
  });

  it('compares every pair of raters who drew, and pools them overall', () => {
    const shapes = [shape('a1', 'a', box(0, 0)), shape('b1', 'b', box(0, 0)), shape('c1', 'c', box(100, 0))];
    const { pairs, overall } = shapeAgreement(shapes, ['c', 'a', 'b', 'labels-only']);
    expect(pairs.map((p) => [p.a, p.b, p.matched])).toEqual([['c', 'a', 0], ['c', 'b', 0], ['a', 'b', 1]]);
    expect(overall).toMatchObject({ a_count: 3, b_count: 3, matched: 1, mean_iou: 1 });
  });

  it('matches cell centroids within a radius in microns, using the image mpp', () => {
    const dots = [shape('a1', 'a', { type: 'point', x: 0, y: 0 }), shape('b1', 'b', { type: 'point', x: 8, y: 0 })];
    const near = compareRaterShapes(dots, 'a', 'b', { kind: 'centroid', radius: 2.5, unit: 'um', mpp: { im1: 0.25 } });
    expect(near.report.matched).toBe(1); // 8 px = 2 µm
    expect(near.report.mean_iou).toBeNull();
    expect(compareRaterShapes(dots, 'a', 'b', { kind: 'centroid', radius: 5 }).report.matched).toBe(0);
    expect(() => compareRaterShapes(dots, 'a', 'b', { kind: 'centroid', radius: 2, unit: 'um' })).toThrow(/microns per pixel/);
    // IoU matching ignores points: they have no area.
    expect(compareRaterShapes(dots, 'a', 'b').report.a_count).toBe(0);
  });
});
