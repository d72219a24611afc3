import type { ImagePoint } from '../model/points';
import { commitOrRefuse } from './validate';
import type { DrawingPhase, DrawingTool, ToolEffect, ToolEvent, ToolOptions, ToolStep } from './types';

/**
 * Polygon by clicks: each press adds a vertex; Enter, a double-click, or a press on the first
 * vertex closes it; Backspace takes the last vertex back; Escape abandons it.
 */
export interface PolygonToolState {
  tool: 'polygon';
  phase: DrawingPhase;
  /** Vertices placed so far, flat x0, y0, x1, y1, … */
  points: number[];
  /** Last pointer position, for the rubber-band edge to the next vertex. */
  cursor: ImagePoint | null;
  continuous: boolean;
}

function init(options: ToolOptions = {}): PolygonToolState {
  return { tool: 'polygon', phase: 'ready', points: [], cursor: null, continuous: options.continuous ?? false };
}

function preview(points: number[], cursor: ImagePoint | null): ToolEffect {
  return { type: 'preview', geometry: { type: 'polygon', points: cursor ? [...points, cursor.x, cursor.y] : points.slice() } };
}

function near(points: number[], vertex: number, p: ImagePoint, tolerance: number): boolean {
  return Math.hypot(points[2 * vertex] - p.x, points[2 * vertex + 1] - p.y) <= tolerance;
}

function close(state: PolygonToolState): ToolStep<PolygonToolState> {
  const result = commitOrRefuse({ type: 'polygon', points: state.points.slice() });
  // Refused: keep the vertices, so the user can add the missing ones rather than start over.
  if (!result.committed) return { state, effects: result.effects };
  if (state.continuous) return { state: { ...init({ continuous: true }) }, effects: result.effects };
  return { state: { ...state, phase: 'done', points: [], cursor: null }, effects: [...result.effects, { type: 'done' }] };
}

function reduce(state: PolygonToolState, event: ToolEvent): ToolStep<PolygonToolState> {
  if (state.phase === 'done') return { state, effects: [] };
  if (event.type === 'key') {
    if (state.phase !== 'drawing') return { state, effects: [] };
    switch (event.key) {
      case 'Enter':
        return close(state);
      case 'Escape':
        return { state: { ...state, phase: 'ready', points: [] }, effects: [{ type: 'preview', geometry: null }, { type: 'cancelled' }] };
      case 'Backspace': {
        const points = state.points.slice(0, -2);
        if (points.length === 0) return { state: { ...state, phase: 'ready', points }, effects: [{ type: 'preview', geometry: null }] };
        return { state: { ...state, points }, effects: [preview(points, state.cursor)] };
      }
      default:
        return { state, effects: [] };
    }
  }
  const p = event.point;
  const tolerance = event.tolerance ?? 0;
  switch (event.type) {
    case 'pointerdown': {
      if (state.phase === 'ready') {
        const points = [p.x, p.y];
        return { state: { ...state, phase: 'drawing', points, cursor: p }, effects: [preview(points, p)] };
      }
      const n = state.points.length / 2;
      if (n >= 3 && near(state.points, 0, p, tolerance)) return close(state);
      // A press on the last vertex adds nothing: it is the second press of a double-click, or a slip.
      if (near(state.points, n - 1, p, tolerance)) return { state, effects: [] };
      const points = [...state.points, p.x, p.y];
      return { state: { ...state, points, cursor: p }, effects: [preview(points, p)] };
    }
    case 'pointermove':
      if (state.phase !== 'drawing') return { state: { ...state, cursor: p }, effects: [] };
      return { state: { ...state, cursor: p }, effects: [preview(state.points, p)] };
    case 'dblclick':
      return state.phase === 'drawing' ? close(state) : { state, effects: [] };
    case 'pointerup':
      return { state, effects: [] };
  }
}

export const polygonTool: DrawingTool<PolygonToolState> = { init, reduce };
