import { nowIso } from '../../model/ids';
import type { Annotation, AnnotationCarried, Annotator, AttributeValue, Geometry, ImageRecord, LabelClass, LabelSchema, ObjectKind } from '../../model/types';
import { importedAnnotation, importedStatuses, schemaForAnnotation, versionTable } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { classByName } from '../interchange/classes';
import { checkFlatRing, checkText, isPositiveInt, isRecord, readAttributeValues } from '../interchange/checks';
import { paletteColor } from '../interchange/colors';
import { annotationExtensionSchema, imageExtensionSchema, parseWith, readProjectExtension, type AnnotationExtension, type ProjectExtension } from '../interchange/extension';
import { derivedId, fileStem } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { parseJsonText } from '../shared/validate';
import { cocoIdKey, showId } from './ids';
import { readCocoShape, type CocoShape } from './shape';

interface Pending {
  at: string;
  /** The annotation's id as the file gives it, and as a key that keeps 1 and "1" apart. */
  id: number | string;
  key: string;
  imageId: string;
  classId: string;
  shape: CocoShape;
  holes: number[][];
  ext?: AnnotationExtension;
  attributes: Record<string, AttributeValue>;
  crowd: boolean;
}

/** Reads a COCO instances file. One annotator per file, named by the file's stem, unless Granula's fields name them. */
export function readCocoText(text: string, fileName: string, opts: ReadOptions = {}): ReadResult {
  return guarded('coco', () => {
    const json = parseJsonText(text);
    return json.ok ? readCocoUnguarded(json.value, fileName, opts) : { ok: false, format: 'coco', problems: json.problems };
  });
}

export function readCoco(value: unknown, fileName: string, opts: ReadOptions = {}): ReadResult {
  return guarded('coco', () => readCocoUnguarded(value, fileName, opts));
}

export function annotatorStem(fileName: string): string {
  return (fileStem(fileName).trim() || 'annotator').slice(0, 200);
}

/**
 * The id of an annotation the file names without Granula's fields: derived from its COCO id and
 * who drew it, so reading the same file twice gives the same ids (and two readers' files, both
 * numbered from 1, do not collide).
 */
export function cocoAnnotationId(annotatorId: string, key: string): string {
  return derivedId('ann', `${annotatorId}\u0000coco\u0000${key}`);
}

function readCocoUnguarded(root: unknown, fileName: string, opts: ReadOptions): ReadResult {
  const now = opts.now ?? nowIso();
  const report = new Report();
  if (!isRecord(root)) {
    report.problem('(root)', 'expected a JSON object with images, annotations and categories (COCO instances)');
    return report.fail('coco');
  }
  for (const key of ['images', 'annotations', 'categories']) if (!Array.isArray(root[key])) report.problem(key, 'must be a list');
  const info = root.info;
  const ext = isRecord(info) && info.granula !== undefined ? readProjectExtension(info.granula, 'info.granula', report) : undefined;
  // A broken extension would make every later message misleading: report it alone.
  if (report.failed) return report.fail('coco');
  const stem = annotatorStem(fileName);

  const images = readCocoImages(root.images as unknown[], report, now, opts);
  const classes = readCocoCategories(root.categories as unknown[], ext, report);
  const pending = readAnnotations(root.annotations as unknown[], images, classes.byKey, report);
  if (report.failed) return report.fail('coco');

  let schemas: LabelSchema[];
  if (ext) {
    schemas = [...ext.schemaVersions, { ...ext.schema, classes: [...ext.schema.classes, ...classes.added] }];
  } else {
    const polygons = pending.some((p) => p.shape.kind === 'polygons');
    const boxes = pending.some((p) => p.shape.kind === 'box');
    schemas = [importedSchema({ granularity: boxes && !polygons ? 'box' : 'polygon', classes: classes.added, title: stem, now })];
  }
  const table = versionTable(schemas);

  const annotators = new Map<string, Unowned<Annotator>>((ext?.annotators ?? []).map((a) => [a.id, a]));
  const annotations: Unowned<Annotation>[] = [];
  const annotationIds = new Set<string>();
  for (const p of pending) {
    const schema = schemaForAnnotation(table, p.ext, p.classId, { version: `${p.at}.attributes.granula.schemaVersion`, classId: `${p.at}.category_id` }, report);
    if (!schema) continue;
    const annotatorId = p.ext?.annotatorId ?? stem;
    if (!annotators.has(annotatorId)) annotators.set(annotatorId, { id: annotatorId, displayName: annotatorId });
    const { geometry, parts } = shapeOf(p, schema.granularity);
    const id = p.ext ? p.ext.id : cocoAnnotationId(annotatorId, p.key);
    if (annotationIds.has(id)) {
      report.problem(p.ext ? `${p.at}.attributes.granula.id` : `${p.at}.id`, `duplicate id "${id}"`);
      continue;
    }
    annotationIds.add(id);
    // Granula's fields say what it carried; a file from another tool has its own ids carried.
    const carried: AnnotationCarried = p.ext ? { ...p.ext.carried } : { coco: { id: p.id, ...(p.crowd ? { crowd: true as const } : {}) }, ...(parts.length ? { parts } : {}) };
    if (p.ext && !p.ext.carried?.parts && parts.length) carried.parts = parts;
    annotations.push(importedAnnotation({ id, imageId: p.imageId, classId: p.classId, geometry, annotatorId, schema, attributes: p.attributes, ext: p.ext, now, carried }));
  }
  const statuses = importedStatuses(ext, new Set([...images.values()].map((im) => im.id)), 'info.granula', report);
  return finish(
    'coco',
    report,
    () => assemble({ project: ext?.project, name: stem, now, schemas, images: [...images.values()], annotators: [...annotators.values()], annotations, statuses }),
    now,
  );
}

