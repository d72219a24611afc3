import type { Geometry } from '../model/types';
import type { ImagePoint } from '../model/points';

/**
 * Drawing tools are pure reducers: (state, event) → { state, effects }. No React, DOM or Konva:
 * the host turns pointer and key input into ToolEvents (points already in image pixels) and acts on
 * the effects (draw the preview, run the store command, show the refusal).
 */

export interface PointerToolEvent {
  type: 'pointerdown' | 'pointermove' | 'pointerup' | 'dblclick';
  point: ImagePoint;
  shift?: boolean;
  alt?: boolean;
  /**
   * The hit radius in image pixels at the current zoom (e.g. 6 screen px ÷ scale): how near the
   * pointer must be to a vertex or edge to grab it. Tools that need none ignore it; default 0.
   */
  tolerance?: number;
}

export interface KeyToolEvent {
  type: 'key';
  /** KeyboardEvent.key: 'Enter', 'Escape', 'Backspace', 'Delete', … */
  key: string;
}

export type ToolEvent = PointerToolEvent | KeyToolEvent;

export type ToolEffect =
  /** Draw this in-progress shape (null: clear it). Not a document change. */
  | { type: 'preview'; geometry: Geometry | null }
  /** A new shape is finished: create an annotation. `warnings` are soft problems (self-intersection). */
  | { type: 'commit'; geometry: Geometry; warnings: string[] }
  /** The edited shape changed: one undo step. */
  | { type: 'update'; geometry: Geometry; warnings: string[] }
  /** The shape was not accepted; `reason` says why (from geometryProblems, or the tool's own rule). */
  | { type: 'refused'; reason: string }
  /** The user abandoned the shape in progress. */
  | { type: 'cancelled' }
  /** Not in continuous mode: the tool has committed its one shape and ignores further input. */
  | { type: 'done' }
  /** Edit tool: a press that hit neither the shape nor its handles (the host may deselect). */
  | { type: 'miss'; point: ImagePoint };

export interface ToolStep<S> {
  state: S;
  effects: ToolEffect[];
}

export interface ToolOptions {
  /** After a commit, be ready for the next shape (cell after cell) instead of finishing. Default false. */
  continuous?: boolean;
}

/** 'ready': waiting for the first input; 'drawing': a shape is in progress; 'done': committed, not continuous. */
export type DrawingPhase = 'ready' | 'drawing' | 'done';

export interface DrawingTool<S> {
  init(options?: ToolOptions): S;
  reduce(state: S, event: ToolEvent): ToolStep<S>;
}
