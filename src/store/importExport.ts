import { newId, nowIso } from '../model/ids';
import type { ProjectData } from '../model/projectData';
import type { Problem } from '../formats/shared/paths';
import { fromSharedDocument, type EmbeddedFile } from '../formats/shared/convert';
import { sharedDocumentChunks, type WriteProgress } from '../formats/shared/stream';
import { validateSharedText } from '../formats/shared/validate';
import { embeddedBlobs, embeddedFiles } from './embedded';
import { excludeOptedOut } from '../formats/optOut';
import { flushSaves, loadProjectBlobs, loadProjectData, openProject, storeWholeProject, useWorkspace } from './workspace';
import type { SharedDocument } from '../formats/shared/schema';
import { applyPackage } from '../team/packages';
import type { GatherReport } from '../team/gather';
import { auditActor } from './docStore';
import { gatherFiles } from './teamActions';

export type ImportResult =
  | {
      ok: true;
      projectId: string;
      name: string;
      annotations: number;
      images: number;
      /** A work package: the project is the coordinator's (same id), for this annotator. */
      packageFor?: { id: string; displayName: string };
      /** A return gathered into the coordinator's project. */
      gathered?: GatherReport;
      /**
       * Labels lacking a required value (`annotations[3].attributes.paris: required`). Imported all the
       * same, and reported: work in progress is whole data, and its gaps are filled in the app (an image
       * cannot be marked done until they are).
       */
      incomplete?: Problem[];
    }
  | { ok: false; problems: Problem[] };

/**
 * A file read whole as text: work packages, returns and backups, which merge with (or replace) what
 * this browser holds and are read on the page. Projects of any size are imported as a stream in a
 * worker instead (importClient.ts); a file past what one string can hold gets a message, not a crash.
 */
export async function wholeText(file: Blob): Promise<{ ok: true; text: string } | { ok: false; problems: Problem[] }> {
  try {
    return { ok: true, text: await file.text() };
  } catch (e) {
    const mb = (file.size / 1024 / 1024).toFixed(0);
    return { ok: false, problems: [{ path: '(file)', message: `is ${mb} MB, more than this browser can read in one piece (${e instanceof Error ? e.message : String(e)})` }] };
  }
}

/**
 * Validates a whole shared-format file before anything is written, then stores it in one
 * transaction. A project with the same id is kept: the import becomes a copy with a new id.
 */
export async function importSharedText(text: string, fileName = 'file'): Promise<ImportResult> {
  const result = validateSharedText(text);
  if (!result.ok) return result;
  const exists = useWorkspace.getState().projects.some((p) => p.id === result.doc.project.id);
  if (result.doc.package) return openWorkPackage(result.doc, exists, fileName);
  if (result.doc.return) {
    const r = result.doc.return;
    if (!exists) {
      return { ok: false, problems: [{ path: 'return', message: `is ${r.annotatorId}’s work on project “${result.doc.project.name}”, which this browser does not hold: gather it in the coordinator’s copy of that project` }] };
    }
    const local = useWorkspace.getState().projects.find((p) => p.id === result.doc.project.id);
    if (local?.package) {
      // An annotator's or reviewer's copy is blind by design: other people's work is gathered by the coordinator only.
      return { ok: false, problems: [{ path: 'return', message: `is ${r.annotatorId}’s work; this browser holds a work package of “${result.doc.project.name}”, not the coordinator’s project: send the file to the coordinator` }] };
    }
    if (!(await openProject(result.doc.project.id))) return { ok: false, problems: [{ path: 'project.id', message: 'could not be opened' }] };
    const [g] = await gatherFiles([{ name: fileName, text }]);
    if (!g.ok) return { ok: false, problems: g.problems };
    return { ok: true, projectId: result.doc.project.id, name: result.doc.project.name, annotations: result.doc.annotations.length, images: result.doc.images.length, gathered: g.report };
  }
  const data = fromSharedDocument(result.doc, exists ? newId('prj') : result.doc.project.id);
  if (exists) data.project = { ...data.project, name: `${data.project.name} (imported ${nowIso().slice(0, 10)})` };
  const blobs = embeddedBlobs(result.doc.files, data.project.id);
  try {
    await storeWholeProject(data, blobs);
  } catch (e) {
    return { ok: false, problems: [{ path: '(storage)', message: `could not be stored: ${(e as Error).message}; nothing was changed` }] };
  }
  const incomplete = result.incomplete.length ? { incomplete: result.incomplete } : {};
  return { ok: true, projectId: data.project.id, name: data.project.name, annotations: data.annotations.length, images: data.images.length, ...incomplete };
}

