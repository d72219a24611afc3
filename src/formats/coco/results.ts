import { nowIso } from '../../model/ids';
import type { Annotation, ImageRecord, LabelClass } from '../../model/types';
import { importedAnnotation, versionTable } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { isFiniteNumber, isRecord } from '../interchange/checks';
import { paletteColor } from '../interchange/colors';
import { ContentIds } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { cocoIdKey, showId } from './ids';
import { annotatorStem, cocoGeometry, readCocoCategories, readCocoImages } from './read';
import { readCocoShape, type CocoShape } from './shape';

export interface CocoResultsOptions extends ReadOptions {
  /**
   * The instances file the results are about (parsed JSON): its images give names and sizes, its
   * categories names. Without it, images and classes are known only by their ids.
   */
  instances?: unknown;
}

interface Pending {
  at: string;
  imageKey: string;
  classId: string;
  shape: CocoShape;
  score?: number;
  content: string;
}

/** Looks like COCO detection results: objects with `image_id` and `category_id` (and a shape and score). */
export function isCocoResult(v: unknown): boolean {
  return isRecord(v) && 'image_id' in v && 'category_id' in v;
}

/**
 * Reads COCO results, as a detector writes them for COCO evaluation: a list of
 * `{image_id, category_id, bbox | segmentation, score}`. The list names no images, sizes or
 * categories: with `opts.instances` they come from the instances file; otherwise an image is named
 * by its id and sized by its masks (or its shapes' extent), a class by its category id, and warnings
 * say so. The score is kept as the attribute `score`; the annotator is the file's stem.
 */
export function readCocoResults(value: unknown, fileName: string, opts: CocoResultsOptions = {}): ReadResult {
  return guarded('coco', () => readUnguarded(value, fileName, opts));
}

function readUnguarded(root: unknown, fileName: string, opts: CocoResultsOptions): ReadResult {
  const now = opts.now ?? nowIso();
  const report = new Report();
  if (!Array.isArray(root)) {
    report.problem('(root)', 'expected a list of COCO results {image_id, category_id, bbox, score}');
    return report.fail('coco');
  }
  const stem = annotatorStem(fileName);
  const given = instancesOf(opts.instances, now, opts, report);
  if (report.failed) return report.fail('coco');

  const added = new Map<string, LabelClass>();
  const classOf = (raw: unknown, key: string): string => {
    const known = given?.categories.get(key);
    if (known !== undefined) return known;
    const id = String(raw);
    if (!added.has(key)) added.set(key, { id, name: { en: id, ja: id }, color: paletteColor(added.size), attributes: [], carried: { coco: { id: raw as number | string } } });
    return id;
  };
  const pending: Pending[] = [];
  const sizes = new Map<string, { size: [number, number]; at: string }>();
  const imageOrder: { key: string; raw: unknown }[] = [];
  let keypoints = -1;
  root.forEach((raw, i) => {
    if (report.full) return;
    const at = `[${i}]`;
    if (!isRecord(raw)) return report.problem(at, 'must be an object {image_id, category_id, bbox, score}');
    const imageKey = cocoIdKey(raw.image_id, `${at}.image_id`, report);
    const categoryKey = cocoIdKey(raw.category_id, `${at}.category_id`, report);
    if (imageKey !== undefined && given && !given.images.has(imageKey)) report.problem(`${at}.image_id`, `unknown image id ${showId(raw.image_id)} (not in the instances file)`);
    if (categoryKey !== undefined && given && !given.categories.has(categoryKey)) report.problem(`${at}.category_id`, `unknown category id ${showId(raw.category_id)} (not in the instances file)`);
    if (raw.score !== undefined && !isFiniteNumber(raw.score)) report.problem(`${at}.score`, 'must be a number');
    if (raw.segmentation === undefined && raw.bbox === undefined && raw.keypoints !== undefined) {
      if (keypoints < 0) keypoints = i;
      return;
    }
    const shape = readCocoShape(raw, at, undefined, report);
    if (imageKey === undefined || categoryKey === undefined || !shape || report.failed) return;
    if (!given && !imageOrder.some((im) => im.key === imageKey)) imageOrder.push({ key: imageKey, raw: raw.image_id });
    // A mask says the size of its image.
    const seg = raw.segmentation;
    if (isRecord(seg) && Array.isArray(seg.size)) {
      const size = seg.size as [number, number];
      const seen = sizes.get(imageKey);
      if (seen && (seen.size[0] !== size[0] || seen.size[1] !== size[1])) report.problem(`${at}.segmentation.size`, `[${size.join(', ')}] differs from the size ${seen.at} gives image ${showId(raw.image_id)}`);
      else if (!seen) sizes.set(imageKey, { size, at: `${at}.segmentation.size` });
    }
    pending.push({ at, imageKey, classId: classOf(raw.category_id, categoryKey), shape, ...(isFiniteNumber(raw.score) ? { score: raw.score } : {}), content: JSON.stringify(raw) });
  });
  if (keypoints >= 0) report.warn(`[${keypoints}].keypoints`, 'keypoint results are not read (Granula has no keypoint skeletons)');
  if (report.failed) return report.fail('coco');

  const polygons = pending.some((p) => p.shape.kind === 'polygons');
  const classes = given ? given.classes : [...added.values()];
  const schema = importedSchema({ granularity: polygons ? 'polygon' : 'box', classes, title: stem, now });
  const images = given ? given.images : imagesFromResults(imageOrder, pending, sizes, now, opts, report);
  const table = versionTable([schema]);
  const ids = new ContentIds('ann');
  const annotations: Unowned<Annotation>[] = pending.map((p) => {
    const { geometry, parts } = cocoGeometry(p.shape, schema.granularity);
    const id = ids.next(`${stem}\u0000${p.content}`);
    return importedAnnotation({ id, imageId: images.get(p.imageKey)!.id, classId: p.classId, geometry, annotatorId: stem, schema: table.current, attributes: p.score === undefined ? {} : { score: p.score }, ext: undefined, now, carried: parts.length ? { parts } : undefined });
  });
  if (!given) {
    report.warn('(file)', 'COCO results name no categories: each class is named by its category_id (read them with their instances file for names)');
  }
  return finish('coco', report, () => assemble({ name: stem, now, schemas: [schema], images: [...images.values()], annotators: [{ id: stem, displayName: stem }], annotations }), now);
}

