import { describe, expect, it } from 'vitest';
import type { Geometry } from '../model/types';
import { imagePoint } from '../model/points';
import { editTargetAt, editTool, initEditTool } from './editTool';
import { down, key, move, ofType, run, up } from './testEvents';

const reduce = editTool.reduce;
const T = { tolerance: 3 };
const square: Geometry = { type: 'polygon', points: [0, 0, 100, 0, 100, 100, 0, 100] };
const triangle: Geometry = { type: 'polygon', points: [0, 0, 100, 0, 50, 80] };
const box: Geometry = { type: 'box', x: 10, y: 10, w: 100, h: 50 };

describe('editTargetAt', () => {
  it('prefers a vertex over an edge over the inside', () => {
    expect(editTargetAt(square, imagePoint(101, 1), 3)).toEqual({ kind: 'vertex', index: 1 });
    expect(editTargetAt(square, imagePoint(50, 2), 3)).toEqual({ kind: 'edge', index: 0, x: 50, y: 0 });
    expect(editTargetAt(square, imagePoint(50, 50), 3)).toEqual({ kind: 'inside' });
    expect(editTargetAt(square, imagePoint(150, 50), 3)).toBeNull();
  });
});

describe('edit tool', () => {
  it('drags a vertex: previews during the drag, one update on release', () => {
    const r = run(reduce, initEditTool(square), [down(100, 100, T), move(110, 105, T), move(120, 130, T), up(125, 130, T)]);
    expect(ofType(r.effects, 'preview').map((p) => p.geometry)).toEqual([
      { type: 'polygon', points: [0, 0, 100, 0, 110, 105, 0, 100] },
      { type: 'polygon', points: [0, 0, 100, 0, 120, 130, 0, 100] },
      null,
    ]);
    const updates = ofType(r.effects, 'update');
    expect(updates).toEqual([{ type: 'update', geometry: { type: 'polygon', points: [0, 0, 100, 0, 125, 130, 0, 100] }, warnings: [] }]);
    expect(r.state.geometry).toEqual(updates[0].geometry);
    expect(r.state.drag).toBeNull();
  });

  it('inserts a vertex where an edge is pressed and drags it, as one update', () => {
    const r = run(reduce, initEditTool(square), [down(50, 1, T), move(50, -20, T), up(50, -30, T)]);
    expect(ofType(r.effects, 'preview')[0].geometry).toEqual({ type: 'polygon', points: [0, 0, 50, 0, 100, 0, 100, 100, 0, 100] });
    expect(ofType(r.effects, 'update')).toEqual([{ type: 'update', geometry: { type: 'polygon', points: [0, 0, 50, -30, 100, 0, 100, 100, 0, 100] }, warnings: [] }]);
    expect(r.state.selectedVertex).toBe(1);
  });

  it('keeps a vertex inserted by a press on an edge without a drag', () => {
    const r = run(reduce, initEditTool(square), [down(100, 40, T), up(100, 40, T)]);
    expect(ofType(r.effects, 'update')[0].geometry).toEqual({ type: 'polygon', points: [0, 0, 100, 0, 100, 40, 100, 100, 0, 100] });
  });

  it('moves the whole shape by dragging inside it, holes too', () => {
    const holed: Geometry = { ...square, holes: [[40, 40, 60, 40, 60, 60]] } as Geometry;
    const r = run(reduce, initEditTool(holed), [down(20, 20, T), move(25, 30, T), up(30, 40, T)]);
    expect(ofType(r.effects, 'update')).toEqual([
      { type: 'update', geometry: { type: 'polygon', points: [10, 20, 110, 20, 110, 120, 10, 120], holes: [[50, 60, 70, 60, 70, 80]] }, warnings: [] },
    ]);
  });

  it('keeps a move on one axis with shift', () => {
    const r = run(reduce, initEditTool(square), [down(20, 20, T), up(50, 25, { ...T, shift: true })]);
    expect(ofType(r.effects, 'update')[0].geometry).toEqual({ type: 'polygon', points: [30, 0, 130, 0, 130, 100, 30, 100] });
  });

  it('emits no update for a press and release that changed nothing', () => {
    const r = run(reduce, initEditTool(square), [down(100, 100, T), up(100, 100, T), down(50, 50, T), up(50, 50, T)]);
    expect(ofType(r.effects, 'update')).toEqual([]);
  });

  it('deletes a vertex on alt-press, and with Delete or Backspace after selecting it', () => {
    const alt = run(reduce, initEditTool(square), [down(100, 100, { ...T, alt: true })]);
    expect(ofType(alt.effects, 'update')[0].geometry).toEqual({ type: 'polygon', points: [0, 0, 100, 0, 0, 100] });
    for (const k of ['Delete', 'Backspace']) {
      const r = run(reduce, initEditTool(square), [down(0, 100, T), up(0, 100, T), key(k)]);
      expect(ofType(r.effects, 'update')[0].geometry).toEqual({ type: 'polygon', points: [0, 0, 100, 0, 100, 100] });
      expect(r.state.selectedVertex).toBeNull();
    }
  });

  it('never deletes below three vertices', () => {
    const r = run(reduce, initEditTool(triangle), [down(50, 80, { ...T, alt: true }), down(0, 0, T), up(0, 0, T), key('Delete')]);
    expect(ofType(r.effects, 'refused')).toEqual([
      { type: 'refused', reason: 'a polygon needs at least 3 vertices' },
      { type: 'refused', reason: 'a polygon needs at least 3 vertices' },
    ]);
    expect(ofType(r.effects, 'update')).toEqual([]);
    expect(r.state.geometry).toBe(triangle);
  });

  it('refuses an edit that leaves a degenerate shape, and keeps the old one', () => {
    // Dragging the apex onto the base line: zero area.
    const r = run(reduce, initEditTool(triangle), [down(50, 80, T), move(50, 0, T), up(50, 0, T)]);
    expect(r.effects.slice(-2)).toEqual([{ type: 'preview', geometry: null }, { type: 'refused', reason: 'ring has zero area' }]);
    expect(r.state.geometry).toBe(triangle);
    expect(r.state.drag).toBeNull();
  });

  it('puts the shape back on Escape during a drag', () => {
    const r = run(reduce, initEditTool(square), [down(100, 100, T), move(200, 200, T), key('Escape'), up(200, 200, T)]);
    expect(r.effects.slice(-2)).toEqual([{ type: 'preview', geometry: null }, { type: 'cancelled' }]);
    expect(ofType(r.effects, 'update')).toEqual([]);
    expect(r.state.geometry).toBe(square);
  });

  it('reports a press off the shape as a miss', () => {
    const r = run(reduce, initEditTool(square), [down(300, 300, T)]);
    expect(r.effects).toEqual([{ type: 'miss', point: imagePoint(300, 300) }]);
  });

  it('tracks what is under the pointer when not dragging, for the cursor', () => {
    expect(run(reduce, initEditTool(square), [move(0, 1, T)]).state.hover).toEqual({ kind: 'vertex', index: 0 });
    expect(run(reduce, initEditTool(square), [move(300, 1, T)]).state.hover).toBeNull();
  });

  describe('on a box', () => {
    it('resizes from a corner, the opposite corner staying put', () => {
      const r = run(reduce, initEditTool(box), [down(110, 60, T), up(150, 90, T)]);
      expect(ofType(r.effects, 'update')[0].geometry).toEqual({ type: 'box', x: 10, y: 10, w: 140, h: 80 });
    });

    it('flips rather than going negative when a corner crosses over', () => {
      const r = run(reduce, initEditTool(box), [down(110, 60, T), up(0, 0, T)]);
      expect(ofType(r.effects, 'update')[0].geometry).toEqual({ type: 'box', x: 0, y: 0, w: 10, h: 10 });
    });

    it('resizes one side from an edge', () => {
      const r = run(reduce, initEditTool(box), [down(60, 10, T), up(70, -20, T)]);
      expect(ofType(r.effects, 'update')[0].geometry).toEqual({ type: 'box', x: 10, y: -20, w: 100, h: 80 });
    });

    it('refuses to collapse it, and has no vertex to delete', () => {
      const flat = run(reduce, initEditTool(box), [down(60, 10, T), up(60, 60, T)]);
      expect(flat.effects.at(-1)).toEqual({ type: 'refused', reason: 'box needs a height above zero' });
      const alt = run(reduce, initEditTool(box), [down(10, 10, { ...T, alt: true })]);
      expect(alt.effects).toEqual([{ type: 'refused', reason: 'a box has no vertices to delete' }]);
    });

    it('moves it by dragging inside', () => {
      const r = run(reduce, initEditTool(box), [down(50, 30, T), up(55, 35, T)]);
      expect(ofType(r.effects, 'update')[0].geometry).toEqual({ type: 'box', x: 15, y: 15, w: 100, h: 50 });
    });
  });

  it('moves a point by dragging it', () => {
    const r = run(reduce, initEditTool({ type: 'point', x: 5, y: 5 }), [down(6, 6, T), up(16, 26, T)]);
    expect(ofType(r.effects, 'update')[0].geometry).toEqual({ type: 'point', x: 15, y: 25 });
  });
});
