import { describe, expect, it } from 'vitest';
import { ringArea } from '../model/geometry';
import { freehandTool, simplifyStroke } from './freehandTool';
import { down, key, move, ofType, run, up } from './testEvents';

const reduce = freehandTool.reduce;

/** A hand-drawn circle: many points with a little jitter. */
function circleStroke(cx: number, cy: number, r: number, n: number): [number, number][] {
  return Array.from({ length: n }, (_, i) => {
    const t = (2 * Math.PI * i) / n;
    const wobble = 0.3 * Math.sin(i * 7.3);
    return [cx + (r + wobble) * Math.cos(t), cy + (r + wobble) * Math.sin(t)] as [number, number];
  });
}

describe('freehand tool', () => {
  it('previews the stroke while dragging and commits a simplified ring on release', () => {
    const pts = circleStroke(500, 500, 40, 200);
    const events = [down(pts[0][0], pts[0][1]), ...pts.slice(1).map(([x, y]) => move(x, y)), up(pts[199][0], pts[199][1], { tolerance: 4 })];
    const r = run(reduce, freehandTool.init(), events);
    expect(ofType(r.effects, 'preview').length).toBeGreaterThan(150);
    const [commit] = ofType(r.effects, 'commit');
    expect(commit.geometry.type).toBe('polygon');
    const ring = (commit.geometry as { points: number[] }).points;
    // Far fewer vertices, same shape: area within 2 % of the circle's.
    expect(ring.length / 2).toBeLessThan(60);
    expect(ring.length / 2).toBeGreaterThan(8);
    expect(Math.abs(ringArea(ring) - Math.PI * 40 * 40) / (Math.PI * 40 * 40)).toBeLessThan(0.02);
    // Not closed: the first point is not repeated.
    expect([ring[0], ring[1]]).not.toEqual([ring.at(-2), ring.at(-1)]);
    expect(r.state.phase).toBe('done');
    expect(r.effects.at(-1)).toEqual({ type: 'done' });
  });

  it('refuses a click without a drag, and is ready again', () => {
    const r = run(reduce, freehandTool.init(), [down(10, 10), up(10, 10, { tolerance: 4 })]);
    expect(r.effects.at(-1)).toEqual({ type: 'refused', reason: 'ring needs at least 3 points' });
    expect(r.state.phase).toBe('ready');
    expect(ofType(r.effects, 'preview').at(-1)).toEqual({ type: 'preview', geometry: null });
  });

  it('refuses a straight stroke (zero area)', () => {
    const r = run(reduce, freehandTool.init(), [down(0, 0), move(10, 0), move(20, 0), up(30, 0, { tolerance: 1 })]);
    expect(ofType(r.effects, 'refused')[0].reason).toMatch(/at least 3 points|zero area/);
  });

  it('abandons the stroke on Escape', () => {
    const r = run(reduce, freehandTool.init(), [down(0, 0), move(10, 0), move(10, 10), key('Escape'), up(0, 10)]);
    expect(ofType(r.effects, 'commit')).toEqual([]);
    expect(ofType(r.effects, 'cancelled')).toHaveLength(1);
    expect(r.state.phase).toBe('ready');
  });

  it('ignores moves before a press and repeated positions', () => {
    const s = freehandTool.init();
    expect(reduce(s, move(1, 1)).effects).toEqual([]);
    const drawing = reduce(s, down(1, 1)).state;
    expect(reduce(drawing, move(1, 1)).effects).toEqual([]);
  });

  it('in continuous mode outlines cell after cell', () => {
    const stroke = (ox: number) => [down(ox, 0), move(ox + 20, 0), move(ox + 20, 20), up(ox, 20, { tolerance: 1 })];
    const r = run(reduce, freehandTool.init({ continuous: true }), [...stroke(0), ...stroke(100)]);
    expect(ofType(r.effects, 'commit').map((c) => c.geometry)).toEqual([
      { type: 'polygon', points: [0, 0, 20, 0, 20, 20, 0, 20] },
      { type: 'polygon', points: [100, 0, 120, 0, 120, 20, 100, 20] },
    ]);
    expect(r.state.phase).toBe('ready');
  });
});

describe('simplifyStroke', () => {
  it('keeps corners, drops points on straight runs, and does not close the ring', () => {
    const square = [0, 0, 5, 0, 10, 0, 10, 5, 10, 10, 5, 10, 0, 10, 0, 5];
    expect(simplifyStroke(square, 0.5)).toEqual([0, 0, 10, 0, 10, 10, 0, 10]);
  });

  it('drops a final point that repeats the first', () => {
    expect(simplifyStroke([0, 0, 10, 0, 10, 10, 0, 0], 0)).toEqual([0, 0, 10, 0, 10, 10]);
  });
});