/** Images and classes from the instances file the caller gave, by COCO id key. */
function instancesOf(raw: unknown, now: string, opts: ReadOptions, report: Report): { images: Map<string, Unowned<ImageRecord>>; categories: Map<string, string>; classes: LabelClass[] } | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw) || !Array.isArray(raw.images) || !Array.isArray(raw.categories)) return void report.problem('(instances)', 'must be a COCO instances file with images and categories');
  const images = readCocoImages(raw.images, report, now, opts, 'instances.images');
  const categories = readCocoCategories(raw.categories, undefined, report, 'instances.categories');
  return { images, categories: categories.byKey, classes: categories.added };
}

/** Without the instances file: an image per image_id, named by it, sized by its masks or its shapes. */
function imagesFromResults(
  order: { key: string; raw: unknown }[],
  pending: Pending[],
  sizes: Map<string, { size: [number, number] }>,
  now: string,
  opts: ReadOptions,
  report: Report,
): Map<string, Unowned<ImageRecord>> {
  const extent = new Map<string, [number, number]>();
  for (const p of pending) {
    const e = extent.get(p.imageKey) ?? [0, 0];
    const { geometry, parts } = cocoGeometry(p.shape, 'polygon');
    const xy = geometry?.type === 'polygon' ? [geometry.points, ...parts.map((r) => r[0])].flat() : geometry?.type === 'box' ? [geometry.x + geometry.w, geometry.y + geometry.h] : geometry?.type === 'point' ? [geometry.x, geometry.y] : [];
    for (let i = 0; i < xy.length; i += 2) {
      e[0] = Math.max(e[0], xy[i]);
      e[1] = Math.max(e[1], xy[i + 1]);
    }
    extent.set(p.imageKey, e);
  }
  let guessed = 0;
  const images = new Map<string, Unowned<ImageRecord>>();
  order.forEach(({ key, raw }, i) => {
    const mask = sizes.get(key)?.size;
    const e = extent.get(key) ?? [1, 1];
    if (!mask) guessed++;
    const [height, width] = mask ?? [Math.max(1, Math.ceil(e[1])), Math.max(1, Math.ceil(e[0]))];
    images.set(key, { ...importedImage({ name: String(raw), width, height, order: i, now, modality: opts.modality }), carried: { coco: { id: raw as number | string } } });
  });
  report.warn(
    '(file)',
    `COCO results name no images: each image is named by its image_id${guessed ? `, and ${guessed} of ${order.length} sized to their shapes' extent (no mask gave their size)` : ''} (read them with their instances file for names and sizes)`,
  );
  return images;
}
