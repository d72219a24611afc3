import { useWorkspace } from '../store/workspace';
import { useT } from './i18n';

/** Says "saved" only once IndexedDB has acknowledged every edit. */
export function SaveIndicator() {
  const save = useWorkspace((s) => s.save);
  const t = useT();
  const label = save.state === 'saved' ? t('saved') : save.state === 'saving' ? t('saving') : t('saveError');
  return (
    <span className={`save-indicator save-${save.state}`} role="status" aria-live="polite" data-testid="save-status" data-state={save.state}>
      {label}
    </span>
  );
}
