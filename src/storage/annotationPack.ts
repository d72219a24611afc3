import { Digest53 } from '../model/canonical';
import { ArraySource, type AnnotationFields, type AnnotationSource } from '../model/annotationSource';
import type { Annotation, Geometry } from '../model/types';

/**
 * Many annotations of one image in one IndexedDB value, column by column, so a slide with a million
 * cell outlines loads in a few hundred reads of typed arrays instead of a million small values
 * (each costs a database read and a structured-clone decode). Every field of every annotation
 * survives the trip, unknown ones included, with its value and in its key order.
 *
 * - other fields than id and geometry: references into a table of distinct values (class ids,
 *   annotator, timestamps and small objects such as `{}` attributes appear once per pack);
 * - each annotation's key order: a reference into a table of distinct key lists;
 * - coordinates: when every one is a whole number after scaling by 1, 10, 100 or 1000 (whole
 *   pixels, or the hundredths most tools write), the first point of each ring and boxes and points
 *   as Int32, the other ring points as steps from the previous one, Int16 when all steps fit: a
 *   quarter of the bytes of doubles, and reading bytes back is most of the cost. Otherwise doubles.
 */
export interface PackedAnnotations {
  count: number;
  ids: string[];
  /** Distinct key lists, in object order ('geometry' included). */
  layouts: string[][];
  /** Per annotation: its key list. */
  layout: Uint16Array;
  /** Distinct field values. */
  values: unknown[];
  /** Per annotation, per key of its layout except id, projectId, imageId and geometry: a value reference. */
  refs: Uint8Array | Uint16Array | Uint32Array;
  /**
   * Per annotation: 0 null, 1 polygon, 2 box, 3 point, 4 polygon with `holes` (even empty),
   * 5 undefined, 6 anything else (kept whole as the next value reference).
   */
  geometryType: Uint8Array;
  /** Per polygon: number of rings, then the length (numbers) of each. */
  rings: Uint32Array;
  /** 0: every coordinate in `abs` as a double. Else coordinates × scale as whole numbers (see above). */
  scale: number;
  abs: Float64Array | Int32Array;
  steps: Int16Array | Int32Array | null;
}

const SCALES = [1, 10, 100, 1000];
const SKIP = new Set(['id', 'projectId', 'imageId', 'geometry']);

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
const isRing = (v: unknown): v is number[] => isNumbers(v) && v.length >= 2 && v.length % 2 === 0;

/** Which form a geometry takes: the usual shapes, in the key order the app makes them, become columns. */
function geometryKind(g: unknown): number {
  if (g === null) return 0;
  if (g === undefined) return 5;
  if (typeof g !== 'object') return 6;
  const o = g as Record<string, unknown>;
  const keys = Object.keys(o).join(',');
  if (o.type === 'polygon' && keys === 'type,points' && isRing(o.points)) return 1;
  if (o.type === 'polygon' && keys === 'type,points,holes' && isRing(o.points) && Array.isArray(o.holes) && o.holes.every(isRing)) return 4;
  if (o.type === 'box' && keys === 'type,x,y,w,h' && [o.x, o.y, o.w, o.h].every((v) => typeof v === 'number')) return 2;
  if (o.type === 'point' && keys === 'type,x,y' && typeof o.x === 'number' && typeof o.y === 'number') return 3;
  return 6;
}

/** The smallest scale that turns every value into a safe whole number exactly, or 0. */
function wholeScale(values: readonly number[]): number {
  scales: for (const scale of SCALES) {
    for (const x of values) {
      const k = Math.round(x * scale);
      if (k / scale !== x || Math.abs(k) > 0x3fffffff || Object.is(x, -0)) continue scales;
    }
    return scale;
  }
  return 0;
}

