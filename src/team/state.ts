import { recordId, type RecordChange, type RecordKind, type RecordTypes } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import type { Annotation, Annotator, AuditEntry, ImageRecord, ImageStatus, LabelSchema, Project } from '../model/types';
import { byTime } from '../model/audit';

/**
 * A project's records keyed by id: what a gather reads. The app's open document (store/docState)
 * has this shape, so the app and the command line run the same merge over it.
 */
export interface TeamState {
  project: Project;
  /** Keyed `schemaId@version`. */
  schemas: Map<string, LabelSchema>;
  images: Map<string, ImageRecord>;
  annotators: Map<string, Annotator>;
  annotations: Map<string, Annotation>;
  statuses: Map<string, ImageStatus>;
  audit: Map<string, AuditEntry>;
}

/** Which map of a project's state holds each record kind (the project itself is not in a map). */
export const MAP_OF = { schema: 'schemas', image: 'images', annotator: 'annotators', annotation: 'annotations', status: 'statuses', audit: 'audit' } as const satisfies Record<Exclude<RecordKind, 'project'>, keyof TeamState>;

function keyed<K extends RecordKind>(kind: K, list: readonly RecordTypes[K][]): Map<string, RecordTypes[K]> {
  return new Map(list.map((v) => [recordId(kind, v), v]));
}

export function stateFromData(data: ProjectData): TeamState {
  return {
    project: data.project,
    schemas: keyed('schema', data.schemas),
    images: keyed('image', data.images),
    annotators: keyed('annotator', data.annotators),
    annotations: keyed('annotation', data.annotations),
    statuses: keyed('status', data.statuses),
    audit: keyed('audit', data.audit),
  };
}

export function dataFromState(s: TeamState): ProjectData {
  return {
    project: s.project,
    schemas: [...s.schemas.values()].sort((a, b) => a.version - b.version),
    images: [...s.images.values()].sort((a, b) => a.order - b.order),
    annotators: [...s.annotators.values()],
    annotations: [...s.annotations.values()],
    statuses: [...s.statuses.values()],
    audit: [...s.audit.values()].sort(byTime),
  };
}

/** Applies changes in place (the command line's document; the app's store applies its own way). */
export function applyChanges(s: TeamState, changes: readonly RecordChange[]): void {
  for (const c of changes) {
    if (c.kind === 'project') {
      if (c.after) s.project = c.after;
      continue;
    }
    const map = s[MAP_OF[c.kind]] as Map<string, unknown>;
    if (c.after === undefined) map.delete(c.id);
    else map.set(c.id, c.after);
  }
}
