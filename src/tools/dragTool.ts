import type { Geometry } from '../model/types';
import type { ImagePoint } from '../model/points';
import type { DrawingPhase, DrawingTool, ToolEvent, ToolOptions, ToolStep } from './types';
import { commitOrRefuse } from './validate';

/**
 * A shape made in one drag (a box, a length line): press at one point, drag to the other, release.
 * The shape previews as the pointer moves; Shift is passed to `between` (square, straight); Escape
 * abandons it. The model decides on release (a box without width, a line of no length is refused).
 */
export interface DragToolState<T extends string> {
  tool: T;
  phase: DrawingPhase;
  anchor: ImagePoint | null;
  continuous: boolean;
}

export function dragTool<T extends string>(tool: T, between: (a: ImagePoint, b: ImagePoint, shift: boolean) => Geometry): DrawingTool<DragToolState<T>> {
  const init = (options: ToolOptions = {}): DragToolState<T> => ({ tool, phase: 'ready', anchor: null, continuous: options.continuous ?? false });
  const reduce = (state: DragToolState<T>, event: ToolEvent): ToolStep<DragToolState<T>> => {
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
        return { state: { ...state, phase: 'drawing', anchor: p }, effects: [{ type: 'preview', geometry: between(p, p, false) }] };
      case 'pointermove':
        if (state.phase !== 'drawing' || !state.anchor) return { state, effects: [] };
        return { state, effects: [{ type: 'preview', geometry: between(state.anchor, p, !!event.shift) }] };
      case 'pointerup': {
        if (state.phase !== 'drawing' || !state.anchor) return { state, effects: [] };
        const result = commitOrRefuse(between(state.anchor, p, !!event.shift));
        const ready: DragToolState<T> = { ...state, phase: 'ready', anchor: null };
        if (!result.committed) return { state: ready, effects: [{ type: 'preview', geometry: null }, ...result.effects] };
        if (state.continuous) return { state: ready, effects: result.effects };
        return { state: { ...ready, phase: 'done' }, effects: [...result.effects, { type: 'done' }] };
      }
      case 'dblclick':
        return { state, effects: [] };
    }
  };
  return { init, reduce };
}
