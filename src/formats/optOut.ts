import type { ProjectData } from '../model/projectData';

export interface OptOutResult {
  data: ProjectData;
  excludedImages: number;
  excludedAnnotations: number;
}

/**
 * Removes every image of a patient who declined secondary use, with all its labels and statuses.
 * Every export passes here first: an opted-out patient never leaves the browser.
 */
export function excludeOptedOut(data: ProjectData): OptOutResult {
  const optOut = new Set(data.project.optOut);
  // The list itself names patients (by pseudonym): it never leaves, whether or not it matched.
  const project = { ...data.project, optOut: [] };
  const excluded = new Set(data.images.filter((i) => i.patientKey !== undefined && optOut.has(i.patientKey)).map((i) => i.id));
  if (!excluded.size) return { data: { ...data, project }, excludedImages: 0, excludedAnnotations: 0 };
  const annotations = data.annotations.filter((a) => !excluded.has(a.imageId));
  return {
    data: {
      ...data,
      project,
      images: data.images.filter((i) => !excluded.has(i.id)),
      annotations,
      statuses: data.statuses.filter((s) => !excluded.has(s.imageId)),
    },
    excludedImages: excluded.size,
    excludedAnnotations: data.annotations.length - annotations.length,
  };
}