/** The images by id key; an image from another tool carries its COCO id, to be written back. */
export function readCocoImages(list: unknown[], report: Report, now: string, opts: ReadOptions, at = 'images'): Map<string, Unowned<ImageRecord>> {
  const byKey = new Map<string, Unowned<ImageRecord>>();
  const granulaIds = new Set<string>();
  list.forEach((raw, i) => {
    if (report.full) return;
    const here = `${at}[${i}]`;
    if (!isRecord(raw)) return report.problem(here, 'must be an object');
    const key = cocoIdKey(raw.id, `${here}.id`, report);
    const name = checkText(raw.file_name, `${here}.file_name`, report);
    if (!isPositiveInt(raw.width)) report.problem(`${here}.width`, 'must be a whole number above zero');
    if (!isPositiveInt(raw.height)) report.problem(`${here}.height`, 'must be a whole number above zero');
    const gx = raw.granula === undefined ? undefined : parseWith(imageExtensionSchema, raw.granula, `${here}.granula`, report);
    if (key === undefined || name === undefined || !isPositiveInt(raw.width) || !isPositiveInt(raw.height) || (raw.granula !== undefined && !gx)) return;
    if (byKey.has(key)) return report.problem(`${here}.id`, `duplicate id ${showId(raw.id)}`);
    const image = gx
      ? { ...gx, name, width: raw.width, height: raw.height }
      : { ...importedImage({ name, width: raw.width, height: raw.height, order: i, now, modality: opts.modality }), carried: { coco: { id: raw.id as number | string } } };
    if (granulaIds.has(image.id)) return report.problem(gx ? `${here}.granula.id` : `${here}.file_name`, gx ? `duplicate id "${image.id}"` : `duplicate file name "${name}"`);
    granulaIds.add(image.id);
    byKey.set(key, image);
  });
  return byKey;
}

/**
 * Each category is one class: the embedded schema's (by `granula.classId`, else by name) or a new
 * one, which carries its COCO id so a label map keyed by it still holds after a round trip.
 */
export function readCocoCategories(list: unknown[], ext: ProjectExtension | undefined, report: Report, at = 'categories'): { byKey: Map<string, string>; added: LabelClass[] } {
  const known = new Map<string, LabelClass>();
  if (ext) for (const s of [ext.schema, ...ext.schemaVersions]) for (const c of s.classes) if (!known.has(c.id)) known.set(c.id, c);
  const byKey = new Map<string, string>();
  const used = new Set<string>();
  const added: LabelClass[] = [];
  list.forEach((raw, i) => {
    if (report.full) return;
    const here = `${at}[${i}]`;
    if (!isRecord(raw)) return report.problem(here, 'must be an object');
    const key = cocoIdKey(raw.id, `${here}.id`, report);
    const name = checkText(raw.name, `${here}.name`, report, 500);
    const g = raw.granula;
    const granulaClass = isRecord(g) ? checkText(g.classId, `${here}.granula.classId`, report, 200) : undefined;
    if (g !== undefined && !isRecord(g)) report.problem(`${here}.granula`, 'must be an object');
    if (key === undefined || name === undefined || (g !== undefined && granulaClass === undefined)) return;
    if (byKey.has(key)) return report.problem(`${here}.id`, `duplicate id ${showId(raw.id)}`);
    const byName = classByName(known.values(), name);
    const classId = granulaClass ?? byName?.id ?? (name.length <= 200 ? name : derivedId('cls', name));
    if (used.has(classId)) return report.problem(granulaClass ? `${here}.granula.classId` : `${here}.name`, `another category is already class "${classId}"`);
    used.add(classId);
    byKey.set(key, classId);
    if (known.has(classId)) return;
    if (ext) report.warn(here, `not in the embedded schema: added as class "${classId}"`);
    const objectKind: ObjectKind | undefined = raw.supercategory === 'cell' || raw.supercategory === 'region' ? raw.supercategory : undefined;
    added.push({ id: classId, name: { en: name, ja: name }, color: paletteColor(known.size + added.length), attributes: [], ...(objectKind ? { objectKind } : {}), carried: { coco: { id: raw.id as number | string } } });
  });
  return { byKey, added };
}

