import { describe, expect, it } from 'vitest';
import { polygonTool } from './polygonTool';
import { dbl, down, key, move, ofType, run, up } from './testEvents';

const reduce = polygonTool.reduce;
const T = { tolerance: 4 };

describe('polygon tool', () => {
  it('adds a vertex per click and previews the rubber band to the pointer', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), up(0, 0), down(100, 0, T), move(100, 50, T)]);
    expect(r.state.phase).toBe('drawing');
    expect(r.state.points).toEqual([0, 0, 100, 0]);
    expect(r.effects.at(-1)).toEqual({ type: 'preview', geometry: { type: 'polygon', points: [0, 0, 100, 0, 100, 50] } });
    expect(ofType(r.effects, 'commit')).toEqual([]);
  });

  it('closes on Enter and commits the ring, then clears the preview', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 0, T), down(100, 100, T), key('Enter')]);
    expect(ofType(r.effects, 'commit')).toEqual([{ type: 'commit', geometry: { type: 'polygon', points: [0, 0, 100, 0, 100, 100] }, warnings: [] }]);
    expect(r.effects.slice(-3)).toEqual([{ type: 'preview', geometry: null }, expect.objectContaining({ type: 'commit' }), { type: 'done' }]);
    expect(r.state.phase).toBe('done');
  });

  it('closes on a double-click without doubling the last vertex', () => {
    // A browser double-click is down, up, down, up, dblclick at one place.
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 0, T), down(100, 100, T), up(100, 100), down(100, 100, T), up(100, 100), dbl(100, 100, T)]);
    expect(ofType(r.effects, 'commit')[0].geometry).toEqual({ type: 'polygon', points: [0, 0, 100, 0, 100, 100] });
  });

  it('closes on a click near the first vertex, within the tolerance given', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 0, T), down(100, 100, T), down(3, -2, T)]);
    expect(ofType(r.effects, 'commit')[0].geometry).toEqual({ type: 'polygon', points: [0, 0, 100, 0, 100, 100] });
    const far = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 0, T), down(100, 100, T), down(5, -2, T)]);
    expect(ofType(far.effects, 'commit')).toEqual([]);
    expect(far.state.points).toHaveLength(8);
  });

  it('does not close near the first vertex before there are three vertices', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 0, T), down(2, 2, T)]);
    expect(ofType(r.effects, 'commit')).toEqual([]);
    expect(r.state.points).toEqual([0, 0, 100, 0, 2, 2]);
  });

  it('takes the last vertex back on Backspace, and returns to ready when none is left', () => {
    let r = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 0, T), key('Backspace')]);
    expect(r.state.points).toEqual([0, 0]);
    r = run(reduce, r.state, [key('Backspace')]);
    expect(r.state.phase).toBe('ready');
    expect(r.effects).toEqual([{ type: 'preview', geometry: null }]);
  });

  it('abandons the shape on Escape', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 0, T), key('Escape')]);
    expect(r.state.phase).toBe('ready');
    expect(r.state.points).toEqual([]);
    expect(r.effects.slice(-2)).toEqual([{ type: 'preview', geometry: null }, { type: 'cancelled' }]);
  });

  it('refuses too few vertices, keeping them so the user can go on', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 0, T), key('Enter')]);
    expect(r.effects.at(-1)).toEqual({ type: 'refused', reason: 'ring needs at least 3 points' });
    expect(r.state.phase).toBe('drawing');
    const next = run(reduce, r.state, [down(50, 80, T), key('Enter')]);
    expect(ofType(next.effects, 'commit')[0].geometry).toEqual({ type: 'polygon', points: [0, 0, 100, 0, 50, 80] });
  });

  it('refuses a ring of zero area', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(50, 0, T), down(100, 0, T), key('Enter')]);
    expect(r.effects.at(-1)).toEqual({ type: 'refused', reason: 'ring has zero area' });
  });

  it('commits a self-crossing ring with a warning', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(100, 100, T), down(100, 0, T), down(0, 60, T), key('Enter')]);
    const [commit] = ofType(r.effects, 'commit');
    expect(commit.warnings).toEqual(['ring intersects itself (edge 0)']);
  });

  it('in continuous mode is ready for the next shape after a commit', () => {
    const r = run(reduce, polygonTool.init({ continuous: true }), [down(0, 0, T), down(10, 0, T), down(10, 10, T), key('Enter'), down(50, 50, T), down(60, 50, T), down(60, 60, T), dbl(60, 60, T)]);
    expect(ofType(r.effects, 'commit')).toHaveLength(2);
    expect(ofType(r.effects, 'done')).toEqual([]);
    expect(r.state.phase).toBe('ready');
  });

  it('ignores input once done (not continuous)', () => {
    const r = run(reduce, polygonTool.init(), [down(0, 0, T), down(10, 0, T), down(10, 10, T), key('Enter')]);
    const after = run(reduce, r.state, [down(50, 50, T), key('Enter')]);
    expect(after.effects).toEqual([]);
    expect(after.state).toBe(r.state);
  });

  it('ignores keys and releases when idle', () => {
    const s = polygonTool.init();
    expect(run(reduce, s, [key('Enter'), key('Backspace'), key('Escape'), up(1, 1)]).effects).toEqual([]);
  });
});
