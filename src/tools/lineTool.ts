import type { LineGeometry } from '../model/types';
import type { ImagePoint } from '../model/points';
import { dragTool, type DragToolState } from './dragTool';

/**
 * Length line (a ruler): press at one end, drag to the other, release. Shift keeps it horizontal or
 * vertical; Escape abandons it. A press without a drag is refused by the model (two different
 * points), so a stray click draws nothing.
 */
export type LineToolState = DragToolState<'line'>;

/** The line from `a` to `b`; with `straight`, along whichever axis the drag went further. */
export function lineBetween(a: ImagePoint, b: ImagePoint, straight = false): LineGeometry {
  if (!straight) return { type: 'line', points: [a.x, a.y, b.x, b.y] };
  return Math.abs(b.x - a.x) >= Math.abs(b.y - a.y) ? { type: 'line', points: [a.x, a.y, b.x, a.y] } : { type: 'line', points: [a.x, a.y, a.x, b.y] };
}

export const lineTool = dragTool('line', lineBetween);
