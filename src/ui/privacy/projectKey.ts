import { fromBase64, KEY_BYTES, newPseudonymKey, toBase64 } from '../../model/pseudonym';
import { nowIso } from '../../model/ids';
import { ensureSetting, getSetting, setSetting } from '../../store/workspace';

/**
 * Each project's pseudonym key lives in this browser's IndexedDB `meta` store, under its own row:
 * not in the project record, so no export, backup or other tab's sync message ever carries it.
 */
export const keyRowName = (projectId: string) => `pseudonymKey/${projectId}`;

interface StoredKey {
  key: string;
  createdAt: string;
}

function decode(stored: StoredKey | undefined): Uint8Array | null {
  const key = stored && typeof stored.key === 'string' ? fromBase64(stored.key) : null;
  return key && key.length === KEY_BYTES ? key : null;
}

/** The project's key, or null when this browser has none (e.g. after restoring a backup). */
export async function projectKey(projectId: string): Promise<Uint8Array | null> {
  return decode(await getSetting<StoredKey>(keyRowName(projectId)));
}

/** The project's key, made on first use; two tabs asking at once get the same key. */
export async function ensureProjectKey(projectId: string): Promise<Uint8Array> {
  const stored = await ensureSetting<StoredKey>(keyRowName(projectId), () => ({ key: toBase64(newPseudonymKey()), createdAt: nowIso() }));
  const key = decode(stored);
  if (!key) throw new Error('the stored pseudonym key is damaged');
  return key;
}

/** Puts an imported key in place (the user was warned what that means for existing pseudonyms). */
export async function replaceProjectKey(projectId: string, key: Uint8Array): Promise<void> {
  if (key.length !== KEY_BYTES) throw new Error(`a pseudonym key has ${KEY_BYTES} bytes`);
  await setSetting(keyRowName(projectId), { key: toBase64(key), createdAt: nowIso() } satisfies StoredKey);
}
