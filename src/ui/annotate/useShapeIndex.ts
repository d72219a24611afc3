import { useEffect, useMemo, useState } from 'react';
import type { Annotation, DicomSliceRef, Geometry } from '../../model/types';
import { packedOnImage, prepareLookups, type DocState } from '../../store/docState';
import { onDocChanges, useDocStore } from '../../store/docStore';
import { canSee } from '../../store/selectors';
import { SpatialIndex, writeBounds, type IndexedShape } from '../../viewer/spatialIndex';

/** What a shape's style depends on: its class, and whether it is the viewer's own. */
export interface ShapeStyleKey {
  classId: string;
  own: boolean;
}

/**
 * The spatial index of one image's visible shapes, each tagged with a small number that stands for
 * its style key (class, own or another annotator's), so the renderer can look styles up per tag
 * rather than per shape.
 */
export class ShapeIndex extends SpatialIndex {
  private keys: ShapeStyleKey[] = [];
  private tags = new Map<string, number>();

  constructor(readonly annotatorId: string | undefined) {
    // Shapes loaded from packs carry no geometry object until one is needed: the document builds it.
    super([], { uniqueIds: true, resolveGeometry: (id) => useDocStore.getState().doc?.annotations.get(id)?.geometry ?? undefined });
  }

  tagFor(a: Pick<Annotation, 'classId' | 'annotatorId'>): number {
    const own = a.annotatorId === this.annotatorId;
    const k = `${own ? 1 : 0}${a.classId}`;
    let tag = this.tags.get(k);
    if (tag === undefined) {
      tag = this.keys.length;
      this.keys.push({ classId: a.classId, own });
      this.tags.set(k, tag);
    }
    return tag;
  }

  styleKey(tag: number): ShapeStyleKey {
    return this.keys[tag] ?? { classId: '', own: true };
  }
}

/** Whether a shape is on the slice shown (always, on an image that is not a CT/MR series). */
export function onSlice(a: Pick<Annotation, 'slice'>, slice: DicomSliceRef | undefined): boolean {
  return !slice || (a.slice?.sopInstanceUid === slice.sopInstanceUid && a.slice.frame === slice.frame);
}

/**
 * Indexes a packed image straight from its packs (ids, bounds, class and annotator read from the
 * columns): no annotation object is built, which is what makes a million-cell slide open quickly.
 */
function loadPacked(doc: DocState, imageId: string, annotatorId: string | undefined, index: ShapeIndex, slice: DicomSliceRef | undefined): boolean {
  const packed = packedOnImage(doc, imageId);
  if (!packed) return false;
  const ids: string[] = [];
  const geometries: (Geometry | undefined)[] = [];
  let bounds = new Float64Array(4 * 1024);
  let tags = new Uint32Array(1024);
  let sources = new Int32Array(1024);
  const room = () => {
    if (ids.length < tags.length) return;
    const b = new Float64Array(bounds.length * 2);
    b.set(bounds);
    bounds = b;
    const t = new Uint32Array(tags.length * 2);
    t.set(tags);
    tags = t;
    const o = new Int32Array(sources.length * 2);
    o.set(sources);
    sources = o;
  };
  const add = (id: string, tag: number, geometry: Geometry | undefined, source: number) => {
    const k = ids.length;
    ids.push(id);
    geometries.push(geometry);
    tags[k] = tag;
    sources[k] = source;
  };
  packed.forEach((reader, i, o) => {
    const t = reader.pack.geometryType[i];
    if (t === 6) {
      // Kept whole in the pack (unusual form): indexed like a loose one.
      const a = packed.store.annotation(o);
      if (a.geometry && canSee(doc, a, annotatorId) && onSlice(a, slice)) {
        room();
        writeBounds(a.geometry, bounds, ids.length);
        add(a.id, index.tagFor(a), a.geometry, -1);
      }
      return;
    }
    if (t < 1 || t > 4) return;
    const owner = { annotatorId: reader.field(i, 'annotatorId') as string, classId: reader.field(i, 'classId') as string };
    if (!canSee(doc, owner as Annotation, annotatorId)) return;
    if (slice && !onSlice({ slice: reader.field(i, 'slice') as DicomSliceRef | undefined }, slice)) return;
    room();
    reader.bounds(i, bounds, ids.length);
    add(reader.id(i), index.tagFor(owner), undefined, o);
  });
  for (const id of packed.looseIds()) {
    const a = doc.annotations.get(id);
    if (!a?.geometry || !canSee(doc, a, annotatorId) || !onSlice(a, slice)) continue;
    room();
    writeBounds(a.geometry, bounds, ids.length);
    add(id, index.tagFor(a), a.geometry, -1);
  }
  // A packed shape's geometry is built from its pack by ordinal when first drawn as an outline or
  // hit-tested: no id lookup needed. (A shape edited since is re-indexed with its new geometry.)
  const store = packed.store;
  index.loadBulk({ ids, bounds, tags, geometries, sources }, (id, source) => (source >= 0 ? (store.annotation(source).geometry ?? undefined) : (useDocStore.getState().doc?.annotations.get(id)?.geometry ?? undefined)));
  return true;
}

