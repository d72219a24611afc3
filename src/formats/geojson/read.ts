import { newId, nowIso } from '../../model/ids';
import type { Annotation, Geometry, ImageRecord, LabelSchema } from '../../model/types';
import { importedAnnotation, importedStatuses, schemaForAnnotation, versionTable } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { isRecord, subPath } from '../interchange/checks';
import { ClassTable } from '../interchange/classes';
import { annotationExtensionSchema, parseWith, readProjectExtension, type AnnotationExtension } from '../interchange/extension';
import { derivedId, fileStem } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { imageSchema } from '../shared/schema';
import { parseJsonText } from '../shared/validate';
import { readGeometry, type Part } from './geometry';
import { hasMeasurements, readQuPathObject } from './qupath';

export interface GeoJsonReadOptions extends ReadOptions {
  /** GeoJSON has no image list: the image its shapes belong to. Unset parts come from Granula's fields or the file. */
  image?: { name?: string; width?: number; height?: number };
  /** Who drew the shapes, when Granula's fields do not say (default: the file's stem). */
  annotator?: string;
}

interface Pending {
  at: string;
  classId: string;
  parts: Part[];
  ext?: AnnotationExtension;
  note?: string;
}

/** Reads QuPath GeoJSON (0.2 to 0.5 exports), a FeatureCollection, a bare list of features or one Feature. */
export function readGeoJsonText(text: string, fileName: string, opts: GeoJsonReadOptions = {}): ReadResult {
  return guarded('geojson', () => {
    const json = parseJsonText(text);
    return json.ok ? readUnguarded(json.value, fileName, opts) : { ok: false, format: 'geojson', problems: json.problems };
  });
}

export function readGeoJson(value: unknown, fileName: string, opts: GeoJsonReadOptions = {}): ReadResult {
  return guarded('geojson', () => readUnguarded(value, fileName, opts));
}

/** The features and the path prefix each is reported under. */
function featureList(root: unknown, report: Report): { features: unknown[]; at: (i: number) => string; extension?: unknown } | undefined {
  if (Array.isArray(root)) return { features: root, at: (i) => `[${i}]` };
  if (isRecord(root) && root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) return void report.problem('features', 'must be a list');
    return { features: root.features, at: (i) => `features[${i}]`, extension: root.granula };
  }
  if (isRecord(root) && root.type === 'Feature') return { features: [root], at: () => '' };
  return void report.problem(isRecord(root) ? 'type' : '(root)', 'expected a GeoJSON "FeatureCollection", a "Feature" or a list of features');
}

function readUnguarded(root: unknown, fileName: string, opts: GeoJsonReadOptions): ReadResult {
  const now = opts.now ?? nowIso();
  const report = new Report();
  const list = featureList(root, report);
  if (!list) return report.fail('geojson');
  const ext = list.extension === undefined ? undefined : readProjectExtension(list.extension, 'granula', report);
  const extImage = isRecord(list.extension) && list.extension.image !== undefined ? parseWith(imageSchema, list.extension.image, 'granula.image', report) : undefined;
  if (report.failed) return report.fail('geojson');
  const stem = (fileStem(fileName).trim() || 'annotator').slice(0, 200);

  const classes = new ClassTable(ext ? [ext.schema, ...ext.schemaVersions].flatMap((s) => s.classes) : []);
  const pending: Pending[] = [];
  let measured = -1;
  list.features.forEach((f, i) => {
    if (report.full) return;
    const p = readFeature(f, list.at(i), classes, report);
    if (p) pending.push(p);
    if (measured < 0 && isRecord(f) && isRecord(f.properties) && hasMeasurements(f.properties)) measured = i;
  });
  if (measured >= 0) report.warn(subPath(list.at(measured), 'properties.measurements'), 'measurements are not imported (QuPath computes them from the shapes)');
  if (report.failed) return report.fail('geojson');

  const points = pending.length > 0 && pending.every((p) => p.parts.every((part) => part.kind === 'point'));
  const schemas: LabelSchema[] = ext
    ? [...ext.schemaVersions, { ...ext.schema, classes: [...ext.schema.classes, ...classes.added] }]
    : [importedSchema({ granularity: points ? 'point' : 'polygon', classes: classes.added, title: stem, now })];
  const table = versionTable(schemas);
  const image = imageFor(extImage, pending, stem, opts, now, report);
  const annotators = new Map((ext?.annotators ?? []).map((a) => [a.id, a]));
  const annotations: Unowned<Annotation>[] = [];
  const ids = new Set<string>();
  for (const p of pending) {
    const schema = schemaForAnnotation(table, p.ext, p.classId, { version: subPath(p.at, 'properties.granula.schemaVersion'), classId: subPath(p.at, 'properties.classification') }, report);
    const geometries = geometriesOf(p, report);
    if (!schema || !geometries) continue;
    const annotatorId = p.ext?.annotatorId ?? opts.annotator ?? stem;
    if (!annotators.has(annotatorId)) annotators.set(annotatorId, { id: annotatorId, displayName: annotatorId });
    geometries.forEach((geometry, k) => {
      const id = p.ext ? (k === 0 ? p.ext.id : `${p.ext.id}~${k + 1}`) : newId('ann');
      if (ids.has(id)) return report.problem(subPath(p.at, 'properties.granula.id'), `duplicate id "${id}"`);
      ids.add(id);
      annotations.push(importedAnnotation({ id, imageId: image.id, classId: p.classId, geometry, annotatorId, schema, attributes: p.ext?.attributes ?? {}, ext: p.ext, now, note: p.note }));
    });
  }
  const statuses = importedStatuses(ext, new Set([image.id]), 'granula', report);
  return finish('geojson', report, () => assemble({ project: ext?.project, name: stem, now, schemas, images: [image], annotators: [...annotators.values()], annotations, statuses }), now);
}

