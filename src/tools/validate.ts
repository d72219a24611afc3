import { geometryProblems } from '../model/geometry';
import type { Geometry } from '../model/types';
import type { ToolEffect } from './types';

export type Checked = { ok: true; warnings: string[] } | { ok: false; refusal: ToolEffect & { type: 'refused' } };

/**
 * The model's own rules decide: errors (degenerate shapes) refuse, warnings (self-intersection)
 * pass along with the shape.
 */
export function checkGeometry(g: Geometry): Checked {
  const problems = geometryProblems(g);
  const error = problems.find((p) => p.severity === 'error');
  if (error) return { ok: false, refusal: { type: 'refused', reason: error.message } };
  return { ok: true, warnings: problems.map((p) => p.message) };
}

/** Effects that end a drawing: clear the preview, then commit or refuse. */
export function commitOrRefuse(g: Geometry): { committed: boolean; effects: ToolEffect[] } {
  const checked = checkGeometry(g);
  if (!checked.ok) return { committed: false, effects: [checked.refusal] };
  return { committed: true, effects: [{ type: 'preview', geometry: null }, { type: 'commit', geometry: g, warnings: checked.warnings }] };
}
