import { useDrafts } from '../store/drafts';
import { useWorkspace } from '../store/workspace';
import { useT } from './i18n';

/**
 * Says "saved" only once IndexedDB has acknowledged every edit and no field holds typed text that
 * is not committed yet.
 */
export function SaveIndicator() {
  const save = useWorkspace((s) => s.save);
  const drafts = useDrafts((s) => s.open);
  const t = useT();
  const state = save.state === 'error' ? 'error' : drafts > 0 ? 'typing' : save.state;
  const label = state === 'saved' ? t('saved') : state === 'saving' ? t('saving') : state === 'typing' ? t('unsavedTyping') : t('saveError');
  return (
    <span className={`save-indicator save-${state === 'typing' ? 'saving' : state}`} role="status" aria-live="polite" data-testid="save-status" data-state={state}>
      {label}
    </span>
  );
}
