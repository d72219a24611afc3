import { useState } from 'react';
import { exportSharedText } from '../store/importExport';
import { updateProject } from '../store/actions';
import { flushSaves } from '../store/workspace';
import { useDoc } from './useDoc';
import { downloadText, safeFileName } from './download';
import { useT } from './i18n';

export function ExportPanel() {
  const doc = useDoc()!;
  const t = useT();
  const [includeImages, setIncludeImages] = useState(false);
  const [busy, setBusy] = useState(false);

  const onExport = async () => {
    setBusy(true);
    try {
      await flushSaves();
      const out = await exportSharedText(doc.project.id, { includeImages });
      if (!out) return;
      downloadText(`${safeFileName(doc.project.name)}.granula.json`, out.text, 'application/json');
      updateProject(
        {
          exportLog: [
            ...doc.project.exportLog,
            { at: new Date().toISOString(), format: includeImages ? 'shared+images' : 'shared', images: out.data.images.length, annotations: out.data.annotations.length, excludedImages: 0 },
          ],
        },
        'Log export',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label={t('export')}>
      <div className="card">
        <label className="checkbox">
          <input type="checkbox" checked={includeImages} onChange={(e) => setIncludeImages(e.target.checked)} />
          {t('includeImages')}
        </label>
        <button type="button" onClick={() => void onExport()} disabled={busy}>
          {t('exportShared')}
        </button>
      </div>
      {doc.project.exportLog.length > 0 && (
        <div className="card">
          <h3>{t('exportLog')}</h3>
          <ul data-testid="export-log">
            {[...doc.project.exportLog].reverse().map((e, i) => (
              <li key={i}>
                {e.at.replace('T', ' ').slice(0, 19)} · {e.format} · {e.images} {t('images')} · {e.annotations} {t('annotations')}
                {e.excludedImages ? ` · −${e.excludedImages}${e.reason ? ` (${e.reason})` : ''}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
