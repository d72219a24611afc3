import { useEffect, useRef, useState, type InputHTMLAttributes, type Ref, type TextareaHTMLAttributes } from 'react';
import { closeDraft, openDraft, type Draft } from '../store/drafts';

/**
 * A text field that commits on blur, Enter or a short pause, so typing a word is one edit (one
 * undo step, one save), not one per keystroke. Text not committed yet is an open draft: the save
 * indicator says so, and it is committed before the page is hidden or unloaded.
 */
export function CommitInput({
  value,
  onCommit,
  idleMs = 700,
  onKeyDown,
  ...rest
}: { value: string; onCommit: (v: string) => void; idleMs?: number } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const [draft, setDraft] = useDraft(value, onCommit, idleMs);
  return (
    <input
      {...rest}
      value={draft.text}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft.flush()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') draft.flush();
        onKeyDown?.(e);
      }}
    />
  );
}

/** Several lines: Enter adds a line; Ctrl+Enter (⌘+Enter), blur or a short pause commits. */
export function CommitTextarea({
  value,
  onCommit,
  idleMs = 900,
  ref,
  onKeyDown,
  ...rest
}: { value: string; onCommit: (v: string) => void; idleMs?: number; ref?: Ref<HTMLTextAreaElement> } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
  const [draft, setDraft] = useDraft(value, onCommit, idleMs);
  return (
    <textarea
      {...rest}
      ref={ref}
      value={draft.text}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft.flush()}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          draft.flush();
        }
        onKeyDown?.(e);
      }}
    />
  );
}

function useDraft(value: string, onCommit: (v: string) => void, idleMs: number) {
  const [text, setText] = useState(value);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ text, value, onCommit });
  latest.current = { text, value, onCommit };
  const flushRef = useRef(() => {});
  // One stable entry in the list of open drafts, committing through the latest props.
  const open = useRef<Draft | null>(null);
  open.current ??= { commit: () => flushRef.current() };
  useEffect(() => {
    if (!dirty.current) setText(value);
  }, [value]);
  const flush = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!dirty.current) return;
    dirty.current = false;
    try {
      if (latest.current.text !== latest.current.value) latest.current.onCommit(latest.current.text);
      else setText(latest.current.value);
    } finally {
      // Closed after the commit: the edit is queued for saving before the draft stops counting.
      closeDraft(open.current!);
    }
  };
  flushRef.current = flush;
  useEffect(() => () => flushRef.current(), []);
  const set = (v: string) => {
    dirty.current = true;
    // Read by a commit that comes before React renders again (the page going away mid-word).
    latest.current.text = v;
    setText(v);
    openDraft(open.current!);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(flush, idleMs);
  };
  return [{ text, flush }, set] as const;
}
