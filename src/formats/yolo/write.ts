import { sliceWarnings } from '../interchange/slices';
import type { ProjectData } from '../../model/projectData';
import { geometryBounds } from '../../model/geometry';
import { CONSENSUS_ANNOTATOR, type Annotation, type ImageRecord } from '../../model/types';
import { allClasses, className } from '../interchange/classes';
import { fileStem, oneLine, safeFileName } from '../interchange/ids';

/** First line of the one-file form; the reader recognises the form by it or by `# image:` lines. */
export const YOLO_MAGIC = '# granula-yolo 1';

/** `dataset`: the folder trainers read. `single`: one text that also carries sizes and annotators. */
export type YoloLayout = 'dataset' | 'single';

export interface YoloWritten {
  /** Names are relative, `/`-separated. */
  files: { name: string; text: string }[];
  warnings: string[];
  /**
   * Dataset only: where each image's own file belongs, `images/<stem><ext>` beside `labels/<stem>.txt`
   * (`ext` from the image's name, "" when it has none: the caller knows the file's type).
   */
  images: { imageId: string; stem: string; ext: string }[];
}

/** Six decimals, as YOLO tools write: 0.04 px on a 40,000 px slide. */
const num = (v: number) => v.toFixed(6);

/** `class cx cy w h`, normalised to the image and clipped to it (YOLO trainers refuse values outside 0–1). */
function labelLine(a: Annotation, image: ImageRecord, classIndex: number): { line?: string; clipped: boolean } {
  if (!a.geometry || a.geometry.type === 'point' || a.geometry.type === 'line') return { clipped: false };
  const b = geometryBounds(a.geometry);
  const x0 = Math.max(0, b.minX), y0 = Math.max(0, b.minY);
  const x1 = Math.min(image.width, b.maxX), y1 = Math.min(image.height, b.maxY);
  const clipped = x0 !== b.minX || y0 !== b.minY || x1 !== b.maxX || y1 !== b.maxY;
  if (x1 <= x0 || y1 <= y0) return { clipped: true };
  const { width: W, height: H } = image;
  return { line: `${classIndex} ${num((x0 + x1) / 2 / W)} ${num((y0 + y1) / 2 / H)} ${num((x1 - x0) / W)} ${num((y1 - y0) / H)}`, clipped };
}

/** Unique file stems; `Frame` and `frame` clash on the file systems of two of the three desktop systems. */
function uniqueStems(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    let candidate = n;
    for (let k = 2; used.has(candidate.toLowerCase()); k++) candidate = `${n} (${k})`;
    used.add(candidate.toLowerCase());
    return candidate;
  });
}

/** A YAML double-quoted scalar: JSON's escapes, plus the characters YAML does not allow unescaped. */
function yamlString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

/**
 * Boxes in YOLO's text form. `dataset`: `data.yaml` (class names in class order) and `classes.txt`,
 * and `labels/<image stem>.txt` for every image, an empty one for an image without boxes (a
 * negative). A dataset holds one set of labels per image: the consensus where a reviewer made one,
 * otherwise every annotator's boxes together (with a warning). `single`: one text with `# image:`
 * blocks per image and annotator, which also carries image sizes so it can be read back on its own.
 */
