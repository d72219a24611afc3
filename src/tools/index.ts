/** Drawing tools as pure state machines: (state, event) → { state, effects }. */
export { boxFromCorners, boxTool, type BoxToolState } from './boxTool';
export { editTargetAt, editTool, initEditTool, MIN_POLYGON_VERTICES, type EditTarget, type EditToolState } from './editTool';
export { FREEHAND_SIMPLIFY_RATIO, freehandTool, simplifyStroke, type FreehandToolState } from './freehandTool';
export { lineBetween, lineTool, type LineToolState } from './lineTool';
export { pointTool, type PointToolState } from './pointTool';
export { polygonTool, type PolygonToolState } from './polygonTool';
export * from '../model/hit';
export type { DrawingPhase, DrawingTool, KeyToolEvent, PointerToolEvent, ToolEffect, ToolEvent, ToolOptions, ToolStep } from './types';
