import type { RecordChange, RecordKind, RecordTypes } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import { dataFromState, MAP_OF, stateFromData } from '../team/state';
import type { Annotation, Project } from '../model/types';
import type { PackedStore, PackReader } from '../storage/annotationPack';
import type { StoredProject } from '../storage/repository';
import { AnnotationMap, PackedIdSet } from './packedAnnotations';

/**
 * The open project's records, keyed for O(1) edits even with a million annotations. When storage
 * hands over packed annotations (a big slide), `annotations` and the sets of `annotationsByImage`
 * are Maps and Sets that build each annotation on first read (see packedAnnotations.ts): opening
 * the project then costs no more than reading its packs.
 */
export interface DocState {
  project: Project;
  schemas: Map<string, RecordTypes['schema']>;
  images: Map<string, RecordTypes['image']>;
  annotators: Map<string, RecordTypes['annotator']>;
  annotations: Map<string, RecordTypes['annotation']>;
  statuses: Map<string, RecordTypes['status']>;
  /** The audit trail: appended to, never changed. */
  audit: Map<string, RecordTypes['audit']>;
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


/** Bumped by applyToDoc: lets derived counts be kept until the document changes. */
const versions = new WeakMap<DocState, number>();

/**
 * The document of a project: from plain records, or as loaded from storage, where packed
 * annotations stay in their packs until read.
 */
export function docFromData(data: ProjectData | StoredProject): DocState {
  if (Array.isArray(data.annotations)) return { ...stateFromData(data as ProjectData), annotationsByImage: indexByImage(data.annotations) };
  const { rows, packed } = data.annotations;
  const { project, schemas, images, annotators, statuses, audit } = data;
  const plain = stateFromData({ project, schemas, images, annotators, annotations: packed ? [] : rows, statuses, audit });
  if (!packed) return { ...plain, annotationsByImage: indexByImage(rows) };
  const annotations = new AnnotationMap(packed.store, rows, packed.deleted);
  const hidden = [...packed.deleted, ...rows.map((a) => a.id)];
  const annotationsByImage = new Map<string, Set<string>>();
  for (const [imageId, ranges] of packed.images) annotationsByImage.set(imageId, new PackedIdSet(packed.store, ranges, hidden));
  for (const a of rows) {
    let set = annotationsByImage.get(a.imageId);
    if (!set) annotationsByImage.set(a.imageId, (set = new Set()));
    set.add(a.id);
  }
  return { ...plain, annotations, annotationsByImage };
}

/**
 * Builds the id lookup that packed annotations need on their first read by id (a moment for a
 * million), for about `budgetMs`; true once complete. Call from idle callbacks after the first
 * frame, so the first click is not the one to wait.
 */
export function prepareLookups(doc: DocState, budgetMs = Infinity): boolean {
  return doc.annotations instanceof AnnotationMap ? doc.annotations.store.prepareSome(budgetMs) : true;
}

/**
 * One image's packed annotations, for code that can work from the packs without building every
 * annotation (the viewer's spatial index): their ordinals in `store`, and the ids of the image's
 * other annotations. Null when nothing on the image is packed.
 */
export interface PackedOnImage {
  store: PackedStore;
  /** Calls `fn` for every packed annotation of the image that is still in the document. */
  forEach(fn: (reader: PackReader, index: number, ordinal: number) => void): void;
  /** The image's annotations that are not packed (new or edited since). */
  looseIds(): Iterable<string>;
}

export function packedOnImage(doc: DocState, imageId: string): PackedOnImage | null {
  const set = doc.annotationsByImage.get(imageId);
  const map = doc.annotations;
  if (!(set instanceof PackedIdSet) || !(map instanceof AnnotationMap)) return null;
  return {
    store: set.store,
    forEach(fn) {
      for (const [a, b] of set.ranges) {
        let o = a;
        for (const [reader, from] of set.store.span(a, b)) {
          for (let i = from; i < reader.count && o < b; i++, o++) if (set.hasOrdinal(o) && map.liveOrdinal(o)) fn(reader, i, o);
        }
      }
    },
    looseIds: () => set.looseIds(),
  };
}

const counts = new WeakMap<DocState, { version: number; values: Map<string, number> }>();

/**
 * How many annotations on the image the annotator made (with a shape, or image-level labels when
 * `withGeometry` is false), without building packed annotations, and remembered until the document
 * changes: cheap enough to call on every render.
 */
export function countAnnotations(doc: DocState, imageId: string, annotatorId: string, withGeometry = true): number {
  const version = versions.get(doc) ?? 0;
  let memo = counts.get(doc);
  if (!memo || memo.version !== version) counts.set(doc, (memo = { version, values: new Map() }));
  const key = `${imageId}\u0000${annotatorId}\u0000${withGeometry ? 1 : 0}`;
  const hit = memo.values.get(key);
  if (hit !== undefined) return hit;
  const matches = (a: Annotation | undefined) => !!a && a.annotatorId === annotatorId && (withGeometry ? !!a.geometry : a.geometry === null);
  let n = 0;
  const packed = packedOnImage(doc, imageId);
  if (packed) {
    packed.forEach((reader, i, o) => {
      if (reader.field(i, 'annotatorId') !== annotatorId) return;
      const t = reader.pack.geometryType[i];
      // Columns say it for the usual shapes; anything unusual is built and asked.
      if (t === 6 ? matches(packed.store.annotation(o)) : withGeometry ? t >= 1 && t <= 4 : t === 0) n++;
    });
    for (const id of packed.looseIds()) if (matches(doc.annotations.get(id))) n++;
  } else {
    for (const id of doc.annotationsByImage.get(imageId) ?? []) if (matches(doc.annotations.get(id))) n++;
  }
  memo.values.set(key, n);
  return n;
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

/** The open project as plain records (a DocState is a TeamState with its per-image index). */
export function dataFromDoc(doc: DocState): ProjectData {
  return dataFromState(doc);
}

export function getRecord<K extends RecordKind>(doc: DocState, kind: K, id: string): RecordTypes[K] | undefined {
  if (kind === 'project') return (doc.project.id === id ? doc.project : undefined) as RecordTypes[K] | undefined;
  return (doc[MAP_OF[kind as Exclude<RecordKind, 'project'>]] as Map<string, RecordTypes[K]>).get(id);
}

export function hasRecord(doc: DocState, kind: RecordKind, id: string): boolean {
  if (kind === 'project') return doc.project.id === id;
  return (doc[MAP_OF[kind as Exclude<RecordKind, 'project'>]] as Map<string, unknown>).has(id);
}

/** Applies changes in place (the maps are owned by the store, which bumps its revision). */
export function applyToDoc(doc: DocState, changes: readonly RecordChange[]): void {
  versions.set(doc, (versions.get(doc) ?? 0) + 1);
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
