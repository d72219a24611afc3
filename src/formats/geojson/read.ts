import { nowIso } from '../../model/ids';
import type { Annotation, AnnotationCarried, Geometry, ImageRecord, LabelSchema, QuPathCarried } from '../../model/types';
import { importedAnnotation, importedStatuses, schemaForAnnotation, versionTable } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { shapeKey } from '../interchange/carried';
import { isRecord, subPath } from '../interchange/checks';
import { ClassTable } from '../interchange/classes';
import { annotationExtensionSchema, parseWith, readProjectExtension, type AnnotationExtension } from '../interchange/extension';
import { ContentIds, derivedId, fileStem, isUuid } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { imageSchema } from '../shared/schema';
import { parseJsonText } from '../shared/validate';
import { GEOMETRY_TYPES, readGeometry, type Part } from './geometry';
import { readQuPathObject, type QuPathObject } from './qupath';

export interface GeoJsonReadOptions extends ReadOptions {
  /** GeoJSON has no image list: the image its shapes belong to. Unset parts come from Granula's fields or the file. */
  image?: { name?: string; width?: number; height?: number };
  /** Who drew the shapes, when Granula's fields do not say (default: the file's stem). */
  annotator?: string;
}

/** One object of the file: a Feature, or a bare geometry (which QuPath reads as an unclassified annotation). */
interface Entry {
  value: unknown;
  /** Where the feature is (`features[3]`, `[3]`, or `` for the whole file). */
  at: string;
  /** Where its geometry is: the feature's `geometry`, or the entry itself for a bare geometry. */
  geometryAt: string;
  bare: boolean;
}

interface Pending {
  at: string;
  geometryAt: string;
  classId: string;
  qp: QuPathObject;
  parts: Part[];
  ext?: AnnotationExtension;
  /** The feature's UUID (QuPath 0.4+ gives every object one), lower case. */
  uuid?: string;
  /** Without a UUID or Granula's id: what the feature says, to derive a stable id from. */
  content?: string;
}

/** Reads QuPath GeoJSON (0.2 to 0.5 exports): a FeatureCollection, a list of features or geometries, one Feature or one geometry. */
export function readGeoJsonText(text: string, fileName: string, opts: GeoJsonReadOptions = {}): ReadResult {
  return guarded('geojson', () => {
    const json = parseJsonText(text);
    return json.ok ? readUnguarded(json.value, fileName, opts) : { ok: false, format: 'geojson', problems: json.problems };
  });
}

export function readGeoJson(value: unknown, fileName: string, opts: GeoJsonReadOptions = {}): ReadResult {
  return guarded('geojson', () => readUnguarded(value, fileName, opts));
}

function isBareGeometry(v: unknown): boolean {
  return isRecord(v) && typeof v.type === 'string' && GEOMETRY_TYPES.has(v.type);
}

/** The objects of the file and the paths each is reported under, as QuPath's own reader finds them. */
function entriesOf(root: unknown, report: Report): { entries: Entry[]; extension?: unknown } | undefined {
  if (Array.isArray(root)) {
    return { entries: root.map((value, i) => ({ value, at: `[${i}]`, geometryAt: isBareGeometry(value) ? `[${i}]` : `[${i}].geometry`, bare: isBareGeometry(value) })) };
  }
  if (isRecord(root) && root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) return void report.problem('features', 'must be a list');
    return { entries: root.features.map((value, i) => ({ value, at: `features[${i}]`, geometryAt: `features[${i}].geometry`, bare: false })), extension: root.granula };
  }
  if (isRecord(root) && root.type === 'Feature') return { entries: [{ value: root, at: '', geometryAt: 'geometry', bare: false }] };
  if (isBareGeometry(root)) return { entries: [{ value: root, at: '', geometryAt: '', bare: true }] };
  return void report.problem(isRecord(root) ? 'type' : '(root)', 'expected a GeoJSON "FeatureCollection", a "Feature", a geometry or a list of features');
}

