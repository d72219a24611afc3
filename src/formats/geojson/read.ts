import { nowIso } from '../../model/ids';
import type { Annotation, AnnotationCarried, Annotator, Geometry, ImageRecord, LabelSchema, QuPathCarried } from '../../model/types';
import { importedAnnotation, importedStatuses, schemaForAnnotation, versionTable } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type Parts, type ReadOptions, type Unowned } from '../interchange/build';
import { shapeKey } from '../interchange/carried';
import { isRecord, subPath } from '../interchange/checks';
import { ClassTable } from '../interchange/classes';
import { annotationExtensionSchema, parseWith, readProjectExtension, type AnnotationExtension, type ProjectExtension } from '../interchange/extension';
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
export interface Entry {
  value: unknown;
  /** Where the feature is (`features[3]`, `[3]`, or `` for the whole file). */
  at: string;
  /** Where its geometry is: the feature's `geometry`, or the entry itself for a bare geometry. */
  geometryAt: string;
  bare: boolean;
}

export interface Pending {
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

/** Where a feature of the file is reported: `at` is its path (`features[3]`, `[3]`, or `` for the whole file). */
export function featureEntry(value: unknown, at: string): Entry {
  const bare = isBareGeometry(value);
  return { value, at, geometryAt: bare ? at : subPath(at, 'geometry'), bare };
}

/** The objects of the file and the paths each is reported under, as QuPath's own reader finds them. */
function entriesOf(root: unknown, report: Report): { entries: Entry[]; extension?: unknown } | undefined {
  if (Array.isArray(root)) return { entries: root.map((value, i) => featureEntry(value, `[${i}]`)) };
  if (isRecord(root) && root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) return void report.problem('features', 'must be a list');
    return { entries: root.features.map((value, i) => featureEntry(value, `features[${i}]`)), extension: root.granula };
  }
  if (isRecord(root) && root.type === 'Feature') return { entries: [featureEntry(root, '')] };
  if (isBareGeometry(root)) return { entries: [featureEntry(root, '')] };
  return void report.problem(isRecord(root) ? 'type' : '(root)', 'expected a GeoJSON "FeatureCollection", a "Feature", a geometry or a list of features');
}

function readUnguarded(root: unknown, fileName: string, opts: GeoJsonReadOptions): ReadResult {
  const report = new Report();
  const list = entriesOf(root, report);
  if (!list) return report.fail('geojson');
  const features = new GeoJsonFeatures(list.extension, fileName, opts, report);
  if (report.failed) return report.fail('geojson');
  const pending: Pending[] = [];
  for (const entry of list.entries) {
    if (report.full) break;
    const p = features.survey(entry);
    if (p) pending.push(p);
  }
  if (report.failed) return report.fail('geojson');
  const annotations = pending.flatMap((p) => features.convert(p));
  return finish('geojson', report, () => assemble(features.parts(annotations)), features.now);
}

/**
 * The features of one GeoJSON file, read one at a time in two rounds: each is surveyed first (checked,
 * its class and extent noted), and once all are, converted. A whole text is read so; a file too big
 * to hold is streamed twice, keeping nothing of a feature between the rounds.
 */
export class GeoJsonFeatures {
  readonly now: string;
  private readonly ext?: ProjectExtension;
  private readonly extImage?: Unowned<ImageRecord>;
  private readonly stem: string;
  private readonly classes: ClassTable;
  private surveyed = 0;
  private allPoints = true;
  private maxX = 0;
  private maxY = 0;
  private plan?: Plan;

  /** `extension` is the collection's `granula` member; its problems go to `report`. */
  constructor(extension: unknown, fileName: string, private readonly opts: GeoJsonReadOptions, readonly report: Report) {
    this.now = opts.now ?? nowIso();
    this.ext = extension === undefined ? undefined : readProjectExtension(extension, 'granula', report);
    this.extImage = isRecord(extension) && extension.image !== undefined ? parseWith(imageSchema, extension.image, 'granula.image', report) : undefined;
    this.stem = (fileStem(fileName).trim() || 'annotator').slice(0, 200);
    this.classes = new ClassTable(this.ext ? [this.ext.schema, ...this.ext.schemaVersions].flatMap((s) => s.classes) : []);
  }

  /** Checks one feature (problems go to the report) and notes its class and extent. */
  survey(entry: Entry): Pending | undefined {
    const p = readEntry(entry, this.classes, this.report);
    if (!p) return undefined;
    this.surveyed++;
    for (const part of p.parts) {
      if (part.kind !== 'point') this.allPoints = false;
      const xy = part.kind === 'point' ? [part.x, part.y] : part.kind === 'line' ? part.points : part.rings[0];
      for (let i = 0; i < xy.length; i += 2) {
        this.maxX = Math.max(this.maxX, xy[i]);
        this.maxY = Math.max(this.maxY, xy[i + 1]);
      }
    }
    return p;
  }