/** Packs annotations that share a project and an image. */
export function packAnnotations(list: readonly Annotation[]): PackedAnnotations {
  const n = list.length;
  const ids = new Array<string>(n);
  const layouts: string[][] = [];
  const layoutIndex = new Map<string, number>();
  const layout = new Uint16Array(n);
  const values: unknown[] = [];
  const primitiveIndex = new Map<unknown, number>();
  const objectIndex = new Map<string, number>();
  const refs: number[] = [];
  const geometryType = new Uint8Array(n);
  const rings: number[] = [];
  // Coordinates in stream order: ring starts, boxes and points go to `abs`, other ring points to `steps`.
  const all: number[] = [];
  /** The reference of `v`, known in `index` by `key`: added to `values` on first sight. */
  const intern = <K>(index: Map<K, number>, key: K, v: unknown): number => {
    let r = index.get(key);
    if (r === undefined) {
      r = values.length;
      values.push(v);
      index.set(key, r);
    }
    return r;
  };
  const valueRef = (v: unknown): number => {
    // Map keys compare by SameValueZero: -0 and 0 would merge, so -0 is kept apart.
    if (v === null || typeof v !== 'object') return intern(primitiveIndex, Object.is(v, -0) ? '\u0000-0' : v, v);
    // Objects (attributes, provenance) are compared by content; undefined members kept apart.
    return intern(objectIndex, JSON.stringify(v, (_k, x) => (x === undefined ? '\u0000undefined' : Object.is(x, -0) ? '\u0000-0' : x)), v);
  };
  const geometries: (Geometry | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = list[i] as unknown as Record<string, unknown>;
    ids[i] = a.id as string;
    const keys = Object.keys(a);
    const lk = keys.join('\u0000');
    let li = layoutIndex.get(lk);
    if (li === undefined) {
      li = layouts.length;
      if (li > 0xffff) throw new Error('too many distinct annotation shapes in one pack');
      layouts.push(keys);
      layoutIndex.set(lk, li);
    }
    layout[i] = li;
    for (const k of keys) if (!SKIP.has(k)) refs.push(valueRef(a[k]));
    const g = a.geometry;
    const kind = geometryKind(g);
    geometryType[i] = kind;
    geometries[i] = null;
    if (kind === 6) refs.push(valueRef(g));
    else if (kind === 1 || kind === 4 || kind === 2 || kind === 3) {
      const geo = g as Geometry;
      geometries[i] = geo;
      if (geo.type === 'polygon') {
        const list = [geo.points, ...(geo.holes ?? [])];
        rings.push(list.length);
        for (const r of list) {
          rings.push(r.length);
          for (let j = 0; j < r.length; j++) all.push(r[j]);
        }
      } else if (geo.type === 'box') all.push(geo.x, geo.y, geo.w, geo.h);
      else if (geo.type === 'point') all.push(geo.x, geo.y);
    }
  }
  const scale = wholeScale(all);
  let abs: Float64Array | Int32Array;
  let steps: Int16Array | Int32Array | null = null;
  if (scale === 0) abs = Float64Array.from(all);
  else {
    const a: number[] = [];
    const d: number[] = [];
    let fitsShort = true;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const g = geometries[i];
      if (!g) continue;
      if (g.type === 'polygon') {
        const count = 1 + (g.holes?.length ?? 0);
        for (let r = 0; r < count; r++) {
          const len = (r === 0 ? g.points : g.holes![r - 1]).length;
          let px = Math.round(all[c] * scale), py = Math.round(all[c + 1] * scale);
          a.push(px, py);
          for (let j = 2; j < len; j += 2) {
            const x = Math.round(all[c + j] * scale), y = Math.round(all[c + j + 1] * scale);
            const dx = x - px, dy = y - py;
            if (dx < -32768 || dx > 32767 || dy < -32768 || dy > 32767) fitsShort = false;
            d.push(dx, dy);
            px = x;
            py = y;
          }
          c += len;
        }
      } else {
        const len = g.type === 'box' ? 4 : 2;
        for (let j = 0; j < len; j++) a.push(Math.round(all[c + j] * scale));
        c += len;
      }
    }
    abs = Int32Array.from(a);
    steps = fitsShort ? Int16Array.from(d) : Int32Array.from(d);
  }
  const refArray = values.length <= 0xff ? Uint8Array.from(refs) : values.length <= 0xffff ? Uint16Array.from(refs) : Uint32Array.from(refs);
  return { count: n, ids, layouts, layout, values, refs: refArray, geometryType, rings: Uint32Array.from(rings), scale, abs, steps };
}

/** Geometry named, by geometryType (see AnnotationFields): never handed out as a shape. */
const SHAPE_NAMES: Record<number, { readonly type: string }> = { 1: Object.freeze({ type: 'polygon' }), 2: Object.freeze({ type: 'box' }), 3: Object.freeze({ type: 'point' }), 4: Object.freeze({ type: 'polygon' }) };