function readFeature(f: unknown, at: string, classes: ClassTable, report: Report): Pending | undefined {
  if (!isRecord(f)) return void report.problem(at || '(root)', 'must be a GeoJSON Feature object');
  if (f.type !== 'Feature') report.problem(subPath(at, 'type'), 'must be "Feature"');
  const props = f.properties ?? {};
  if (!isRecord(props)) return void report.problem(subPath(at, 'properties'), 'must be an object');
  const qp = readQuPathObject(f, props, at, report);
  const ext = props.granula === undefined ? undefined : parseWith(annotationExtensionSchema, props.granula, subPath(at, 'properties.granula'), report);
  if (ext?.classId !== undefined && !classes.has(ext.classId)) report.problem(subPath(at, 'properties.granula.classId'), `unknown class "${ext.classId}"`);
  let parts: Part[] | undefined = [];
  if (ext?.shape !== 'image') {
    if (f.geometry === null || f.geometry === undefined) report.problem(subPath(at, 'geometry'), 'is missing: Granula needs a shape');
    else parts = readGeometry(f.geometry, subPath(at, 'geometry'), report);
  }
  if (qp?.className && qp.className.length > 500) report.problem(subPath(at, 'properties.classification.name'), 'is longer than 500 characters');
  if (!qp || !parts || (props.granula !== undefined && !ext) || report.failed) return undefined;
  // QuPath draws unclassified objects grey; they become one class of their own.
  const classId = ext?.classId ?? (qp.className === null ? classes.idFor('Unclassified', { color: '#7f7f7f', objectKind: qp.kind }) : classes.idFor(qp.className, { color: qp.color, objectKind: qp.kind }));
  return { at, classId, parts, ext, ...(qp.name ? { note: qp.name } : {}) };
}

/** A Granula shape from each part; Granula's fields say when a polygon was drawn as a box or the whole image. */
function geometriesOf(p: Pending, report: Report): (Geometry | null)[] | undefined {
  const shape = p.ext?.shape;
  if (shape === 'image') return [null];
  const at = subPath(p.at, 'geometry');
  if (shape && p.parts.length !== 1) return void report.problem(at, `a ${shape} is written as one ${shape === 'point' ? 'Point' : 'Polygon'}`);
  if (p.parts.length > 1 && p.parts.some((part) => part.kind === 'polygon')) report.warn(at, `${p.parts.length} parts became ${p.parts.length} annotations (a Granula polygon has one outline)`);
  const out: Geometry[] = [];
  for (const part of p.parts) {
    if (shape && (shape === 'point') !== (part.kind === 'point')) return void report.problem(at, `must be a ${shape === 'point' ? 'Point' : 'Polygon'} for a ${shape}`);
    if (part.kind === 'point') out.push({ type: 'point', x: part.x, y: part.y });
    else if (shape === 'box') out.push(boxOf(part.rings[0]));
    else out.push(part.rings.length > 1 ? { type: 'polygon', points: part.rings[0], holes: part.rings.slice(1) } : { type: 'polygon', points: part.rings[0] });
  }
  return out;
}

function boxOf(ring: number[]): Geometry {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < ring.length; i += 2) {
    minX = Math.min(minX, ring[i]);
    maxX = Math.max(maxX, ring[i]);
    minY = Math.min(minY, ring[i + 1]);
    maxY = Math.max(maxY, ring[i + 1]);
  }
  return { type: 'box', x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

function extent(pending: Pending[]): [number, number] {
  let maxX = 0, maxY = 0;
  for (const p of pending)
    for (const part of p.parts) {
      const xy = part.kind === 'point' ? [part.x, part.y] : part.rings[0];
      for (let i = 0; i < xy.length; i += 2) {
        maxX = Math.max(maxX, xy[i]);
        maxY = Math.max(maxY, xy[i + 1]);
      }
    }
  return [maxX, maxY];
}

/** The one image: the caller's, else Granula's record, else named after the file and sized to fit the shapes. */
function imageFor(extImage: Unowned<ImageRecord> | undefined, pending: Pending[], stem: string, opts: GeoJsonReadOptions, now: string, report: Report): Unowned<ImageRecord> {
  const name = opts.image?.name ?? extImage?.name ?? stem;
  let width = opts.image?.width ?? extImage?.width;
  let height = opts.image?.height ?? extImage?.height;
  if (width === undefined || height === undefined) {
    const [maxX, maxY] = extent(pending);
    width ??= Math.max(1, Math.ceil(maxX));
    height ??= Math.max(1, Math.ceil(maxY));
    report.warn('(file)', `GeoJSON does not give the image size: took ${width} × ${height} from the shapes' extent`);
  }
  if (extImage && (name === extImage.name || opts.image?.name === undefined)) return { ...extImage, name, width, height };
  return importedImage({ id: derivedId('img', name), name, width, height, order: 0, now, modality: opts.modality });
}
