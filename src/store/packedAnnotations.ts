import type { Annotation } from '../model/types';
import { packFingerprint, type PackedStore } from '../storage/annotationPack';

/**
 * The open project's annotations by id: a Map whose packed entries are built on first read. Entries
 * set in this session (and annotations stored as single rows) are ordinary Map entries and shadow
 * the packed one of the same id; deleting a packed entry marks it gone. Reading an entry twice
 * gives the same object, as with a plain Map. Iteration yields packed entries first, in pack order.
 */
export class AnnotationMap extends Map<string, Annotation> {
  /** Per ordinal: 1 when deleted or shadowed by an ordinary entry. */
  private gone: Uint8Array;
  private goneCount = 0;
  /** Ordinary entries set before the id lookup existed, whose packed twins are not yet marked gone. */
  private unresolved: string[] = [];

  constructor(
    readonly store: PackedStore,
    loose: Iterable<Annotation> = [],
    /** Packed ids deleted since packing. */
    deleted: Iterable<string> = [],
  ) {
    super();
    this.gone = new Uint8Array(store.count);
    for (const a of loose) this.set(a.id, a);
    for (const id of deleted) if (!super.has(id)) this.unresolved.push(id);
  }

  /** Whether ordinal o is a live entry. */
  liveOrdinal(o: number): boolean {
    this.resolve();
    return !this.gone[o];
  }

  private resolve(): void {
    if (!this.unresolved.length) return;
    const ids = this.unresolved;
    this.unresolved = [];
    for (const id of ids) this.markGone(this.store.ordinalOf(id));
  }

  private markGone(o: number | undefined): boolean {
    if (o === undefined || this.gone[o]) return false;
    this.gone[o] = 1;
    this.goneCount++;
    return true;
  }

  private packedLive(id: string): number | undefined {
    this.resolve();
    const o = this.store.ordinalOf(id);
    return o !== undefined && !this.gone[o] ? o : undefined;
  }

  override get(id: string): Annotation | undefined {
    const own = super.get(id);
    if (own !== undefined || super.has(id)) return own;
    const o = this.packedLive(id);
    return o === undefined ? undefined : this.store.annotation(o);
  }

  override has(id: string): boolean {
    return super.has(id) || this.packedLive(id) !== undefined;
  }

  override set(id: string, value: Annotation): this {
    if (!super.has(id)) {
      if (this.store.lookupReady) this.markGone(this.store.ordinalOf(id));
      else if (this.store.count) this.unresolved.push(id);
    }
    return super.set(id, value);
  }

  override delete(id: string): boolean {
    const own = super.delete(id);
    this.resolve();
    const packed = this.markGone(this.store.ordinalOf(id));
    return own || packed;
  }

  override clear(): void {
    super.clear();
    this.unresolved = [];
    this.gone.fill(1);
    this.goneCount = this.store.count;
  }

  override get size(): number {
    this.resolve();
    return super.size + this.store.count - this.goneCount;
  }

  override *entries(): MapIterator<[string, Annotation]> {
    for (const a of this.packedValues()) yield [a.id, a];
    yield* super.entries();
  }

  override *keys(): MapIterator<string> {
    this.resolve();
    let o = 0;
    for (const r of this.store.readers) for (let i = 0; i < r.count; i++, o++) if (!this.gone[o]) yield r.id(i);
    yield* super.keys();
  }

  override *values(): MapIterator<Annotation> {
    yield* this.packedValues();
    yield* super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, Annotation]> {
    return this.entries();
  }