function readAnnotations(list: unknown[], images: Map<string, Unowned<ImageRecord>>, categories: Map<string, string>, report: Report): Pending[] {
  const out: Pending[] = [];
  const ids = new Set<string>();
  list.forEach((raw, i) => {
    if (report.full) return;
    const at = `annotations[${i}]`;
    if (!isRecord(raw)) return report.problem(at, 'must be an object');
    const key = cocoIdKey(raw.id, `${at}.id`, report);
    if (key !== undefined && ids.has(key)) report.problem(`${at}.id`, `duplicate id ${showId(raw.id)}`);
    if (key !== undefined) ids.add(key);
    const imageKey = cocoIdKey(raw.image_id, `${at}.image_id`, report);
    const image = imageKey === undefined ? undefined : images.get(imageKey);
    if (imageKey !== undefined && !image) report.problem(`${at}.image_id`, `unknown image id ${showId(raw.image_id)}`);
    const categoryKey = cocoIdKey(raw.category_id, `${at}.category_id`, report);
    const classId = categoryKey === undefined ? undefined : categories.get(categoryKey);
    if (categoryKey !== undefined && classId === undefined) report.problem(`${at}.category_id`, `unknown category id ${showId(raw.category_id)}`);
    const attrs = raw.attributes ?? {};
    if (!isRecord(attrs)) return report.problem(`${at}.attributes`, 'must be an object');
    const ext = attrs.granula === undefined ? undefined : parseWith(annotationExtensionSchema, attrs.granula, `${at}.attributes.granula`, report);
    if (attrs.granula !== undefined && !ext) return;
    const attributes = { ...readAttributeValues(attrs, `${at}.attributes`, report, ['granula']), ...(ext?.attributes ?? {}) };
    const shape = readCocoShape(raw, at, ext?.shape, report);
    const holes = (ext?.holes ?? []).map((h, j) => checkFlatRing(h, `${at}.attributes.granula.holes[${j}]`, report));
    if (key === undefined || !image || classId === undefined || !shape || holes.some((h) => !h)) return;
    out.push({ at, id: raw.id as number | string, key, imageId: image.id, classId, shape, holes: holes as number[][], ...(ext ? { ext } : {}), attributes, crowd: raw.iscrowd === 1 });
  });
  return out;
}

/** The annotation's shape: one geometry, and the further polygons of an object drawn in several. */
export function cocoGeometry(s: CocoShape, granularity: LabelSchema['granularity'], holes: number[][] = []): { geometry: Geometry | null; parts: number[][][] } {
  switch (s.kind) {
    case 'image':
      return { geometry: null, parts: [] };
    case 'point':
      return { geometry: { type: 'point', x: s.x, y: s.y }, parts: [] };
    case 'box':
      return { geometry: s.ring && granularity !== 'box' ? { type: 'polygon', points: s.ring } : s.box, parts: [] };
    case 'polygons': {
      const [first, ...more] = s.polygons;
      const inner = [...first.slice(1), ...holes];
      return { geometry: inner.length ? { type: 'polygon', points: first[0], holes: inner } : { type: 'polygon', points: first[0] }, parts: more };
    }
  }
}

function shapeOf(p: Pending, granularity: LabelSchema['granularity']): { geometry: Geometry | null; parts: number[][][] } {
  const shape = cocoGeometry(p.shape, granularity, p.holes);
  // Granula's own fields hold the further parts with their holes (a COCO polygon cannot).
  return p.ext?.carried?.parts ? { geometry: shape.geometry, parts: [] } : shape;
}
