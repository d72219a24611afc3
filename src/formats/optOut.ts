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
  if (!optOut.size) return { data, excludedImages: 0, excludedAnnotations: 0 };
  const excluded = new Set(data.images.filter((i) => i.patientKey !== undefined && optOut.has(i.patientKey)).map((i) => i.id));
  if (!excluded.size) return { data, excludedImages: 0, excludedAnnotations: 0 };
  const annotations = data.annotations.filter((a) => !excluded.has(a.imageId));
  return {
    data: {
      ...data,
      // The list itself names patients: it stays in the browser too.
      project: { ...data.project, optOut: [] },
      images: data.images.filter((i) => !excluded.has(i.id)),
      annotations,
      statuses: data.statuses.filter((s) => !excluded.has(s.imageId)),
    },
    excludedImages: excluded.size,
    excludedAnnotations: data.annotations.length - annotations.length,
  };
}
