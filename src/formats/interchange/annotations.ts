import { statusId } from '../../model/ids';
import type { Annotation, AnnotationCarried, AttributeValue, Geometry, ImageStatus, LabelSchema } from '../../model/types';
import { compactCarried } from './carried';
import type { Unowned } from './build';
import type { AnnotationExtension, ProjectExtension } from './extension';
import type { Report } from './result';

/** The schema versions of an import by number; the highest is current. */
export function versionTable(schemas: readonly LabelSchema[]): { versions: Map<number, LabelSchema>; current: LabelSchema } {
  const versions = new Map(schemas.map((s) => [s.version, s]));
  const current = [...schemas].sort((a, b) => b.version - a.version)[0];
  return { versions, current };
}

/** The schema version an annotation was made under, which must hold its class. */
export function schemaForAnnotation(
  table: { versions: Map<number, LabelSchema>; current: LabelSchema },
  ext: AnnotationExtension | undefined,
  classId: string,
  paths: { version: string; classId: string },
  report: Report,
): LabelSchema | undefined {
  const version = ext?.schemaVersion ?? table.current.version;
  const schema = table.versions.get(version);
  if (!schema) return void report.problem(paths.version, `unknown schema version ${version}`);
  if (!schema.classes.some((c) => c.id === classId)) return void report.problem(paths.classId, `class "${classId}" is not in schema version ${version}`);
  return schema;
}

export function importedAnnotation(p: {
  id: string;
  imageId: string;
  classId: string;
  geometry: Geometry | null;
  annotatorId: string;
  schema: LabelSchema;
  attributes: Record<string, AttributeValue>;
  ext: AnnotationExtension | undefined;
  now: string;
  /** A note the foreign format carries (QuPath's object name), used when Granula's own is absent. */
  note?: string;
  /** What the file said beyond Granula's fields (ids, QuPath's measurements, further parts). */
  carried?: AnnotationCarried;
}): Unowned<Annotation> {
  const e = p.ext;
  const a: Unowned<Annotation> = {
    id: p.id,
    imageId: p.imageId,
    classId: p.classId,
    attributes: p.attributes,
    geometry: p.geometry,
    annotatorId: p.annotatorId,
    schemaId: p.schema.id,
    schemaVersion: p.schema.version,
    createdAt: e?.createdAt ?? p.now,
    updatedAt: e?.updatedAt ?? p.now,
  };
  if (e?.grade !== undefined) a.grade = e.grade;
  if (e?.uncertain !== undefined) a.uncertain = e.uncertain;
  const note = e?.note ?? p.note;
  if (note !== undefined) a.note = note;
  // Without Granula's fields, where the shape came from is this import.
  const provenance = e ? e.provenance : { kind: 'import' as const };
  if (provenance) a.provenance = provenance;
  const carried = p.carried && compactCarried(p.carried);
  if (carried) a.carried = carried;
  return a;
}

export function importedStatuses(ext: ProjectExtension | undefined, imageIds: ReadonlySet<string>, at: string, report: Report): Unowned<ImageStatus>[] {
  const out: Unowned<ImageStatus>[] = [];
  ext?.imageStatus.forEach((s, i) => {
    if (!imageIds.has(s.imageId)) return report.problem(`${at}.imageStatus[${i}].imageId`, `unknown image "${s.imageId}"`);
    out.push({ ...s, id: statusId(s.imageId, s.annotatorId) });
  });
  return out;
}
