import { currentSchema, type ProjectData } from '../model/projectData';
import { newId } from '../model/ids';
import type { Annotation, AuditEntry, ImageRecord } from '../model/types';
import { excludeOptedOut } from '../formats/optOut';
import { toSharedDocument, type EmbeddedFile } from '../formats/shared/convert';
import type { SharedDocument } from '../formats/shared/schema';
import { safeFileName } from '../formats/interchange/ids';
import { assignedImages } from './assign';
import { asTeamRole } from './roles';
import { returnOwners } from './gather';

/**
 * A work package: what the coordinator hands one annotator. The schema with its versions, the images
 * assigned to them (opted-out patients left out, as from every export), the team's coordinators and
 * reviewers by name, and no one's labels: the annotator works blind.
 */
export function makeWorkPackage(data: ProjectData, annotatorId: string, o: { issuedBy: string; at: string; files?: EmbeddedFile[] }): SharedDocument {
  const content = packageData(data, annotatorId);
  const used = new Set(content.images.flatMap((i) => (i.source.kind === 'file' ? [i.source.blobId] : [])));
  const doc = toSharedDocument(content, { exportedAt: o.at, files: o.files?.filter((f) => used.has(f.blobId)) });
  doc.package = { annotatorId, issuedAt: o.at, issuedBy: o.issuedBy };
  return doc;
}

/**
 * What one person may see of a project, as records: the package's content. Live sync writes the same
 * records to that person's database, so a file and a server hand out exactly the same.
 */
export function packageData(data: ProjectData, annotatorId: string): ProjectData {
  const p = packageContent(data, annotatorId);
  return { ...p.data, annotations: data.annotations.filter(p.takes) };
}

/**
 * A package's content but its annotations, and the test of which annotations it holds: live sync
 * streams a slide's million outlines through `takes` instead of holding them in one array.
 * `annotations` is read once, and only for a reviewer (whose package names everyone who labelled).
 */
export function packageContent(data: ProjectData, annotatorId: string, annotations: () => Iterable<Annotation> = () => data.annotations): { data: ProjectData; takes: (a: Annotation) => boolean } {
  // Annotations play no part in what excludeOptedOut keeps of anything a package holds (its audit is empty).
  const { data: exportable } = excludeOptedOut({ ...data, annotations: [] });
  const kept = new Set(exportable.images.map((i) => i.id));
  const wanted = new Set(assignedImages(exportable.project.assignments, annotatorId, exportable.images.map((i) => i.id)));
  const images = exportable.images.filter((i) => wanted.has(i.id));
  const annotators = exportable.annotators.filter((a) => a.id === annotatorId || asTeamRole(a.role) === 'coordinator' || asTeamRole(a.role) === 'reviewer');
  if (!annotators.some((a) => a.id === annotatorId)) annotators.push({ id: annotatorId, projectId: data.project.id, displayName: annotatorId, role: 'annotator' });
  // A reviewer's package opens the review phase: everyone's labels on their images, to adjudicate.
  const reviewer = asTeamRole(annotators.find((a) => a.id === annotatorId)?.role) === 'reviewer';
  if (reviewer) {
    const labelled = new Set(exportable.statuses.map((s) => s.annotatorId));
    for (const a of annotations()) if (kept.has(a.imageId)) labelled.add(a.annotatorId);
    for (const a of exportable.annotators) if (labelled.has(a.id) && !annotators.includes(a)) annotators.push(a);
  }
  return {
    data: {
      project: { ...exportable.project, reviewMode: reviewer || exportable.project.reviewMode, exportLog: [], conflicts: undefined, package: undefined, assignments: [{ annotatorId, imageIds: images.map((i) => i.id) }] },
      schemas: exportable.schemas,
      images,
      annotators,
      annotations: [],
      statuses: reviewer ? exportable.statuses.filter((s) => wanted.has(s.imageId)) : [],
      audit: [],
    },
    takes: (a) => reviewer && wanted.has(a.imageId),
  };
}

/**
 * The annotator's return: only their own annotations, statuses and notes, the images those point
 * at, and their own lines of the audit trail (which carry their deletions to the coordinator). A
 * reviewer's return carries the consensus records too.
 */
