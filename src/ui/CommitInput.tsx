import { useEffect, useRef, useState, type InputHTMLAttributes, type Ref, type TextareaHTMLAttributes } from 'react';

/**
 * A text field that commits on blur, Enter or a short pause, so typing a word is one edit (one
 * undo step, one save), not one per keystroke.
 */
export function CommitInput({
  value,
  onCommit,
  idleMs = 700,
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
      }}
    />
  );
}

export function CommitTextarea({
  value,
  onCommit,
  idleMs = 900,
  ref,
  ...rest
}: { value: string; onCommit: (v: string) => void; idleMs?: number; ref?: Ref<HTMLTextAreaElement> } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
  const [draft, setDraft] = useDraft(value, onCommit, idleMs);
  return <textarea {...rest} ref={ref} value={draft.text} onChange={(e) => setDraft(e.target.value)} onBlur={() => draft.flush()} />;
}

function useDraft(value: string, onCommit: (v: string) => void, idleMs: number) {
  const [text, setText] = useState(value);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ text, value, onCommit });
  latest.current = { text, value, onCommit };
  useEffect(() => {
    if (!dirty.current) setText(value);
  }, [value]);
  const flush = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!dirty.current) return;
    dirty.current = false;
    if (latest.current.text !== latest.current.value) latest.current.onCommit(latest.current.text);
    else setText(latest.current.value);
  };
  useEffect(() => () => flush(), []); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (v: string) => {
    dirty.current = true;
    setText(v);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(flush, idleMs);
  };
  return [{ text, flush }, set] as const;
}
