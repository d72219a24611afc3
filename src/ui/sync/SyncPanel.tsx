import { useState, type FormEvent } from 'react';
import { connectProject, disconnectProject, joinProject, signInAgain, useSync, type ConnectResult } from '../../store/syncActions';
import type { SyncStatus } from '../../sync/replicator';
import { refreshProjects } from '../../store/workspace';
import { useDoc } from '../useDoc';
import { useSettings } from '../settingsStore';
import { useSyncText, type SyncText } from './syncText';

/** The sync state in words: synced, N changes waiting, offline, or the error and its reason. */
export function statusWords(t: SyncText, s: SyncStatus): string {
  return s.elsewhere ? t('state.elsewhere', { status: stateWords(t, s) }) : stateWords(t, s);
}

function stateWords(t: SyncText, s: SyncStatus): string {
  switch (s.state) {
    case 'connecting':
      return t('state.connecting');
    case 'synced':
      return t('state.synced');
    case 'waiting':
      return s.waiting ? t.waiting('state.waiting', s.waiting) : t('state.sending');
    case 'offline':
      return s.waiting ? t.waiting('state.offlineWaiting', s.waiting) : t('state.offline');
    case 'error':
      return t('state.error', { reason: t(`problem.${s.problem ?? 'server'}`, { detail: s.detail ?? '' }) });
  }
}

/** In the header while the open project is connected to a server. */
export function SyncIndicator() {
  const doc = useDoc();
  const sync = useSync();
  const t = useSyncText();
  if (!doc || sync.projectId !== doc.project.id || !sync.connection || !sync.status) return null;
  return (
    <span className={`sync-indicator sync-${sync.status.state}`} role="status" aria-live="polite" data-testid="sync-status" data-state={sync.status.state} title={sync.connection.url}>
      {statusWords(t, sync.status)}
    </span>
  );
}

function problemText(t: SyncText, r: ConnectResult): string | null {
  return r.ok ? null : t('state.error', { reason: t(`problem.${r.problem}`, { detail: r.detail ?? '' }) });
}

/** Team tab: connect the open project to a server, see how it syncs, sign in again, disconnect. */
export function SyncPanel() {
  const doc = useDoc()!;
  const sync = useSync();
  const t = useSyncText();
  const [url, setUrl] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const connected = sync.projectId === doc.project.id && sync.connection;
  const run = async (e: FormEvent, act: () => Promise<ConnectResult>) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const r = await act();
    setBusy(false);
    setPassword('');
    setMessage(problemText(t, r));
  };
  return (
    <div className="card" data-testid="sync-panel">
      <h2>{t('server')}</h2>
      <p className="muted">{t('serverHint')}</p>
      <p>{t('projectIdIs', { id: doc.project.id })}</p>
      {connected ? (
        <>
          <p>{t('connectedAs', { url: sync.connection!.url, user: sync.connection!.user })}</p>
          {sync.status && <p data-testid="sync-panel-status">{statusWords(t, sync.status)}</p>}
          {sync.status?.problem === 'signed-out' || sync.status?.problem === 'wrong-password' ? (
            <form className="row" onSubmit={(e) => void run(e, () => signInAgain(password))}>
              <label>
                {t('password')}
                <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
              </label>
              <button type="submit" disabled={busy}>
                {t('signInAgain')}
              </button>
            </form>
          ) : null}
          <button type="button" onClick={() => void disconnectProject()}>
            {t('disconnect')}
          </button>
          {sync.refused.length > 0 && (
            <details>
              <summary>{t('refused')}</summary>
              <ul>
                {sync.refused.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      ) : (
        <form className="row" onSubmit={(e) => void run(e, () => connectProject(url, user, password))}>
          <ServerFields t={t} url={url} setUrl={setUrl} user={user} setUser={setUser} password={password} setPassword={setPassword} />
          <button type="submit" disabled={busy}>
            {busy ? t('connecting') : t('connect')}
          </button>
        </form>
      )}
      {message && <p role="alert">{message}</p>}
    </div>
  );
}

function ServerFields(p: { t: SyncText; url: string; setUrl: (v: string) => void; user: string; setUser: (v: string) => void; password: string; setPassword: (v: string) => void }) {
  return (
    <>
      <label>
        {p.t('url')}
        <input type="url" placeholder="https://" value={p.url} onChange={(e) => p.setUrl(e.target.value)} />
      </label>
      <label>
        {p.t('user')}
        <input autoComplete="username" value={p.user} onChange={(e) => p.setUser(e.target.value)} />
      </label>
      <label>
        {p.t('password')}
        <input type="password" autoComplete="current-password" value={p.password} onChange={(e) => p.setPassword(e.target.value)} />
      </label>
    </>
  );
}

/** Project list: a fresh browser opens a project from a server (an annotator's first step). */
export function JoinFromServer() {
  const t = useSyncText();
  const identity = useSettings((s) => s.identity);
  const [url, setUrl] = useState('');
  const [projectId, setProjectId] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; projectId: string } | { ok: false; text: string } | null>(null);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!identity) return;
    setBusy(true);
    setResult(null);
    const r = await joinProject(url, projectId, user, password, identity.id);
    setBusy(false);
    setPassword('');
    if (r.ok) {
      await refreshProjects();
      setResult({ ok: true, projectId: projectId.trim() });
    } else setResult({ ok: false, text: problemText(t, r)! });
  };
  return (
    <section className="card" aria-labelledby="join-server-h">
      <h2 id="join-server-h">{t('join')}</h2>
      <p className="muted">{t('joinHint')}</p>
      {!identity ? (
        <p role="alert">{t('needIdentity')}</p>
      ) : (
        <form className="row" onSubmit={(e) => void onSubmit(e)}>
          <ServerFields t={t} url={url} setUrl={setUrl} user={user} setUser={setUser} password={password} setPassword={setPassword} />
          <label>
            {t('projectId')}
            <input value={projectId} onChange={(e) => setProjectId(e.target.value)} />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? t('connecting') : t('joinButton')}
          </button>
        </form>
      )}
      {result?.ok && (
        <p role="status" data-testid="joined">
          {t('joined')} <a href={`#/project/${encodeURIComponent(result.projectId)}/worklist`}>{result.projectId}</a>
        </p>
      )}
      {result && !result.ok && <p role="alert">{result.text}</p>}
    </section>
  );
}
