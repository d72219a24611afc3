import type { BoxGeometry } from '../model/types';
import type { ImagePoint } from '../model/points';
import { dragTool, type DragToolState } from './dragTool';

/** Box: press at one corner, drag to the other, release. Shift makes it square; Escape abandons it. */
export type BoxToolState = DragToolState<'box'>;

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

export const boxTool = dragTool('box', boxFromCorners);
