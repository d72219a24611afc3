import type { IDBPDatabase } from 'idb';
import type { RecordKind, RecordTypes } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import { byTime } from '../model/audit';
import type { Annotation, Project } from '../model/types';
import { liveAnnotations, PackedStore, PackReader, type PackedSource } from './annotationPack';
import { rowKey, type BlobRow, type GranulaDb } from './db';
import { rememberPacks, RECORD_STORES } from './writes';

/** Reading what is stored (writes are in writes.ts), and the small stores: image files and settings. */

type Db = IDBPDatabase<GranulaDb>;

/**
 * A project's annotations as storage holds them: rows (plain objects) and, for images with many,
 * packs that are built into objects only when read.
 */
export interface StoredAnnotations {
  /** Stored one per row: annotations of images with few, and any new or edited since packing (a row shadows the packed copy of its id). */
  rows: Annotation[];
  /** Null when none of the project's annotations is packed. */
  packed: PackedSource | null;
}

/** A project as loaded: every record, with its annotations still as storage holds them. */
export interface StoredProject extends Omit<ProjectData, 'annotations'> {
  annotations: StoredAnnotations;
}

/** The project with every annotation built (a backup, an export, a merge): costly for a million. */
export function builtProject(p: StoredProject): ProjectData {
  const { rows, packed } = p.annotations;
  return { ...p, annotations: packed ? liveAnnotations(packed, rows) : rows };
}

