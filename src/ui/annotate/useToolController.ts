import { useCallback, useEffect, useRef, useState } from 'react';
import type { DicomSliceRef, Geometry, LabelSchema } from '../../model/types';
import { addAnnotations, deleteAnnotations, updateAnnotations } from '../../store/actions';
import { useDocStore } from '../../store/docStore';
import { useSession, type ToolId } from '../../store/sessionStore';
import { boxTool, editTool, freehandTool, lineTool, pointTool, polygonTool, type EditToolState, type ToolEffect, type ToolEvent } from '../../tools';
import type { DrawingTool } from '../../tools/types';
import { imageLengthOfScreenPixels, type ViewTransform } from '../../viewer/coords';
import type { SpatialIndex } from '../../viewer/spatialIndex';
import type { ViewerPointerEvent } from './AnnotateViewer';
import type { Assistant } from './useAssistant';
import { useAssist } from '../../store/assistStore';
import { ringContainsPoint } from '../../model/hit';

type DrawingToolId = Exclude<ToolId, 'pan' | 'select' | 'wand'>;

const DRAWING: Record<DrawingToolId, DrawingTool<unknown>> = {
  polygon: polygonTool as DrawingTool<unknown>,
  freehand: freehandTool as DrawingTool<unknown>,
  box: boxTool as DrawingTool<unknown>,
  point: pointTool as DrawingTool<unknown>,
  line: lineTool as DrawingTool<unknown>,
  // The region the assistant searches is drawn like a box; its "commit" asks for proposals.
  propose: boxTool as DrawingTool<unknown>,
};

/** How near, in screen pixels, the pointer must be to grab a vertex, an edge or a shape. */
const HIT_PX = 7;

interface Params {
  schema: LabelSchema;
  imageId: string;
  annotatorId: string | undefined;
  index: SpatialIndex;
  revision: number;
  /** The nucleus assistant, where the image allows it. */
  assistant?: Assistant;
  /** On a CT/MR series: the slice shown, which new shapes are drawn on. */
  slice?: DicomSliceRef;
  /** Messages in the user's language. */
  text: { chooseClass: string; chooseIdentity: string; refused: (reason: string) => string; warning: (w: string) => string };
}

export interface ToolController {
  /** The shape being drawn or dragged, drawn by the overlay; null when idle. */
  preview: Geometry | null;
  edit: EditToolState | null;
  /** The selected shape whose canvas copy is hidden while its preview is dragged. */
  draggingId: string | null;
  capturePointer: boolean;
  cursor: string;
  onPointer: (e: ViewerPointerEvent, t: ViewTransform) => void;
  /** Returns true when the key was used. */
  onKey: (key: string) => boolean;
}

/**
 * Turns pointer and key input into the pure tools' events and their effects into store commands.
 * The tools never see the store; the store never sees pointer events.
 */
