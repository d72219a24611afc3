import { describe, expect, it } from 'vitest';
import { pointTool } from './pointTool';
import { down, key, move, run, up } from './testEvents';

const reduce = pointTool.reduce;

describe('point tool', () => {
  it('commits a point on a press', () => {
    const r = run(reduce, pointTool.init(), [move(1, 1), down(12.5, 30)]);
    expect(r.effects).toEqual([{ type: 'commit', geometry: { type: 'point', x: 12.5, y: 30 }, warnings: [] }, { type: 'done' }]);
    expect(r.state.phase).toBe('done');
    expect(run(reduce, r.state, [down(1, 1)]).effects).toEqual([]);
  });

  it('commits point after point in continuous mode, and ignores releases and keys', () => {
    const r = run(reduce, pointTool.init({ continuous: true }), [down(1, 2), up(1, 2), key('Enter'), down(3, 4)]);
    expect(r.effects).toEqual([
      { type: 'commit', geometry: { type: 'point', x: 1, y: 2 }, warnings: [] },
      { type: 'commit', geometry: { type: 'point', x: 3, y: 4 }, warnings: [] },
    ]);
  });

  it('refuses a point that is not a finite number', () => {
    expect(run(reduce, pointTool.init(), [down(Number.NaN, 4)]).effects).toEqual([{ type: 'refused', reason: 'must be a finite number' }]);
  });
});
