import Flatbush from 'flatbush';
import { geometryArea, type Bounds } from '../model/geometry';
import type { Geometry } from '../model/types';
import { distanceToGeometry } from '../model/hit';
import type { ImagePoint } from './coords';

/**
 * Finds the shapes in view, or under the pointer, among up to millions. A packed R-tree (Flatbush)
 * holds the shapes as of its last build; shapes added, edited or removed since sit in a small
 * overlay that is scanned linearly, and the tree is rebuilt lazily, on the next query, once the
 * overlay grows past a fraction of the tree. Culling must never hide a shape that is in view: a
 * query returns every shape whose bounds meet the rect, edges included.
 *
 * Per shape it keeps what drawing a frame needs in typed arrays (bounds, a small numeric tag for
 * the style), so the renderer can walk a million shapes without allocating: `visit` hands out
 * refs, numbers valid until the next change, that index those arrays (see `frameView`).
 */

export interface IndexedShape {
  id: string;
  /** Treated as immutable (as store records are): to change a shape, upsert a new geometry. */
  geometry: Geometry;
  /** A small number the owner gives meaning to (the renderer: which style). Default 0. */
  tag?: number;
}

export interface SpatialIndexOptions {
  /** Rebuild once overlay entries exceed this fraction of the tree (default 1/16), and at least `minOverlay`. */
  rebuildFraction?: number;
  minOverlay?: number;
  /**
   * The caller promises the initial shapes have distinct ids (e.g. they come from a Map), so the
   * id lookup need not be built up front to find duplicates. Default false.
   */
  uniqueIds?: boolean;
  /**
   * Where geometries left out of a bulk load (see BulkShapes) are found when needed (hit tests,
   * outlines drawn when zoomed in): the index then holds only bounds for them.
   */
  resolveGeometry?: GeometryResolver;
}

/** Finds a geometry the index was not given: by id, or by the source number given with it (BulkShapes.sources). */
export type GeometryResolver = (id: string, source: number) => Geometry | undefined;

/** Shapes given as columns: ids, bounds (minX, minY, maxX, maxY each), tags; geometries optional. */
export interface BulkShapes {
  ids: string[];
  bounds: Float64Array;
  tags: Uint32Array;
  /** Per shape, or undefined to be asked of `resolveGeometry` when needed. */
  geometries?: (Geometry | undefined)[];
  /** Per shape, a number handed to `resolveGeometry` (e.g. where its owner keeps it); −1 for none. */
  sources?: Int32Array;
}

/**
 * Read-only arrays behind the refs of one frame. Ref r < treeCount is tree slot r (skip it when
 * `stale[r]`); r ≥ treeCount is overlay entry r − treeCount. Bounds are minX, minY, maxX, maxY.
 */
export interface FrameView {
  treeCount: number;
  treeBounds: Float64Array;
  treeTags: Uint32Array;
  stale: Uint8Array;
  overlayBounds: readonly number[];
  overlayTags: readonly number[];
}

