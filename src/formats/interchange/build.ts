import type { ProjectData } from '../../model/projectData';
import type { Annotation, Annotator, ImageRecord, ImageStatus, LabelSchema, Modality, Project } from '../../model/types';
import { toSharedDocument } from '../shared/convert';
import { validateSharedDocument } from '../shared/validate';
import { derivedId } from './ids';
import { capProblems, type ReadFormat, type ReadResult, type Report } from './result';

/** Options every interchange reader takes. */
export interface ReadOptions {
  /** Time stamp for records the file does not date (default: now). Fixed in tests. */
  now?: string;
  /** Modality of images the file does not describe (default `other`). */
  modality?: Modality;
}

/** A record before it belongs to a project: `assemble` sets `projectId`. */
export type Unowned<T> = Omit<T, 'projectId'>;

/** An image known only by name and size, as COCO, GeoJSON, CSV and YOLO know them. */
export function importedImage(p: { id?: string; name: string; width: number; height: number; order: number; now: string; modality?: Modality }): Unowned<ImageRecord> {
  return {
    id: p.id ?? derivedId('img', p.name),
    name: p.name,
    modality: p.modality ?? 'other',
    // The file name is all a foreign file says about where the pixels are; the app relinks by name.
    source: { kind: 'image-url', url: p.name },
    width: p.width,
    height: p.height,
    order: p.order,
    addedAt: p.now,
  };
}

export interface Parts {
  project?: Partial<Omit<Project, 'schemaId'>>;
  /** Used when `project.name` is not given: usually the file's stem. */
  name: string;
  now: string;
  /** Every version, any order; the highest version is current. */
  schemas: LabelSchema[];
  images: Unowned<ImageRecord>[];
  annotators: Unowned<Annotator>[];
  annotations: Unowned<Annotation>[];
  statuses?: Unowned<ImageStatus>[];
}

export function assemble(parts: Parts): ProjectData {
  const schemas = [...parts.schemas].sort((a, b) => a.version - b.version);
  const schema = schemas[schemas.length - 1];
  const p = parts.project ?? {};
  const id = p.id ?? derivedId('prj', `${parts.name}\u0000${schema.id}`);
  return {
    project: {
      id,
      name: p.name ?? parts.name,
      description: p.description ?? '',
      schemaId: schema.id,
      reviewMode: p.reviewMode ?? false,
      optOut: p.optOut ?? [],
      exportLog: p.exportLog ?? [],
      createdAt: p.createdAt ?? parts.now,
      updatedAt: p.updatedAt ?? parts.now,
    },
    schemas,
    images: parts.images.map((r) => ({ ...r, projectId: id })),
    annotators: parts.annotators.map((r) => ({ ...r, projectId: id })),
    annotations: parts.annotations.map((r) => ({ ...r, projectId: id })),
    statuses: (parts.statuses ?? []).map((r) => ({ ...r, projectId: id })),
    audit: [],
  };
}

/**
 * The last gate before data leaves a reader: it must be a valid shared-format project. Readers check
 * everything with the file's own paths first, so this only fires on a gap in those checks.
 */
function convertedProblems(data: ProjectData, now: string): { path: string; message: string }[] {
  try {
    const result = validateSharedDocument(toSharedDocument(data, { exportedAt: now }));
    return result.ok ? [] : result.problems.map((p) => ({ path: `(converted) ${p.path}`, message: p.message }));
  } catch (e) {
    return [{ path: '(converted)', message: e instanceof Error ? e.message : String(e) }];
  }
}

/** All or nothing: the whole project when nothing is wrong, otherwise only the problems. */
export function finish(format: ReadFormat, report: Report, build: () => ProjectData, now: string): ReadResult {
  if (report.failed) return report.fail(format);
  const data = build();
  const gate = convertedProblems(data, now);
  if (gate.length) return { ok: false, format, problems: capProblems(gate) };
  return { ok: true, format, data, warnings: capProblems(report.warnings) };
}

/** A schema made up from what a foreign file shows: its classes, in the order they first appear. */
export function importedSchema(p: Pick<LabelSchema, 'granularity' | 'classes'> & Partial<Omit<LabelSchema, 'name'>> & { title: string; now: string }): LabelSchema {
  const { title, now, ...rest } = p;
  return {
    id: derivedId('sch', `${p.granularity}\u0000${p.classes.map((c) => c.id).join('\u0000')}`),
    version: 1,
    name: { en: title, ja: title },
    purpose: '',
    selection: 'single',
    createdAt: now,
    ...rest,
  };
}
