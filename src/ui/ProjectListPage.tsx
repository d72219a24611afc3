import { useState } from 'react';
import { ProblemList } from './ProblemList';
import { FileButton } from './FileButton';
import { TEMPLATE_IDS, type TemplateId } from '../model/templates';
import { createProject, removeProject, useWorkspace } from '../store/workspace';
import { importSharedText, wholeText, type ImportResult } from '../store/importExport';
import { importInWorker } from '../store/importClient';
import type { ImportProgress } from '../store/streamImport';
import { navigate } from './router';
import { useCountWords, useT } from './i18n';
import { useLabelCheckText } from './labelCheckText';
import { useSettings } from './settingsStore';

export function ProjectListPage() {
  const projects = useWorkspace((s) => s.projects);
  const t = useT();
  const count = useCountWords();
  const lt = useLabelCheckText();
  const identity = useSettings((s) => s.identity);
  const [name, setName] = useState('');
  const [template, setTemplate] = useState<TemplateId>('pathology-cells');
  const [importResult, setImportResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [cancel, setCancel] = useState<AbortController | null>(null);

  const onCreate = async (e: React.FormEvent) => {
    e.preventDefault();
    const data = await createProject(name.trim() || t(`template.${template}`), template);
    setName('');
    navigate({ page: 'project', projectId: data.project.id, tab: 'worklist' });
  };

  const onImport = async (file: File) => {
    setBusy(true);
    setImportResult(null);
    const streamed = await importStreamed(file);
    // A work package or a return merges with what this browser holds: read on the page.
    const result = 'team' in streamed ? await importWhole(file) : streamed;
    // A work package names whom it is for: a browser with no name yet takes that name.
    if (result.ok && result.packageFor && !useSettings.getState().identity) useSettings.getState().setIdentity(result.packageFor);
    setImportResult(result);
    setBusy(false);
  };

  /** A project file (shared, COCO, GeoJSON) of any size: streamed in a worker, with progress and a cancel. */
  const importStreamed = async (file: File): Promise<ImportResult | { ok: false; team: string }> => {
    const abort = new AbortController();
    setCancel(abort);
    const r = await importInWorker(file, { onProgress: setProgress, signal: abort.signal });
    setCancel(null);
    setProgress(null);
    if (r.ok) return { ok: true, projectId: r.projectId, name: r.name, annotations: r.annotations, images: r.images, ...(r.incomplete ? { incomplete: r.incomplete } : {}) };
    return r.team ? { ok: false, team: r.team } : { ok: false, problems: r.problems };
  };

  /** A work package or a return: read whole, as it merges with what is here. */
  const importWhole = async (file: File): Promise<ImportResult> => {
    const whole = await wholeText(file);
    return whole.ok ? importSharedText(whole.text, file.name) : whole;
  };

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

  return (
    <main className="page project-list">
      <h1>{t('projects')}</h1>
      <section aria-labelledby="new-project-h" className="card">
        <h2 id="new-project-h">{t('newProject')}</h2>
        <form onSubmit={onCreate} className="row">
          <label>
            {t('projectName')}
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            {t('template')}
            <select value={template} onChange={(e) => setTemplate(e.target.value as TemplateId)}>
              {TEMPLATE_IDS.map((id) => (
                <option key={id} value={id}>
                  {t(`template.${id}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t('create')}</button>
        </form>
      </section>

      <section className="card">
        <FileButton accept=".json,.geojson,application/json,application/geo+json" onFiles={([f]) => void onImport(f)}>
          {busy ? t('importing') : t('importProject')}
        </FileButton>
        <p className="muted">{t('importAlsoGeoJson')}</p>
        {progress && (
          <p role="status" data-testid="import-progress">
            <progress value={progress.bytes} max={progress.totalBytes} />{' '}
            {t(progress.phase === 'checking' ? 'importChecking' : 'importStoring', { done: mb(progress.bytes), total: mb(progress.totalBytes), records: count(progress.records, 'record', 'records') })}
          </p>
        )}
        {cancel && (
          <button type="button" onClick={() => cancel.abort()}>
            {t('importCancel')}
          </button>
        )}
        {importResult?.ok && !importResult.packageFor && !importResult.gathered && (
          <p role="status">{t('imported', { name: importResult.name, images: count(importResult.images, 'image', 'images'), annotations: count(importResult.annotations, 'annotation', 'annotations') })}</p>
        )}
        {importResult?.ok && importResult.incomplete && (
          <ProblemList title={lt('importIncomplete')} problems={importResult.incomplete} />
        )}
        {importResult?.ok && importResult.packageFor && (
          <p role="status" data-testid="package-opened">
            {t('packageOpened', { name: importResult.name, images: importResult.images, who: importResult.packageFor.displayName })}{' '}
            {identity && identity.id !== importResult.packageFor.id && t('packageOtherPerson', { who: importResult.packageFor.displayName, me: identity.displayName })}{' '}
            <a href={`#/project/${encodeURIComponent(importResult.projectId)}/worklist`}>{t('open')}</a>
          </p>
        )}
        {importResult?.ok && importResult.gathered && (
          <p role="status">
            {t('returnGathered', { name: importResult.name, file: importResult.gathered.file, added: importResult.gathered.added, updated: importResult.gathered.updated, conflicts: importResult.gathered.conflicts })}
          </p>
        )}
        {importResult && !importResult.ok && (
          <ProblemList title={t('importFailed')} problems={importResult.problems} />
        )}
      </section>

      {projects.length === 0 ? (
        <p>{t('noProjects')}</p>
      ) : (
        <ul className="project-cards" aria-label={t('projects')}>
          {projects.map((p) => (
            <li key={p.id} className="card">
              <a href={`#/project/${encodeURIComponent(p.id)}/worklist`} className="project-link">
                {p.name}
              </a>
              <p className="muted">{p.description}</p>
              <p className="muted">
                {t('created')}: {p.createdAt.slice(0, 10)}
              </p>
              <button
                type="button"
                className="danger"
                aria-label={`${t('delete')}: ${p.name}`}
                onClick={() => {
                  if (confirm(`${t('delete')}: ${p.name}?`)) void removeProject(p.id);
                }}
              >
                {t('delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