export async function listProjects(db: Db): Promise<Project[]> {
  const rows = await db.getAllFromIndex('records', 'kind', 'project');
  return rows.map((r) => r.value as Project).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/** A project's records, packed annotations left packed (what opening a project reads). */
export async function loadStoredProject(db: Db, projectId: string): Promise<StoredProject | null> {
  const tx = db.transaction(RECORD_STORES);
  const [rows, packs] = await Promise.all([tx.objectStore('records').index('projectId').getAll(projectId), tx.objectStore('annotationPacks').index('projectId').getAll(projectId)]);
  const data: Partial<StoredProject> & Omit<StoredProject, 'project'> = { schemas: [], images: [], annotators: [], annotations: { rows: [], packed: null }, statuses: [], audit: [] };
  const deleted: string[] = [];
  for (const r of rows) {
    if (r.gone) {
      deleted.push(r.key.slice(rowKey(projectId, 'annotation', '').length));
      continue;
    }
    switch (r.kind) {
      case 'project': data.project = r.value as Project; break;
      case 'schema': data.schemas.push(r.value as RecordTypes['schema']); break;
      case 'image': data.images.push(r.value as RecordTypes['image']); break;
      case 'annotator': data.annotators.push(r.value as RecordTypes['annotator']); break;
      case 'annotation': data.annotations.rows.push(r.value as RecordTypes['annotation']); break;
      case 'status': data.statuses.push(r.value as RecordTypes['status']); break;
      case 'audit': data.audit.push(r.value as RecordTypes['audit']); break;
    }
  }
  rememberPacks(projectId, packs.length > 0);
  if (!data.project) return null;
  data.schemas.sort((a, b) => a.version - b.version);
  data.images.sort((a, b) => a.order - b.order);
  data.audit.sort(byTime);
  if (packs.length) {
    // Packs come sorted by key: by image, then in packing order.
    const store = new PackedStore(packs.map((p) => new PackReader(p.pack, projectId, p.imageId)));
    const images = new Map<string, [number, number][]>();
    packs.forEach((p, i) => {
      const ranges = images.get(p.imageId) ?? [];
      ranges.push([store.base[i], store.base[i + 1]]);
      images.set(p.imageId, ranges);
    });
    data.annotations.packed = { store, keys: packs.map((p) => p.key), images, deleted };
  }
  return data as StoredProject;
}

/** A project's records with every annotation built. */
export async function loadProject(db: Db, projectId: string): Promise<ProjectData | null> {
  const stored = await loadStoredProject(db, projectId);
  return stored && builtProject(stored);
}

/**
 * Reads the stored values of some records (for a tab told that another tab wrote them). An
 * annotation without a row in a project with packs was folded into a pack since it was written
 * (a deletion leaves a `gone` row until then): it is read from the packs, which is slow but rare.
 */
export async function readRecords(db: Db, projectId: string, keys: readonly { kind: RecordKind; id: string }[]): Promise<(RecordTypes[RecordKind] | undefined)[]> {
  const tx = db.transaction(RECORD_STORES);
  const rows = await Promise.all(keys.map((k) => tx.objectStore('records').get(rowKey(projectId, k.kind, k.id))));
  const folded = new Set(keys.filter((k, i) => k.kind === 'annotation' && !rows[i]).map((k) => k.id));
  const packed = new Map<string, Annotation>();
  if (folded.size) {
    let cursor = await tx.objectStore('annotationPacks').index('projectId').openCursor(projectId);
    while (cursor && packed.size < folded.size) {
      const { pack, imageId } = cursor.value;
      const reader = new PackReader(pack, projectId, imageId);
      for (let i = 0; i < reader.count; i++) if (folded.has(reader.id(i))) packed.set(reader.id(i), reader.annotation(i));
      cursor = await cursor.continue();
    }
  }
  return rows.map((r, i) => (r ? r.value : keys[i].kind === 'annotation' ? packed.get(keys[i].id) : undefined) as RecordTypes[RecordKind] | undefined);
}

export async function putBlob(db: Db, blob: BlobRow): Promise<void> {
  await db.put('blobs', blob);
}

export async function getBlob(db: Db, blobId: string): Promise<BlobRow | undefined> {
  return db.get('blobs', blobId);
}

export async function projectBlobs(db: Db, projectId: string): Promise<BlobRow[]> {
  return db.getAllFromIndex('blobs', 'projectId', projectId);
}

export async function getMeta<T>(db: Db, key: string): Promise<T | undefined> {
  return (await db.get('meta', key))?.value as T | undefined;
}

export async function setMeta(db: Db, key: string, value: unknown): Promise<void> {
  await db.put('meta', { key, value });
}

/** One image of a patient, with what its project says of it: for the patient view across projects. */
export interface PatientImage {
  project: Project;
  image: RecordTypes['image'];
  schemas: RecordTypes['schema'][];
  /** Its annotations (loose rows and packed ones alike): class, annotator and whether it is a shape. */
  labels: { classId: string; schemaId: string; schemaVersion: number; annotatorId: string; shape: boolean }[];
}

/**
 * Every image of one pseudonymous patient in every project of this browser, with its labels. Reads
 * the image rows of all projects (small), then only the annotations of the images found: a
 * million-cell slide of another patient is never read.
 */
export async function imagesOfPatient(db: Db, patientKey: string): Promise<PatientImage[]> {
  const imageRows = await db.getAllFromIndex('records', 'kind', 'image');
  const images = imageRows.filter((r) => !r.gone && (r.value as RecordTypes['image']).patientKey === patientKey).map((r) => r.value as RecordTypes['image']);
  const out: PatientImage[] = [];
  for (const image of images) {
    const tx = db.transaction(RECORD_STORES);
    const records = tx.objectStore('records');
    const [project, schemas, annotationRows, packs] = await Promise.all([
      records.get(rowKey(image.projectId, 'project', image.projectId)),
      records.index('projectId').getAll(image.projectId).then((rows) => rows.filter((r) => r.kind === 'schema' && !r.gone).map((r) => r.value as RecordTypes['schema'])),
      records.getAll(IDBKeyRange.bound(rowKey(image.projectId, 'annotation', ''), rowKey(image.projectId, 'annotation', '\uffff'))),
      tx.objectStore('annotationPacks').getAll(IDBKeyRange.bound(`${image.projectId}/${image.id}/`, `${image.projectId}/${image.id}/\uffff`)),
    ]);
    if (!project) continue;
    const labels: PatientImage['labels'] = [];
    const seen = new Set<string>();
    for (const r of annotationRows) {
      // A deletion leaves a tombstone row (no value to trust) until its pack is folded.
      seen.add(r.key.slice(rowKey(image.projectId, 'annotation', '').length));
      const a = r.value as RecordTypes['annotation'] | undefined;
      if (!r.gone && a?.imageId === image.id) labels.push({ classId: a.classId, schemaId: a.schemaId, schemaVersion: a.schemaVersion, annotatorId: a.annotatorId, shape: a.geometry !== null });
    }
    for (const p of packs) {
      const reader = new PackReader(p.pack, image.projectId, image.id);
      for (let i = 0; i < reader.count; i++) {
        // A row (a later edit, or a deletion's tombstone) overrides the packed copy.
        if (seen.has(reader.id(i))) continue;
        labels.push({ classId: reader.field(i, 'classId') as string, schemaId: reader.field(i, 'schemaId') as string, schemaVersion: reader.field(i, 'schemaVersion') as number, annotatorId: reader.field(i, 'annotatorId') as string, shape: reader.pack.geometryType[i] !== 0 });
      }
    }
    out.push({ project: project.value as Project, image, schemas: schemas.sort((a, b) => a.version - b.version), labels });
  }
  return out;
}
