import { useEffect, useState } from 'react';
import { openProject } from '../store/workspace';
import { currentSchemaOf } from '../store/actions';
import { useDoc } from './useDoc';
import { PROJECT_TABS, routeHref, type Route } from './router';
import { AgreementPanel } from './agreement/AgreementPanel';
import { useAgreementText } from './agreement/agreementText';
import { useLocalized, useT, useTn } from './i18n';
import { WorklistPanel } from './WorklistPanel';
import { SchemaEditor } from './schema/SchemaEditor';
import { ExportPanel } from './ExportPanel';
import { ProjectSettingsPanel } from './ProjectSettingsPanel';
import { TeamPanel, useMyRole } from './team/TeamPanel';
import { AuditPanel } from './team/AuditPanel';
import { useTeamText } from './team/teamText';
import { can } from '../team/roles';
import type { ProjectTab } from './router';

export function useOpenProject(projectId: string): 'loading' | 'missing' | 'open' {
  const doc = useDoc();
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    let live = true;
    setMissing(false);
    void openProject(projectId).then((ok) => live && setMissing(!ok));
    return () => {
      live = false;
    };
  }, [projectId]);
  if (doc?.project.id === projectId) return 'open';
  return missing ? 'missing' : 'loading';
}

export function ProjectPage({ route }: { route: Extract<Route, { page: 'project' }> }) {
  const state = useOpenProject(route.projectId);
  const doc = useDoc();
  const t = useT();
  const tn = useTn();
  const loc = useLocalized();
  const at = useAgreementText();
  const tt = useTeamText();
  const role = useMyRole();
  if (state === 'missing') return <main className="page"><p role="alert">Project not found / プロジェクトが見つかりません</p></main>;
  if (state === 'loading' || !doc) return <main className="page"><p>…</p></main>;
  const schema = currentSchemaOf(doc);
  const versions = [...doc.schemas.values()].filter((s) => s.id === schema.id).length;
  const tabLabel = { worklist: t('worklist'), team: tt('tab'), schema: t('schema'), agreement: at('tab'), export: t('export'), audit: tt('auditTab'), settings: t('projectSettings') };
  // Annotators work blind: no agreement, review or whole-project export; the coordinator has everything.
  const allowed = (tab: ProjectTab) => (tab === 'agreement' ? can(role, 'review') : tab === 'export' || tab === 'settings' ? role !== 'annotator' : true);
  const tab = allowed(route.tab) ? route.tab : 'worklist';
  return (
    <main className="page project-page">
      <h1>{doc.project.name}</h1>
      <p className="muted">
        {loc(schema.name)} · {versions > 1 ? t('versionWithCount', { version: schema.version, versions: tn('schemaVersions', versions) }) : t('version', { version: schema.version })} ·{' '}
        {tn('imageCount', doc.images.size)} · {tn('annotationCount', doc.annotations.size)}
      </p>
      <nav className="tabs" aria-label={doc.project.name}>
        {PROJECT_TABS.filter(allowed).map((x) => (
          <a key={x} href={routeHref({ ...route, tab: x })} aria-current={tab === x ? 'page' : undefined}>
            {tabLabel[x]}
          </a>
        ))}
      </nav>
      {tab === 'worklist' && <WorklistPanel />}
      {tab === 'team' && <TeamPanel />}
      {tab === 'schema' && <SchemaEditor />}
      {tab === 'agreement' && <AgreementPanel />}
      {tab === 'export' && <ExportPanel />}
      {tab === 'audit' && <AuditPanel />}
      {tab === 'settings' && <ProjectSettingsPanel />}
    </main>
  );
}