function readUnguarded(root: unknown, fileName: string, opts: GeoJsonReadOptions): ReadResult {
  const now = opts.now ?? nowIso();
  const report = new Report();
  const list = entriesOf(root, report);
  if (!list) return report.fail('geojson');
  const ext = list.extension === undefined ? undefined : readProjectExtension(list.extension, 'granula', report);
  const extImage = isRecord(list.extension) && list.extension.image !== undefined ? parseWith(imageSchema, list.extension.image, 'granula.image', report) : undefined;
  if (report.failed) return report.fail('geojson');
  const stem = (fileStem(fileName).trim() || 'annotator').slice(0, 200);

  const classes = new ClassTable(ext ? [ext.schema, ...ext.schemaVersions].flatMap((s) => s.classes) : []);
  const pending: Pending[] = [];
  for (const entry of list.entries) {
    if (report.full) break;
    const p = readEntry(entry, classes, report);
    if (p) pending.push(p);
  }
  if (report.failed) return report.fail('geojson');

  const points = pending.length > 0 && pending.every((p) => p.parts.every((part) => part.kind === 'point'));
  const schemas: LabelSchema[] = ext
    ? [...ext.schemaVersions, { ...ext.schema, classes: [...ext.schema.classes, ...classes.added] }]
    : [importedSchema({ granularity: points ? 'point' : 'polygon', classes: classes.added, title: stem, now })];
  const table = versionTable(schemas);
  const kinds = new Map(schemas.flatMap((s) => s.classes).map((c) => [c.id, c.objectKind]));
  const image = imageFor(extImage, pending, stem, opts, now, report);
  const annotators = new Map((ext?.annotators ?? []).map((a) => [a.id, a]));
  const annotations: Unowned<Annotation>[] = [];
  const ids = new Set<string>();
  const derived = new ContentIds('ann');
  for (const p of pending) {
    const schema = schemaForAnnotation(table, p.ext, p.classId, { version: subPath(p.at, 'properties.granula.schemaVersion'), classId: subPath(p.at, 'properties.classification') }, report);
    const shapes = shapesOf(p, report);
    if (!schema || !shapes) continue;
    const annotatorId = p.ext?.annotatorId ?? opts.annotator ?? stem;
    if (!annotators.has(annotatorId)) annotators.set(annotatorId, { id: annotatorId, displayName: annotatorId });
    // Granula's id, else QuPath's UUID, else one derived from what the feature says and who drew it.
    const base = p.ext?.id ?? p.uuid ?? derived.next(`${annotatorId}\u0000${p.content}`);
    const idPath = subPath(p.at, p.ext ? 'properties.granula.id' : 'id');
    const defaultType = kinds.get(p.classId) === 'cell' ? 'detection' : 'annotation';
    shapes.forEach((shape, k) => {
      const id = k === 0 ? base : `${base}~${k + 1}`;
      if (ids.has(id)) return report.problem(idPath, `duplicate id "${id}"`);
      ids.add(id);
      const carried = carriedOf(p, shape, k, defaultType);
      annotations.push(importedAnnotation({ id, imageId: image.id, classId: p.classId, geometry: shape.geometry, annotatorId, schema, attributes: p.ext?.attributes ?? {}, ext: p.ext, now, note: p.qp.name, carried }));
    });
  }
  const statuses = importedStatuses(ext, new Set([image.id]), 'granula', report);
  return finish('geojson', report, () => assemble({ project: ext?.project, name: stem, now, schemas, images: [image], annotators: [...annotators.values()], annotations, statuses }), now);
}

/**
 * What the feature says beyond Granula's fields, kept so a QuPath export writes it back: the object
 * type where the class would write another, its colour, lock, measurements and metadata, that it
 * was unclassified, and further polygons. Granula's own carried fields (a COCO id) come along.
 */
function carriedOf(p: Pending, shape: Shape, k: number, defaultType: string): AnnotationCarried {
  const { qupath: _q, parts: _p, ...fromGranula } = p.ext?.carried ?? {};
  const carried: AnnotationCarried = { ...fromGranula };
  if (shape.parts?.length) carried.parts = shape.parts;
  const qp = p.qp;
  const qupath: QuPathCarried = {};
  if (qp.objectType !== defaultType) qupath.objectType = qp.objectType;
  if (qp.objectColor) qupath.color = qp.objectColor;
  if (qp.locked) qupath.locked = true;
  if (qp.className === null) qupath.unclassified = p.classId;
  // A multi-point object split into points: its measurements belong to the first.
  if (qp.measurements && k === 0) {
    qupath.measurements = qp.measurements;
    qupath.measuredShape = shapeKey(shape.geometry, shape.parts);
  }
  if (qp.metadata) qupath.metadata = qp.metadata;
  if (Object.keys(qupath).length) carried.qupath = qupath;
  return carried;
}

