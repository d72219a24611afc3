import { z } from 'zod';
import type { ProjectData } from '../../model/projectData';
import type { Annotation, AnnotationCarried, AttributeValue } from '../../model/types';
import { toSharedDocument } from '../shared/convert';
import { formatPath } from '../shared/paths';
import { annotationSchema, FORMAT_VERSION, imageSchema, sharedDocumentSchema } from '../shared/schema';
import type { Report } from './result';

/**
 * Granula's own fields inside a COCO or GeoJSON file (`info.granula`, `granula`, per record
 * `granula`): what those formats cannot say, so a Granula → COCO → Granula trip loses nothing.
 * Other tools ignore the extra keys. The records are the shared format's, validated by its schema.
 */
export const projectExtensionSchema = sharedDocumentSchema
  .pick({ project: true, schema: true, schemaVersions: true, annotators: true, imageStatus: true })
  // Files of every earlier version stay readable: version 2 only added optional project fields.
  .extend({ version: z.number().int().min(1, 'must be 1 or more').max(FORMAT_VERSION, `must be at most ${FORMAT_VERSION} (made by a newer Granula)`) });
export type ProjectExtension = z.infer<typeof projectExtensionSchema>;

/** An image's record beside what COCO's image entry already says (name, width, height). */
export const imageExtensionSchema = imageSchema.omit({ name: true, width: true, height: true });
export type ImageExtension = z.infer<typeof imageExtensionSchema>;

/** How a Granula annotation is drawn in a format whose only shapes are polygons (or points). */
export const SHAPES = ['polygon', 'box', 'point', 'line', 'image'] as const;
export type Shape = (typeof SHAPES)[number];

const attributeValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const annotationExtensionSchema = annotationSchema
  .pick({ id: true, annotatorId: true, classId: true, schemaVersion: true, grade: true, uncertain: true, note: true, provenance: true, carried: true, createdAt: true, updatedAt: true })
  .partial({ annotatorId: true, classId: true, schemaVersion: true, createdAt: true, updatedAt: true })
  .extend({
    shape: z.enum(SHAPES),
    /** COCO polygons cannot hold holes: they travel here, checked as rings by the reader. */
    holes: z.array(z.unknown()).max(1000).optional(),
    attributes: z.record(z.string(), attributeValue).optional(),
  });
export type AnnotationExtension = z.infer<typeof annotationExtensionSchema>;

export function projectExtension(data: ProjectData, exportedAt: string): ProjectExtension {
  const doc = toSharedDocument(data, { exportedAt });
  return { version: FORMAT_VERSION, project: doc.project, schema: doc.schema, schemaVersions: doc.schemaVersions, annotators: doc.annotators, imageStatus: doc.imageStatus };
}

export function shapeOf(a: Annotation): Shape {
  return a.geometry ? a.geometry.type : 'image';
}

/**
 * `holes: false` where the format draws holes itself (GeoJSON); COCO needs them here. `carried`:
 * what of the annotation's carried fields the format does not say itself (default: all of them).
 */
export function annotationExtension(
  a: Annotation,
  extra: { classId?: boolean; holes?: boolean; attributes?: Record<string, AttributeValue>; carried?: AnnotationCarried | undefined } = {},
): AnnotationExtension {
  const ext: AnnotationExtension = { id: a.id, annotatorId: a.annotatorId, shape: shapeOf(a), schemaVersion: a.schemaVersion, createdAt: a.createdAt, updatedAt: a.updatedAt };
  if (extra.classId) ext.classId = a.classId;
  if (extra.holes !== false && a.geometry?.type === 'polygon' && a.geometry.holes?.length) ext.holes = a.geometry.holes;
  if (a.grade !== undefined) ext.grade = a.grade;
  if (a.uncertain !== undefined) ext.uncertain = a.uncertain;
  if (a.note !== undefined) ext.note = a.note;
  if (a.provenance) ext.provenance = a.provenance;
  const carried = 'carried' in extra ? extra.carried : a.carried;
  if (carried) ext.carried = carried;
  if (extra.attributes && Object.keys(extra.attributes).length) ext.attributes = extra.attributes;
  return ext;
}

/** Parses with a zod schema, reporting each issue under `path`; undefined when anything is wrong. */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown, path: string, report: Report): T | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const rest = issue.path.length ? formatPath(issue.path) : '';
    report.problem(rest ? (rest.startsWith('[') ? `${path}${rest}` : `${path}.${rest}`) : path, issue.message);
  }
  return undefined;
}

/** Checks the project block and that its records point at each other. */
export function readProjectExtension(raw: unknown, path: string, report: Report): ProjectExtension | undefined {
  const ext = parseWith(projectExtensionSchema, raw, path, report);
  if (!ext) return undefined;
  const versions = new Set<number>([ext.schema.version]);
  ext.schemaVersions.forEach((s, i) => {
    if (s.id !== ext.schema.id) report.problem(`${path}.schemaVersions[${i}].id`, `must be the schema's id "${ext.schema.id}"`);
    if (versions.has(s.version) || s.version > ext.schema.version) report.problem(`${path}.schemaVersions[${i}].version`, `must be an older version than ${ext.schema.version}, once`);
    versions.add(s.version);
  });
  const annotators = new Set<string>();
  ext.annotators.forEach((a, i) => {
    if (annotators.has(a.id)) report.problem(`${path}.annotators[${i}].id`, `duplicate id "${a.id}"`);
    annotators.add(a.id);
  });
  return ext;
}