export function useToolController({ schema, imageId, annotatorId, index, revision, text, assistant, slice }: Params): ToolController {
  const tool = useSession((s) => s.tool);
  const continuous = useSession((s) => s.continuous);
  const selectedIds = useSession((s) => s.selectedIds);
  const drawState = useRef<unknown>(null);
  const editState = useRef<EditToolState | null>(null);
  const editId = useRef<string | null>(null);
  const [preview, setPreview] = useState<Geometry | null>(null);
  const [edit, setEdit] = useState<EditToolState | null>(null);
  const [dragging, setDragging] = useState(false);
  const lastTransform = useRef<ViewTransform | null>(null);
  const ctx = useRef({ schema, imageId, annotatorId, index, text, tool, assistant, slice });
  ctx.current = { schema, imageId, annotatorId, index, text, tool, assistant, slice };

  // A fresh tool whenever the tool, the image or continuous mode changes.
  useEffect(() => {
    drawState.current = tool in DRAWING ? DRAWING[tool as DrawingToolId].init({ continuous }) : null;
    setPreview(null);
  }, [tool, imageId, continuous]);

  // The edit tool follows the selection (and undo, other tabs) while no drag is under way.
  useEffect(() => {
    const doc = useDocStore.getState().doc;
    const only = selectedIds.length === 1 ? doc?.annotations.get(selectedIds[0]) : undefined;
    if (editState.current?.drag) return;
    if (only?.geometry && only.imageId === imageId && tool === 'select') {
      if (editId.current !== only.id || editState.current?.geometry !== only.geometry) {
        editState.current = editTool.init(only.geometry);
        editId.current = only.id;
      }
    } else {
      editState.current = null;
      editId.current = null;
    }
    setEdit(editState.current);
  }, [selectedIds, revision, imageId, tool]);

  const runEffects = useCallback((effects: ToolEffect[], source: 'draw' | 'edit') => {
    const c = ctx.current;
    const session = useSession.getState();
    for (const e of effects) {
      switch (e.type) {
        case 'preview':
          if (source === 'edit') setDragging(e.geometry !== null);
          setPreview(e.geometry);
          break;
        case 'commit': {
          if (c.tool === 'propose' && e.geometry.type === 'box' && lastTransform.current) {
            c.assistant?.propose({ x: e.geometry.x, y: e.geometry.y, w: e.geometry.w, h: e.geometry.h }, lastTransform.current);
            break;
          }
          const classId = session.classId;
          if (!c.annotatorId) {
            session.say(c.text.chooseIdentity, 'error');
            break;
          }
          if (!classId || !c.schema.classes.some((k) => k.id === classId)) {
            session.say(c.text.chooseClass, 'error');
            break;
          }
          const [created] = addAnnotations(
            [{ imageId: c.imageId, annotatorId: c.annotatorId, classId, attributes: {}, geometry: e.geometry, provenance: { kind: 'manual' }, ...(c.slice ? { slice: c.slice } : {}) }],
            `Draw ${e.geometry.type}`,
          );
          if (e.warnings.length) session.say(c.text.warning(e.warnings[0]), 'info');
          else session.clearMessage();
          // A box is usually followed by its attributes (Paris class), a length read off: select it so the panel shows them.
          if ((e.geometry.type === 'box' || e.geometry.type === 'line') && created) session.select([created.id]);
          break;
        }
        case 'update':
          if (editId.current) {
            updateAnnotations([{ id: editId.current, patch: { geometry: e.geometry } }], `Edit ${e.geometry.type}`);
            if (e.warnings.length) session.say(c.text.warning(e.warnings[0]), 'info');
          }
          break;
        case 'refused':
          session.say(c.text.refused(e.reason), 'error');
          break;
        case 'miss':
          break;
        case 'cancelled':
        case 'done':
          break;
      }
    }
  }, []);

  const feedDraw = useCallback(
    (event: ToolEvent) => {
      const t = ctx.current.tool;
      if (!(t in DRAWING) || drawState.current === null) return false;
      const step = DRAWING[t as DrawingToolId].reduce(drawState.current, event);
      drawState.current = step.state;
      runEffects(step.effects, 'draw');
      return step.effects.length > 0;
    },
    [runEffects],
  );

  const feedEdit = useCallback(
    (event: ToolEvent) => {
      if (!editState.current) return [] as ToolEffect[];
      const step = editTool.reduce(editState.current, event);
      editState.current = step.state;
      setEdit(step.state);
      runEffects(step.effects, 'edit');
      return step.effects;
    },
    [runEffects],
  );

  const onPointer = useCallback(
    (e: ViewerPointerEvent, t: ViewTransform) => {
      lastTransform.current = t;
      const tolerance = imageLengthOfScreenPixels(t, HIT_PX);
      const event: ToolEvent = { type: e.type, point: e.point, shift: e.shift, alt: e.alt, tolerance };
      const c = ctx.current;
      if (c.tool === 'wand') {
        if (e.type === 'pointerdown') c.assistant?.wandClick(e.point, t);
        return;
      }
      if (c.tool === 'propose' && e.type === 'pointerdown') {
        // A press on a suggestion selects it (for reclassifying); elsewhere it starts a region.
        const hit = useAssist.getState().suggestions.find((s) => ringContainsPoint(s.geometry.points, e.point.x, e.point.y));
        if (hit) {
          useAssist.getState().toggleSelected(hit.id);
          return;
        }
      }
      if (c.tool in DRAWING) {
        feedDraw(event);
        return;
      }
      if (c.tool !== 'select') return;
      const session = useSession.getState();
      if (e.type === 'pointerdown') {
        if (editState.current && !e.shift) {
          const effects = feedEdit(event);
          if (!effects.some((x) => x.type === 'miss')) return;
        }
        const hit = c.index.hitTestFirst(e.point, tolerance);
        if (!hit) {
          if (!e.shift) session.select([]);
          return;
        }
        if (e.shift) {
          session.toggleSelected(hit);
          return;
        }
        session.select([hit]);
        const geometry = c.index.get(hit);
        if (geometry) {
          // Press-and-drag on an unselected shape moves it in the same gesture.
          editState.current = editTool.init(geometry);
          editId.current = hit;
          feedEdit(event);
        }
        return;
      }
      if (editState.current && (e.type === 'pointerup' || e.pressed || e.type === 'pointermove')) feedEdit(event);
    },
    [feedDraw, feedEdit],
  );

  const onKey = useCallback(
    (key: string) => {
      const c = ctx.current;
      if (c.tool === 'wand' || c.tool === 'propose') {
        const assist = useAssist.getState();
        if (c.tool === 'wand' && assist.wand) {
          if (key === 'Enter') c.assistant?.acceptWand();
          else if (key === 'Escape') c.assistant?.dropWand();
          else return false;
          return true;
        }
        const current = assist.suggestions[assist.current];
        if (assist.suggestions.length && c.annotatorId) {
          if (key === 'a' || key === 'A') assist.accept(assist.suggestions.map((s) => s.id), c.annotatorId);
          else if (key === 'Enter' && current) assist.accept([current.id], c.annotatorId);
          else if ((key === 'Delete' || key === 'Backspace') && current) assist.reject([current.id]);
          else if (key === 'n' || key === 'N' || key === 'Tab') assist.setCurrent((assist.current + 1) % assist.suggestions.length);
          else if (key === 'Escape') assist.reject(assist.suggestions.map((s) => s.id));
          else return c.tool === 'propose' ? feedDraw({ type: 'key', key }) : false;
          return true;
        }
      }
      if (c.tool in DRAWING) return feedDraw({ type: 'key', key });
      if (c.tool !== 'select') return false;
      const session = useSession.getState();
      if (key === 'Delete' || key === 'Backspace') {
        if (editState.current?.selectedVertex != null) {
          feedEdit({ type: 'key', key });
          return true;
        }
        if (session.selectedIds.length) {
          deleteAnnotations(session.selectedIds, session.selectedIds.length > 1 ? `Delete ${session.selectedIds.length} shapes` : 'Delete shape');
          session.select([]);
          return true;
        }
        return false;
      }
      if (key === 'Escape') {
        if (editState.current?.drag) feedEdit({ type: 'key', key });
        else session.select([]);
        return true;
      }
      return false;
    },
    [feedDraw, feedEdit],
  );

  const hover = edit?.hover?.kind;
  const cursor =
    tool === 'pan' ? 'grab' : tool === 'wand' ? 'cell' : tool === 'select' ? (dragging ? 'grabbing' : hover === 'vertex' ? 'pointer' : hover === 'edge' ? 'copy' : hover === 'inside' ? 'move' : 'default') : 'crosshair';

  return {
    preview,
    edit,
    draggingId: dragging ? editId.current : null,
    capturePointer: tool !== 'pan',
    cursor,
    onPointer,
    onKey,
  };
}
