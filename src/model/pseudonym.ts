/**
 * Patient pseudonyms: a keyed hash (HMAC-SHA-256, Web Crypto) of the clear identifier, so the same
 * patient gets the same pseudonym within a project (a slide and a CT stay linked) while nobody
 * without the project's key can go from a hospital ID to its pseudonym, or test guesses. The clear
 * identifier is only ever an argument here: it is never returned, stored or logged.
 * Runs unchanged in the browser and in Node 20 (both have `crypto.subtle`).
 */

export const PSEUDONYM_PREFIX = 'pk-';
export const KEY_BYTES = 32;
export const MAX_CLEAR_ID_LENGTH = 200;
const KEY_FILE_FORMAT = 'granula-pseudonym-key';

/** `pk-` and 26 base32 letters: the first 128 bits of the HMAC. */
const PSEUDONYM_PATTERN = /^pk-[a-z2-7]{26}$/;

export function isPseudonym(value: string): boolean {
  return PSEUDONYM_PATTERN.test(value);
}

export function newPseudonymKey(): Uint8Array {
  const key = new Uint8Array(KEY_BYTES);
  globalThis.crypto.getRandomValues(key);
  return key;
}

/**
 * The same ID typed differently gives the same pseudonym: surrounding spaces go, and NFKC folds
 * full-width digits and letters (「１２３」 → "123"). Case and inner spaces stay significant.
 */
export function normaliseClearId(clearId: string): string {
  return clearId.normalize('NFKC').trim();
}

export class ClearIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClearIdError';
  }
}

function bytesOf(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export async function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  if (key.length !== KEY_BYTES) throw new Error(`a pseudonym key has ${KEY_BYTES} bytes`);
  return globalThis.crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/**
 * The pseudonym of one patient identifier under a project's key. The message is prefixed with
 * "patient", so the same key can later make case or specimen pseudonyms that never collide.
 */
export async function pseudonymise(key: Uint8Array, clearId: string): Promise<string> {
  const id = normaliseClearId(clearId);
  if (!id) throw new ClearIdError('the patient ID is empty');
  if (id.length > MAX_CLEAR_ID_LENGTH) throw new ClearIdError(`the patient ID is longer than ${MAX_CLEAR_ID_LENGTH} characters`);
  const mac = await globalThis.crypto.subtle.sign('HMAC', await hmacKey(key), bytesOf(`patient\u0000${id}`));
  return PSEUDONYM_PREFIX + base32(new Uint8Array(mac).subarray(0, 16));
}

/** Many IDs at once (a pasted list): one key import, blank lines skipped, duplicates made once. */
export async function pseudonymiseAll(key: Uint8Array, clearIds: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const raw of clearIds) if (normaliseClearId(raw)) out.add(await pseudonymise(key, raw));
  return [...out];
}

/** Shown beside the key, so two people can tell whether they hold the same key without showing it. */
export async function keyFingerprint(key: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(key)));
  return [...digest.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join('').replace(/(.{4})(?=.)/g, '$1-');
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  version: 1;
  projectId: string;
  projectName: string;
  createdAt: string;
  fingerprint: string;
  key: string;
  warning: string;
}

/** The key as a file the user downloads on purpose (it is in no export and no backup). */
export async function keyFileText(key: Uint8Array, project: { id: string; name: string }, now: string): Promise<string> {
  const file: KeyFile = {
    format: KEY_FILE_FORMAT,
    version: 1,
    projectId: project.id,
    projectName: project.name,
    createdAt: now,
    fingerprint: await keyFingerprint(key),
    key: toBase64(key),
    warning: 'Anyone with this key and a list of patient IDs can tell which pseudonym belongs to which patient. Keep it apart from the data.',
  };
  return JSON.stringify(file, null, 1) + '\n';
}

export type KeyFileResult = { ok: true; key: Uint8Array; projectId: string; fingerprint: string } | { ok: false; message: string };

export async function readKeyFile(text: string): Promise<KeyFileResult> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'is not a Granula key file (not JSON)' };
  }
  const f = value as Partial<KeyFile> | null;
  if (!f || typeof f !== 'object' || f.format !== KEY_FILE_FORMAT) return { ok: false, message: 'is not a Granula key file' };
  if (f.version !== 1) return { ok: false, message: `key file version ${String(f.version)} is not one this Granula reads` };
  const key = typeof f.key === 'string' ? fromBase64(f.key) : null;
  if (!key || key.length !== KEY_BYTES) return { ok: false, message: `the key must be ${KEY_BYTES} bytes of base64` };
  const fingerprint = await keyFingerprint(key);
  if (f.fingerprint !== undefined && f.fingerprint !== fingerprint) return { ok: false, message: 'the key does not match its fingerprint: the file is damaged' };
  return { ok: true, key, projectId: typeof f.projectId === 'string' ? f.projectId : '', fingerprint };
}
