import { translateGeometry } from '../model/geometry';
import type { BoxGeometry, Geometry } from '../model/types';
import type { ImagePoint } from '../model/points';
import { distanceToGeometry, geometryContainsPoint, nearestEdge, nearestVertex } from '../model/hit';
import type { ToolEffect, ToolEvent, ToolStep } from './types';
import { checkGeometry } from './validate';

/**
 * Editing one selected shape. Press and drag a vertex to move it; press on an edge to insert a
 * vertex there and drag it; press inside to move the whole shape. Alt-press on a vertex, or
 * Delete/Backspace after selecting one, removes it (never below 3). Box corners and edges resize
 * the box. A drag previews as it goes and emits one `update` on release: one undo step per drag.
 * Escape during a drag puts the shape back.
 */

export type EditTarget =
  | { kind: 'vertex'; index: number }
  | { kind: 'edge'; index: number; x: number; y: number }
  | { kind: 'inside' };

type DragMode = 'vertex' | 'box-corner' | 'box-edge' | 'move';

interface Drag {
  mode: DragMode;
  /** Vertex, corner (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left) or edge (0 top, 1 right, 2 bottom, 3 left). */
  index: number;
  start: ImagePoint;
  /** The shape when the drag began (after an edge press, with the new vertex already in). */
  from: Geometry;
  draft: Geometry;
  /** An edge press inserted a vertex: a change even if the pointer never moves. */
  inserted: boolean;
}

export interface EditToolState {
  tool: 'edit';
  geometry: Geometry;
  drag: Drag | null;
  /** Vertex chosen by the last press, for Delete/Backspace. */
  selectedVertex: number | null;
  /** What is under the pointer when not dragging, for the cursor. */
  hover: EditTarget | null;
}

export const MIN_POLYGON_VERTICES = 3;

export function initEditTool(geometry: Geometry): EditToolState {
  return { tool: 'edit', geometry, drag: null, selectedVertex: null, hover: null };
}

function boxCorners(b: BoxGeometry): number[] {
  return [b.x, b.y, b.x + b.w, b.y, b.x + b.w, b.y + b.h, b.x, b.y + b.h];
}

/** What a press at `p` would grab. Vertices win over edges, edges over the inside. */
export function editTargetAt(g: Geometry, p: ImagePoint, tolerance: number): EditTarget | null {
  if (g.type === 'point') return Math.hypot(g.x - p.x, g.y - p.y) <= tolerance ? { kind: 'inside' } : null;
  if (g.type === 'line') {
    // An end point moves that end; anywhere else along the line moves the whole line.
    const v = nearestVertex(g.points, p.x, p.y, tolerance);
    if (v >= 0) return { kind: 'vertex', index: v };
    return distanceToGeometry(g, p.x, p.y) <= tolerance ? { kind: 'inside' } : null;
  }
  const ring = g.type === 'polygon' ? g.points : boxCorners(g);
  const v = nearestVertex(ring, p.x, p.y, tolerance);
  if (v >= 0) return { kind: 'vertex', index: v };
  const e = nearestEdge(ring, p.x, p.y, tolerance);
  if (e) return { kind: 'edge', index: e.index, x: e.x, y: e.y };
  return geometryContainsPoint(g, p.x, p.y) ? { kind: 'inside' } : null;
}

function withVertex(g: Geometry & { type: 'polygon' | 'line' }, index: number, x: number, y: number): Geometry {
  const points = g.points.slice();
  points[2 * index] = x;
  points[2 * index + 1] = y;
  return { ...g, points };
}

function insertVertex(g: Geometry & { type: 'polygon' }, afterIndex: number, x: number, y: number): Geometry {
  const points = g.points.slice();
  points.splice(2 * (afterIndex + 1), 0, x, y);
  return { ...g, points };
}

/** Moves one corner of the box; the opposite corner stays. Crossing over flips the box, keeping w, h ≥ 0. */
function moveBoxCorner(b: BoxGeometry, corner: number, p: ImagePoint): BoxGeometry {
  const c = boxCorners(b);
  const opposite = (corner + 2) % 4;
  const ox = c[2 * opposite], oy = c[2 * opposite + 1];
  return { ...b, x: Math.min(ox, p.x), y: Math.min(oy, p.y), w: Math.abs(p.x - ox), h: Math.abs(p.y - oy) };
}

/** Moves one side of the box; the opposite side stays. */
function moveBoxEdge(b: BoxGeometry, edge: number, p: ImagePoint): BoxGeometry {
  let x0 = b.x, y0 = b.y, x1 = b.x + b.w, y1 = b.y + b.h;
  if (edge === 0) y0 = p.y;
  else if (edge === 1) x1 = p.x;
  else if (edge === 2) y1 = p.y;
  else x0 = p.x;
  return { ...b, x: Math.min(x0, x1), y: Math.min(y0, y1), w: Math.abs(x1 - x0), h: Math.abs(y1 - y0) };
}