/** A fresh copy of a stored value: annotations never share an object. */
function fresh(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(fresh);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = fresh((v as Record<string, unknown>)[k]);
  return out;
}

/**
 * Reads a pack, one annotation at a time in any order (offsets are worked out once, on first use)
 * or all in order. Also answers what the viewer needs without building annotations: a field's
 * value, a shape's bounds.
 */
export class PackReader {
  private refStart: Uint32Array | null = null;
  private ringStart: Uint32Array | null = null;
  private absStart: Uint32Array | null = null;
  private stepStart: Uint32Array | null = null;
  /** Per layout: key → position among its value references (−1 when absent). */
  private fieldPos = new Map<string, Int32Array>();
  private objectValue: boolean[];

  constructor(
    readonly pack: PackedAnnotations,
    readonly projectId: string,
    readonly imageId: string,
  ) {
    this.objectValue = pack.values.map((v) => v !== null && typeof v === 'object');
  }

  get count(): number {
    return this.pack.count;
  }

  id(i: number): string {
    return this.pack.ids[i];
  }

  /** Where each annotation's data starts in each stream: one pass, on first need. */
  private offsets(): void {
    if (this.refStart) return;
    const p = this.pack;
    const n = p.count;
    const refStart = new Uint32Array(n), ringStart = new Uint32Array(n), absStart = new Uint32Array(n), stepStart = new Uint32Array(n);
    const refsPerLayout = p.layouts.map((keys) => keys.filter((k) => !SKIP.has(k)).length);
    let r = 0, ring = 0, a = 0, s = 0;
    for (let i = 0; i < n; i++) {
      refStart[i] = r;
      ringStart[i] = ring;
      absStart[i] = a;
      stepStart[i] = s;
      const t = p.geometryType[i];
      r += refsPerLayout[p.layout[i]] + (t === 6 ? 1 : 0);
      if (t === 1 || t === 4) {
        const nRings = p.rings[ring];
        for (let k = 1; k <= nRings; k++) {
          const len = p.rings[ring + k];
          if (p.scale) {
            a += 2;
            s += len - 2;
          } else a += len;
        }
        ring += 1 + nRings;
      } else if (t === 2) a += 4;
      else if (t === 3) a += 2;
    }
    this.refStart = refStart;
    this.ringStart = ringStart;
    this.absStart = absStart;
    this.stepStart = stepStart;
  }

  /** The value of a field (not id, projectId, imageId or geometry) of annotation i, or undefined. */
  field(i: number, key: string): unknown {
    this.offsets();
    let pos = this.fieldPos.get(key);
    if (!pos) {
      pos = Int32Array.from(this.pack.layouts, (keys) => keys.filter((k) => !SKIP.has(k)).indexOf(key));
      this.fieldPos.set(key, pos);
    }
    const at = pos[this.pack.layout[i]];
    return at < 0 ? undefined : this.pack.values[this.pack.refs[this.refStart![i] + at]];
  }

  /** Whether annotation i has a drawable geometry (not null, undefined or malformed). */
  hasShape(i: number): boolean {
    const t = this.pack.geometryType[i];
    return t >= 1 && t <= 4;
  }