  override forEach(fn: (value: Annotation, key: string, map: Map<string, Annotation>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  /**
   * Every entry, as `values`, without keeping what it builds: a pass over a slide's million
   * outlines (live sync comparing them with a server's) costs no memory once it is done.
   */
  *valuesOnce(): Generator<Annotation> {
    this.resolve();
    yield* this.liveRange(0, this.store.count);
    yield* super.values();
  }

  /**
   * The entries a pack at a time (each with its packFingerprint), then the ordinary ones (key null),
   * built as `valuesOnce` builds them: sync skips the packs it has compared with a server already.
   */
  *groups(): Generator<AnnotationGroup> {
    this.resolve();
    let o = 0;
    for (const r of this.store.readers) {
      const from = o;
      o += r.count;
      yield { key: packFingerprint(r), annotations: this.liveRange(from, o) };
    }
    yield { key: null, annotations: super.values() };
  }

  private *liveRange(from: number, to: number): Generator<Annotation> {
    for (let o = from; o < to; o++) if (!this.gone[o]) yield this.store.peek(o);
  }

  /** Visits a few fields of every entry: packed ones read from their packs (see forEachFields). */
  forEachFields<K extends FieldKey>(keys: readonly K[], fn: (a: Pick<Annotation, K>) => void): void {
    this.resolve();
    const o: Record<string, unknown> = {};
    let ordinal = 0;
    for (const r of this.store.readers) {
      for (let i = 0; i < r.count; i++, ordinal++) {
        if (this.gone[ordinal]) continue;
        for (const k of keys) o[k] = k === 'id' ? r.id(i) : k === 'imageId' ? r.imageId : k === 'projectId' ? r.projectId : r.field(i, k);
        fn(o as Pick<Annotation, K>);
      }
    }
    for (const a of super.values()) fn(a);
  }

  /** The packFingerprint of the pack holding an id, or null. */
  packOf(id: string): string | null {
    const o = this.store.ordinalOf(id);
    return o === undefined ? null : packFingerprint(this.store.locate(o)[0]);
  }

  private *packedValues(): Generator<Annotation> {
    this.resolve();
    for (let o = 0; o < this.store.count; o++) if (!this.gone[o]) yield this.store.annotation(o);
  }
}

/**
 * The ids of one image's annotations, packed ones included without building them: a Set whose
 * packed members are the image's ordinal range, minus those removed.
 */
export class PackedIdSet extends Set<string> {
  private removed = new Set<number>();

  constructor(
    readonly store: PackedStore,
    /** Ordinal ranges [from, to) of this image's packs. */
    readonly ranges: readonly [number, number][],
    /** Packed ids that are not members (deleted, or stored again as rows): resolved on first need. */
    private unresolved: string[] = [],
  ) {
    super();
  }

  private resolve(): void {
    if (!this.unresolved.length) return;
    const ids = this.unresolved;
    this.unresolved = [];
    for (const id of ids) {
      const o = this.ordinalHere(id);
      if (o !== undefined) this.removed.add(o);
    }
  }

  private ordinalHere(id: string): number | undefined {
    this.resolve();
    const o = this.store.ordinalOf(id);
    if (o === undefined || this.removed.has(o)) return undefined;
    return this.ranges.some(([a, b]) => o >= a && o < b) ? o : undefined;
  }

  override has(id: string): boolean {
    return super.has(id) || this.ordinalHere(id) !== undefined;
  }

  override add(id: string): this {
    if (this.ordinalHere(id) !== undefined) return this;
    return super.add(id);
  }

  override delete(id: string): boolean {
    if (super.delete(id)) return true;
    const o = this.ordinalHere(id);
    if (o === undefined) return false;
    this.removed.add(o);
    return true;
  }

  override clear(): void {
    super.clear();
    for (const [a, b] of this.ranges) for (let o = a; o < b; o++) this.removed.add(o);
  }

  override get size(): number {
    this.resolve();
    let n = super.size;
    for (const [a, b] of this.ranges) n += b - a;
    return n - this.removed.size;
  }

  /** Whether a packed ordinal of this image is still a member. */
  hasOrdinal(o: number): boolean {
    this.resolve();
    return !this.removed.has(o);
  }

  /** Packed members, as ordinals. */
  *ordinals(): Generator<number> {
    this.resolve();
    for (const [a, b] of this.ranges) for (let o = a; o < b; o++) if (!this.removed.has(o)) yield o;
  }

  /** Members added as ordinary ids (not packed). */
  *looseIds(): Generator<string> {
    yield* super.values();
  }

  override *values(): SetIterator<string> {
    this.resolve();
    for (const [a, b] of this.ranges) {
      let o = a;
      for (const [reader, from] of this.store.span(a, b)) {
        for (let i = from; i < reader.count && o < b; i++, o++) if (!this.removed.has(o)) yield reader.id(i);
      }
    }
    yield* super.values();
  }

  override keys(): SetIterator<string> {
    return this.values();
  }

  override *entries(): SetIterator<[string, string]> {
    for (const id of this.values()) yield [id, id];
  }

  override [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  override forEach(fn: (value: string, key: string, set: Set<string>) => void, thisArg?: unknown): void {
    for (const id of this.values()) fn.call(thisArg, id, id, this);
  }
}

/** Annotations a pack at a time: `key` the pack's fingerprint, null for those stored one by one. */
export interface AnnotationGroup {
  key: string | null;
  annotations: Iterable<Annotation>;
}

/** A map's annotations in groups (see AnnotationMap.groups); a plain map's are one group, key null. */
export function annotationGroups(map: Map<string, Annotation>): Iterable<AnnotationGroup> {
  return map instanceof AnnotationMap ? map.groups() : [{ key: null, annotations: map.values() }];
}

/** The fingerprint of the pack holding an annotation, or null. */
export function packOf(map: Map<string, Annotation>, id: string): string | null {
  return map instanceof AnnotationMap ? map.packOf(id) : null;
}

/** The fields forEachFields reads (a shape is not one: it is never built here). */
export type FieldKey = Exclude<keyof Annotation, 'geometry'>;

/**
 * Visits a few fields of every annotation of a map, building none (a pack's fields are read in
 * place): a count over a slide's million outlines takes milliseconds and keeps nothing, where
 * `values()` builds and keeps every outline. `fn` gets one object, refilled for each annotation:
 * read it, do not keep it.
 */
export function forEachFields<K extends FieldKey>(map: Map<string, Annotation>, keys: readonly K[], fn: (a: Pick<Annotation, K>) => void): void {
  if (map instanceof AnnotationMap) map.forEachFields(keys, fn);
  else for (const a of map.values()) fn(a);
}

/** The annotations of a map, packed ones built afresh and not kept (see AnnotationMap.valuesOnce). */
export function annotationsOnce(map: Map<string, Annotation>): Iterable<Annotation> {
  return map instanceof AnnotationMap ? map.valuesOnce() : map.values();
}
