import type { RecordChange, RecordKind } from '../model/changes';

export interface RecordKey {
  kind: RecordKind;
  id: string;
}

/**
 * What one tab tells the others, only after IndexedDB acknowledged its write. A message names the
 * records written, not their values: the receiver reads them back from IndexedDB, which always
 * holds the latest committed state, so a message that arrives late or out of order can never put
 * an older value on screen.
 */
export type TabMessage =
  | { type: 'changes'; tabId: string; projectId: string; keys: RecordKey[] }
  /** A whole project was stored (created, imported, restored) or removed. */
  | { type: 'project'; tabId: string; projectId: string; event: 'stored' | 'removed' };

export interface TabChannel {
  post(projectId: string, changes: readonly RecordChange[]): void;
  postProject(projectId: string, event: 'stored' | 'removed'): void;
  close(): void;
}

/** Tabs keep in step over BroadcastChannel; each tab writes only the records it changed. */
export function openTabChannel(tabId: string, onMessage: (m: TabMessage) => void, name = 'granula-sync'): TabChannel {
  if (typeof BroadcastChannel === 'undefined') return { post() {}, postProject() {}, close() {} };
  const channel = new BroadcastChannel(name);
  channel.onmessage = (e: MessageEvent<TabMessage>) => {
    const m = e.data;
    if (!m || m.tabId === tabId) return;
    if (m.type === 'changes' && Array.isArray(m.keys)) onMessage(m);
    else if (m.type === 'project' && (m.event === 'stored' || m.event === 'removed')) onMessage(m);
  };
  return {
    post(projectId, changes) {
      if (!changes.length) return;
      channel.postMessage({ type: 'changes', tabId, projectId, keys: changes.map((c) => ({ kind: c.kind, id: c.id })) } satisfies TabMessage);
    },
    postProject(projectId, event) {
      channel.postMessage({ type: 'project', tabId, projectId, event } satisfies TabMessage);
    },
    close() {
      channel.close();
    },
  };
}
