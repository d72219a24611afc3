import type { ProjectData } from '../../model/projectData';
import { geometryBounds } from '../../model/geometry';
import type { Annotation, ImageRecord } from '../../model/types';
import { allClasses, className } from '../interchange/classes';
import { fileStem, oneLine, safeFileName, uniqueNames } from '../interchange/ids';

/** First line of the one-file form; the reader recognises the form by it or by `# image:` lines. */
export const YOLO_MAGIC = '# granula-yolo 1';

export type YoloLayout = 'files' | 'single';

/** Six decimals, as YOLO tools write: 0.04 px on a 40,000 px slide. */
const num = (v: number) => v.toFixed(6);

/** `class cx cy w h`, normalised to the image and clipped to it (YOLO trainers refuse values outside 0–1). */
function labelLine(a: Annotation, image: ImageRecord, classIndex: number): { line?: string; clipped: boolean } {
  if (!a.geometry || a.geometry.type === 'point') return { clipped: false };
  const b = geometryBounds(a.geometry);
  const x0 = Math.max(0, b.minX), y0 = Math.max(0, b.minY);
  const x1 = Math.min(image.width, b.maxX), y1 = Math.min(image.height, b.maxY);
  const clipped = x0 !== b.minX || y0 !== b.minY || x1 !== b.maxX || y1 !== b.maxY;
  if (x1 <= x0 || y1 <= y0) return { clipped: true };
  const { width: W, height: H } = image;
  return { line: `${classIndex} ${num((x0 + x1) / 2 / W)} ${num((y0 + y1) / 2 / H)} ${num((x1 - x0) / W)} ${num((y1 - y0) / H)}`, clipped };
}

/**
 * Boxes in YOLO's text form. `files`: `classes.txt` and one `<image stem>.txt` per image (under
 * `<annotator>/` when there are several annotators). `single`: one text with `# image:` blocks,
 * which also carries image sizes and class names so it can be read back on its own.
 */
export function writeYolo(data: ProjectData, layout: YoloLayout = 'files'): { files: { name: string; text: string }[]; warnings: string[] } {
  const classes = allClasses(data);
  const index = new Map(classes.map((c, i) => [c.id, i]));
  const images = [...data.images].sort((a, b) => a.order - b.order);
  const stems = uniqueNames(images.map((im) => safeFileName(fileStem(im.name) || im.id)));
  const annotators = data.annotators.map((a) => a.id);
  for (const a of data.annotations) if (!annotators.includes(a.annotatorId)) annotators.push(a.annotatorId);
  let points = 0, labels = 0, clippedCount = 0;
  const blocks: { image: ImageRecord; stem: string; annotator: string; lines: string[] }[] = [];
  images.forEach((image, i) => {
    for (const annotator of annotators.length ? annotators : ['']) {
      const lines: string[] = [];
      for (const a of data.annotations) {
        if (a.imageId !== image.id || a.annotatorId !== annotator || !index.has(a.classId)) continue;
        if (!a.geometry) labels++;
        else if (a.geometry.type === 'point') points++;
        const { line, clipped } = labelLine(a, image, index.get(a.classId)!);
        if (clipped) clippedCount++;
        if (line) lines.push(line);
      }
      blocks.push({ image, stem: stems[i], annotator, lines });
    }
  });
  const warnings: string[] = [];
  if (points) warnings.push(`${points} point annotations not written (YOLO holds boxes)`);
  if (labels) warnings.push(`${labels} image-level labels not written (YOLO holds boxes)`);
  if (clippedCount) warnings.push(`${clippedCount} boxes clipped to their image (YOLO coordinates lie in 0–1)`);
  const polygons = data.annotations.filter((a) => a.geometry?.type === 'polygon').length;
  if (polygons) warnings.push(`${polygons} polygons written as their bounding boxes`);

  if (layout === 'single') {
    const head = [YOLO_MAGIC, ...classes.map((c, i) => `# class ${i}: ${oneLine(className(c))}`)];
    const body = blocks.flatMap((b) => [`# image: ${oneLine(b.image.name)}`, `# size: ${b.image.width} ${b.image.height}`, ...(b.annotator ? [`# annotator: ${oneLine(b.annotator)}`] : []), ...b.lines]);
    return { files: [{ name: `${safeFileName(data.project.name)}.yolo.txt`, text: [...head, ...body].join('\n') + '\n' }], warnings };
  }
  const nested = annotators.length > 1;
  const folders = new Map(annotators.map((a, i) => [a, uniqueNames(annotators.map(safeFileName))[i]]));
  const files = [{ name: 'classes.txt', text: classes.map((c) => oneLine(className(c))).join('\n') + '\n' }];
  for (const b of blocks) files.push({ name: nested ? `${folders.get(b.annotator)}/${b.stem}.txt` : `${b.stem}.txt`, text: b.lines.map((l) => l + '\n').join('') });
  return { files, warnings };
}
