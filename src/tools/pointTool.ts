import type { DrawingPhase, DrawingTool, ToolEvent, ToolOptions, ToolStep } from './types';
import { checkGeometry } from './validate';

/** Point: a press commits a point there. */
export interface PointToolState {
  tool: 'point';
  /** Never 'drawing': a point is finished the moment it is placed. */
  phase: DrawingPhase;
  continuous: boolean;
}

function init(options: ToolOptions = {}): PointToolState {
  return { tool: 'point', phase: 'ready', continuous: options.continuous ?? false };
}

function reduce(state: PointToolState, event: ToolEvent): ToolStep<PointToolState> {
  if (state.phase === 'done' || event.type !== 'pointerdown') return { state, effects: [] };
  const geometry = { type: 'point' as const, x: event.point.x, y: event.point.y };
  const checked = checkGeometry(geometry);
  if (!checked.ok) return { state, effects: [checked.refusal] };
  const commit = { type: 'commit' as const, geometry, warnings: checked.warnings };
  if (state.continuous) return { state, effects: [commit] };
  return { state: { ...state, phase: 'done' }, effects: [commit, { type: 'done' }] };
}

export const pointTool: DrawingTool<PointToolState> = { init, reduce };