  /** Writes minX, minY, maxX, maxY of annotation i's outer ring (or box, or point) at out[4k]; false without one. */
  bounds(i: number, out: Float64Array, k: number): boolean {
    const p = this.pack;
    const t = p.geometryType[i];
    if (t < 1 || t > 4) return false;
    this.offsets();
    const a = this.absStart![i];
    const abs = p.abs;
    const sc = p.scale || 1;
    if (t === 2) {
      const x = abs[a] / sc, y = abs[a + 1] / sc, w = abs[a + 2] / sc, h = abs[a + 3] / sc;
      out[4 * k] = Math.min(x, x + w);
      out[4 * k + 1] = Math.min(y, y + h);
      out[4 * k + 2] = Math.max(x, x + w);
      out[4 * k + 3] = Math.max(y, y + h);
      return true;
    }
    if (t === 3) {
      out[4 * k] = out[4 * k + 2] = abs[a] / sc;
      out[4 * k + 1] = out[4 * k + 3] = abs[a + 1] / sc;
      return true;
    }
    const len = p.rings[this.ringStart![i] + 1];
    let minX: number, minY: number, maxX: number, maxY: number;
    if (!p.scale) {
      minX = maxX = abs[a];
      minY = maxY = abs[a + 1];
      for (let j = 2; j < len; j += 2) {
        const x = abs[a + j], y = abs[a + j + 1];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    } else {
      const steps = p.steps!;
      let s = this.stepStart![i];
      let x = abs[a], y = abs[a + 1];
      minX = maxX = x;
      minY = maxY = y;
      for (let j = 2; j < len; j += 2) {
        x += steps[s++];
        y += steps[s++];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      minX /= sc;
      minY /= sc;
      maxX /= sc;
      maxY /= sc;
    }
    out[4 * k] = minX;
    out[4 * k + 1] = minY;
    out[4 * k + 2] = maxX;
    out[4 * k + 3] = maxY;
    return true;
  }

  /** Annotation i, built afresh. */
  annotation(i: number): Annotation {
    return this.build(i, true) as Annotation;
  }

  /**
   * Annotation i's fields, built afresh, its geometry only named (`{ type }`, shared; see
   * AnnotationFields): a tenth of the cost of building it, for a pass that needs the rest.
   */
  fields(i: number): AnnotationFields {
    return this.build(i, false) as AnnotationFields;
  }

  private build(i: number, withGeometry: boolean): unknown {
    this.offsets();
    const p = this.pack;
    const keys = p.layouts[p.layout[i]];
    const t = p.geometryType[i];
    let r = this.refStart![i];
    let geometry: unknown = null;
    if (t === 5) geometry = undefined;
    else if (t >= 1 && t <= 4) geometry = withGeometry ? this.geometry(i) : SHAPE_NAMES[t];
    const a: Record<string, unknown> = {};
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key === 'id') a.id = p.ids[i];
      else if (key === 'projectId') a.projectId = this.projectId;
      else if (key === 'imageId') a.imageId = this.imageId;
      else if (key === 'geometry') a.geometry = geometry;
      else {
        const ref = p.refs[r++];
        a[key] = this.objectValue[ref] ? fresh(p.values[ref]) : p.values[ref];
      }
    }
    if (t === 6) {
      const ref = p.refs[r++];
      a.geometry = this.objectValue[ref] ? fresh(p.values[ref]) : p.values[ref];
    }
    return a;
  }

  /** Annotation i's geometry, built afresh; null when it has none. */
  geometry(i: number): Geometry | null {
    const p = this.pack;
    const t = p.geometryType[i];
    if (t < 1 || t > 4) return null;
    this.offsets();
    let a = this.absStart![i];
    const abs = p.abs;
    const sc = p.scale;
    if (t === 2) return sc ? { type: 'box', x: abs[a] / sc, y: abs[a + 1] / sc, w: abs[a + 2] / sc, h: abs[a + 3] / sc } : { type: 'box', x: abs[a], y: abs[a + 1], w: abs[a + 2], h: abs[a + 3] };
    if (t === 3) return sc ? { type: 'point', x: abs[a] / sc, y: abs[a + 1] / sc } : { type: 'point', x: abs[a], y: abs[a + 1] };
    let ring = this.ringStart![i];
    let s = this.stepStart![i];
    const nRings = p.rings[ring++];
    const read = (len: number): number[] => {
      const out = new Array<number>(len);
      if (!sc) {
        for (let j = 0; j < len; j++) out[j] = abs[a + j];
        a += len;
        return out;
      }
      const steps = p.steps!;
      let x = abs[a++], y = abs[a++];
      out[0] = x / sc;
      out[1] = y / sc;
      for (let j = 2; j < len; j += 2) {
        x += steps[s++];
        y += steps[s++];
        out[j] = x / sc;
        out[j + 1] = y / sc;
      }
      return out;
    };
    const points = read(p.rings[ring++]);
    if (t === 1) return { type: 'polygon', points };
    const holes: number[][] = [];
    for (let h = 1; h < nRings; h++) holes.push(read(p.rings[ring++]));
    return { type: 'polygon', points, holes };
  }
}

/** Every annotation of a pack, in packing order. `projectId` and `imageId` are the pack's own. */
export function unpackAnnotations(p: PackedAnnotations, projectId: string, imageId: string, each: (a: Annotation) => void): void {
  const reader = new PackReader(p, projectId, imageId);
  for (let i = 0; i < p.count; i++) each(reader.annotation(i));
}

