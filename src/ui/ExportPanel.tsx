import { useState } from 'react';
import type { FormatName } from '../formats/detect';
import { writeAny } from '../formats/writeAny';
import { exportableProject, exportSharedText } from '../store/importExport';
import { updateProject } from '../store/actions';
import { useDoc } from './useDoc';
import { downloadText, safeFileName } from './download';
import { useT } from './i18n';

const FORMATS: FormatName[] = ['shared', 'coco', 'geojson', 'csv', 'yolo'];
const MIME: Record<string, string> = { json: 'application/json', geojson: 'application/geo+json', csv: 'text/csv', txt: 'text/plain' };

function mimeOf(name: string): string {
  return MIME[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
}

export function ExportPanel() {
  const doc = useDoc()!;
  const t = useT();
  const [format, setFormat] = useState<FormatName>('shared');
  const [includeImages, setIncludeImages] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ images: number; annotations: number; excluded: number; warnings: string[] } | null>(null);

  const onExport = async () => {
    setBusy(true);
    setReport(null);
    try {
      let files: { name: string; text: string }[];
      let warnings: string[] = [];
      let exported;
      if (format === 'shared') {
        const out = await exportSharedText(doc.project.id, { includeImages });
        if (!out) return;
        exported = out;
        files = [{ name: `${safeFileName(doc.project.name)}.granula.json`, text: out.text }];
      } else {
        exported = await exportableProject(doc.project.id);
        if (!exported) return;
        const written = writeAny(exported.data, format, { yoloLayout: 'single' });
        files = written.files;
        warnings = written.warnings;
      }
      for (const f of files) downloadText(f.name.replaceAll('/', '_'), f.text, mimeOf(f.name));
      const entry = {
        at: new Date().toISOString(),
        format: format === 'shared' && includeImages ? 'shared+images' : format,
        images: exported.data.images.length,
        annotations: exported.data.annotations.length,
        excludedImages: exported.excludedImages,
        ...(exported.excludedImages ? { reason: 'patients opted out' } : {}),
      };
      updateProject({ exportLog: [...doc.project.exportLog, entry] }, 'Log export', {
        action: 'export',
        detail: `${entry.format}: ${entry.images} images, ${entry.annotations} annotations${entry.excludedImages ? `, ${entry.excludedImages} images left out (opt-out)` : ''}`,
      });
      setReport({ images: entry.images, annotations: entry.annotations, excluded: exported.excludedImages, warnings });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label={t('export')}>
      <div className="card">
        <div className="row">
          <label>
            {t('exportFormat')}
            <select value={format} onChange={(e) => setFormat(e.target.value as FormatName)}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`format.${f}`)}
                </option>
              ))}
            </select>
          </label>
          {format === 'shared' && (
            <label className="checkbox">
              <input type="checkbox" checked={includeImages} onChange={(e) => setIncludeImages(e.target.checked)} />
              {t('includeImages')}
            </label>
          )}
          <button type="button" className="primary" onClick={() => void onExport()} disabled={busy}>
            {t('exportButton')}
          </button>
        </div>
        <p className="muted">{t('exportPrivacyNote', { count: doc.project.optOut.length })}</p>
        {report && (
          <div role="status" data-testid="export-report">
            <p>{t('exportDone', { images: report.images, annotations: report.annotations })}</p>
            {report.excluded > 0 && <p data-testid="export-excluded">{t('exportExcluded', { count: report.excluded })}</p>}
            {report.warnings.length > 0 && (
              <ul className="muted">
                {report.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      {doc.project.exportLog.length > 0 && (
        <div className="card">
          <h3>{t('exportLog')}</h3>
          <ul data-testid="export-log">
            {[...doc.project.exportLog].reverse().map((e, i) => (
              <li key={i}>
                {e.at.replace('T', ' ').slice(0, 19)} · {e.format} · {e.images} {t('images')} · {e.annotations} {t('annotations')}
                {e.excludedImages ? ` · ${t('exportExcluded', { count: e.excludedImages })}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