/**
 * Opens a work package under the project's own id. A newer package of a project already here adds
 * its images and schema versions and updates the team; the annotator's own work stays as it is.
 */
async function openWorkPackage(doc: SharedDocument, exists: boolean, fileName: string): Promise<ImportResult> {
  const pkg = doc.package!;
  const local = exists ? await loadProjectData(doc.project.id) : null;
  if (local && !local.project.package) {
    return { ok: false, problems: [{ path: 'package', message: `is a work package of project “${doc.project.name}”, which this browser holds as the coordinator’s own copy: open it in the annotator’s browser` }] };
  }
  const data = applyPackage(local, doc, { actor: auditActor() || pkg.annotatorId, at: nowIso(), fileName });
  const blobs = embeddedBlobs(doc.files, data.project.id);
  try {
    await storeWholeProject(data, blobs);
  } catch (e) {
    return { ok: false, problems: [{ path: '(storage)', message: `could not be stored: ${(e as Error).message}; nothing was changed` }] };
  }
  const me = doc.annotators.find((a) => a.id === pkg.annotatorId);
  return { ok: true, projectId: data.project.id, name: data.project.name, annotations: 0, images: doc.images.length, packageFor: { id: pkg.annotatorId, displayName: me?.displayName ?? pkg.annotatorId } };
}

export interface ExportedProject {
  /** What leaves the browser: opted-out patients already removed. */
  data: ProjectData;
  excludedImages: number;
  excludedAnnotations: number;
}

/** The project as it may leave the browser: every export starts here, so opt-outs are never exported. */
export async function exportableProject(projectId: string): Promise<ExportedProject | null> {
  await flushSaves();
  const stored = await loadProjectData(projectId);
  if (!stored) return null;
  return excludeOptedOut(stored);
}

/** The project in the shared format, as an export writes it: chunks read one at a time, never one text. */
export interface SharedExport extends ExportedProject {
  /**
   * The document in UTF-8 chunks (the bytes `granula convert --to shared` writes). `progress.done`
   * counts the annotations written so far, of `data.annotations.length`.
   */
  chunks(progress?: WriteProgress): Generator<Uint8Array>;
}

export async function exportSharedChunks(projectId: string, opts: { includeImages: boolean }): Promise<SharedExport | null> {
  const exported = await exportableProject(projectId);
  if (!exported) return null;
  const files = opts.includeImages ? await embeddedFilesOf(projectId, exported.data) : undefined;
  const exportedAt = nowIso();
  return { ...exported, chunks: (progress) => sharedDocumentChunks(exported.data, { exportedAt, files }, undefined, progress) };
}

/** The same document as one text, for a caller that needs it whole (a small project; tests). */
export async function exportSharedText(projectId: string, opts: { includeImages: boolean }): Promise<({ text: string } & ExportedProject) | null> {
  const out = await exportSharedChunks(projectId, opts);
  if (!out) return null;
  const { chunks, ...exported } = out;
  const decoder = new TextDecoder();
  let text = '';
  for (const c of chunks()) text += decoder.decode(c, { stream: true });
  return { text: text + decoder.decode(), ...exported };
}

/** The image files of `data`'s images that this browser holds, for a document that carries them. */
export async function embeddedFilesOf(projectId: string, data: Pick<ProjectData, 'images'>): Promise<EmbeddedFile[]> {
  return embeddedFiles(await loadProjectBlobs(projectId), data);
}
