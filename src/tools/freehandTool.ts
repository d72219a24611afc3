import simplify from 'simplify-js';
import type { DrawingPhase, DrawingTool, ToolEffect, ToolEvent, ToolOptions, ToolStep } from './types';
import { commitOrRefuse } from './validate';

/**
 * Freehand outline: press, drag around the object, release. The stroke is closed into a ring and
 * simplified on release; Escape during the stroke abandons it.
 */
export interface FreehandToolState {
  tool: 'freehand';
  phase: DrawingPhase;
  /** The raw stroke, flat x0, y0, x1, y1, … */
  points: number[];
  continuous: boolean;
}

/**
 * Simplification tolerance as a share of the hit tolerance (itself ~6 screen px): about 1.5 screen
 * px, below what the hand can aim, so the outline keeps its shape and drops the jitter.
 */
export const FREEHAND_SIMPLIFY_RATIO = 0.25;

function init(options: ToolOptions = {}): FreehandToolState {
  return { tool: 'freehand', phase: 'ready', points: [], continuous: options.continuous ?? false };
}

function preview(points: number[]): ToolEffect {
  return { type: 'preview', geometry: { type: 'polygon', points: points.slice() } };
}

/** Douglas–Peucker (simplify-js, high quality) on the closed stroke; the ring is not closed in the result. */
export function simplifyStroke(points: number[], tolerance: number): number[] {
  const pts: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const last = pts[pts.length - 1];
    if (!last || last.x !== points[i] || last.y !== points[i + 1]) pts.push({ x: points[i], y: points[i + 1] });
  }
  // A stroke that came back exactly to its start already closes itself.
  while (pts.length > 1 && pts[pts.length - 1].x === pts[0].x && pts[pts.length - 1].y === pts[0].y) pts.pop();
  if (pts.length < 3) return pts.flatMap((p) => [p.x, p.y]);
  // Return to the start so the closing edge is simplified like the others, then drop the repeat.
  pts.push({ ...pts[0] });
  const simple = tolerance > 0 ? simplify(pts, tolerance, true) : pts;
  simple.pop();
  return simple.flatMap((p) => [p.x, p.y]);
}

function finish(state: FreehandToolState, tolerance: number): ToolStep<FreehandToolState> {
  const points = simplifyStroke(state.points, tolerance * FREEHAND_SIMPLIFY_RATIO);
  const result = commitOrRefuse({ type: 'polygon', points });
  // The stroke is over either way: a refused scribble leaves nothing to continue.
  const ready: FreehandToolState = { ...state, phase: 'ready', points: [] };
  if (!result.committed) return { state: ready, effects: [{ type: 'preview', geometry: null }, ...result.effects] };
  if (state.continuous) return { state: ready, effects: result.effects };
  return { state: { ...ready, phase: 'done' }, effects: [...result.effects, { type: 'done' }] };
}

function reduce(state: FreehandToolState, event: ToolEvent): ToolStep<FreehandToolState> {
  if (state.phase === 'done') return { state, effects: [] };
  if (event.type === 'key') {
    if (state.phase === 'drawing' && event.key === 'Escape') {
      return { state: { ...state, phase: 'ready', points: [] }, effects: [{ type: 'preview', geometry: null }, { type: 'cancelled' }] };
    }
    return { state, effects: [] };
  }
  const p = event.point;
  switch (event.type) {
    case 'pointerdown': {
      const points = [p.x, p.y];
      return { state: { ...state, phase: 'drawing', points }, effects: [preview(points)] };
    }
    case 'pointermove': {
      if (state.phase !== 'drawing') return { state, effects: [] };
      const n = state.points.length;
      if (state.points[n - 2] === p.x && state.points[n - 1] === p.y) return { state, effects: [] };
      const points = [...state.points, p.x, p.y];
      return { state: { ...state, points }, effects: [preview(points)] };
    }
    case 'pointerup': {
      if (state.phase !== 'drawing') return { state, effects: [] };
      const n = state.points.length;
      const points = state.points[n - 2] === p.x && state.points[n - 1] === p.y ? state.points : [...state.points, p.x, p.y];
      return finish({ ...state, points }, event.tolerance ?? 0);
    }
    case 'dblclick':
      return { state, effects: [] };
  }
}

export const freehandTool: DrawingTool<FreehandToolState> = { init, reduce };