export function writeYolo(data: ProjectData, layout: YoloLayout = 'dataset'): YoloWritten {
  const classes = allClasses(data);
  const index = new Map(classes.map((c, i) => [c.id, i]));
  const images = [...data.images].sort((a, b) => a.order - b.order);
  const stems = uniqueStems(images.map((im) => safeFileName(fileStem(im.name) || im.id)));
  let points = 0, lines = 0, labels = 0, clippedCount = 0;
  const lineOf = (a: Annotation, image: ImageRecord) => {
    if (!a.geometry) labels++;
    else if (a.geometry.type === 'point') points++;
    else if (a.geometry.type === 'line') lines++;
    const { line, clipped } = labelLine(a, image, index.get(a.classId)!);
    if (clipped) clippedCount++;
    return line;
  };
  const warnings: string[] = sliceWarnings(data, 'YOLO');
  const written = new Set<string>();
  const limits = () => {
    if (points) warnings.push(`${points} point annotations not written (YOLO holds boxes)`);
    if (lines) warnings.push(`${lines} length measurements not written (YOLO holds boxes)`);
    if (labels) warnings.push(`${labels} image-level labels not written (YOLO holds boxes)`);
    if (clippedCount) warnings.push(`${clippedCount} boxes clipped to their image (YOLO coordinates lie in 0–1)`);
    const polygons = data.annotations.filter((a) => a.geometry?.type === 'polygon' && index.has(a.classId) && (layout === 'single' || written.has(a.id))).length;
    if (polygons) warnings.push(`${polygons} polygons written as their bounding boxes`);
  };

  if (layout === 'single') {
    const annotators = data.annotators.map((a) => a.id);
    for (const a of data.annotations) if (!annotators.includes(a.annotatorId)) annotators.push(a.annotatorId);
    const body: string[] = [];
    for (const image of images) {
      for (const annotator of annotators.length ? annotators : ['']) {
        body.push(`# image: ${oneLine(image.name)}`, `# size: ${image.width} ${image.height}`, ...(annotator ? [`# annotator: ${oneLine(annotator)}`] : []));
        for (const a of data.annotations) {
          if (a.imageId !== image.id || a.annotatorId !== annotator || !index.has(a.classId)) continue;
          const line = lineOf(a, image);
          if (line) body.push(line);
        }
      }
    }
    limits();
    const head = [YOLO_MAGIC, ...classes.map((c, i) => `# class ${i}: ${oneLine(className(c))}`)];
    return { files: [{ name: `${safeFileName(data.project.name)}.yolo.txt`, text: [...head, ...body].join('\n') + '\n' }], warnings, images: [] };
  }

  const byImage = new Map<string, Annotation[]>();
  for (const a of data.annotations) if (index.has(a.classId)) byImage.set(a.imageId, [...(byImage.get(a.imageId) ?? []), a]);
  const looked = new Set(data.statuses.filter((s) => s.state === 'done' || s.noFinding).map((s) => s.imageId));
  const consensusImages = new Set([...data.annotations, ...data.statuses].filter((r) => r.annotatorId === CONSENSUS_ANNOTATOR).map((r) => r.imageId));
  let combined = 0, overruled = 0, unchecked = 0;
  const files = [
    {
      name: 'data.yaml',
      text: [
        '# Images in images/, one label file per image in labels/ (same name, .txt).',
        '# train and val both name the whole set: split it before training to validate on unseen images.',
        'train: images',
        'val: images',
        `nc: ${classes.length}`,
        ...(classes.length ? ['names:', ...classes.map((c, i) => `  ${i}: ${yamlString(oneLine(className(c)))}`)] : ['names: {}']),
        '',
      ].join('\n'),
    },
    { name: 'classes.txt', text: classes.map((c) => oneLine(className(c)) + '\n').join('') },
  ];
  images.forEach((image, i) => {
    const all = byImage.get(image.id) ?? [];
    // A reviewer's consensus is the label set; without one, every annotator's boxes go in.
    const chosen = consensusImages.has(image.id) ? all.filter((a) => a.annotatorId === CONSENSUS_ANNOTATOR) : all;
    if (chosen.length < all.length) overruled++;
    const lines: string[] = [];
    const by = new Set<string>();
    for (const a of chosen) {
      const line = lineOf(a, image);
      if (!line) continue;
      lines.push(line);
      written.add(a.id);
      by.add(a.annotatorId);
    }
    if (by.size > 1) combined++;
    if (!lines.length && !looked.has(image.id)) unchecked++;
    files.push({ name: `labels/${stems[i]}.txt`, text: lines.map((l) => l + '\n').join('') });
  });
  limits();
  if (overruled) warnings.push(`${overruled} images have consensus labels: those were written, the annotators' own labels of those images were not`);
  if (combined) warnings.push(`${combined} images have boxes of several annotators, written together (a YOLO dataset holds one set of labels per image, so one lesion may be boxed twice): settle them into consensus labels for one set`);
  if (unchecked) warnings.push(`${unchecked} images without boxes were never marked done or "no lesion": their empty label files tell a trainer there is nothing to find`);
  return { files, warnings, images: images.map((im, i) => ({ imageId: im.id, stem: stems[i], ext: extensionOf(im.name) })) };
}
