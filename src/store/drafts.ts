import { create } from 'zustand';

/**
 * Text being typed in a field is an edit not made yet: the field commits it on blur, Enter or a
 * short pause, so a typed word is one undo step. Until then it is listed here, so the page never
 * says "saved" while such text is open, and a page about to go away commits it before it writes.
 */
export interface Draft {
  /** Commits the field's text through its own store action (no-op when nothing changed). */
  commit(): void;
}

const open = new Set<Draft>();

/** How many fields hold text not committed yet. */
export const useDrafts = create<{ open: number }>()(() => ({ open: 0 }));

const publish = () => {
  if (useDrafts.getState().open !== open.size) useDrafts.setState({ open: open.size });
};

export function openDraft(draft: Draft): void {
  if (open.has(draft)) return;
  open.add(draft);
  publish();
}

export function closeDraft(draft: Draft): void {
  if (open.delete(draft)) publish();
}

/** Commits every field's uncommitted text now, e.g. when the page is being hidden or unloaded. */
export function commitDrafts(): void {
  for (const draft of [...open]) {
    try {
      draft.commit();
    } catch (e) {
      console.warn('Granula could not commit a field', e);
    } finally {
      closeDraft(draft);
    }
  }
}
