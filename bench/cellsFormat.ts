/**
 * The bench's cell outlines in a compact binary form, written by Node (bench/cells.ts) and read by
 * the page (bench/page/seed.ts) and the Node workloads. Little-endian sections, each 4-byte aligned:
 *
 *   u32 magic, u32 count, u32 coordCount
 *   u32[count] tag        — which cell: bucketX | bucketY << 10 | k << 20 | copy << 26 (see cellId)
 *   u8[count]  classIndex — index into CELL_CLASSES
 *   u8[count]  vertices
 *   i32[coordCount] x0, y0, x1, y1, … × 100 (the generator rounds to 0.01 px, so this is exact)
 */

export const CELL_CLASSES = ['tumor-cell', 'lymphocyte', 'stromal-cell'] as const;
const MAGIC = 0x6c6c6563; // "cell"

export interface CellSet {
  count: number;
  tag: Uint32Array;
  classIndex: Uint8Array;
  vertices: Uint8Array;
  /** Offset of each cell's first coordinate in `coords` (count + 1 entries). */
  start: Uint32Array;
  coords: Int32Array;
}

export function tagOf(bx: number, by: number, k: number, copy: number): number {
  return (bx | (by << 10) | (k << 20) | (copy << 26)) >>> 0;
}

/** A stable id, about as long as the app's own `ann_…` ids. */
export function cellId(tag: number): string {
  const bx = tag & 0x3ff, by = (tag >>> 10) & 0x3ff, k = (tag >>> 20) & 0x3f, copy = tag >>> 26;
  return `ann_c${copy}-${bx}-${by}-${k}`;
}

export function cellPoints(set: CellSet, i: number): number[] {
  const out = new Array<number>(set.start[i + 1] - set.start[i]);
  for (let j = set.start[i], o = 0; j < set.start[i + 1]; j++, o++) out[o] = set.coords[j] / 100;
  return out;
}

const pad4 = (n: number) => (n + 3) & ~3;

export function encodeCells(set: Omit<CellSet, 'start'>): Uint8Array {
  const n = set.count;
  const coordCount = set.coords.length;
  const size = 12 + 4 * n + pad4(n) + pad4(n) + 4 * coordCount;
  const buf = new ArrayBuffer(size);
  const head = new Uint32Array(buf, 0, 3);
  head[0] = MAGIC;
  head[1] = n;
  head[2] = coordCount;
  let o = 12;
  new Uint32Array(buf, o, n).set(set.tag.subarray(0, n));
  o += 4 * n;
  new Uint8Array(buf, o, n).set(set.classIndex.subarray(0, n));
  o += pad4(n);
  new Uint8Array(buf, o, n).set(set.vertices.subarray(0, n));
  o += pad4(n);
  new Int32Array(buf, o, coordCount).set(set.coords);
  return new Uint8Array(buf);
}

export function decodeCells(bytes: ArrayBuffer | Uint8Array): CellSet {
  const buf = bytes instanceof Uint8Array ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes;
  const head = new Uint32Array(buf, 0, 3);
  if (head[0] !== MAGIC) throw new Error('not a bench cell file');
  const n = head[1], coordCount = head[2];
  let o = 12;
  const tag = new Uint32Array(buf, o, n);
  o += 4 * n;
  const classIndex = new Uint8Array(buf, o, n);
  o += pad4(n);
  const vertices = new Uint8Array(buf, o, n);
  o += pad4(n);
  const coords = new Int32Array(buf, o, coordCount);
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + 2 * vertices[i];
  return { count: n, tag, classIndex, vertices, start, coords };
}

/** The cells `keep` says yes to, in their order. */
export function filterCells(set: CellSet, keep: (i: number) => boolean): CellSet {
  const idx: number[] = [];
  let coordCount = 0;
  for (let i = 0; i < set.count; i++) {
    if (!keep(i)) continue;
    idx.push(i);
    coordCount += set.start[i + 1] - set.start[i];
  }
  const n = idx.length;
  const out: CellSet = { count: n, tag: new Uint32Array(n), classIndex: new Uint8Array(n), vertices: new Uint8Array(n), start: new Uint32Array(n + 1), coords: new Int32Array(coordCount) };
  for (let j = 0; j < n; j++) {
    const i = idx[j];
    out.tag[j] = set.tag[i];
    out.classIndex[j] = set.classIndex[i];
    out.vertices[j] = set.vertices[i];
    out.start[j + 1] = out.start[j] + 2 * set.vertices[i];
    out.coords.set(set.coords.subarray(set.start[i], set.start[i + 1]), out.start[j]);
  }
  return out;
}
