import { create } from 'zustand';
import type { PolygonGeometry } from '../model/types';
import type { ImagePoint } from '../model/points';
import { shapeIou } from '../agreement';
import { geometryBounds } from '../model/geometry';
import type { Geometry } from '../model/types';
import { addAnnotations } from './actions';
import { annotationsOnImage } from './docState';
import { useDocStore } from './docStore';

/** A proposal overlapping an existing shape this much (IoU) is that shape outlined again: the one-to-one match rule of `granula agree`. */
const SAME_NUCLEUS_IOU = 0.5;

/**
 * The shapes of `proposals` that outline nothing already outlined on image `imageId`: none at
 * IoU ≥ 0.5 with an annotation there, nor with an earlier proposal of the list kept.
 */
export function notYetOutlined<T extends { geometry: Geometry }>(imageId: string, proposals: readonly T[]): T[] {
  const d = useDocStore.getState().doc;
  const kept: Geometry[] = d ? annotationsOnImage(d, imageId).flatMap((a) => (a.geometry ? [a.geometry] : [])) : [];
  const boxes = kept.map(geometryBounds);
  const out: T[] = [];
  for (const p of proposals) {
    const b = geometryBounds(p.geometry);
    const same = kept.some((g, i) => {
      const o = boxes[i];
      // Shapes whose boxes do not overlap cannot overlap: skip the exact area computation.
      if (o.minX > b.maxX || o.maxX < b.minX || o.minY > b.maxY || o.maxY < b.minY) return false;
      return shapeIou(g, p.geometry) >= SAME_NUCLEUS_IOU;
    });
    if (same) continue;
    out.push(p);
    kept.push(p.geometry);
    boxes.push(b);
  }
  return out;
}

/** A shape the assistant proposes: not an annotation until a person accepts it, never saved or exported. */
export interface Suggestion {
  id: string;
  imageId: string;
  classId: string;
  geometry: PolygonGeometry;
  selected: boolean;
}

export interface WandProposal {
  imageId: string;
  click: ImagePoint;
  /** Wheel steps: + widens, − narrows. */
  adjust: number;
  geometry: PolygonGeometry | null;
  pending: boolean;
}

interface AssistState {
  wand: WandProposal | null;
  suggestions: Suggestion[];
  /** The suggestion Enter accepts and Delete rejects. */
  current: number;
  setWand(w: WandProposal | null): void;
  setSuggestions(s: Suggestion[]): void;
  setCurrent(i: number): void;
  toggleSelected(id: string): void;
  reclassify(classId: string): number;
  reject(ids: readonly string[]): void;
  accept(ids: readonly string[], annotatorId: string): number;
  clear(): void;
}

let seq = 0;
export function suggestionId(): string {
  return `sg${++seq}`;
}

export const useAssist = create<AssistState>()((set, get) => ({
  wand: null,
  suggestions: [],
  current: 0,
  setWand: (wand) => set({ wand }),
  setSuggestions: (suggestions) => set({ suggestions, current: 0 }),
  setCurrent: (current) => set({ current }),
  toggleSelected: (id) => set({ suggestions: get().suggestions.map((s) => (s.id === id ? { ...s, selected: !s.selected } : s)) }),
  reclassify: (classId) => {
    const chosen = get().suggestions.filter((s) => s.selected);
    if (!chosen.length) return 0;
    set({ suggestions: get().suggestions.map((s) => (s.selected ? { ...s, classId, selected: false } : s)) });
    return chosen.length;
  },
  reject: (ids) => {
    const drop = new Set(ids);
    const suggestions = get().suggestions.filter((s) => !drop.has(s.id));
    set({ suggestions, current: Math.min(get().current, Math.max(0, suggestions.length - 1)) });
  },
  /**
   * Accepted shapes record that the assistant made them and who accepted them. A suggestion
   * outlining a nucleus already outlined on its image (by anyone, or by an earlier suggestion of
   * the same batch) is dropped instead: accepting never creates a duplicate.
   */
  accept: (ids, annotatorId) => {
    const take = new Set(ids);
    const picked = get().suggestions.filter((s) => take.has(s.id));
    const chosen = [...new Set(picked.map((s) => s.imageId))].flatMap((img) => notYetOutlined(img, picked.filter((s) => s.imageId === img)));
    if (!chosen.length) {
      get().reject(ids);
      return 0;
    }
    addAnnotations(
      chosen.map((s) => ({ imageId: s.imageId, annotatorId, classId: s.classId, attributes: {}, geometry: s.geometry, provenance: { kind: 'assistant', acceptedBy: annotatorId } })),
      chosen.length > 1 ? `Accept ${chosen.length} suggestions` : 'Accept suggestion',
    );
    get().reject(ids);
    return chosen.length;
  },
  clear: () => set({ wand: null, suggestions: [], current: 0 }),
}));
