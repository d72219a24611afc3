import type { Annotation, Annotator, AuditEntry, ImageRecord, ImageStatus, LabelSchema, Project } from './types';

/** Everything that belongs to one project, as plain records. */
export interface ProjectData {
  project: Project;
  /** Every version of the project's schema, oldest first; the last is current. */
  schemas: LabelSchema[];
  images: ImageRecord[];
  annotators: Annotator[];
  annotations: Annotation[];
  statuses: ImageStatus[];
  /** The append-only audit trail, oldest first. */
  audit: AuditEntry[];
}

export function currentSchema(data: Pick<ProjectData, 'schemas' | 'project'>): LabelSchema {
  let best: LabelSchema | undefined;
  for (const s of data.schemas) if (s.id === data.project.schemaId && (!best || s.version > best.version)) best = s;
  if (!best) throw new Error(`project ${data.project.id} has no schema ${data.project.schemaId}`);
  return best;
}

export function schemaVersionOf(schemas: readonly LabelSchema[], schemaId: string, version: number): LabelSchema | undefined {
  return schemas.find((s) => s.id === schemaId && s.version === version);
}