function* visibleShapes(doc: DocState, imageId: string, annotatorId: string | undefined, index: ShapeIndex, slice: DicomSliceRef | undefined): Generator<IndexedShape> {
  const ids = doc.annotationsByImage.get(imageId);
  if (!ids) return;
  for (const id of ids) {
    const a = doc.annotations.get(id);
    if (a?.geometry && canSee(doc, a, annotatorId) && onSlice(a, slice)) yield { id, geometry: a.geometry, tag: index.tagFor(a) };
  }
}

/**
 * The spatial index of the shapes this person may see on one image, kept in step with every
 * change (local, undo, other tabs) without rebuilding it. `revision` bumps when it changes.
 */
export function useShapeIndex(imageId: string, annotatorId: string | undefined, reviewMode: boolean, slice?: DicomSliceRef) {
  const [revision, setRevision] = useState(0);
  const sliceKey = slice ? `${slice.sopInstanceUid}/${slice.frame}` : '';
  const index = useMemo(() => {
    const index = new ShapeIndex(annotatorId);
    const doc = useDocStore.getState().doc;
    if (doc && !loadPacked(doc, imageId, annotatorId, index, slice)) index.reset(visibleShapes(doc, imageId, annotatorId, index, slice));
    return index;
  }, [imageId, annotatorId, reviewMode, sliceKey]); // eslint-disable-line react-hooks/exhaustive-deps

  // The id lookups (million-entry maps on a big slide) are built a few milliseconds at a time when
  // the browser is idle, so the first click finds them ready and no frame waits for them.
  useEffect(() => {
    type Idle = { timeRemaining(): number; didTimeout?: boolean };
    const g = globalThis as { requestIdleCallback?: (fn: (d: Idle) => void, o?: { timeout: number }) => number; cancelIdleCallback?: (h: number) => void };
    let handle: number | ReturnType<typeof setTimeout> | null = null;
    const step = (d?: Idle) => {
      // What the idle period leaves (up to 50 ms when nothing moves, a sliver between frames while
      // panning); a run forced by the timeout takes a few ms only.
      const budget = !d ? 4 : d.didTimeout ? 3 : Math.max(1, d.timeRemaining() - 1);
      const doc = useDocStore.getState().doc;
      const done = index.prepareSome(budget) && (!doc || prepareLookups(doc, budget));
      if (!done) schedule();
    };
    const schedule = () => {
      handle = g.requestIdleCallback ? g.requestIdleCallback(step, { timeout: 1000 }) : setTimeout(step, 50);
    };
    schedule();
    return () => {
      if (handle === null) return;
      if (g.cancelIdleCallback && typeof handle === 'number') g.cancelIdleCallback(handle);
      else clearTimeout(handle as ReturnType<typeof setTimeout>);
    };
  }, [index]);

  useEffect(
    () =>
      onDocChanges((_p, changes) => {
        const doc = useDocStore.getState().doc;
        if (!doc) return;
        let touched = false;
        for (const c of changes) {
          if (c.kind !== 'annotation') continue;
          const before = c.before as Annotation | undefined;
          const after = c.after as Annotation | undefined;
          if (before?.imageId === imageId) {
            index.remove(c.id);
            touched = true;
          }
          if (after?.imageId === imageId && after.geometry && canSee(doc, after, annotatorId) && onSlice(after, slice)) {
            index.upsert({ id: after.id, geometry: after.geometry, tag: index.tagFor(after) });
            touched = true;
          }
        }
        if (touched) setRevision((r) => r + 1);
      }),
    [index, imageId, annotatorId], // eslint-disable-line react-hooks/exhaustive-deps -- the index changes with the slice
  );

  return { index, revision };
}
