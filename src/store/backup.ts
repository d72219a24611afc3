import { nowIso } from '../model/ids';
import type { ProjectData } from '../model/projectData';
import { fromSharedDocument, toSharedDocument } from '../formats/shared/convert';
import type { Problem } from '../formats/shared/paths';
import { FORMAT_VERSION, type SharedDocument } from '../formats/shared/schema';
import { parseJsonText, validateSharedDocument } from '../formats/shared/validate';
import type { BlobRow } from '../storage/db';
import { canonicalJson } from '../storage/recordMerge';
import { bytesToBase64, embeddedBlobs } from './embedded';
import { flushSaves, loadAllProjects, loadProjectBlobs, storeWholeProjects } from './workspace';

/**
 * A backup is every project in this browser with its image files: one shared-format document per
 * project (the format already carries embedded files for this), plus a canonical hash of the whole.
 * Restoring stores all projects in one transaction and recomputes the hash from what was stored,
 * so the user sees that the same data came back. Pseudonym keys are not in it (see SECURITY.md).
 */
export const BACKUP_FORMAT = 'granula-backup';
export const BACKUP_VERSION = 1;

export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  generator: string;
  /** SHA-256 of the canonical form of every project and file (see `canonicalHash`). */
  hash: string;
  projects: SharedDocument[];
}

export interface StoredProject {
  data: ProjectData;
  blobs: BlobRow[];
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * What "the same projects" means: every record, sorted by id (order in storage carries no meaning),
 * keys sorted, and each file by its bytes' SHA-256. Equal hashes mean equal data.
 */
export async function canonicalHash(items: readonly StoredProject[]): Promise<string> {
  const projects = [];
  for (const { data, blobs } of [...items].sort((a, b) => (a.data.project.id < b.data.project.id ? -1 : 1))) {
    const files = [];
    for (const b of [...blobs].sort((x, y) => (x.blobId < y.blobId ? -1 : 1))) {
      files.push({ blobId: b.blobId, mime: b.mime, sha256: await sha256Hex(new Uint8Array(await b.data.arrayBuffer())) });
    }
    projects.push({
      project: data.project,
      schemas: [...data.schemas].sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1)),
      images: byId(data.images),
      annotators: byId(data.annotators),
      annotations: byId(data.annotations),
      statuses: byId(data.statuses),
      audit: byId(data.audit),
      files,
    });
  }
  return sha256Hex(new TextEncoder().encode(canonicalJson(projects)));
}

/** Everything stored in this browser now, with the edits still pending saved first. */
export async function storedProjects(): Promise<StoredProject[]> {
  await flushSaves();
  const out: StoredProject[] = [];
  for (const data of await loadAllProjects()) out.push({ data, blobs: await loadProjectBlobs(data.project.id) });
  return out;
}

export async function currentHash(): Promise<string> {
  return canonicalHash(await storedProjects());
}

export interface MadeBackup {
  text: string;
  hash: string;
  projects: number;
  images: number;
  annotations: number;
  files: number;
}

export async function makeBackup(now = nowIso()): Promise<MadeBackup> {
  const items = await storedProjects();
  const projects: SharedDocument[] = [];
  for (const { data, blobs } of items) {
    const files = [];
    for (const b of blobs) files.push({ blobId: b.blobId, mime: b.mime, base64: bytesToBase64(new Uint8Array(await b.data.arrayBuffer())) });
    projects.push(toSharedDocument(data, { exportedAt: now, files }));
  }
  const hash = await canonicalHash(items);
  const file: BackupFile = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: now, generator: 'Granula', hash, projects };
  return {
    text: JSON.stringify(file) + '\n',
    hash,
    projects: items.length,
    images: items.reduce((n, i) => n + i.data.images.length, 0),
    annotations: items.reduce((n, i) => n + i.data.annotations.length, 0),
    files: items.reduce((n, i) => n + i.blobs.length, 0),
  };
}

export type ReadBackupResult = { ok: true; items: StoredProject[]; hash: string; migrated: boolean } | { ok: false; problems: Problem[] };

/** Checks a whole backup before anything is stored; every problem names where it is. */
export async function readBackup(text: string): Promise<ReadBackupResult> {
  const json = parseJsonText(text);
  if (!json.ok) return json;
  const file = json.value as Partial<BackupFile> | null;
  if (!file || typeof file !== 'object' || Array.isArray(file) || file.format !== BACKUP_FORMAT) {
    return { ok: false, problems: [{ path: 'format', message: `expected "${BACKUP_FORMAT}" (a Granula backup of all projects)` }] };
  }
  if (file.version !== BACKUP_VERSION) return { ok: false, problems: [{ path: 'version', message: `backup version ${String(file.version)} is not one this Granula reads` }] };
  if (!Array.isArray(file.projects)) return { ok: false, problems: [{ path: 'projects', message: 'must be a list of projects' }] };
  const problems: Problem[] = [];
  const items: StoredProject[] = [];
  const seen = new Set<string>();
  let migrated = false;
  file.projects.forEach((doc, i) => {
    const r = validateSharedDocument(doc);
    if (!r.ok) {
      for (const p of r.problems) problems.push({ path: `projects[${i}].${p.path}`, message: p.message });
      return;
    }
    if (r.migratedFrom !== FORMAT_VERSION) migrated = true;
    const data = fromSharedDocument(r.doc);
    if (seen.has(data.project.id)) problems.push({ path: `projects[${i}].project.id`, message: `duplicate project id "${data.project.id}"` });
    seen.add(data.project.id);
    const blobs = embeddedBlobs(r.doc.files, data.project.id);
    items.push({ data, blobs });
  });
  if (problems.length) return { ok: false, problems: problems.slice(0, 50) };
  const hash = await canonicalHash(items);
  // A backup of the current format must hash to what it says; older ones were migrated, so cannot.
  if (!migrated && typeof file.hash === 'string' && file.hash !== hash) {
    return { ok: false, problems: [{ path: 'hash', message: 'does not match the projects in the file: the backup is damaged or was edited' }] };
  }
  return { ok: true, items, hash, migrated };
}

export type RestoreResult =
  | { ok: true; projects: number; images: number; annotations: number; files: number; hash: string; verified: boolean }
  | { ok: false; problems: Problem[] };

/**
 * Restores every project of a backup in one transaction (projects with the same ids are replaced,
 * others are left alone), then hashes what was stored: `verified` means it equals the backup.
 */
export async function restoreBackup(text: string): Promise<RestoreResult> {
  const read = await readBackup(text);
  if (!read.ok) return read;
  await flushSaves();
  try {
    await storeWholeProjects(read.items);
  } catch (e) {
    return { ok: false, problems: [{ path: '(storage)', message: `could not be stored: ${(e as Error).message}; nothing was changed` }] };
  }
  const ids = new Set(read.items.map((i) => i.data.project.id));
  const stored = (await storedProjects()).filter((p) => ids.has(p.data.project.id));
  const hash = await canonicalHash(stored);
  return {
    ok: true,
    projects: read.items.length,
    images: read.items.reduce((n, i) => n + i.data.images.length, 0),
    annotations: read.items.reduce((n, i) => n + i.data.annotations.length, 0),
    files: read.items.reduce((n, i) => n + i.blobs.length, 0),
    hash,
    verified: hash === read.hash,
  };
}
