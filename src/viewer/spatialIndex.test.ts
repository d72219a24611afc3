import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geometryBounds, type Bounds } from '../model/geometry';
import type { Geometry } from '../model/types';
import { imagePoint } from './coords';
import { SpatialIndex } from './spatialIndex';

const coord = fc.integer({ min: -2000, max: 2000 });
const size = fc.integer({ min: 0, max: 400 });

const geometryArb: fc.Arbitrary<Geometry> = fc.oneof(
  fc.record({ type: fc.constant('box' as const), x: coord, y: coord, w: size, h: size }),
  fc.record({ type: fc.constant('point' as const), x: coord, y: coord }),
  fc
    .tuple(coord, coord, fc.array(fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -300, max: 300 })), { minLength: 3, maxLength: 8 }))
    .map(([cx, cy, offsets]) => ({ type: 'polygon' as const, points: offsets.flatMap(([dx, dy]) => [cx + dx, cy + dy]) })),
);

/** Ids from a small pool so edits and removals often hit existing shapes. */
const idArb = fc.integer({ min: 0, max: 40 }).map((i) => `s${i}`);

type Op = { kind: 'upsert'; id: string; geometry: Geometry } | { kind: 'remove'; id: string } | { kind: 'query'; rect: Bounds };

const rectArb = fc.tuple(coord, coord, fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 1500 })).map(([x, y, w, h]) => ({ minX: x, minY: y, maxX: x + w, maxY: y + h }));

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('upsert' as const), id: idArb, geometry: geometryArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: idArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('query' as const), rect: rectArb }) },
);

function intersects(b: Bounds, r: Bounds): boolean {
  return b.maxX >= r.minX && b.minX <= r.maxX && b.maxY >= r.minY && b.minY <= r.maxY;
}

describe('SpatialIndex.search', () => {
  it('never misses a shape whose bounds meet the view, through edits, removals and rebuilds', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(idArb, geometryArb), { maxLength: 60 }), fc.array(opArb, { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (initial, ops, minOverlay) => {
        const truth = new Map<string, Geometry>(initial);
        // A tiny overlay limit makes rebuilds happen mid-sequence.
        const index = new SpatialIndex(
          initial.map(([id, geometry]) => ({ id, geometry })),
          { minOverlay, rebuildFraction: 0.25 },
        );
        for (const op of ops) {
          if (op.kind === 'upsert') {
            truth.set(op.id, op.geometry);
            index.upsert({ id: op.id, geometry: op.geometry });
          } else if (op.kind === 'remove') {
            expect(index.remove(op.id)).toBe(truth.delete(op.id));
          } else {
            const expected = [...truth].filter(([, g]) => intersects(geometryBounds(g), op.rect)).map(([id]) => id).sort();
            expect(index.search(op.rect).sort()).toEqual(expected);
          }
          expect(index.size).toBe(truth.size);
        }
        for (const [id, g] of truth) expect(index.get(id)).toBe(g);
      }),
      { seed: 20251126, numRuns: 300 },
    );
  });

  it('counts a shape that only touches the view edge as in view', () => {
    const index = new SpatialIndex([{ id: 'a', geometry: { type: 'box', x: 100, y: 100, w: 10, h: 10 } }]);
    expect(index.search({ minX: 110, minY: 110, maxX: 200, maxY: 200 })).toEqual(['a']);
    expect(index.search({ minX: 0, minY: 0, maxX: 100, maxY: 100 })).toEqual(['a']);
    expect(index.search({ minX: 111, minY: 0, maxX: 200, maxY: 200 })).toEqual([]);
  });

  it('works empty, and after everything is removed', () => {
    const index = new SpatialIndex();
    expect(index.search({ minX: -1e9, minY: -1e9, maxX: 1e9, maxY: 1e9 })).toEqual([]);
    index.upsert({ id: 'p', geometry: { type: 'point', x: 5, y: 5 } });
    index.flush();
    expect(index.remove('p')).toBe(true);
    expect(index.remove('p')).toBe(false);
    index.flush();
    expect(index.size).toBe(0);
    expect(index.search({ minX: 0, minY: 0, maxX: 10, maxY: 10 })).toEqual([]);
  });

  it('finds a moved shape at its new place only', () => {
    const index = new SpatialIndex([{ id: 'a', geometry: { type: 'box', x: 0, y: 0, w: 10, h: 10 } }]);
    index.upsert({ id: 'a', geometry: { type: 'box', x: 500, y: 500, w: 10, h: 10 } });
    expect(index.search({ minX: 0, minY: 0, maxX: 20, maxY: 20 })).toEqual([]);
    expect(index.search({ minX: 490, minY: 490, maxX: 520, maxY: 520 })).toEqual(['a']);
    expect(index.size).toBe(1);
  });

  it('answers 10 000-shape views quickly and exactly', () => {
    const shapes = Array.from({ length: 10_000 }, (_, i) => ({
      id: `c${i}`,
      geometry: { type: 'box' as const, x: (i % 100) * 50, y: Math.floor(i / 100) * 50, w: 20, h: 20 },
    }));
    const index = new SpatialIndex(shapes);
    expect(index.search({ minX: 1000, minY: 1000, maxX: 1499, maxY: 1499 })).toHaveLength(100);
  });
});

describe('SpatialIndex.hitTest', () => {
  const region: Geometry = { type: 'polygon', points: [0, 0, 1000, 0, 1000, 1000, 0, 1000], holes: [[600, 600, 800, 600, 800, 800, 600, 800]] };
  const cell: Geometry = { type: 'polygon', points: [100, 100, 120, 100, 120, 120, 100, 120] };
  // A "C": its notch (x 40–60, y 20–80) is outside.
  const notched: Geometry = { type: 'polygon', points: [2000, 0, 2100, 0, 2100, 20, 2040, 20, 2040, 80, 2100, 80, 2100, 100, 2000, 100] };
  const index = new SpatialIndex([
    { id: 'region', geometry: region },
    { id: 'cell', geometry: cell },
    { id: 'dot', geometry: { type: 'point', x: 300, y: 300 } },
    { id: 'notched', geometry: notched },
  ]);

  it('picks the smaller shape first where shapes nest', () => {
    expect(index.hitTest(imagePoint(110, 110), 0)).toEqual(['cell', 'region']);
    expect(index.hitTestFirst(imagePoint(110, 110), 0)).toBe('cell');
  });

  it('hits an outline from outside within the tolerance only', () => {
    expect(index.hitTest(imagePoint(124, 110), 5)).toEqual(['cell', 'region']);
    expect(index.hitTest(imagePoint(126, 110), 5)).toEqual(['region']);
  });

  it('hits points within the tolerance', () => {
    expect(index.hitTest(imagePoint(303, 304), 5)).toEqual(['dot', 'region']);
    expect(index.hitTest(imagePoint(306, 304), 5)).toEqual(['region']);
  });

  it('does not hit inside a hole or a notch, though the bounds contain the point', () => {
    expect(index.hitTest(imagePoint(700, 700), 1)).toEqual([]);
    expect(index.hitTest(imagePoint(2070, 50), 1)).toEqual([]);
    expect(index.hitTest(imagePoint(2020, 50), 1)).toEqual(['notched']);
  });
});
