import type { BoxGeometry } from '../model/types';
import type { ImagePoint } from '../model/points';
import type { DrawingPhase, DrawingTool, ToolEvent, ToolOptions, ToolStep } from './types';
import { commitOrRefuse } from './validate';

/** Box: press at one corner, drag to the other, release. Shift makes it square; Escape abandons it. */
export interface BoxToolState {
  tool: 'box';
  phase: DrawingPhase;
  anchor: ImagePoint | null;
  continuous: boolean;
}

function init(options: ToolOptions = {}): BoxToolState {
  return { tool: 'box', phase: 'ready', anchor: null, continuous: options.continuous ?? false };
}

/** The box spanned by two corners, with positive width and height whichever way the drag went. */
export function boxFromCorners(a: ImagePoint, b: ImagePoint, square = false): BoxGeometry {
  let dx = b.x - a.x;
  let dy = b.y - a.y;
  if (square) {
    const side = Math.max(Math.abs(dx), Math.abs(dy));
    dx = dx < 0 ? -side : side;
    dy = dy < 0 ? -side : side;
  }
  return { type: 'box', x: Math.min(a.x, a.x + dx), y: Math.min(a.y, a.y + dy), w: Math.abs(dx), h: Math.abs(dy) };
}

function reduce(state: BoxToolState, event: ToolEvent): ToolStep<BoxToolState> {
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
      return { state: { ...state, phase: 'drawing', anchor: p }, effects: [{ type: 'preview', geometry: boxFromCorners(p, p) }] };
    case 'pointermove':
      if (state.phase !== 'drawing' || !state.anchor) return { state, effects: [] };
      return { state, effects: [{ type: 'preview', geometry: boxFromCorners(state.anchor, p, event.shift) }] };
    case 'pointerup': {
      if (state.phase !== 'drawing' || !state.anchor) return { state, effects: [] };
      const result = commitOrRefuse(boxFromCorners(state.anchor, p, event.shift));
      const ready: BoxToolState = { ...state, phase: 'ready', anchor: null };
      if (!result.committed) return { state: ready, effects: [{ type: 'preview', geometry: null }, ...result.effects] };
      if (state.continuous) return { state: ready, effects: result.effects };
      return { state: { ...ready, phase: 'done' }, effects: [...result.effects, { type: 'done' }] };
    }
    case 'dblclick':
      return { state, effects: [] };
  }
}

export const boxTool: DrawingTool<BoxToolState> = { init, reduce };