function dragTo(drag: Drag, p: ImagePoint, shift: boolean): Geometry {
  const g = drag.from;
  switch (drag.mode) {
    case 'vertex':
      return withVertex(g as Geometry & { type: 'polygon' | 'line' }, drag.index, p.x, p.y);
    case 'box-corner':
      return moveBoxCorner(g as BoxGeometry, drag.index, p);
    case 'box-edge':
      return moveBoxEdge(g as BoxGeometry, drag.index, p);
    case 'move': {
      let dx = p.x - drag.start.x;
      let dy = p.y - drag.start.y;
      // Shift keeps the move on one axis.
      if (shift) {
        if (Math.abs(dx) >= Math.abs(dy)) dy = 0;
        else dx = 0;
      }
      return translateGeometry(g, dx, dy);
    }
  }
}

function deleteVertex(state: EditToolState, index: number): ToolStep<EditToolState> {
  const g = state.geometry;
  if (g.type !== 'polygon') return { state, effects: [{ type: 'refused', reason: `a ${g.type} has no vertices to delete` }] };
  if (g.points.length / 2 <= MIN_POLYGON_VERTICES) {
    return { state, effects: [{ type: 'refused', reason: `a polygon needs at least ${MIN_POLYGON_VERTICES} vertices` }] };
  }
  const points = g.points.slice();
  points.splice(2 * index, 2);
  return applyUpdate({ ...state, selectedVertex: null }, { ...g, points }, []);
}

/** Accept `next` as the shape (one update) unless the model refuses it; `before` are effects to emit first. */
function applyUpdate(state: EditToolState, next: Geometry, before: ToolEffect[]): ToolStep<EditToolState> {
  const checked = checkGeometry(next);
  if (!checked.ok) return { state, effects: [...before, checked.refusal] };
  return { state: { ...state, geometry: next }, effects: [...before, { type: 'update', geometry: next, warnings: checked.warnings }] };
}

function startDrag(state: EditToolState, target: EditTarget, p: ImagePoint): ToolStep<EditToolState> {
  const g = state.geometry;
  if (target.kind === 'inside') {
    return { state: { ...state, selectedVertex: null, drag: { mode: 'move', index: 0, start: p, from: g, draft: g, inserted: false } }, effects: [] };
  }
  if (g.type === 'box') {
    const mode: DragMode = target.kind === 'vertex' ? 'box-corner' : 'box-edge';
    return { state: { ...state, selectedVertex: null, drag: { mode, index: target.index, start: p, from: g, draft: g, inserted: false } }, effects: [] };
  }
  if (g.type !== 'polygon' && g.type !== 'line') return { state, effects: [] };
  if (target.kind === 'vertex') {
    // A line's end is not a vertex to delete: Delete then removes the line itself.
    const selectedVertex = g.type === 'polygon' ? target.index : null;
    return { state: { ...state, selectedVertex, drag: { mode: 'vertex', index: target.index, start: p, from: g, draft: g, inserted: false } }, effects: [] };
  }
  if (g.type === 'line') return { state, effects: [] };
  // Edge: the new vertex goes where the edge was pressed, then follows the pointer.
  const from = insertVertex(g, target.index, target.x, target.y);
  const index = target.index + 1;
  return {
    state: { ...state, selectedVertex: index, drag: { mode: 'vertex', index, start: p, from, draft: from, inserted: true } },
    effects: [{ type: 'preview', geometry: from }],
  };
}

function sameGeometry(a: Geometry, b: Geometry): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function reduce(state: EditToolState, event: ToolEvent): ToolStep<EditToolState> {
  if (event.type === 'key') {
    if (event.key === 'Escape') {
      if (state.drag) return { state: { ...state, drag: null }, effects: [{ type: 'preview', geometry: null }, { type: 'cancelled' }] };
      return { state: { ...state, selectedVertex: null }, effects: [] };
    }
    if ((event.key === 'Delete' || event.key === 'Backspace') && !state.drag && state.selectedVertex !== null) {
      return deleteVertex(state, state.selectedVertex);
    }
    return { state, effects: [] };
  }
  const p = event.point;
  const tolerance = event.tolerance ?? 0;
  switch (event.type) {
    case 'pointerdown': {
      if (state.drag) return { state, effects: [] };
      const target = editTargetAt(state.geometry, p, tolerance);
      if (!target) return { state: { ...state, selectedVertex: null }, effects: [{ type: 'miss', point: p }] };
      if (event.alt && target.kind === 'vertex') return deleteVertex(state, target.index);
      return startDrag(state, target, p);
    }
    case 'pointermove': {
      if (!state.drag) return { state: { ...state, hover: editTargetAt(state.geometry, p, tolerance) }, effects: [] };
      const draft = dragTo(state.drag, p, event.shift ?? false);
      return { state: { ...state, drag: { ...state.drag, draft } }, effects: [{ type: 'preview', geometry: draft }] };
    }
    case 'pointerup': {
      const drag = state.drag;
      if (!drag) return { state, effects: [] };
      const draft = dragTo(drag, p, event.shift ?? false);
      const idle = { ...state, drag: null };
      const clear: ToolEffect = { type: 'preview', geometry: null };
      if (!drag.inserted && sameGeometry(draft, state.geometry)) return { state: idle, effects: [clear] };
      return applyUpdate(idle, draft, [clear]);
    }
    case 'dblclick':
      return { state, effects: [] };
  }
}

export const editTool = { init: initEditTool, reduce };
