import { useDoc } from './useDoc';
import { useOpenProject } from './ProjectPage';
import { routeHref, type Route } from './router';
import { useT } from './i18n';

export function AnnotatePage({ route }: { route: Extract<Route, { page: 'annotate' }> }) {
  const state = useOpenProject(route.projectId);
  const doc = useDoc();
  const t = useT();
  if (state !== 'open' || !doc) return <main className="page"><p>…</p></main>;
  const image = doc.images.get(route.imageId);
  return (
    <main className="page">
      <a href={routeHref({ page: 'project', projectId: route.projectId, tab: 'worklist' })}>← {t('back')}</a>
      <h1>{image?.name ?? route.imageId}</h1>
      <p>{t('annotateSoon')}</p>
    </main>
  );
}
