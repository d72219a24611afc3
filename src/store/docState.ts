import type { RecordChange, RecordKind, RecordTypes } from '../model/changes';
import { recordId } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import type { Project } from '../model/types';

/** The open project's records, keyed for O(1) edits even with a million annotations. */
export interface DocState {
  project: Project;
  schemas: Map<string, RecordTypes['schema']>;
  images: Map<string, RecordTypes['image']>;
  annotators: Map<string, RecordTypes['annotator']>;
  annotations: Map<string, RecordTypes['annotation']>;
  statuses: Map<string, RecordTypes['status']>;
  /** Annotation ids per image, kept in step by applyToDoc: a slide's labels without scanning all. */
  annotationsByImage: Map<string, Set<string>>;
}

function indexByImage(annotations: Iterable<RecordTypes['annotation']>): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const a of annotations) {
    let set = index.get(a.imageId);
    if (!set) index.set(a.imageId, (set = new Set()));
    set.add(a.id);
  }
  return index;
}

const MAP_OF: Record<Exclude<RecordKind, 'project'>, keyof DocState> = {
  schema: 'schemas',
  image: 'images',
  annotator: 'annotators',
  annotation: 'annotations',
  status: 'statuses',
};

function keyed<K extends RecordKind>(kind: K, list: readonly RecordTypes[K][]): Map<string, RecordTypes[K]> {
  return new Map(list.map((v) => [recordId(kind, v), v]));
}

export function docFromData(data: ProjectData): DocState {
  return {
    project: data.project,
    schemas: keyed('schema', data.schemas),
    images: keyed('image', data.images),
    annotators: keyed('annotator', data.annotators),
    annotations: keyed('annotation', data.annotations),
    statuses: keyed('status', data.statuses),
    annotationsByImage: indexByImage(data.annotations),
  };
}

export function annotationsOnImage(doc: DocState, imageId: string): RecordTypes['annotation'][] {
  const ids = doc.annotationsByImage.get(imageId);
  if (!ids) return [];
  const out: RecordTypes['annotation'][] = [];
  for (const id of ids) {
    const a = doc.annotations.get(id);
    if (a) out.push(a);
  }
  return out;
}

export function dataFromDoc(doc: DocState): ProjectData {
  return {
    project: doc.project,
    schemas: [...doc.schemas.values()].sort((a, b) => a.version - b.version),
    images: [...doc.images.values()].sort((a, b) => a.order - b.order),
    annotators: [...doc.annotators.values()],
    annotations: [...doc.annotations.values()],
    statuses: [...doc.statuses.values()],
  };
}

export function getRecord<K extends RecordKind>(doc: DocState, kind: K, id: string): RecordTypes[K] | undefined {
  if (kind === 'project') return (doc.project.id === id ? doc.project : undefined) as RecordTypes[K] | undefined;
  return (doc[MAP_OF[kind as Exclude<RecordKind, 'project'>]] as Map<string, RecordTypes[K]>).get(id);
}

/** Applies changes in place (the maps are owned by the store, which bumps its revision). */
export function applyToDoc(doc: DocState, changes: readonly RecordChange[]): void {
  for (const c of changes) {
    if (c.kind === 'project') {
      if (c.after) doc.project = c.after;
      continue;
    }
    if (c.kind === 'annotation') {
      if (c.before) doc.annotationsByImage.get(c.before.imageId)?.delete(c.id);
      if (c.after) {
        let set = doc.annotationsByImage.get(c.after.imageId);
        if (!set) doc.annotationsByImage.set(c.after.imageId, (set = new Set()));
        set.add(c.id);
      }
    }
    const map = doc[MAP_OF[c.kind]] as Map<string, unknown>;
    if (c.after === undefined) map.delete(c.id);
    else map.set(c.id, c.after);
  }
}
