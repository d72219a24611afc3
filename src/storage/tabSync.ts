import type { RecordChange } from '../model/changes';

/** What one tab tells the others after IndexedDB acknowledged its write. */
export interface TabMessage {
  type: 'changes';
  tabId: string;
  projectId: string;
  changes: RecordChange[];
}

export interface TabChannel {
  post(projectId: string, changes: RecordChange[]): void;
  close(): void;
}

/** Tabs keep in step over BroadcastChannel; each tab writes only the records it changed. */
export function openTabChannel(tabId: string, onMessage: (m: TabMessage) => void, name = 'granula-sync'): TabChannel {
  if (typeof BroadcastChannel === 'undefined') return { post() {}, close() {} };
  const channel = new BroadcastChannel(name);
  channel.onmessage = (e: MessageEvent<TabMessage>) => {
    if (e.data?.type === 'changes' && e.data.tabId !== tabId) onMessage(e.data);
  };
  return {
    post(projectId, changes) {
      channel.postMessage({ type: 'changes', tabId, projectId, changes } satisfies TabMessage);
    },
    close() {
      channel.close();
    },
  };
}
