import type { ProjectData } from '../../model/projectData';

/**
 * COCO, GeoJSON, CSV and YOLO know images, not the slices of a CT/MR series: a series' shapes are
 * written on one image, whatever slice each was drawn on. Never silently: the export says how many
 * and where to keep them apart. Empty when no shape is on a slice.
 */
export function sliceWarnings(data: ProjectData, format: string): string[] {
  let shapes = 0;
  const series = new Set<string>();
  for (const a of data.annotations) {
    if (!a.slice || !a.geometry) continue;
    shapes++;
    series.add(a.imageId);
  }
  if (!shapes) return [];
  const names = data.images.filter((im) => series.has(im.id)).map((im) => `"${im.name}"`);
  const what = shapes === 1 ? '1 shape is' : `${shapes} shapes are`;
  return [
    `${what} on slices of ${names.length === 1 ? 'the CT/MR series' : `${names.length} CT/MR series`} ${names.join(', ')}: ${format} has no slices, so each series' shapes are written on one image. Export the shared format (or DICOM SR from the viewer) to keep each shape on its slice`,
  ];
}
