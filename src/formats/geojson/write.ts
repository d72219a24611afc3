import { sliceWarnings } from '../interchange/slices';
import { currentSchema, type ProjectData } from '../../model/projectData';
import { nowIso } from '../../model/ids';
import type { Annotation, AnnotationCarried, ImageRecord, LabelClass } from '../../model/types';
import { shapeKey } from '../interchange/carried';
import { allClasses, className } from '../interchange/classes';
import { hexToRgb } from '../interchange/colors';
import { annotationExtension, projectExtension } from '../interchange/extension';
import { fileStem, safeFileName, uniqueNames, uuidFor } from '../interchange/ids';
import type { GeoClassification, GeoCollection, GeoFeature, GeoGeometry, Position } from './types';

export interface GeoJsonWriteOptions {
  exportedAt?: string;
}

function closedRing(points: readonly number[]): Position[] {
  const out: Position[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) out.push([points[i], points[i + 1]]);
  if (out.length) out.push([out[0][0], out[0][1]]);
  return out;
}

function rectangle(x: number, y: number, w: number, h: number): Position[][] {
  return [closedRing([x, y, x + w, y, x + w, y + h, x, y + h])];
}

/** Further polygons are written beside the outline (a MultiPolygon) only for a polygon. */
export function writesParts(a: Annotation): boolean {
  return a.geometry?.type === 'polygon' && !!a.carried?.parts?.length;
}

/** Full-resolution pixels, origin top-left, as QuPath expects; an image-level label covers the image. */
export function geoGeometry(a: Annotation, image: ImageRecord): GeoGeometry {
  const g = a.geometry;
  if (!g) return { type: 'Polygon', coordinates: rectangle(0, 0, image.width, image.height) };
  switch (g.type) {
    case 'polygon': {
      const rings = [closedRing(g.points), ...(g.holes ?? []).map(closedRing)];
      if (!writesParts(a)) return { type: 'Polygon', coordinates: rings };
      // One object in several parts, as QuPath wrote it: one MultiPolygon.
      return { type: 'MultiPolygon', coordinates: [rings, ...a.carried!.parts!.map((part) => part.map(closedRing))] };
    }
    case 'box':
      return { type: 'Polygon', coordinates: rectangle(g.x, g.y, g.w, g.h) };
    case 'point':
      return { type: 'Point', coordinates: [g.x, g.y] };
    case 'line':
      // A length measurement, as QuPath writes its line annotations.
      return { type: 'LineString', coordinates: [[g.points[0], g.points[1]], [g.points[2], g.points[3]]] };
  }
}

/** A class as QuPath 0.4+ writes it: a derived class ("Tumor: Positive") as its list of names. */
export function geoClassification(c: LabelClass): GeoClassification {
  const name = className(c);
  const color = hexToRgb(c.color);
  const names = name.split(':').map((n) => n.trim());
  return names.length > 1 && names.every(Boolean) ? { names, color } : { name, color };
}

/** Granula's carried fields that the feature does not already say (QuPath's own, and parts it draws). */
export function carriedBeyondFeature(a: Annotation): AnnotationCarried | undefined {
  if (!a.carried) return undefined;
  const { qupath: _q, parts, ...rest } = a.carried;
  const out: AnnotationCarried = parts && !writesParts(a) ? { ...rest, parts } : rest;
  return Object.keys(out).length ? out : undefined;
}

/**
 * Whether the feature's properties are only its type, class and Granula's block: the same for every
 * feature of its class and type (the streamed writer writes those from a cache).
 */
export function plainProperties(a: Annotation): boolean {
  if (a.note !== undefined) return false;
  const q = a.carried?.qupath;
  if (!q) return true;
  for (const k in q) if (k !== 'objectType' && k !== 'unclassified') return false;
  return true;
}

export function objectTypeOf(a: Annotation, c: LabelClass): string {
  return a.carried?.qupath?.objectType ?? (c.objectKind === 'cell' ? 'detection' : 'annotation');
}

/** An object QuPath had not classified, still in the class it was given: written without one. */
export function writesUnclassified(a: Annotation): boolean {
  const u = a.carried?.qupath?.unclassified;
  return u !== undefined && u === a.classId;
}

/**
 * A feature's properties, in the order QuPath writes them. What QuPath said of the object comes
 * back: its type, name (the note), colour, lock, measurements and metadata, and no class when it had
 * none. Measurements are left out once the shape was edited, since they were made on the old one
 * (`stale` counts those).
 */
export function featureProperties(a: Annotation, c: LabelClass, stale: { count: number }): GeoFeature['properties'] {
  const q = a.carried?.qupath;
  const props: Partial<GeoFeature['properties']> = { objectType: objectTypeOf(a, c) };
  if (a.note !== undefined) props.name = a.note;
  if (q?.color) props.color = hexToRgb(q.color);
  if (!writesUnclassified(a)) props.classification = geoClassification(c);
  // QuPath writes the lock only when an object is locked.
  if (q?.locked) props.isLocked = true;
  if (q?.measurements) {
    if (q.measuredShape === shapeKey(a.geometry, a.carried?.parts)) props.measurements = q.measurements;
    else stale.count++;
  }
  if (q?.metadata) props.metadata = q.metadata;
  props.granula = annotationExtension(a, { classId: true, holes: false, attributes: a.attributes, carried: carriedBeyondFeature(a) });
  return props as GeoFeature['properties'];
}

export function staleWarning(fileName: string, count: number): string {
  return `${fileName}: QuPath's measurements of ${count} object${count > 1 ? 's were' : ' was'} left out: the shape${count > 1 ? 's were' : ' was'} edited after QuPath measured ${count > 1 ? 'them' : 'it'} (QuPath measures again)`;
}

/** One FeatureCollection per image (GeoJSON has no list of images), named after the image. */
export function writeGeoJson(data: ProjectData, opts: GeoJsonWriteOptions = {}): { files: { name: string; collection: GeoCollection }[]; warnings: string[] } {
  const exportedAt = opts.exportedAt ?? nowIso();
  const schema = currentSchema(data);
  const project = projectExtension(data, exportedAt);
  const classes = new Map(allClasses(data).map((c) => [c.id, c]));
  const images = [...data.images].sort((a, b) => a.order - b.order);
  const names = uniqueNames(images.map((im) => safeFileName(fileStem(im.name) || im.id)));
  const warnings: string[] = sliceWarnings(data, 'GeoJSON');
  const known = new Set(images.map((im) => im.id));
  for (const a of data.annotations) if (!known.has(a.imageId)) warnings.push(`annotation ${a.id} not written: its image "${a.imageId}" is not in the project`);
  const files = images.map((image, i) => {
    const features: GeoFeature[] = [];
    const stale = { count: 0 };
    for (const a of data.annotations) {
      if (a.imageId !== image.id) continue;
      const c = classes.get(a.classId);
      if (!c) {
        warnings.push(`annotation ${a.id} not written: its class "${a.classId}" is not in schema ${schema.id}`);
        continue;
      }
      features.push({ type: 'Feature', id: uuidFor(a.id), geometry: geoGeometry(a, image), properties: featureProperties(a, c, stale) });
    }
    const name = `${names[i]}.geojson`;
    if (stale.count) warnings.push(staleWarning(name, stale.count));
    const { projectId: _p, ...imageRecord } = image;
    const collection: GeoCollection = {
      type: 'FeatureCollection',
      granula: { ...project, imageStatus: project.imageStatus.filter((s) => s.imageId === image.id), image: imageRecord },
      features,
    };
    return { name, collection };
  });
  return { files, warnings };
}
