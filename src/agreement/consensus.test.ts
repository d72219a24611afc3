import { describe, expect, it } from 'vitest';
import { geometryArea } from '../model/geometry';
import type { Geometry } from '../model/types';
import { consensusOutline, consensusShapes, majorityVote, shapeClusters } from './consensus';
import type { ShapeRecord } from './types';

const square = (x: number, y: number, s: number): Geometry => ({ type: 'polygon', points: [x, y, x + s, y, x + s, y + s, x, y + s] });
const area = (gs: Geometry[]) => gs.reduce((s, g) => s + geometryArea(g), 0);

describe('majority vote', () => {
  it('takes the most frequent label and flags ties instead of picking one', () => {
    const votes = majorityVote([
      { item: 'img1', rater: 'a', label: 'dr' },
      { item: 'img1', rater: 'b', label: 'dr' },
      { item: 'img1', rater: 'c', label: 'normal' },
      { item: 'img2', rater: 'a', label: 'dr' },
      { item: 'img2', rater: 'b', label: 'normal' },
      { item: 'img2', rater: 'c', label: null },
      { item: 'img3', rater: 'a', label: null },
    ]);
    expect(votes).toEqual([
      { item: 'img1', label: 'dr', votes: 2, ratings: 3, tie: false, tied: [] },
      { item: 'img2', label: null, votes: 1, ratings: 2, tie: true, tied: ['dr', 'normal'] },
      { item: 'img3', label: null, votes: 0, ratings: 0, tie: false, tied: [] },
    ]);
  });
});

describe('consensus outline', () => {
  it('keeps what at least two of three raters covered', () => {
    // Three 2×2 squares shifted by 1 along x: [0,2], [1,3], [2,4]. Covered twice or more: x in [1,3].
    const out = consensusOutline([square(0, 0, 2), square(1, 0, 2), square(2, 0, 2)]);
    expect(out).toHaveLength(1);
    expect(area(out)).toBeCloseTo(4, 10);
    expect(out[0].points.length % 2).toBe(0);
    // Flat and unclosed, as the model stores rings.
    expect(out[0].points.slice(0, 2)).not.toEqual(out[0].points.slice(-2));
  });

  it('is the union for two raters (one of two is half) and empty when too few drew it', () => {
    expect(area(consensusOutline([square(0, 0, 2), square(1, 0, 2)]))).toBeCloseTo(6, 10);
    expect(consensusOutline([square(0, 0, 2)], 4)).toEqual([]);
    // Two of four raters is half: their intersection.
    expect(area(consensusOutline([square(0, 0, 2), square(1, 0, 2)], 4))).toBeCloseTo(2, 10);
  });
});

describe('shape clusters', () => {
  const shape = (id: string, rater: string, g: Geometry): ShapeRecord => ({ id, image: 'im', classId: 'cell', rater, geometry: g });

  it('groups corresponding outlines across raters, one per rater, and builds their consensus', () => {
    const shapes = [
      shape('a1', 'a', square(0, 0, 10)), shape('a2', 'a', square(100, 0, 10)),
      shape('b1', 'b', square(1, 0, 10)), shape('b2', 'b', square(300, 0, 10)),
      shape('c1', 'c', square(2, 0, 10)), shape('c2', 'c', square(101, 0, 10)),
    ];
    const clusters = shapeClusters(shapes, ['a', 'b', 'c']);
    expect(clusters.map((c) => c.members.map((m) => m.id))).toEqual([['a1', 'b1', 'c1'], ['a2', 'c2'], ['b2']]);
    const consensus = consensusShapes(shapes, ['a', 'b', 'c']);
    expect(consensus.map((c) => c.members.length)).toEqual([3, 2]);
    // x in [1, 11] is covered by at least two of [0,10], [1,11], [2,12]; the pair a2/c2 gives their intersection.
    expect(area(consensus[0].outline)).toBeCloseTo(100, 10);
    expect(area(consensus[1].outline)).toBeCloseTo(90, 10);
  });
});
