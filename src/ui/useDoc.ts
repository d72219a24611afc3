import { useDocStore } from '../store/docStore';
import type { DocState } from '../store/docState';

/** The open project, re-rendering on every change (the maps are mutated in place). */
export function useDoc(): DocState | null {
  useDocStore((s) => s.rev);
  return useDocStore.getState().doc;
}
