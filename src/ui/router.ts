import { useSyncExternalStore } from 'react';

export const PROJECT_TABS = ['worklist', 'team', 'schema', 'agreement', 'export', 'audit', 'settings'] as const;
export type ProjectTab = (typeof PROJECT_TABS)[number];

export type Route =
  | { page: 'projects' }
  | { page: 'project'; projectId: string; tab: ProjectTab }
  | { page: 'annotate'; projectId: string; imageId: string }
  | { page: 'review'; projectId: string; imageId: string; raters: string[] }
  | { page: 'settings' }
  /** Every image of one pseudonymous patient, across projects. */
  | { page: 'patient'; patientKey: string };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'settings') return { page: 'settings' };
  if (parts[0] === 'patient' && parts[1]) return { page: 'patient', patientKey: parts[1] };
  if (parts[0] === 'project' && parts[1]) {
    if (parts[2] === 'annotate' && parts[3]) return { page: 'annotate', projectId: parts[1], imageId: parts[3] };
    if (parts[2] === 'review' && parts[3]) {
      const raters = new URLSearchParams(query).get('raters');
      return { page: 'review', projectId: parts[1], imageId: parts[3], raters: raters ? raters.split(',').filter(Boolean) : [] };
    }
    const tab = PROJECT_TABS.find((t) => t === parts[2]) ?? 'worklist';
    return { page: 'project', projectId: parts[1], tab };
  }
  return { page: 'projects' };
}

export function routeHref(r: Route): string {
  switch (r.page) {
    case 'projects':
      return '#/';
    case 'settings':
      return '#/settings';
    case 'patient':
      return `#/patient/${encodeURIComponent(r.patientKey)}`;
    case 'project':
      return `#/project/${encodeURIComponent(r.projectId)}/${r.tab}`;
    case 'annotate':
      return `#/project/${encodeURIComponent(r.projectId)}/annotate/${encodeURIComponent(r.imageId)}`;
    case 'review': {
      const q = r.raters.length ? `?raters=${encodeURIComponent(r.raters.join(','))}` : '';
      return `#/project/${encodeURIComponent(r.projectId)}/review/${encodeURIComponent(r.imageId)}${q}`;
    }
  }
}

export function navigate(r: Route): void {
  location.hash = routeHref(r);
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash, () => '');
  return parseRoute(hash);
}