  /** A surveyed feature as annotations (one, or one per point of a multi-point); problems go to the report. */
  convert(p: Pending): Unowned<Annotation>[] {
    const plan = (this.plan ??= this.makePlan());
    const schema = schemaForAnnotation(plan.table, p.ext, p.classId, { version: subPath(p.at, 'properties.granula.schemaVersion'), classId: subPath(p.at, 'properties.classification') }, this.report);
    const shapes = shapesOf(p, this.report);
    if (!schema || !shapes) return [];
    const annotatorId = p.ext?.annotatorId ?? this.opts.annotator ?? this.stem;
    if (!plan.annotators.has(annotatorId)) plan.annotators.set(annotatorId, { id: annotatorId, displayName: annotatorId });
    // Granula's id, else QuPath's UUID, else one derived from what the feature says and who drew it.
    const base = p.ext?.id ?? p.uuid ?? plan.derived.next(`${annotatorId}\u0000${p.content}`);
    const idPath = subPath(p.at, p.ext ? 'properties.granula.id' : 'id');
    const defaultType = plan.kinds.get(p.classId) === 'cell' ? 'detection' : 'annotation';
    const out: Unowned<Annotation>[] = [];
    shapes.forEach((shape, k) => {
      const id = k === 0 ? base : `${base}~${k + 1}`;
      if (plan.ids.has(id)) return this.report.problem(idPath, `duplicate id "${id}"`);
      plan.ids.add(id);
      const carried = carriedOf(p, shape, k, defaultType);
      out.push(importedAnnotation({ id, imageId: plan.image.id, classId: p.classId, geometry: shape.geometry, annotatorId, schema, attributes: p.ext?.attributes ?? {}, ext: p.ext, now: this.now, note: p.qp.name, carried }));
    });
    return out;
  }

  /** The project around the converted annotations (the image, its schema, annotators, statuses). */
  parts(annotations: Unowned<Annotation>[]): Parts {
    const plan = (this.plan ??= this.makePlan());
    const statuses = importedStatuses(this.ext, new Set([plan.image.id]), 'granula', this.report);
    return { project: this.ext?.project, name: this.stem, now: this.now, schemas: plan.schemas, images: [plan.image], annotators: [...plan.annotators.values()], annotations, statuses };
  }

  /** What every conversion needs, known once all features are surveyed. */
  private makePlan(): Plan {
    const ext = this.ext;
    const points = this.surveyed > 0 && this.allPoints;
    const schemas: LabelSchema[] = ext
      ? [...ext.schemaVersions, { ...ext.schema, classes: [...ext.schema.classes, ...this.classes.added] }]
      : [importedSchema({ granularity: points ? 'point' : 'polygon', classes: this.classes.added, title: this.stem, now: this.now })];
    return {
      schemas,
      table: versionTable(schemas),
      kinds: new Map(schemas.flatMap((s) => s.classes).map((c) => [c.id, c.objectKind])),
      image: this.imageFor(),
      annotators: new Map((ext?.annotators ?? []).map((a) => [a.id, a])),
      ids: new Set(),
      derived: new ContentIds('ann'),
    };
  }

  /** The one image: the caller's, else Granula's record, else named after the file and sized to fit the shapes. */
  private imageFor(): Unowned<ImageRecord> {
    const { opts, extImage } = this;
    const name = opts.image?.name ?? extImage?.name ?? this.stem;
    let width = opts.image?.width ?? extImage?.width;
    let height = opts.image?.height ?? extImage?.height;
    if (width === undefined || height === undefined) {
      width ??= Math.max(1, Math.ceil(this.maxX));
      height ??= Math.max(1, Math.ceil(this.maxY));
      this.report.warn('(file)', `GeoJSON does not give the image size: took ${width} × ${height} from the shapes' extent`);
    }
    if (extImage && (name === extImage.name || opts.image?.name === undefined)) return { ...extImage, name, width, height };
    return importedImage({ id: derivedId('img', name), name, width, height, order: 0, now: this.now, modality: opts.modality });
  }
}

interface Plan {
  schemas: LabelSchema[];
  table: ReturnType<typeof versionTable>;
  kinds: Map<string, string | undefined>;
  image: Unowned<ImageRecord>;
  annotators: Map<string, Unowned<Annotator>>;
  ids: Set<string>;
  derived: ContentIds;
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
  const lines = p.parts.filter((part) => part.kind === 'line');
  if (shape === 'line' && (p.parts.length !== 1 || !lines.length)) return void report.problem(at, 'a line is written as one LineString of 2 points');
  if (shape === 'box' || shape === 'point') {
    if (p.parts.length !== 1) return void report.problem(at, `a ${shape} is written as one ${shape === 'point' ? 'Point' : 'Polygon'}`);
    if ((shape === 'point') !== (p.parts[0].kind === 'point')) return void report.problem(at, `must be a ${shape === 'point' ? 'Point' : 'Polygon'} for a ${shape}`);
  }
  if (shape && shape !== 'line' && lines.length) return void report.problem(at, `must not be a LineString for a ${shape}`);
  if (shape === 'polygon' && points.length) return void report.problem(at, 'must be a Polygon or MultiPolygon for a polygon');
  const out: Shape[] = [];
  if (polygons.length) {
    const [first, ...more] = polygons;
    const rings = first.rings;
    const geometry: Geometry = shape === 'box' ? boxOf(rings[0]) : rings.length > 1 ? { type: 'polygon', points: rings[0], holes: rings.slice(1) } : { type: 'polygon', points: rings[0] };
    out.push(more.length ? { geometry, parts: more.map((m) => m.rings) } : { geometry });
  }
  for (const point of points) out.push({ geometry: { type: 'point', x: point.x, y: point.y } });
  for (const line of lines) out.push({ geometry: { type: 'line', points: line.points } });
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