/**
 * A project's packed annotations as loaded from storage (see storage/annotationPack), built into
 * Annotation objects only when something asks for one. Opening a slide with a million outlines then
 * costs reading the packs, not a million objects: the viewer indexes the shapes straight from the
 * packs (bounds, class, annotator), and the first `get` of an id builds the id lookup.
 *
 * Every packed annotation has an ordinal (packs in order, then position in the pack).
 */
export class PackedStore {
  readonly readers: PackReader[];
  /** Ordinal of each reader's first annotation; one more entry holding the total. */
  readonly base: Uint32Array;
  readonly count: number;
  private cache: (Annotation | undefined)[];
  private lookup: Map<string, number> | null = null;

  constructor(readers: PackReader[]) {
    this.readers = readers;
    this.base = new Uint32Array(readers.length + 1);
    for (let i = 0; i < readers.length; i++) this.base[i + 1] = this.base[i] + readers[i].count;
    this.count = this.base[readers.length];
    this.cache = new Array(this.count);
  }

  /** The reader holding an ordinal and the position in it. */
  locate(ordinal: number): [PackReader, number] {
    let lo = 0, hi = this.readers.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.base[mid] <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    return [this.readers[lo], ordinal - this.base[lo]];
  }

  id(ordinal: number): string {
    const [r, i] = this.locate(ordinal);
    return r.id(i);
  }

  /** The readers covering ordinals [from, to), each with the position of the first one in it. */
  *span(from: number, to: number): Generator<[PackReader, number]> {
    if (from >= to) return;
    let [r, i] = this.locate(from);
    let k = this.readers.indexOf(r);
    while (k < this.readers.length && this.base[k] < to) {
      yield [this.readers[k], i];
      k++;
      i = 0;
    }
  }

  /** The annotation, built on first need and kept, so repeated reads give the same object. */
  annotation(ordinal: number): Annotation {
    let a = this.cache[ordinal];
    if (!a) {
      const [r, i] = this.locate(ordinal);
      a = this.cache[ordinal] = r.annotation(i);
    }
    return a;
  }

  /** The annotation as `annotation` gives it, but built afresh and not kept when not kept already. */
  peek(ordinal: number): Annotation {
    const a = this.cache[ordinal];
    if (a) return a;
    const [r, i] = this.locate(ordinal);
    return r.annotation(i);
  }

  /** Id → ordinal, built once (a million entries take a moment: done bit by bit when idle, or on first need). */
  ordinalOf(id: string): number | undefined {
    if (!this.lookup) this.growLookup(Infinity);
    return this.lookup!.get(id);
  }

  /** Builds part of the id lookup for about `budgetMs`; true once it is complete. */
  prepareSome(budgetMs: number): boolean {
    if (!this.lookup) this.growLookup(performance.now() + budgetMs);
    return this.lookup !== null;
  }

  private partial: { map: Map<string, number>; reader: number; index: number } | null = null;

  private growLookup(until: number): void {
    const p = (this.partial ??= { map: new Map(), reader: 0, index: 0 });
    for (; p.reader < this.readers.length; p.reader++, p.index = 0) {
      const r = this.readers[p.reader];
      const o = this.base[p.reader];
      for (; p.index < r.count; p.index++) {
        p.map.set(r.id(p.index), o + p.index);
        if ((p.index & 1023) === 1023 && performance.now() > until) {
          p.index++;
          return;
        }
      }
    }
    this.lookup = p.map;
    this.partial = null;
  }

  get lookupReady(): boolean {
    return this.lookup !== null;
  }
}

const fingerprints = new WeakMap<PackedAnnotations, string>();

/**
 * What a pack holds, as a short string: equal only for packs of equal content (a pack rewritten
 * under its storage key by a fold gets another). Live sync remembers the packs it has compared with
 * a server, and does not build their annotations again: a pack never changes.
 */
export function packFingerprint(r: PackReader): string {
  const p = r.pack;
  let f = fingerprints.get(p);
  if (f === undefined) {
    const d = new Digest53().text(`${r.projectId}\u0000${r.imageId}\u0000${p.scale}\u0000${JSON.stringify(p.layouts)}\u0000${JSON.stringify(p.values)}\u0000`);
    for (const id of p.ids) d.text(id).text('\n');
    d.words(p.layout).words(p.refs).words(p.geometryType).words(p.rings);
    d.words(p.abs instanceof Float64Array ? new Uint32Array(p.abs.buffer, p.abs.byteOffset, p.abs.length * 2) : p.abs);
    if (p.steps) d.words(p.steps);
    f = `${p.count}:${d.value().toString(36)}`;
    fingerprints.set(p, f);
  }
  return f;
}

