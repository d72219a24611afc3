import { describe, expect, it } from 'vitest';
import { imagePoint } from '../model/points';
import { boxFromCorners, boxTool } from './boxTool';
import { down, key, move, ofType, run, up } from './testEvents';

const reduce = boxTool.reduce;

describe('box tool', () => {
  it('previews while dragging and commits on release', () => {
    const r = run(reduce, boxTool.init(), [down(10, 20), move(50, 60), up(110, 70)]);
    expect(ofType(r.effects, 'preview').map((p) => p.geometry)).toEqual([
      { type: 'box', x: 10, y: 20, w: 0, h: 0 },
      { type: 'box', x: 10, y: 20, w: 40, h: 40 },
      null,
    ]);
    expect(ofType(r.effects, 'commit')).toEqual([{ type: 'commit', geometry: { type: 'box', x: 10, y: 20, w: 100, h: 50 }, warnings: [] }]);
    expect(r.state.phase).toBe('done');
  });

  it('normalises a drag up and to the left', () => {
    const r = run(reduce, boxTool.init(), [down(100, 100), up(40, 70)]);
    expect(ofType(r.effects, 'commit')[0].geometry).toEqual({ type: 'box', x: 40, y: 70, w: 60, h: 30 });
  });

  it('makes a square with shift, keeping the drag direction', () => {
    expect(boxFromCorners(imagePoint(100, 100), imagePoint(40, 130), true)).toEqual({ type: 'box', x: 40, y: 100, w: 60, h: 60 });
  });

  it('refuses zero width or zero height', () => {
    const thin = run(reduce, boxTool.init(), [down(10, 10), up(10, 50)]);
    expect(thin.effects.at(-1)).toEqual({ type: 'refused', reason: 'box needs a width above zero' });
    expect(thin.state.phase).toBe('ready');
    const flat = run(reduce, boxTool.init(), [down(10, 10), up(50, 10)]);
    expect(flat.effects.at(-1)).toEqual({ type: 'refused', reason: 'box needs a height above zero' });
  });

  it('abandons the box on Escape', () => {
    const r = run(reduce, boxTool.init(), [down(10, 10), move(30, 30), key('Escape'), up(30, 30)]);
    expect(ofType(r.effects, 'commit')).toEqual([]);
    expect(r.effects.slice(-2)).toEqual([{ type: 'preview', geometry: null }, { type: 'cancelled' }]);
  });

  it('in continuous mode is ready for the next box', () => {
    const r = run(reduce, boxTool.init({ continuous: true }), [down(0, 0), up(5, 5), down(10, 10), up(20, 20)]);
    expect(ofType(r.effects, 'commit')).toHaveLength(2);
    expect(r.state.phase).toBe('ready');
  });
});
