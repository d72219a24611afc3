import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type ToolId = 'pan' | 'select' | 'polygon' | 'freehand' | 'box' | 'point' | 'line' | 'wand' | 'propose';

/**
 * Session state: never saved with the project and never undone (tool, selection, messages).
 * Only the last used class per project is remembered across reloads, as a preference.
 */
interface SessionState {
  tool: ToolId;
  classId: string | null;
  selectedIds: string[];
  continuous: boolean;
  /** A short message on screen, e.g. why a shape was refused, and the place it was said in. */
  message: { text: string; kind: 'info' | 'error'; at: number; place: string | null } | null;
  /**
   * Where the user is (project, image and language, as one key): a message belongs to the place it
   * was said in and is dropped on leaving it, so it never shows beside another image, project or
   * language.
   */
  place: string | null;
  helpOpen: boolean;
  lastClassByProject: Record<string, string>;
  setTool(tool: ToolId): void;
  setClass(projectId: string, classId: string): void;
  select(ids: string[]): void;
  toggleSelected(id: string): void;
  setContinuous(on: boolean): void;
  say(text: string, kind?: 'info' | 'error'): void;
  clearMessage(): void;
  enterPlace(place: string | null): void;
  setHelpOpen(open: boolean): void;
}

export const useSession = create<SessionState>()(
  persist(
    (set, get) => ({
      tool: 'select',
      classId: null,
      selectedIds: [],
      continuous: true,
      message: null,
      place: null,
      helpOpen: false,
      lastClassByProject: {},
      setTool: (tool) => set({ tool }),
      setClass: (projectId, classId) => set({ classId, lastClassByProject: { ...get().lastClassByProject, [projectId]: classId } }),
      select: (selectedIds) => set({ selectedIds }),
      toggleSelected: (id) => {
        const ids = get().selectedIds;
        set({ selectedIds: ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id] });
      },
      setContinuous: (continuous) => set({ continuous }),
      say: (text, kind = 'info') => set({ message: { text, kind, at: Date.now(), place: get().place } }),
      clearMessage: () => set({ message: null }),
      enterPlace: (place) => {
        const { message } = get();
        set({ place, message: message && message.place === place ? message : null });
      },
      setHelpOpen: (helpOpen) => set({ helpOpen }),
    }),
    {
      name: 'granula-session',
      version: 1,
      partialize: (s) => ({ lastClassByProject: s.lastClassByProject, continuous: s.continuous }),
    },
  ),
);