/**
 * A project's packed annotations as storage holds them (see repository.loadStoredProject): the
 * packs, built into objects only when read, and which packed ids no longer count.
 */
export interface PackedSource {
  store: PackedStore;
  /** The storage key of each pack, in the order of `store.readers`. */
  keys: string[];
  /** Per image: ordinal ranges [from, to) of its packs. */
  images: Map<string, [number, number][]>;
  /** Packed ids deleted since packing. */
  deleted: string[];
}

/**
 * Every live annotation: the packed ones (in pack order) not deleted nor shadowed by a row, then
 * the rows. Builds each packed annotation: for a backup or an export, not for opening a project.
 */
export function liveAnnotations(packed: PackedSource, rows: readonly Annotation[]): Annotation[] {
  const hidden = new Set<string>(packed.deleted);
  for (const a of rows) hidden.add(a.id);
  const out: Annotation[] = [];
  const { store } = packed;
  let o = 0;
  for (const r of store.readers) {
    for (let i = 0; i < r.count; i++, o++) {
      if (hidden.size && hidden.has(r.id(i))) continue;
      out.push(store.annotation(o));
    }
  }
  for (const a of rows) out.push(a);
  return out;
}

/**
 * The live annotations of liveAnnotations, in its order, as a source (model/annotationSource): a
 * packed annotation is built when a walk reaches it and not kept, so an export of a slide's million
 * outlines holds the packs (typed arrays) and the one annotation being written, never a million
 * objects.
 */
export function packedAnnotationSource(packed: PackedSource | null, rows: readonly Annotation[]): AnnotationSource {
  return new StoredAnnotationSource(packed, rows, new Set());
}

class StoredAnnotationSource implements AnnotationSource {
  readonly count: number;
  /** Packed ids that do not count: deleted since packing, or stored again as a row. */
  private hidden: Set<string>;
  private rowSource: ArraySource | null = null;

  constructor(
    private readonly packed: PackedSource | null,
    private readonly rows: readonly Annotation[],
    /** Images left out. */
    private readonly dropped: ReadonlySet<string>,
  ) {
    this.hidden = new Set(packed?.deleted);
    for (const a of rows) this.hidden.add(a.id);
    let count = 0;
    for (const r of packed?.store.readers ?? []) {
      if (dropped.has(r.imageId)) continue;
      if (!this.hidden.size) count += r.count;
      else for (let i = 0; i < r.count; i++) if (!this.hidden.has(r.id(i))) count++;
    }
    for (const a of rows) if (!dropped.has(a.imageId)) count++;
    this.count = count;
  }

  private *live(r: PackReader): Generator<Annotation> {
    const { hidden } = this;
    for (let i = 0; i < r.count; i++) if (!hidden.size || !hidden.has(r.id(i))) yield r.annotation(i);
  }

  *[Symbol.iterator](): Generator<Annotation> {
    for (const r of this.packed?.store.readers ?? []) if (!this.dropped.has(r.imageId)) yield* this.live(r);
    for (const a of this.rows) if (!this.dropped.has(a.imageId)) yield a;
  }

  *fields(): Generator<AnnotationFields> {
    const { hidden } = this;
    for (const r of this.packed?.store.readers ?? []) {
      if (this.dropped.has(r.imageId)) continue;
      for (let i = 0; i < r.count; i++) if (!hidden.size || !hidden.has(r.id(i))) yield r.fields(i);
    }
    for (const a of this.rows) if (!this.dropped.has(a.imageId)) yield a;
  }

  *forImage(imageId: string): Generator<Annotation> {
    if (this.dropped.has(imageId)) return;
    if (this.packed) {
      // Each range is one pack's ordinals (an empty one locates no pack of its own).
      for (const [from, to] of this.packed.images.get(imageId) ?? []) if (to > from) yield* this.live(this.packed.store.locate(from)[0]);
    }
    yield* (this.rowSource ??= new ArraySource(this.rows)).forImage(imageId);
  }

  withoutImages(imageIds: ReadonlySet<string>): AnnotationSource {
    return new StoredAnnotationSource(this.packed, this.rows, new Set([...this.dropped, ...imageIds]));
  }
}
