import { create } from 'zustand';
import { created, updated, type RecordChange } from '../model/changes';
import { newId, nowIso } from '../model/ids';
import type { MergeConflict } from '../model/types';
import { roleOf } from '../team/roles';
import { serverAddress, type SyncProblem } from '../sync/problems';
import { syncedPeople, type SharedConflict } from '../sync/route';
import type { ProjectSync, SyncStatus } from '../sync/replicator';
import { dataFromDoc, getRecord, hasRecord } from './docState';
import { annotationGroups, annotationsOnce, packOf } from './packedAnnotations';
import { auditActor, onDocChanges, useDocStore } from './docStore';
import { ensureSetting, getSetting, loadBlob, setSetting, storeFiles, storeWholeProject } from './workspace';

/** A project's server, kept per browser: the address and the user name, never the password. */
export interface SyncConnection {
  url: string;
  user: string;
}

interface SyncState {
  projectId: string | null;
  connection: SyncConnection | null;
  status: SyncStatus | null;
  /** Records a database held that were not its owner's to hold: refused, said once. */
  refused: string[];
  /** Per person: when their work last arrived through live sync (the Progress table's last return). */
  received: Record<string, string>;
}

export const useSync = create<SyncState>()(() => ({ projectId: null, connection: null, status: null, refused: [], received: {} }));

const connectionKey = (projectId: string) => `sync:${projectId}`;
const receivedKey = (projectId: string) => `sync-received:${projectId}`;

let running: { projectId: string; sync: ProjectSync; unsubscribe: () => void } | null = null;

function engine() {
  return import('../sync/replicator');
}

export type ConnectResult = { ok: true } | { ok: false; problem: SyncProblem; detail?: string };

/** Connects the open project to a server: signs in (CouchDB's cookie session) and starts syncing. */
export async function connectProject(urlText: string, user: string, password: string): Promise<ConnectResult> {
  const doc = useDocStore.getState().doc;
  if (!doc) return { ok: false, problem: 'server' };
  const address = serverAddress(urlText);
  if (!address.ok) return { ok: false, problem: address.problem };
  const { signIn } = await engine();
  const signed = await signIn(address.url, user, password);
  if (!signed.ok) return signed;
  const connection = { url: address.url, user };
  await setSetting(connectionKey(doc.project.id), connection);
  await startSync(doc.project.id, connection);
  return { ok: true };
}

/**
 * A fresh browser joins a project on a server: signs in, reads its own database once (the project as
 * its work package would hold it, and the person's own work) and stores it through the one write path.
 */
export async function joinProject(urlText: string, projectId: string, user: string, password: string, me: string): Promise<ConnectResult> {
  const address = serverAddress(urlText);
  if (!address.ok) return { ok: false, problem: address.problem };
  const { signIn, readProject } = await engine();
  const signed = await signIn(address.url, user, password);
  if (!signed.ok) return signed;
  const read = await readProject(address.url, projectId.trim(), me);
  if (!read.ok) return read;
  await storeWholeProject(read.data, read.files.map((f) => ({ ...f, projectId: read.data.project.id })));
  await setSetting(connectionKey(read.data.project.id), { url: address.url, user });
  return { ok: true };
}

/** Stops syncing the project here and forgets its server (the project stays in this browser). */
export async function disconnectProject(): Promise<void> {
  const pid = useSync.getState().projectId;
  const conn = useSync.getState().connection;
  await stopSync();
  if (pid) await setSetting(connectionKey(pid), null);
  if (conn) await (await engine()).signOut(conn.url);
  useSync.setState({ connection: null, status: null });
}

/** Called when a project opens: a connected project resumes syncing if the browser is still signed in. */
export async function resumeSync(projectId: string): Promise<void> {
  if (running?.projectId === projectId) return;
  await stopSync();
  const connection = (await getSetting<SyncConnection | null>(connectionKey(projectId))) ?? null;
  useSync.setState({ projectId, connection, status: null, refused: [] });
  if (!connection) return;
  const { sessionUser } = await engine();
  const user = await sessionUser(connection.url);
  if (user !== connection.user && user !== 'unreachable') {
    useSync.setState({ status: { state: 'error', waiting: 0, problem: 'signed-out' } });
    return;
  }
  await startSync(projectId, connection);
}