/** Writes a geometry's bounds at `out[4 * i]`: the outer ring only (holes lie inside it). */
export function writeBounds(g: Geometry, out: Float64Array | number[], i: number): void {
  let minX: number, minY: number, maxX: number, maxY: number;
  switch (g.type) {
    case 'polygon': {
      const p = g.points;
      minX = Infinity;
      minY = Infinity;
      maxX = -Infinity;
      maxY = -Infinity;
      for (let k = 0; k + 1 < p.length; k += 2) {
        const x = p[k], y = p[k + 1];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      break;
    }
    case 'box':
      minX = Math.min(g.x, g.x + g.w);
      minY = Math.min(g.y, g.y + g.h);
      maxX = Math.max(g.x, g.x + g.w);
      maxY = Math.max(g.y, g.y + g.h);
      break;
    case 'point':
      minX = maxX = g.x;
      minY = maxY = g.y;
      break;
    case 'line': {
      const [x0, y0, x1, y1] = g.points;
      minX = Math.min(x0, x1);
      minY = Math.min(y0, y1);
      maxX = Math.max(x0, x1);
      maxY = Math.max(y0, y1);
      break;
    }
  }
  out[4 * i] = minX;
  out[4 * i + 1] = minY;
  out[4 * i + 2] = maxX;
  out[4 * i + 3] = maxY;
}

const EMPTY_BOUNDS = new Float64Array(0);

export class SpatialIndex {
  private tree: Flatbush | null = null;
  private treeIds: string[] = [];
  private treeGeometries: (Geometry | undefined)[] = [];
  /** minX, minY, maxX, maxY per tree slot: kept so a rebuild need not recompute them. */
  private treeBounds: Float64Array = EMPTY_BOUNDS;
  private treeTags: Uint32Array = new Uint32Array(0);
  /** Tree slots whose shape was since edited or removed. */
  private stale: Uint8Array = new Uint8Array(0);
  private staleCount = 0;
  /** Id → tree slot; built on first need (or bit by bit when idle), as a million entries take a moment. */
  private treeSlotMap: Map<string, number> | null = null;
  private partialSlotMap: Map<string, number> | null = null;
  /** The overlay, as parallel arrays (removal swaps the last entry in) plus id → position. */
  private ovIds: string[] = [];
  private ovGeometries: Geometry[] = [];
  private ovBounds: number[] = [];
  private ovTags: number[] = [];
  private ovSlot = new Map<string, number>();
  private readonly rebuildFraction: number;
  private readonly minOverlay: number;
  private readonly uniqueIds: boolean;
  private resolveGeometry: GeometryResolver | undefined;
  private treeSources: Int32Array | null = null;

  constructor(shapes: Iterable<IndexedShape> = [], options: SpatialIndexOptions = {}) {
    this.rebuildFraction = options.rebuildFraction ?? 1 / 16;
    this.minOverlay = options.minOverlay ?? 256;
    this.uniqueIds = options.uniqueIds ?? false;
    this.resolveGeometry = options.resolveGeometry;
    this.load(shapes);
  }

  /** Replaces everything with shapes given as columns (ids must be distinct); builds the tree at once. */
  loadBulk(shapes: BulkShapes, resolveGeometry?: GeometryResolver): void {
    if (resolveGeometry) this.resolveGeometry = resolveGeometry;
    const n = shapes.ids.length;
    this.clearOverlay();
    this.install(shapes.ids, shapes.geometries ?? new Array(n), shapes.bounds.subarray(0, 4 * n), shapes.tags.subarray(0, n), shapes.sources?.subarray(0, n));
  }

  /** Bumped by every change: caches of what is drawn compare it. */
  version = 0;

  get size(): number {
    return this.treeIds.length - this.staleCount + this.ovIds.length;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get(id: string): Geometry | undefined {
    const k = this.ovSlot.get(id);
    if (k !== undefined) return this.ovGeometries[k];
    const slot = this.treeSlot().get(id);
    return slot !== undefined && !this.stale[slot] ? this.treeGeometryAt(slot) : undefined;
  }

  private treeGeometryAt(slot: number): Geometry | undefined {
    return this.treeGeometries[slot] ?? this.resolveGeometry?.(this.treeIds[slot], this.treeSources ? this.treeSources[slot] : -1);
  }

  /** The shape's tag, or undefined when it is not indexed. */
  tagOf(id: string): number | undefined {
    const k = this.ovSlot.get(id);
    if (k !== undefined) return this.ovTags[k];
    const slot = this.treeSlot().get(id);
    return slot !== undefined && !this.stale[slot] ? this.treeTags[slot] : undefined;
  }

  /** Adds a shape, or replaces the shape with the same id. */
  upsert(shape: IndexedShape): void {
    this.version++;
    this.retireTreeSlot(shape.id);
    let k = this.ovSlot.get(shape.id);
    if (k === undefined) {
      k = this.ovIds.length;
      this.ovSlot.set(shape.id, k);
      this.ovIds.push(shape.id);
      this.ovBounds.push(0, 0, 0, 0);
    }
    this.ovGeometries[k] = shape.geometry;
    this.ovTags[k] = shape.tag ?? 0;
    writeBounds(shape.geometry, this.ovBounds, k);
  }

  remove(id: string): boolean {
    this.version++;
    const inOverlay = this.removeFromOverlay(id);
    const inTree = this.retireTreeSlot(id);
    return inOverlay || inTree;
  }

  /** Replaces everything (e.g. on switching image) and builds the tree at once. */
  reset(shapes: Iterable<IndexedShape>): void {
    this.load(shapes);
  }

  /** Ids of every shape whose bounds meet the rect (touching counts), in no particular order. */
  search(rect: Bounds): string[] {
    const out: string[] = [];
    this.visit(rect, (ref) => out.push(this.idOf(ref)));
    return out;
  }

  /**
   * Calls `fn` with the ref of every shape whose bounds meet the rect (touching counts), without
   * allocating per shape. Refs index `frameView()` and stay valid until the index next changes.
   */
  visit(rect: Bounds, fn: (ref: number) => void): void {
    this.maybeRebuild();
    const { minX, minY, maxX, maxY } = rect;
    const tree = this.tree;
    if (tree) {
      const stale = this.stale;
      if (minX <= tree.minX && minY <= tree.minY && maxX >= tree.maxX && maxY >= tree.maxY) {
        // The rect holds everything (the whole slide in view): no tree walk needed.
        for (let slot = 0, n = this.treeIds.length; slot < n; slot++) if (!stale[slot]) fn(slot);
      } else {
        tree.search(minX, minY, maxX, maxY, (slot) => {
          if (!stale[slot]) fn(slot);
          return false;
        });
      }
    }
    const b = this.ovBounds;
    const base = this.treeIds.length;
    for (let k = 0; k < this.ovIds.length; k++) {
      if (b[4 * k + 2] >= minX && b[4 * k] <= maxX && b[4 * k + 3] >= minY && b[4 * k + 1] <= maxY) fn(base + k);
    }
  }

  /** Folds pending edits into the tree if due (visit does so too): refs and `version` are then settled. */
  settle(): void {
    this.maybeRebuild();
  }

  /** The arrays behind refs handed out since the last change. */
  frameView(): FrameView {
    return { treeCount: this.treeIds.length, treeBounds: this.treeBounds, treeTags: this.treeTags, stale: this.stale, overlayBounds: this.ovBounds, overlayTags: this.ovTags };
  }

  idOf(ref: number): string {
    const n = this.treeIds.length;
    return ref < n ? this.treeIds[ref] : this.ovIds[ref - n];
  }

  /** The shape's geometry; a placeholder point (never drawn bigger than a dot) if its owner lost it. */
  geometryOf(ref: number): Geometry {
    const n = this.treeIds.length;
    if (ref >= n) return this.ovGeometries[ref - n];
    const g = this.treeGeometryAt(ref);
    if (g) return g;
    const b = this.treeBounds;
    return { type: 'point', x: (b[4 * ref] + b[4 * ref + 2]) / 2, y: (b[4 * ref + 1] + b[4 * ref + 3]) / 2 };
  }

  /** The ref of an indexed shape, or −1. */
  refOf(id: string): number {
    const k = this.ovSlot.get(id);
    if (k !== undefined) return this.treeIds.length + k;
    const slot = this.treeSlot().get(id);
    return slot !== undefined && !this.stale[slot] ? slot : -1;
  }

  /**
   * Ids of the shapes under the point: inside, or within `tolerance` of the outline (points within
   * `tolerance` of the point). Smallest area first, so a cell inside a region is picked before the
   * region; ties go to the nearer shape.
   */
  hitTest(p: ImagePoint, tolerance: number): string[] {
    const hits: { id: string; area: number; distance: number }[] = [];
    this.visit({ minX: p.x - tolerance, minY: p.y - tolerance, maxX: p.x + tolerance, maxY: p.y + tolerance }, (ref) => {
      const g = this.geometryOf(ref);
      const distance = distanceToGeometry(g, p.x, p.y);
      if (distance <= tolerance) hits.push({ id: this.idOf(ref), area: geometryArea(g), distance });
    });
    hits.sort((a, b) => a.area - b.area || a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return hits.map((h) => h.id);
  }

  /** The topmost shape under the point (see hitTest), or null. */
  hitTestFirst(p: ImagePoint, tolerance: number): string | null {
    return this.hitTest(p, tolerance)[0] ?? null;
  }

  /** Forces the pending overlay into the tree now (e.g. when idle). */
  flush(): void {
    if (this.ovIds.length > 0 || this.staleCount > 0) this.rebuild();
  }

  /** Builds the id lookup now (e.g. when idle after loading), so the first click need not. */
  prepare(): void {
    this.treeSlot();
  }

  /**
   * Builds part of the id lookup, for about `budgetMs`: call from idle callbacks until it returns
   * true, so a million-shape slide never holds a frame up for it.
   */
  prepareSome(budgetMs: number): boolean {
    if (this.treeSlotMap) return true;
    this.growSlotMap(performance.now() + budgetMs);
    return this.treeSlotMap !== null;
  }

  private growSlotMap(until: number): void {
    const m = (this.partialSlotMap ??= new Map<string, number>());
    const ids = this.treeIds;
    for (let slot = m.size; slot < ids.length; slot++) {
      m.set(ids[slot], slot);
      if ((slot & 1023) === 1023 && performance.now() > until) return;
    }
    this.treeSlotMap = m;
    this.partialSlotMap = null;
  }

  private treeSlot(): Map<string, number> {
    if (!this.treeSlotMap) this.growSlotMap(Infinity);
    return this.treeSlotMap!;
  }

  private removeFromOverlay(id: string): boolean {
    const k = this.ovSlot.get(id);
    if (k === undefined) return false;
    const last = this.ovIds.length - 1;
    if (k !== last) {
      const lastId = this.ovIds[last];
      this.ovIds[k] = lastId;
      this.ovGeometries[k] = this.ovGeometries[last];
      this.ovTags[k] = this.ovTags[last];
      for (let j = 0; j < 4; j++) this.ovBounds[4 * k + j] = this.ovBounds[4 * last + j];
      this.ovSlot.set(lastId, k);
    }
    this.ovIds.pop();
    this.ovGeometries.pop();
    this.ovTags.pop();
    this.ovBounds.length = 4 * last;
    this.ovSlot.delete(id);
    return true;
  }

  private retireTreeSlot(id: string): boolean {
    const slot = this.treeSlot().get(id);
    if (slot === undefined || this.stale[slot]) return false;
    this.stale[slot] = 1;
    this.staleCount++;
    return true;
  }

  private maybeRebuild(): void {
    const pending = this.ovIds.length + this.staleCount;
    if (pending > Math.max(this.minOverlay, this.treeIds.length * this.rebuildFraction)) this.rebuild();
  }

  /** Everything from `shapes` straight into the tree; a later shape with the same id wins. */
  private load(shapes: Iterable<IndexedShape>): void {
    const ids: string[] = [];
    const geometries: Geometry[] = [];
    const tags: number[] = [];
    let bounds = new Float64Array(4 * 1024);
    for (const s of shapes) {
      const i = ids.length;
      if (4 * i + 4 > bounds.length) {
        const grown = new Float64Array(bounds.length * 2);
        grown.set(bounds);
        bounds = grown;
      }
      ids.push(s.id);
      geometries.push(s.geometry);
      tags.push(s.tag ?? 0);
      writeBounds(s.geometry, bounds, i);
    }
    this.clearOverlay();
    this.install(ids, geometries, bounds.subarray(0, 4 * ids.length), Uint32Array.from(tags));
    // Duplicate ids: keep the last, as upserting them one by one would.
    if (!this.uniqueIds && this.treeSlot().size !== ids.length) {
      const keep = this.treeSlot();
      for (let slot = 0; slot < ids.length; slot++) {
        if (keep.get(ids[slot]) !== slot) {
          this.stale[slot] = 1;
          this.staleCount++;
        }
      }
      this.rebuild();
    }
  }

  private clearOverlay(): void {
    this.ovIds = [];
    this.ovGeometries = [];
    this.ovBounds = [];
    this.ovTags = [];
    this.ovSlot.clear();
  }

  private rebuild(): void {
    const n = this.treeIds.length - this.staleCount + this.ovIds.length;
    const ids: string[] = new Array(n);
    const geometries: (Geometry | undefined)[] = new Array(n);
    const bounds = new Float64Array(4 * n);
    const tags = new Uint32Array(n);
    const oldSources = this.treeSources;
    const sources = oldSources ? new Int32Array(n).fill(-1) : undefined;
    let k = 0;
    for (let slot = 0; slot < this.treeIds.length; slot++) {
      if (this.stale[slot]) continue;
      ids[k] = this.treeIds[slot];
      geometries[k] = this.treeGeometries[slot];
      bounds.set(this.treeBounds.subarray(4 * slot, 4 * slot + 4), 4 * k);
      tags[k] = this.treeTags[slot];
      if (sources) sources[k] = oldSources![slot];
      k++;
    }
    for (let j = 0; j < this.ovIds.length; j++) {
      ids[k] = this.ovIds[j];
      geometries[k] = this.ovGeometries[j];
      for (let c = 0; c < 4; c++) bounds[4 * k + c] = this.ovBounds[4 * j + c];
      tags[k] = this.ovTags[j];
      k++;
    }
    this.clearOverlay();
    this.install(ids, geometries, bounds, tags, sources);
  }

  private install(ids: string[], geometries: (Geometry | undefined)[], bounds: Float64Array, tags: Uint32Array, sources?: Int32Array): void {
    this.version++;
    const n = ids.length;
    // Flatbush refuses an empty tree.
    let tree: Flatbush | null = null;
    if (n > 0) {
      tree = new Flatbush(n);
      for (let i = 0; i < n; i++) tree.add(bounds[4 * i], bounds[4 * i + 1], bounds[4 * i + 2], bounds[4 * i + 3]);
      tree.finish();
    }
    this.tree = tree;
    this.treeIds = ids;
    this.treeGeometries = geometries;
    this.treeBounds = bounds;
    this.treeTags = tags;
    this.treeSources = sources ?? null;
    this.stale = new Uint8Array(n);
    this.staleCount = 0;
    this.treeSlotMap = null;
    this.partialSlotMap = null;
  }
}
