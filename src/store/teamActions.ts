import { created, updated, type RecordChange } from '../model/changes';
import { newId, nowIso } from '../model/ids';
import type { Assignment, TeamRole } from '../model/types';
import type { Problem } from '../formats/shared/paths';
import { parseJsonText } from '../formats/shared/validate';
import { gatherReturn, settleConflict, type GatherReport } from '../team/gather';
import { makeReturn, makeWorkPackage, packageFileName, returnFileName } from '../team/packages';
import { dataFromDoc, type DocState } from './docState';
import { auditActor, useDocStore } from './docStore';
import { exportableProject, embeddedFilesOf } from './importExport';
import { flushSaves, useWorkspace } from './workspace';

function doc(): DocState {
  const d = useDocStore.getState().doc;
  if (!d) throw new Error('no project is open');
  return d;
}

/** Adds a person to the project or changes their role (the coordinator's team list). */
export function setMember(id: string, displayName: string, role: TeamRole): void {
  const d = doc();
  const before = d.annotators.get(id);
  const after = { id, projectId: d.project.id, displayName: displayName || before?.displayName || id, role };
  const change = before ? updated('annotator', before, after) : created('annotator', after);
  // Annotator rows are not audited by kind: the role is said in words.
  const entry = { id: newId('aud'), projectId: d.project.id, at: nowIso(), actor: auditActor(), action: 'update' as const, recordKind: 'annotator', targets: [id], detail: `${after.displayName} (${id}) is ${role}` };
  useDocStore.getState().commit([change, created('audit', entry)], { label: `Set role of ${after.displayName}`, record: true, audit: 'included' });
}

export function setAssignments(assignments: Assignment[]): void {
  const before = doc().project;
  const n = assignments.reduce((s, a) => s + a.imageIds.length, 0);
  useDocStore.getState().commit([updated('project', before, { ...before, assignments, updatedAt: nowIso() })], {
    label: 'Assign images',
    record: true,
    audit: { action: 'update', detail: `assignment: ${assignments.length} annotators, ${n} image assignments` },
  });
}

function logOnly(action: 'package' | 'return', detail: string, targets: string[]): void {
  const d = doc();
  const entry = { id: newId('aud'), projectId: d.project.id, at: nowIso(), actor: auditActor(), action, recordKind: action === 'package' ? 'image' : 'annotation', targets, detail };
  useDocStore.getState().commit([created('audit', entry)], { label: action, record: false, audit: 'included' });
}

/**
 * One annotator's work package as a file: the schema, their images (embedded when asked and when the
 * images are files in this browser), no one's labels. Opted-out patients are left out, as in every export.
 */
export async function exportWorkPackage(annotatorId: string, opts: { includeImages: boolean }): Promise<{ fileName: string; text: string; images: number } | null> {
  const d = doc();
  const exported = await exportableProject(d.project.id);
  if (!exported) return null;
  const at = nowIso();
  const files = opts.includeImages ? await embeddedFilesOf(d.project.id, exported.data) : undefined;
  const pkg = makeWorkPackage(exported.data, annotatorId, { issuedBy: auditActor() || 'coordinator', at, files });
  logOnly('package', `work package for ${annotatorId}: ${pkg.images.length} images${files ? ' (image files embedded)' : ''}`, pkg.images.map((i) => i.id));
  return { fileName: packageFileName(d.project.name, annotatorId, at), text: JSON.stringify(pkg), images: pkg.images.length };
}

/** "Send my work back": only this annotator's annotations, statuses and notes, and their audit lines. */
export async function exportReturn(annotatorId: string): Promise<{ fileName: string; text: string; annotations: number }> {
  const d = doc();
  const at = nowIso();
  const mine = [...d.annotations.values()].filter((a) => a.annotatorId === annotatorId).map((a) => a.id);
  logOnly('return', `returned ${mine.length} annotations to the coordinator`, mine);
  await flushSaves();
  const ret = makeReturn(dataFromDoc(doc()), annotatorId, at);
  return { fileName: returnFileName(d.project.name, annotatorId, at), text: JSON.stringify(ret), annotations: ret.annotations.length };
}

export type GatherFileResult = { ok: true; report: GatherReport } | { ok: false; file: string; problems: Problem[] };

/**
 * Gathers returns into the open project, each file as one undoable step. A refused file changes
 * nothing. When the browser cannot store the result (disk full), every gathered file is undone
 * and the user is told: nothing half-merged stays, on screen or on disk.
 */
export async function gatherFiles(files: { name: string; text: string }[]): Promise<GatherFileResult[]> {
  const results: GatherFileResult[] = [];
  let committed = 0;
  const trail: RecordChange[] = [];
  // Earlier edits are stored first: a storage failure below is then the gather's own.
  await flushSaves();
  for (const f of files) {
    const json = parseJsonText(f.text);
    if (!json.ok) {
      results.push({ ok: false, file: f.name, problems: json.problems });
      continue;
    }
    const outcome = gatherReturn(doc(), { name: f.name, value: json.value }, { actor: auditActor(), at: nowIso() });
    if (!outcome.ok) {
      results.push(outcome);
      continue;
    }
    useDocStore.getState().commit(outcome.changes, { label: `Gather ${f.name}`, record: true, audit: 'included' });
    trail.push(...outcome.changes.filter((c) => c.kind === 'audit'));
    committed++;
    results.push({ ok: true, report: outcome.report });
  }
  if (committed) {
    await flushSaves();
    const save = useWorkspace.getState().save;
    if (save.state === 'error') {
      useDocStore.getState().rollback(committed, trail);
      await flushSaves();
      const message = `could not be stored (${save.error?.message ?? 'storage error'}); nothing was gathered`;
      return results.map((r) => (r.ok ? { ok: false, file: r.report.file, problems: [{ path: '(storage)', message }] } : r));
    }
  }
  return results;
}

export function settle(conflictId: string, choice: 'ours' | 'theirs'): void {
  const changes = settleConflict(doc(), conflictId, choice, { actor: auditActor(), at: nowIso() });
  if (changes.length) useDocStore.getState().commit(changes, { label: choice === 'ours' ? 'Keep our version' : 'Take the returned version', record: true, audit: 'included' });
}
