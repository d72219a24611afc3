import type { ProjectData } from '../../model/projectData';
import type { AnnotationFields } from '../../model/annotationSource';
import type { ImageRecord } from '../../model/types';

/**
 * COCO, GeoJSON, CSV and YOLO know images, not the slices of a CT/MR series: a series' shapes are
 * written on one image, whatever slice each was drawn on. Never silently: the export says how many
 * and where to keep them apart. Empty when no shape is on a slice.
 */
export function sliceWarnings(data: ProjectData, format: string): string[] {
  const slices = sliceCount();
  for (const a of data.annotations) slices.see(a);
  return slices.warnings(data.images, format);
}

/** sliceWarnings counted as the annotations pass by (a writer walking them once for other reasons too). */
export function sliceCount(): { see(a: AnnotationFields): void; warnings(images: readonly ImageRecord[], format: string): string[] } {
  let shapes = 0;
  const series = new Set<string>();
  return {
    see(a) {
      if (!a.slice || !a.geometry) return;
      shapes++;
      series.add(a.imageId);
    },
    warnings(images, format) {
      if (!shapes) return [];
      const names = images.filter((im) => series.has(im.id)).map((im) => `"${im.name}"`);
      const what = shapes === 1 ? '1 shape is' : `${shapes} shapes are`;
      return [
        `${what} on slices of ${names.length === 1 ? 'the CT/MR series' : `${names.length} CT/MR series`} ${names.join(', ')}: ${format} has no slices, so each series' shapes are written on one image. Export the shared format (or DICOM SR from the viewer) to keep each shape on its slice`,
      ];
    },
  };
}
