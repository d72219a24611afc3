import { describe, expect, it } from 'vitest';
import { distanceToGeometry } from '../model/hit';
import type { Geometry } from '../model/types';
import { editTool, initEditTool } from './editTool';
import { lineTool } from './lineTool';
import { down, key, move, ofType, run, up } from './testEvents';

describe('length line tool', () => {
  it('previews from the press to the pointer and commits the two ends on release', () => {
    const r = run(lineTool.reduce, lineTool.init(), [down(10, 20), move(25, 30), up(40, 60)]);
    expect(ofType(r.effects, 'preview').map((p) => p.geometry)).toEqual([
      { type: 'line', points: [10, 20, 10, 20] },
      { type: 'line', points: [10, 20, 25, 30] },
      null,
    ]);
    expect(ofType(r.effects, 'commit')).toEqual([{ type: 'commit', geometry: { type: 'line', points: [10, 20, 40, 60] }, warnings: [] }]);
    expect(r.state.phase).toBe('done');
  });

  it('keeps the line horizontal or vertical with Shift, along the longer way of the drag', () => {
    const flat = run(lineTool.reduce, lineTool.init(), [down(10, 10), up(50, 18, { shift: true })]);
    expect(ofType(flat.effects, 'commit')[0].geometry).toEqual({ type: 'line', points: [10, 10, 50, 10] });
    const upright = run(lineTool.reduce, lineTool.init(), [down(10, 10), up(4, 60, { shift: true })]);
    expect(ofType(upright.effects, 'commit')[0].geometry).toEqual({ type: 'line', points: [10, 10, 10, 60] });
  });

  it('refuses a click without a drag (no length), and abandons the line on Escape', () => {
    const click = run(lineTool.reduce, lineTool.init(), [down(10, 10), up(10, 10)]);
    expect(click.effects.at(-1)).toEqual({ type: 'refused', reason: 'a length line needs two different points' });
    expect(click.state.phase).toBe('ready');
    const esc = run(lineTool.reduce, lineTool.init(), [down(10, 10), move(30, 30), key('Escape'), up(30, 30)]);
    expect(ofType(esc.effects, 'commit')).toEqual([]);
    expect(esc.effects.slice(-2)).toEqual([{ type: 'preview', geometry: null }, { type: 'cancelled' }]);
  });

  it('in continuous mode measures one line after another', () => {
    const r = run(lineTool.reduce, lineTool.init({ continuous: true }), [down(0, 0), up(5, 5), down(10, 10), up(20, 20)]);
    expect(ofType(r.effects, 'commit')).toHaveLength(2);
    expect(r.state.phase).toBe('ready');
  });
});

describe('editing a length line', () => {
  const T = { tolerance: 4 };
  const ruler: Geometry = { type: 'line', points: [10, 10, 110, 10] };

  it('drags one end and leaves the other (one update on release)', () => {
    const r = run(editTool.reduce, initEditTool(ruler), [down(111, 12, T), move(90, 40, T), up(80, 50, T)]);
    expect(ofType(r.effects, 'update')).toEqual([{ type: 'update', geometry: { type: 'line', points: [10, 10, 80, 50] }, warnings: [] }]);
    // An end is not a vertex to delete: Delete afterwards is left to remove the whole line.
    expect(r.state.selectedVertex).toBeNull();
  });

  it('moves the whole line when pressed along it, and misses beside it', () => {
    const moved = run(editTool.reduce, initEditTool(ruler), [down(60, 12, T), up(70, 32, T)]);
    expect(ofType(moved.effects, 'update')[0].geometry).toEqual({ type: 'line', points: [20, 30, 120, 30] });
    const miss = run(editTool.reduce, initEditTool(ruler), [down(60, 20, T)]);
    expect(ofType(miss.effects, 'miss')).toHaveLength(1);
  });

  it('refuses dragging one end onto the other', () => {
    const r = run(editTool.reduce, editTool.init(ruler), [down(110, 10, T), up(10, 10, T)]);
    expect(r.effects.at(-1)).toEqual({ type: 'refused', reason: 'a length line needs two different points' });
  });

  it('is hit within the tolerance of the segment, not of its infinite line', () => {
    expect(distanceToGeometry(ruler, 60, 13)).toBe(3);
    expect(distanceToGeometry(ruler, 113, 14)).toBe(5);
  });
});
