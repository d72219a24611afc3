import type { LineGeometry } from '../model/types';
import type { ImagePoint } from '../model/points';
import type { DrawingPhase, DrawingTool, ToolEvent, ToolOptions, ToolStep } from './types';
import { commitOrRefuse } from './validate';

/**
 * Length line (a ruler): press at one end, drag to the other, release. Shift keeps it horizontal or
 * vertical; Escape abandons it. A press without a drag is refused by the model (two different
 * points), so a stray click draws nothing.
 */
export interface LineToolState {
  tool: 'line';
  phase: DrawingPhase;
  anchor: ImagePoint | null;
  continuous: boolean;
}

function init(options: ToolOptions = {}): LineToolState {
  return { tool: 'line', phase: 'ready', anchor: null, continuous: options.continuous ?? false };
}

/** The line from `a` to `b`; with `straight`, along whichever axis the drag went further. */
export function lineBetween(a: ImagePoint, b: ImagePoint, straight = false): LineGeometry {
  if (!straight) return { type: 'line', points: [a.x, a.y, b.x, b.y] };
  return Math.abs(b.x - a.x) >= Math.abs(b.y - a.y) ? { type: 'line', points: [a.x, a.y, b.x, a.y] } : { type: 'line', points: [a.x, a.y, a.x, b.y] };
}

function reduce(state: LineToolState, event: ToolEvent): ToolStep<LineToolState> {
  if (state.phase === 'done') return { state, effects: [] };
  if (event.type === 'key') {
    if (state.phase === 'drawing' && event.key === 'Escape') {
      return { state: { ...state, phase: 'ready', anchor: null }, effects: [{ type: 'preview', geometry: null }, { type: 'cancelled' }] };
    }
    return { state, effects: [] };
  }
  const p = event.point;
  switch (event.type) {
    case 'pointerdown':
      return { state: { ...state, phase: 'drawing', anchor: p }, effects: [{ type: 'preview', geometry: lineBetween(p, p) }] };
    case 'pointermove':
      if (state.phase !== 'drawing' || !state.anchor) return { state, effects: [] };
      return { state, effects: [{ type: 'preview', geometry: lineBetween(state.anchor, p, event.shift) }] };
    case 'pointerup': {
      if (state.phase !== 'drawing' || !state.anchor) return { state, effects: [] };
      const result = commitOrRefuse(lineBetween(state.anchor, p, event.shift));
      const ready: LineToolState = { ...state, phase: 'ready', anchor: null };
      if (!result.committed) return { state: ready, effects: [{ type: 'preview', geometry: null }, ...result.effects] };
      if (state.continuous) return { state: ready, effects: result.effects };
      return { state: { ...ready, phase: 'done' }, effects: [...result.effects, { type: 'done' }] };
    }
    case 'dblclick':
      return { state, effects: [] };
  }
}

export const lineTool: DrawingTool<LineToolState> = { init, reduce };
