import { useState } from 'react';
import { ProblemList } from './ProblemList';
import { FileButton } from './FileButton';
import { TEMPLATE_IDS, type TemplateId } from '../model/templates';
import { createProject, removeProject, useWorkspace } from '../store/workspace';
import { importSharedText, sizeProblem, type ImportResult } from '../store/importExport';
import { navigate } from './router';
import { useT } from './i18n';
import { useLabelCheckText } from './labelCheckText';
import { useSettings } from './settingsStore';

export function ProjectListPage() {
  const projects = useWorkspace((s) => s.projects);
  const t = useT();
  const lt = useLabelCheckText();
  const identity = useSettings((s) => s.identity);
  const [name, setName] = useState('');
  const [template, setTemplate] = useState<TemplateId>('pathology-cells');
  const [importResult, setImportResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);

  const onCreate = async (e: React.FormEvent) => {
    e.preventDefault();
    const data = await createProject(name.trim() || t(`template.${template}`), template);
    setName('');
    navigate({ page: 'project', projectId: data.project.id, tab: 'worklist' });
  };

  const onImport = async (file: File) => {
    setBusy(true);
    setImportResult(null);
    const tooBig = sizeProblem(file.size);
    const result: ImportResult = tooBig ? { ok: false, problems: [tooBig] } : await importSharedText(await file.text(), file.name);
    // A work package names whom it is for: a browser with no name yet takes that name.
    if (result.ok && result.packageFor && !useSettings.getState().identity) useSettings.getState().setIdentity(result.packageFor);
    setImportResult(result);
    setBusy(false);
  };

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
        <FileButton accept=".json,application/json" onFiles={([f]) => void onImport(f)}>
          {busy ? t('importing') : t('importProject')}
        </FileButton>
        {importResult?.ok && !importResult.packageFor && !importResult.gathered && (
          <p role="status">{t('imported', { name: importResult.name, images: importResult.images, annotations: importResult.annotations })}</p>
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
