// The bench's cell outlines: the synthetic slide's own nuclei (12–30 vertices, spread over its
// tissue as in a real slide), generated once and cached, since the whole slide takes a minute or two.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bucketCells, BUCKET_SIZE } from '../src/synthetic/cells';
import { slideFields, tissueAt } from '../src/synthetic/fields';
import { hashUnit } from '../src/synthetic/random';
import { SYNTHETIC_HEIGHT, SYNTHETIC_WIDTH } from '../src/synthetic/slide';
import { CELL_CLASSES, decodeCells, encodeCells, filterCells, tagOf, type CellSet } from './cellsFormat';

export const SEED = 1;
export const CACHE_DIR = join(import.meta.dirname, '..', 'node_modules', '.cache', 'granula-bench');
const COLS = Math.ceil(SYNTHETIC_WIDTH / BUCKET_SIZE);
const ROWS = Math.ceil(SYNTHETIC_HEIGHT / BUCKET_SIZE);
/** Shift of the filler copies that take a set past the slide's own nuclei (about 0.9 M on seed 1). */
const COPY_SHIFT = BUCKET_SIZE / 2;

class Builder {
  tag: number[] = [];
  cls: number[] = [];
  verts: number[] = [];
  coords: number[] = [];
  add(tag: number, classId: string, points: ArrayLike<number>, dx = 0, dy = 0): void {
    this.tag.push(tag);
    this.cls.push(CELL_CLASSES.indexOf(classId as (typeof CELL_CLASSES)[number]));
    this.verts.push(points.length / 2);
    for (let i = 0; i < points.length; i += 2) this.coords.push(Math.round((points[i] + dx) * 100), Math.round((points[i + 1] + dy) * 100));
  }
  done(): CellSet {
    return decodeCells(encodeCells({ count: this.tag.length, tag: Uint32Array.from(this.tag), classIndex: Uint8Array.from(this.cls), vertices: Uint8Array.from(this.verts), coords: Int32Array.from(this.coords) }));
  }
}

/** Every nucleus of the slide, row by row (the generator's memo holds about three rows of buckets). */
function wholeSlide(log: (s: string) => void): CellSet {
  const b = new Builder();
  const t0 = performance.now();
  for (let by = 0; by < ROWS; by++) {
    for (let bx = 0; bx < COLS; bx++) {
      const cells = bucketCells(SEED, bx, by);
      for (let k = 0; k < cells.length; k++) {
        const c = cells[k];
        const kk = Number(c.id.slice(c.id.lastIndexOf('-') + 1));
        b.add(tagOf(bx, by, kk, 0), c.classId, c.points);
      }
    }
    if (by % 100 === 99) log(`  cells: row ${by + 1}/${ROWS}, ${b.tag.length} nuclei, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  return b.done();
}

/** Nuclei of a hashed sample of buckets: a small set still spread over all the tissue, without a whole-slide pass. */
function sampledBuckets(fraction: number): CellSet {
  const b = new Builder();
  for (let by = 0; by < ROWS; by++) {
    for (let bx = 0; bx < COLS; bx++) {
      if (hashUnit(SEED + 99, bx, by) >= fraction) continue;
      for (const c of bucketCells(SEED, bx, by)) {
        const kk = Number(c.id.slice(c.id.lastIndexOf('-') + 1));
        b.add(tagOf(bx, by, kk, 0), c.classId, c.points);
      }
    }
  }
  return b.done();
}

/** Exactly `count` cells of `set`, chosen by a hash of their tag so the choice is stable and uniform. */
function subset(set: CellSet, count: number): CellSet {
  if (count >= set.count) return set;
  const u = new Float64Array(set.count);
  for (let i = 0; i < set.count; i++) u[i] = hashUnit(SEED + 7, set.tag[i]);
  const sorted = Float64Array.from(u).sort();
  const cut = sorted[count - 1];
  let taken = 0;
  return filterCells(set, (i) => u[i] <= cut && taken++ < count);
}

/** The slide's nuclei plus copies shifted half a bucket, over tissue, until there are `count`. */
function withCopies(set: CellSet, count: number): CellSet {
  const f = slideFields(SEED);
  const b = new Builder();
  for (let i = 0; i < set.count; i++) {
    const pts = set.coords.subarray(set.start[i], set.start[i + 1]);
    b.add(set.tag[i], CELL_CLASSES[set.classIndex[i]], Array.from(pts, (v) => v / 100));
  }
  for (let i = 0; i < set.count && b.tag.length < count; i++) {
    if (hashUnit(SEED + 13, set.tag[i]) > 0.5) continue;
    const x = set.coords[set.start[i]] / 100 + COPY_SHIFT, y = set.coords[set.start[i] + 1] / 100 + COPY_SHIFT;
    if (x >= SYNTHETIC_WIDTH - 20 || y >= SYNTHETIC_HEIGHT - 20 || tissueAt(f, x, y) < 0.02) continue;
    const pts = set.coords.subarray(set.start[i], set.start[i + 1]);
    b.add((set.tag[i] | (1 << 26)) >>> 0, CELL_CLASSES[set.classIndex[i]], Array.from(pts, (v) => v / 100), COPY_SHIFT, COPY_SHIFT);
  }
  if (b.tag.length < count) throw new Error(`only ${b.tag.length} cells available, ${count} asked`);
  return b.done();
}

function cached(name: string, make: () => CellSet, log: (s: string) => void): CellSet {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, name);
  if (existsSync(file)) return decodeCells(readFileSync(file));
  log(`  generating ${name} (cached in ${CACHE_DIR})`);
  const set = make();
  writeFileSync(file, encodeCells(set));
  return set;
}

/**
 * `count` cell outlines over the slide's tissue. Small sets sample buckets (fast, for --quick);
 * larger ones are drawn from the whole slide's nuclei (one pass, cached), with shifted copies past
 * the slide's own count.
 */
export function benchCells(count: number, log: (s: string) => void = console.log): CellSet {
  if (count <= 30_000) return cached(`sample-${count}.bin`, () => subset(sampledBuckets((count / 900_000) * 1.3), count), log);
  const all = cached('slide-seed1.bin', () => wholeSlide(log), log);
  if (count <= all.count) return cached(`subset-${count}.bin`, () => subset(all, count), log);
  return cached(`copies-${count}.bin`, () => withCopies(all, count), log);
}

/** Where the cells are densest near the tissue centre: a good place to zoom to. */
export function cellBounds(set: CellSet, i: number): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let j = set.start[i]; j < set.start[i + 1]; j += 2) {
    const x = set.coords[j] / 100, y = set.coords[j + 1] / 100;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const n = Number(process.argv[2] ?? 100_000);
  const t0 = performance.now();
  const set = benchCells(n);
  console.log(`${set.count} cells, ${set.coords.length / 2} vertices, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
