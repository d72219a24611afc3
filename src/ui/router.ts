import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'projects' }
  | { page: 'project'; projectId: string; tab: 'worklist' | 'schema' | 'export' | 'settings' }
  | { page: 'annotate'; projectId: string; imageId: string }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'settings') return { page: 'settings' };
  if (parts[0] === 'project' && parts[1]) {
    if (parts[2] === 'annotate' && parts[3]) return { page: 'annotate', projectId: parts[1], imageId: parts[3] };
    const tab = (['worklist', 'schema', 'export', 'settings'] as const).find((t) => t === parts[2]) ?? 'worklist';
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
    case 'project':
      return `#/project/${encodeURIComponent(r.projectId)}/${r.tab}`;
    case 'annotate':
      return `#/project/${encodeURIComponent(r.projectId)}/annotate/${encodeURIComponent(r.imageId)}`;
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
