import Flatbush from 'flatbush';
import { geometryArea, geometryBounds, type Bounds } from '../model/geometry';
import type { Geometry } from '../model/types';
import { distanceToGeometry } from '../model/hit';
import type { ImagePoint } from './coords';

/**
 * Finds the shapes in view, or under the pointer, among up to millions. A packed R-tree (Flatbush)
 * holds the shapes as of its last build; shapes added, edited or removed since sit in a small
 * overlay that is scanned linearly, and the tree is rebuilt lazily, on the next query, once the
 * overlay grows past a fraction of the tree. Culling must never hide a shape that is in view: a
 * query returns every shape whose bounds meet the rect, edges included.
 */

export interface IndexedShape {
  id: string;
  /** Treated as immutable (as store records are): to change a shape, upsert a new geometry. */
  geometry: Geometry;
}

export interface SpatialIndexOptions {
  /** Rebuild once overlay entries exceed this fraction of the tree (default 1/16), and at least `minOverlay`. */
  rebuildFraction?: number;
  minOverlay?: number;
}

interface OverlayEntry {
  geometry: Geometry;
  bounds: Bounds;
}

export class SpatialIndex {
  private tree: Flatbush | null = null;
  private treeIds: string[] = [];
  private treeGeometries: Geometry[] = [];
  /** minX, minY, maxX, maxY per tree slot: kept so a rebuild need not recompute them. */
  private treeBounds = new Float64Array(0);
  /** Tree slots whose shape was since edited or removed. */
  private stale = new Uint8Array(0);
  private staleCount = 0;
  private treeSlot = new Map<string, number>();
  private overlay = new Map<string, OverlayEntry>();
  private readonly rebuildFraction: number;
  private readonly minOverlay: number;

  constructor(shapes: Iterable<IndexedShape> = [], options: SpatialIndexOptions = {}) {
    this.rebuildFraction = options.rebuildFraction ?? 1 / 16;
    this.minOverlay = options.minOverlay ?? 256;
    for (const s of shapes) this.overlay.set(s.id, { geometry: s.geometry, bounds: geometryBounds(s.geometry) });
    this.rebuild();
  }

  get size(): number {
    return this.treeIds.length - this.staleCount + this.overlay.size;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get(id: string): Geometry | undefined {
    const o = this.overlay.get(id);
    if (o) return o.geometry;
    const slot = this.treeSlot.get(id);
    return slot !== undefined && !this.stale[slot] ? this.treeGeometries[slot] : undefined;
  }

  /** Adds a shape, or replaces the shape with the same id. */
  upsert(shape: IndexedShape): void {
    this.retireTreeSlot(shape.id);
    this.overlay.set(shape.id, { geometry: shape.geometry, bounds: geometryBounds(shape.geometry) });
  }

  remove(id: string): boolean {
    const inOverlay = this.overlay.delete(id);
    const inTree = this.retireTreeSlot(id);
    return inOverlay || inTree;
  }

  /** Replaces everything (e.g. on switching image) and builds the tree at once. */
  reset(shapes: Iterable<IndexedShape>): void {
    this.overlay.clear();
    for (const s of shapes) this.overlay.set(s.id, { geometry: s.geometry, bounds: geometryBounds(s.geometry) });
    this.tree = null;
    this.treeIds = [];
    this.treeGeometries = [];
    this.treeBounds = new Float64Array(0);
    this.stale = new Uint8Array(0);
    this.staleCount = 0;
    this.treeSlot.clear();
    this.rebuild();
  }

  /** Ids of every shape whose bounds meet the rect (touching counts), in no particular order. */
  search(rect: Bounds): string[] {
    this.maybeRebuild();
    const out: string[] = [];
    if (this.tree) {
      for (const slot of this.tree.search(rect.minX, rect.minY, rect.maxX, rect.maxY)) {
        if (!this.stale[slot]) out.push(this.treeIds[slot]);
      }
    }
    for (const [id, e] of this.overlay) {
      const b = e.bounds;
      if (b.maxX >= rect.minX && b.minX <= rect.maxX && b.maxY >= rect.minY && b.minY <= rect.maxY) out.push(id);
    }
    return out;
  }

  /**
   * Ids of the shapes under the point: inside, or within `tolerance` of the outline (points within
   * `tolerance` of the point). Smallest area first, so a cell inside a region is picked before the
   * region; ties go to the nearer shape.
   */
  hitTest(p: ImagePoint, tolerance: number): string[] {
    const hits: { id: string; area: number; distance: number }[] = [];
    for (const id of this.search({ minX: p.x - tolerance, minY: p.y - tolerance, maxX: p.x + tolerance, maxY: p.y + tolerance })) {
      const g = this.get(id)!;
      const distance = distanceToGeometry(g, p.x, p.y);
      if (distance <= tolerance) hits.push({ id, area: geometryArea(g), distance });
    }
    hits.sort((a, b) => a.area - b.area || a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return hits.map((h) => h.id);
  }

  /** The topmost shape under the point (see hitTest), or null. */
  hitTestFirst(p: ImagePoint, tolerance: number): string | null {
    return this.hitTest(p, tolerance)[0] ?? null;
  }

  /** Forces the pending overlay into the tree now (e.g. when idle). */
  flush(): void {
    if (this.overlay.size > 0 || this.staleCount > 0) this.rebuild();
  }

  private retireTreeSlot(id: string): boolean {
    const slot = this.treeSlot.get(id);
    if (slot === undefined || this.stale[slot]) return false;
    this.stale[slot] = 1;
    this.staleCount++;
    return true;
  }

  private maybeRebuild(): void {
    const pending = this.overlay.size + this.staleCount;
    if (pending > Math.max(this.minOverlay, this.treeIds.length * this.rebuildFraction)) this.rebuild();
  }

  private rebuild(): void {
    const n = this.treeIds.length - this.staleCount + this.overlay.size;
    const ids: string[] = new Array(n);
    const geometries: Geometry[] = new Array(n);
    const bounds = new Float64Array(4 * n);
    let k = 0;
    for (let slot = 0; slot < this.treeIds.length; slot++) {
      if (this.stale[slot]) continue;
      ids[k] = this.treeIds[slot];
      geometries[k] = this.treeGeometries[slot];
      bounds.set(this.treeBounds.subarray(4 * slot, 4 * slot + 4), 4 * k);
      k++;
    }
    for (const [id, e] of this.overlay) {
      ids[k] = id;
      geometries[k] = e.geometry;
      bounds[4 * k] = e.bounds.minX;
      bounds[4 * k + 1] = e.bounds.minY;
      bounds[4 * k + 2] = e.bounds.maxX;
      bounds[4 * k + 3] = e.bounds.maxY;
      k++;
    }
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
    this.stale = new Uint8Array(n);
    this.staleCount = 0;
    this.treeSlot = new Map(ids.map((id, slot) => [id, slot]));
    this.overlay.clear();
  }
}
