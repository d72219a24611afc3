import { useEffect } from 'react';
import { setAuditActor, useDocStore } from '../store/docStore';
import { useWorkspace } from '../store/workspace';
import { AnnotatePage } from './AnnotatePage';
import { PatientPage } from './patient/PatientPage';
import { ReviewPage } from './agreement/ReviewPage';
import { ProjectListPage } from './ProjectListPage';
import { ProjectPage } from './ProjectPage';
import { SaveIndicator } from './SaveIndicator';
import { SyncIndicator } from './sync/SyncPanel';
import { resumeSync } from '../store/syncActions';
import { SettingsPage } from './SettingsPage';
import { StorageBanner } from './StorageBanner';
import { useRoute } from './router';
import { useSettings } from './settingsStore';
import { useT } from './i18n';
import { useUndoKeys } from './useUndoKeys';

export function App() {
  const route = useRoute();
  const ready = useWorkspace((s) => s.ready);
  const notice = useWorkspace((s) => s.notice);
  const noticeProject = useWorkspace((s) => s.noticeProject);
  const setNotice = useWorkspace((s) => s.setNotice);
  const canUndo = useDocStore((s) => s.canUndo);
  const canRedo = useDocStore((s) => s.canRedo);
  const identity = useSettings((s) => s.identity);
  const lang = useSettings((s) => s.lang);
  const setLang = useSettings((s) => s.setLang);
  const t = useT();
  useUndoKeys();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => setAuditActor(identity?.id ?? ''), [identity]);
  // A project connected to a server syncs while it is open.
  const openProjectId = useDocStore((s) => s.doc?.project.id ?? null);
  useEffect(() => {
    if (openProjectId && identity) void resumeSync(openProjectId);
  }, [openProjectId, identity]);
  // A notice about a project is said there: leaving the project drops it.
  const routeProject = 'projectId' in route ? route.projectId : null;
  useEffect(() => {
    const w = useWorkspace.getState();
    if (w.notice && w.noticeProject !== routeProject) w.setNotice(null);
  }, [routeProject]);

  return (
    <div className="app">
      <header className="app-header">
        <a href="#/" className="brand">
          {t('appName')}
        </a>
        <span className="muted tagline">{t('tagline')}</span>
        <span className="spacer" />
        <button type="button" onClick={() => useDocStore.getState().undo()} disabled={!canUndo} aria-label={t('undo')} title={`${t('undo')} (Ctrl+Z)`}>
          ↶
        </button>
        <button type="button" onClick={() => useDocStore.getState().redo()} disabled={!canRedo} aria-label={t('redo')} title={`${t('redo')} (Ctrl+Shift+Z)`}>
          ↷
        </button>
        <SaveIndicator />
        <SyncIndicator />
        <a href="#/settings" className="identity" data-testid="identity">
          {identity ? t('annotatingAs', { name: identity.displayName }) : t('noIdentity')}
        </a>
        <button type="button" onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')} aria-label={t('language')}>
          {lang === 'ja' ? 'English' : '日本語'}
        </button>
      </header>
      <StorageBanner />
      {notice === 'remote-changes' && noticeProject === routeProject && (
        <div className="banner" role="status">
          {t('remoteChanges')}{' '}
          <button type="button" onClick={() => setNotice(null)}>
            {t('dismiss')}
          </button>
        </div>
      )}
      {!ready ? (
        <main className="page">…</main>
      ) : route.page === 'projects' ? (
        <ProjectListPage />
      ) : route.page === 'project' ? (
        <ProjectPage route={route} />
      ) : route.page === 'annotate' ? (
        <AnnotatePage route={route} />
      ) : route.page === 'review' ? (
        <ReviewPage route={route} />
      ) : route.page === 'patient' ? (
        <PatientPage patientKey={route.patientKey} />
      ) : (
        <SettingsPage />
      )}
    </div>
  );
}