/** Signs in again after the session ended, with the stored address and user. */
export async function signInAgain(password: string): Promise<ConnectResult> {
  const { projectId, connection } = useSync.getState();
  if (!projectId || !connection) return { ok: false, problem: 'server' };
  const { signIn } = await engine();
  const signed = await signIn(connection.url, connection.user, password);
  if (!signed.ok) return signed;
  await stopSync();
  await startSync(projectId, connection);
  return { ok: true };
}

export async function stopSync(): Promise<void> {
  generation++;
  const tab = tabLock;
  tabLock = null;
  tab?.stop();
  const r = running;
  running = null;
  if (r) {
    r.unsubscribe();
    await r.sync.stop();
  }
  tab?.release();
}

/** Bumped by every stop: a start still on its way (loading the engine) does not begin after one. */
let generation = 0;

/**
 * One tab of a browser syncs a project at a time (a Web Lock per project): the others' edits reach
 * it through the tabs' channel and travel from there, and they show its status, said to be in
 * another tab. When the syncing tab closes, the next tab takes over.
 */
let tabLock: { stop(): void; release(): void } | null = null;

interface TabStatus {
  projectId: string;
  status?: SyncStatus;
  received?: Record<string, string>;
  ask?: true;
}

async function startSync(projectId: string, connection: SyncConnection): Promise<void> {
  await stopSync();
  const gen = generation;
  useSync.setState({ projectId, connection, status: { state: 'connecting', waiting: 0 }, refused: [], received: (await getSetting<Record<string, string>>(receivedKey(projectId))) ?? {} });
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks || typeof BroadcastChannel === 'undefined') return runSync(gen, projectId, connection, () => undefined);
  const channel = new BroadcastChannel('granula-sync-status');
  let holder = false;
  const share = (m: Omit<TabStatus, 'projectId'>) => channel.postMessage({ projectId, ...m } satisfies TabStatus);
  channel.onmessage = (e: MessageEvent<TabStatus>) => {
    const m = e.data;
    if (m.projectId !== projectId || useSync.getState().projectId !== projectId) return;
    if (holder && m.ask) share({ status: useSync.getState().status ?? undefined, received: useSync.getState().received });
    else if (!holder && m.status) useSync.setState({ status: { ...m.status, elsewhere: true }, ...(m.received ? { received: m.received } : {}) });
  };
  const abort = new AbortController();
  let release = () => undefined as void;
  const held = new Promise<void>((r) => (release = r));
  tabLock = {
    stop: () => {
      abort.abort();
      channel.close();
    },
    release,
  };
  const run = async (started?: () => void) => {
    holder = true;
    await runSync(gen, projectId, connection, (status) => share({ status, received: useSync.getState().received }));
    started?.();
    await held;
  };
  // This tab syncs if no other does (the lock is held until it stops); startSync returns once it runs.
  const first = await new Promise<boolean>((resolve) => {
    locks
      .request(`granula-sync:${projectId}`, { ifAvailable: true }, async (lock) => {
        if (!lock) return resolve(false);
        // A start that failed ends here too (and lets the lock go).
        await run(() => resolve(true)).finally(() => resolve(true));
      })
      .catch(() => resolve(false));
  });
  if (first || abort.signal.aborted) return;
  // Another tab syncs: show its status, and take over when it stops.
  useSync.setState({ status: { state: 'connecting', waiting: 0, elsewhere: true } });
  share({ ask: true });
  void locks.request(`granula-sync:${projectId}`, { signal: abort.signal }, () => run()).catch(() => undefined);
}

