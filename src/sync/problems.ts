/** What went wrong talking to the server, in the words the header and the Team tab use. Pure. */
export type SyncProblem = 'wrong-password' | 'signed-out' | 'unreachable' | 'forbidden' | 'no-database' | 'full' | 'insecure' | 'server';

/** The shape of an error PouchDB or fetch gives: an HTTP status, a CouchDB error name, a message. */
export interface ErrorLike {
  status?: number;
  name?: string;
  error?: string | boolean;
  reason?: string;
  message?: string;
}

/** Sorts an error into what the user can act on. `signedIn`: whether a session was open before. */
export function classify(err: unknown, signedIn: boolean): SyncProblem {
  const e = (err ?? {}) as ErrorLike;
  const text = `${e.name ?? ''} ${typeof e.error === 'string' ? e.error : ''} ${e.reason ?? ''} ${e.message ?? ''}`.toLowerCase();
  if (e.status === 401 || e.name === 'unauthorized') return signedIn ? 'signed-out' : 'wrong-password';
  if (e.status === 403 || e.name === 'forbidden') return 'forbidden';
  if (e.status === 404 || e.name === 'not_found') return 'no-database';
  if (e.status === 413 || e.status === 507 || /quota|disk.*full|no space|insufficient storage|file_too_large/.test(text)) return 'full';
  if (e.status === undefined || e.status === 0 || /failed to fetch|network|econnrefused/.test(text)) return 'unreachable';
  return 'server';
}

/**
 * The server address, checked: https, or http only for this machine (a password over plain http
 * crosses the network readable). Returns the address without a trailing slash, or the problem.
 */
export function serverAddress(text: string): { ok: true; url: string } | { ok: false; problem: 'insecure' | 'unreachable' } {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return { ok: false, problem: 'unreachable' };
  }
  const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) return { ok: false, problem: 'insecure' };
  return { ok: true, url: u.href.replace(/\/+$/, '') };
}
