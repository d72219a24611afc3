import { annotationSource, type SourcedProject } from '../model/annotationSource';
import type { ProjectData } from '../model/projectData';

export interface OptOutResult<D extends SourcedProject = ProjectData> {
  data: D;
  excludedImages: number;
  excludedAnnotations: number;
}

/**
 * Removes every image of a patient who declined secondary use, with all its labels and statuses.
 * Every export passes here first: an opted-out patient never leaves the browser. Annotations in an
 * array stay an array; a source (see model/annotationSource) stays a source, read here only for the
 * excluded images' annotations.
 */
export function excludeOptedOut(data: ProjectData): OptOutResult<ProjectData>;
export function excludeOptedOut(data: SourcedProject): OptOutResult<SourcedProject>;
export function excludeOptedOut(data: SourcedProject): OptOutResult<SourcedProject> {
  const optOut = new Set(data.project.optOut);
  // The list itself names patients (by pseudonym): it never leaves, whether or not it matched.
  const project: ProjectData['project'] = { ...data.project, optOut: [] };
  const excluded = new Set(data.images.filter((i) => i.patientKey !== undefined && optOut.has(i.patientKey)).map((i) => i.id));
  if (!excluded.size) return { data: { ...data, project }, excludedImages: 0, excludedAnnotations: 0 };
  const source = annotationSource(data.annotations);
  const annotations = Array.isArray(data.annotations) ? data.annotations.filter((a) => !excluded.has(a.imageId)) : source.withoutImages(excluded);
  // Nothing else may name them either: assignments, conflicts and the audit trail are cut the same way.
  const gone = new Set(excluded);
  let excludedAnnotations = 0;
  for (const imageId of excluded) {
    for (const a of source.forImage(imageId)) {
      gone.add(a.id);
      excludedAnnotations++;
    }
  }
  for (const s of data.statuses) if (excluded.has(s.imageId)) gone.add(s.id);
  if (project.assignments) project.assignments = project.assignments.map((a) => ({ ...a, imageIds: a.imageIds.filter((i) => !excluded.has(i)) }));
  if (project.conflicts) project.conflicts = project.conflicts.filter((c) => !excluded.has(c.imageId));
  const audit = data.audit.flatMap((e) => {
    if (e.imageId && excluded.has(e.imageId)) return [];
    const targets = e.targets.filter((t) => !gone.has(t));
    return targets.length === e.targets.length ? [e] : targets.length ? [{ ...e, targets }] : [];
  });
  return {
    data: {
      ...data,
      project,
      images: data.images.filter((i) => !excluded.has(i.id)),
      annotations,
      statuses: data.statuses.filter((s) => !excluded.has(s.imageId)),
      audit,
    },
    excludedImages: excluded.size,
    excludedAnnotations,
  };
}