export function makeReturn(data: ProjectData, annotatorId: string, at: string): SharedDocument {
  const owners = returnOwners({ annotators: new Map(data.annotators.map((a) => [a.id, a])) }, annotatorId);
  const annotations = data.annotations.filter((a) => owners.has(a.annotatorId));
  const statuses = data.statuses.filter((s) => owners.has(s.annotatorId));
  const imageIds = new Set([...annotations.map((a) => a.imageId), ...statuses.map((s) => s.imageId)]);
  const me = data.annotators.find((a) => a.id === annotatorId) ?? { id: annotatorId, projectId: data.project.id, displayName: annotatorId };
  const others = data.annotators.filter((a) => a.id !== annotatorId && owners.has(a.id));
  const doc = toSharedDocument(
    {
      project: { ...data.project, optOut: [], exportLog: [], conflicts: undefined, package: undefined, assignments: undefined },
      schemas: data.schemas,
      images: data.images.filter((i) => imageIds.has(i.id)),
      annotators: [me, ...others],
      annotations,
      statuses,
      audit: data.audit.filter((e) => e.actor === annotatorId),
    },
    { exportedAt: at },
  );
  doc.return = { annotatorId, returnedAt: at };
  return doc;
}

/** `granula-return_<project>_<annotator>_<date>.json`: says what it is to whoever receives it. */
export function returnFileName(projectName: string, annotatorId: string, at: string): string {
  return `granula-return_${safeFileName(projectName)}_${safeFileName(annotatorId)}_${at.slice(0, 10)}.json`;
}

export function packageFileName(projectName: string, annotatorId: string, at: string): string {
  return `granula-package_${safeFileName(projectName)}_${safeFileName(annotatorId)}_${at.slice(0, 10)}.json`;
}

/**
 * Opens a work package in the annotator's browser. The project keeps the package's id (not a copy);
 * a newer package of the same project adds its images and schema versions and updates the team,
 * and never touches the annotator's own annotations, statuses or audit trail.
 */
export function applyPackage(local: ProjectData | null, doc: SharedDocument, o: { actor: string; at: string; fileName: string }): ProjectData {
  if (!doc.package) throw new Error('not a work package');
  const pid = doc.project.id;
  const schemas = new Map((local?.schemas ?? []).map((s) => [`${s.id}@${s.version}`, s]));
  for (const s of [...doc.schemaVersions, doc.schema]) schemas.set(`${s.id}@${s.version}`, s);
  const images = new Map((local?.images ?? []).map((i) => [i.id, i]));
  for (const im of doc.images) images.set(im.id, { ...im, projectId: pid } as ImageRecord);
  const annotators = new Map((local?.annotators ?? []).map((a) => [a.id, a]));
  for (const a of doc.annotators) annotators.set(a.id, { ...a, projectId: pid });
  const entry: AuditEntry = {
    id: newId('aud'),
    projectId: pid,
    at: o.at,
    actor: o.actor,
    action: 'package',
    recordKind: 'image',
    targets: doc.images.map((i) => i.id),
    detail: `${o.fileName}: work package for ${doc.package.annotatorId} issued by ${doc.package.issuedBy} at ${doc.package.issuedAt}`,
  };
  const project = {
    ...(local?.project ?? { optOut: [], exportLog: [] }),
    id: pid,
    name: doc.project.name,
    description: doc.project.description,
    schemaId: doc.schema.id,
    reviewMode: doc.project.reviewMode,
    assignments: doc.project.assignments,
    package: doc.package,
    createdAt: local?.project.createdAt ?? doc.project.createdAt,
    updatedAt: o.at,
  };
  const data: ProjectData = {
    project,
    schemas: [...schemas.values()].sort((a, b) => a.version - b.version),
    images: [...images.values()].sort((a, b) => a.order - b.order),
    annotators: [...annotators.values()],
    annotations: local?.annotations ?? [],
    statuses: local?.statuses ?? [],
    audit: [...(local?.audit ?? []), entry],
  };
  currentSchema(data);
  return data;
}

