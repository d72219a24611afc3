import { useWorkspace, retrySaves } from '../store/workspace';
import { useDocStore } from '../store/docStore';
import { dataFromDoc } from '../store/docState';
import { toSharedDocument } from '../formats/shared/convert';
import { downloadText } from './download';
import { useT } from './i18n';

/** A failed save is shown, never only logged; the work stays in memory and can be exported. */
export function StorageBanner() {
  const save = useWorkspace((s) => s.save);
  const storageError = useWorkspace((s) => s.storageError);
  const t = useT();
  if (save.state !== 'error' && !storageError) return null;
  const kind = storageError ? 'unavailable' : save.error?.kind;
  const message =
    kind === 'unavailable' ? t('storageUnavailable') : kind === 'quota' ? t('storageFull') : t('storageOther', { message: save.error?.message ?? '' });
  const exportOpen = () => {
    const doc = useDocStore.getState().doc;
    if (!doc) return;
    const text = JSON.stringify(toSharedDocument(dataFromDoc(doc), { exportedAt: new Date().toISOString() }), null, 1);
    downloadText(`${doc.project.name || 'project'}.granula.json`, text, 'application/json');
  };
  return (
    <div className="banner banner-error" role="alert">
      <span>{message}</span>
      {!storageError && (
        <button type="button" onClick={() => void retrySaves()}>
          {t('retry')}
        </button>
      )}
      <button type="button" onClick={exportOpen} disabled={!useDocStore.getState().doc}>
        {t('exportNow')}
      </button>
    </div>
  );
}