async function runSync(gen: number, projectId: string, connection: SyncConnection, shareStatus: (s: SyncStatus) => void): Promise<void> {
  const { ProjectSync } = await engine();
  const origin = await ensureSetting<string>('sync:origin', () => newId('brw'));
  const doc = () => {
    const d = useDocStore.getState().doc;
    if (!d || d.project.id !== projectId) throw new Error('the project is not open');
    return d;
  };
  const me = auditActor();
  const sync: ProjectSync = new ProjectSync(connection.url, {
    projectId,
    me,
    origin,
    role: () => roleOf(doc().annotators.values(), me),
    data: () => dataFromDoc({ ...doc(), annotations: new Map() }),
    annotations: () => annotationsOnce(doc().annotations),
    annotationGroups: () => annotationGroups(doc().annotations),
    packOf: (id) => packOf(doc().annotations, id),
    record: (kind, id) => getRecord(doc(), kind, id),
    has: (kind, id) => hasRecord(doc(), kind, id),
    annotators: () => [...doc().annotators.values()],
    people: () => (roleOf(doc().annotators.values(), me) === 'coordinator' ? [...new Set([me, ...syncedPeople(doc().annotators.values())])] : [me]),
    apply: (changes) => useDocStore.getState().commit(changes, { record: false, label: 'Sync', audit: 'included' }),
    raiseConflicts: (list) => raiseConflicts(list),
    sharedConflicts: (list) => recordSharedConflicts(list),
    received: (owner) => {
      const received = { ...useSync.getState().received, [owner]: nowIso() };
      useSync.setState({ received });
      void setSetting(receivedKey(projectId), received);
      const status = useSync.getState().status;
      if (status) shareStatus(status);
    },
    refused: (owner, reasons) => useSync.setState((s) => ({ refused: [...s.refused, ...reasons.map((r) => `${owner}: ${r}`)].slice(-20) })),
    status: (status) => {
      useSync.setState({ status });
      shareStatus(status);
    },
    fileOf: (blobId) => loadBlob(blobId),
    storeFiles: (files) => storeFiles(projectId, files),
  });
  const unsubscribe = onDocChanges((pid, changes) => {
    if (pid === projectId) sync.changed(changes);
  });
  if (gen !== generation) return unsubscribe();
  running = { projectId, sync, unsubscribe };
  await sync.start();
}

/**
 * CouchDB's losing revisions join the team loop's conflict list, with an audit line; the coordinator
 * settles them in the Team tab like a gathered conflict.
 */
function raiseConflicts(list: MergeConflict[]): void {
  const d = useDocStore.getState().doc;
  if (!d) return;
  const known = new Set((d.project.conflicts ?? []).map((c) => c.recordId));
  const fresh = list.filter((c) => !known.has(c.recordId) && (known.add(c.recordId), true));
  if (!fresh.length) return;
  const at = nowIso();
  const changes: RecordChange[] = [updated('project', d.project, { ...d.project, conflicts: [...(d.project.conflicts ?? []), ...fresh], updatedAt: at })];
  for (const c of fresh) {
    changes.push(created('audit', { id: newId('aud'), projectId: d.project.id, at, actor: auditActor(), action: 'gather', recordKind: c.recordKind, imageId: c.imageId, targets: [c.recordId], detail: `${c.file}: changed in two places; the server’s winning version is shown until it is settled` }));
  }
  useDocStore.getState().commit(changes, { record: false, label: 'Sync conflict', audit: 'included' });
}

/**
 * A shared record's losing version, one audit line each (once: the line's id is the revision's), so
 * the coordinator can see what was not kept and redo it if it mattered.
 */
function recordSharedConflicts(list: SharedConflict[]): void {
  const d = useDocStore.getState().doc;
  if (!d) return;
  const at = nowIso();
  const changes: RecordChange[] = [];
  for (const c of list) {
    const id = `aud_conflict_${c.where}`.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 200);
    if (d.audit.has(id) || changes.some((x) => x.id === id)) continue;
    changes.push(created('audit', { id, projectId: d.project.id, at, actor: auditActor(), action: 'settle', recordKind: c.kind, targets: [c.id], detail: c.detail }));
  }
  if (changes.length) useDocStore.getState().commit(changes, { record: false, label: 'Sync conflict', audit: 'included' });
}

