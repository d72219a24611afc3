import { create } from 'zustand';
import type { PolygonGeometry } from '../model/types';
import type { ImagePoint } from '../model/points';
import { addAnnotations } from './actions';

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
  /** Accepted shapes record that the assistant made them and who accepted them. */
  accept: (ids, annotatorId) => {
    const take = new Set(ids);
    const chosen = get().suggestions.filter((s) => take.has(s.id));
    if (!chosen.length) return 0;
    addAnnotations(
      chosen.map((s) => ({ imageId: s.imageId, annotatorId, classId: s.classId, attributes: {}, geometry: s.geometry, provenance: { kind: 'assistant', acceptedBy: annotatorId } })),
      chosen.length > 1 ? `Accept ${chosen.length} suggestions` : 'Accept suggestion',
    );
    get().reject(ids);
    return chosen.length;
  },
  clear: () => set({ wand: null, suggestions: [], current: 0 }),
}));