function readEntry(entry: Entry, classes: ClassTable, report: Report): Pending | undefined {
  const { value: f, at, geometryAt } = entry;
  if (!isRecord(f)) return void report.problem(at || '(root)', 'must be a GeoJSON Feature object');
  if (entry.bare) {
    const parts = readGeometry(f, geometryAt, report);
    if (!parts || report.failed) return undefined;
    // QuPath makes a bare geometry an unclassified annotation.
    const qp: QuPathObject = { kind: 'region', objectType: 'annotation', className: null };
    return { at, geometryAt, classId: classes.idFor('Unclassified', { color: '#7f7f7f', objectKind: 'region' }), qp, parts, content: JSON.stringify(f) };
  }
  if (f.type !== 'Feature') report.problem(subPath(at, 'type'), 'must be "Feature"');
  const props = f.properties ?? {};
  if (!isRecord(props)) return void report.problem(subPath(at, 'properties'), 'must be an object');
  const qp = readQuPathObject(f, props, at, report);
  const ext = props.granula === undefined ? undefined : parseWith(annotationExtensionSchema, props.granula, subPath(at, 'properties.granula'), report);
  if (ext?.classId !== undefined && !classes.has(ext.classId)) report.problem(subPath(at, 'properties.granula.classId'), `unknown class "${ext.classId}"`);
  let parts: Part[] | undefined = [];
  if (ext?.shape !== 'image') {
    if (f.geometry === null || f.geometry === undefined) report.problem(geometryAt, 'is missing: Granula needs a shape');
    else parts = readGeometry(f.geometry, geometryAt, report);
  }
  if (qp?.className && qp.className.length > 500) report.problem(subPath(at, 'properties.classification.name'), 'is longer than 500 characters');
  if (!qp || !parts || (props.granula !== undefined && !ext) || report.failed) return undefined;
  // QuPath draws unclassified objects grey; they become one class of their own.
  const classId = ext?.classId ?? (qp.className === null ? classes.idFor('Unclassified', { color: '#7f7f7f', objectKind: qp.kind }) : classes.idFor(qp.className, { color: qp.color, objectKind: qp.kind }));
  const uuid = typeof f.id === 'string' && isUuid(f.id) ? f.id.toLowerCase() : undefined;
  return { at, geometryAt, classId, qp, parts, ...(ext ? { ext } : {}), ...(uuid ? { uuid } : {}), ...(!ext && !uuid ? { content: JSON.stringify(f) } : {}) };
}

interface Shape {
  geometry: Geometry | null;
  parts?: number[][][];
}

/**
 * A Granula shape from the parts: the polygons of one object stay one annotation (the first is its
 * geometry, the others its carried parts); points become one annotation each. Granula's fields say
 * when a polygon was drawn as a box or the whole image.
 */
function shapesOf(p: Pending, report: Report): Shape[] | undefined {
  const shape = p.ext?.shape;
  if (shape === 'image') return [{ geometry: null }];
  const at = p.geometryAt || '(root)';
  const polygons = p.parts.filter((part) => part.kind === 'polygon');
  const points = p.parts.filter((part) => part.kind === 'point');
  if (shape === 'box' || shape === 'point') {
    if (p.parts.length !== 1) return void report.problem(at, `a ${shape} is written as one ${shape === 'point' ? 'Point' : 'Polygon'}`);
    if ((shape === 'point') !== (p.parts[0].kind === 'point')) return void report.problem(at, `must be a ${shape === 'point' ? 'Point' : 'Polygon'} for a ${shape}`);
  }
  if (shape === 'polygon' && points.length) return void report.problem(at, 'must be a Polygon or MultiPolygon for a polygon');
  const out: Shape[] = [];
  if (polygons.length) {
    const [first, ...more] = polygons;
    const rings = first.rings;
    const geometry: Geometry = shape === 'box' ? boxOf(rings[0]) : rings.length > 1 ? { type: 'polygon', points: rings[0], holes: rings.slice(1) } : { type: 'polygon', points: rings[0] };
    out.push(more.length ? { geometry, parts: more.map((m) => m.rings) } : { geometry });
  }
  for (const point of points) out.push({ geometry: { type: 'point', x: point.x, y: point.y } });
  if (polygons.length && points.length) report.warn(at, `its ${points.length} point${points.length > 1 ? 's' : ''} became annotations of their own, beside its polygon${polygons.length > 1 ? 's' : ''}`);
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
