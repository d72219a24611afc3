import { hash32, hashUnit, Rng } from './random';
import { inflammationAt, regionFrom, slideFields, tissueAt, tumourAt, type Region, type SlideFields } from './fields';
import { SYNTHETIC_HEIGHT, SYNTHETIC_WIDTH } from './slide';

/**
 * Nuclei of the synthetic slide. Level 0 is cut into square buckets; each bucket draws its own
 * candidate nuclei from (seed, bucket) alone, each with a random mark. Overlaps are resolved as if
 * candidates were placed one by one in mark order over the whole slide (random sequential
 * adsorption): a candidate is kept unless it would touch a kept candidate of lower mark. That
 * definition does not depend on which tile or rect asks, so every caller sees the same cells; and
 * since marks strictly decrease along any chain of dependencies, evaluating it touches only a
 * small neighbourhood in practice.
 */

export type SyntheticCellClass = 'tumor-cell' | 'lymphocyte' | 'stromal-cell';

export interface SyntheticCell {
  /** "c-<bucketX>-<bucketY>-<k>": stable across calls and rects. */
  id: string;
  classId: SyntheticCellClass;
  /** Flat ring x0, y0, x1, y1, … in level-0 pixels; not closed. The painted nucleus follows it. */
  points: number[];
  cx: number;
  cy: number;
}

export interface CellRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Internal record: the public fields plus what placement, culling and painting need. */
export interface PlacedCell extends SyntheticCell {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Farthest vertex from the centre. */
  radius: number;
  /** Per-nucleus stain variation in [0, 1). */
  tone: number;
}

export const BUCKET_SIZE = 128;
/** No vertex lies farther than this from its nucleus centre. */
export const MAX_CELL_RADIUS = 14;
/** Minimum gap between two nuclei, so a threshold sees them apart. */
const CELL_GAP = 1.5;

/** Candidates per bucket, by region at the candidate: each region thins the densest draw down to its count. */
const CANDIDATES: Record<Region, number> = { tumour: 30, inflamed: 34, stroma: 3 };
const MAX_CANDIDATES = 34;
/** Below this tissue value a point is too close to the tissue edge to hold a nucleus. */
const TISSUE_MIN_FOR_CELLS = 0.01;
/**
 * The tissue field changes by at most ~0.036 between a bucket's middle and its corners (island slope
 * ≤ 1.4e-4/px plus edge noise ≤ 2.6e-4/px in any direction, over 91 px). So a bucket whose middle
 * is this far out holds no tissue, and one whose middle is this far in needs no per-candidate check.
 */
const TISSUE_SKIP_BUCKET = TISSUE_MIN_FOR_CELLS - 0.05;
const TISSUE_SURE_BUCKET = TISSUE_MIN_FOR_CELLS + 0.05;

const BUCKET_COLS = Math.ceil(SYNTHETIC_WIDTH / BUCKET_SIZE);
const BUCKET_ROWS = Math.ceil(SYNTHETIC_HEIGHT / BUCKET_SIZE);

function pickClass(region: Region, u: number): SyntheticCellClass {
  switch (region) {
    case 'tumour':
      return u < 0.85 ? 'tumor-cell' : 'lymphocyte';
    case 'inflamed':
      return u < 0.88 ? 'lymphocyte' : 'stromal-cell';
    case 'stroma':
      return u < 0.78 ? 'stromal-cell' : 'lymphocyte';
  }
}

/** Everything about a nucleus's outline except its vertices, which are made only for kept nuclei. */
interface Shape {
  vertices: number;
  /** Semi-axes (a ≥ b) before the wobble. */
  a: number;
  b: number;
  cosO: number;
  sinO: number;
  /** Amplitudes and phase cos/sin of the 2nd–4th harmonic wobble (pleomorphism). */
  a2: number; a3: number; a4: number;
  cp2: number; sp2: number; cp3: number; sp3: number; cp4: number; sp4: number;
  /** The outline lies inside the ellipse (a, b) scaled by this. */
  swell: number;
}

function drawShape(cls: SyntheticCellClass, rng: Rng): Shape {
  let vertices: number, a: number, b: number, wobble: number;
  switch (cls) {
    case 'lymphocyte': {
      // Small, round, dense.
      const r = 4.8 + 1.4 * rng.next();
      const aspect = 1 + 0.12 * rng.next();
      vertices = 12 + Math.floor(rng.next() * 5);
      a = r * Math.sqrt(aspect);
      b = r / Math.sqrt(aspect);
      wobble = 0.03;
      break;
    }
    case 'tumor-cell': {
      // Large and pleomorphic.
      const r = 7.5 + 3.5 * rng.next();
      const aspect = 1 + 0.45 * rng.next();
      vertices = 22 + Math.floor(rng.next() * 9);
      a = r * Math.sqrt(aspect);
      b = r / Math.sqrt(aspect);
      wobble = 0.07;
      break;
    }
    case 'stromal-cell':
      // Spindle-shaped.
      vertices = 16 + Math.floor(rng.next() * 7);
      a = 9.5 + 3.5 * rng.next();
      b = 3 + 1.4 * rng.next();
      wobble = 0.04;
      break;
  }
  const orientation = rng.next() * Math.PI;
  const a2 = (rng.next() - 0.5) * 2 * wobble, a3 = (rng.next() - 0.5) * 2 * wobble, a4 = (rng.next() - 0.5) * 2 * wobble;
  const p2 = rng.next() * 2 * Math.PI, p3 = rng.next() * 2 * Math.PI, p4 = rng.next() * 2 * Math.PI;
  return {
    vertices, a, b, cosO: Math.cos(orientation), sinO: Math.sin(orientation), a2, a3, a4,
    cp2: Math.cos(p2), sp2: Math.sin(p2), cp3: Math.cos(p3), sp3: Math.sin(p3), cp4: Math.cos(p4), sp4: Math.sin(p4),
    swell: 1 + Math.abs(a2) + Math.abs(a3) + Math.abs(a4),
  };
}

/** A star-shaped ring around (cx, cy): the wobbled ellipse sampled at jittered angles, never self-crossing. */
function nucleusRing(cx: number, cy: number, p: Shape, rng: Rng): number[] {
  const points = new Array<number>(2 * p.vertices);
  const step = (2 * Math.PI) / p.vertices;
  for (let i = 0; i < p.vertices; i++) {
    // Jitter stays under half a step, so angles keep increasing and the ring stays simple.
    const t = i * step + (rng.next() - 0.5) * 0.6 * step;
    const c = Math.cos(t);
    const s = Math.sin(t);
    // Harmonics from multiple-angle identities: two trig calls a vertex instead of five.
    const c2 = c * c - s * s, s2 = 2 * c * s;
    const c3 = c * (4 * c * c - 3), s3 = s * (3 - 4 * s * s);
    const c4 = c2 * c2 - s2 * s2, s4 = 2 * s2 * c2;
    let r = (p.a * p.b) / Math.sqrt((p.b * c) ** 2 + (p.a * s) ** 2);
    r *= 1 + p.a2 * (c2 * p.cp2 - s2 * p.sp2) + p.a3 * (c3 * p.cp3 - s3 * p.sp3) + p.a4 * (c4 * p.cp4 - s4 * p.sp4);
    r = Math.min(r, MAX_CELL_RADIUS - 0.5);
    const lx = r * c;
    const ly = r * s;
    points[2 * i] = round2(cx + lx * p.cosO - ly * p.sinO);
    points[2 * i + 1] = round2(cy + lx * p.sinO + ly * p.cosO);
  }
  return points;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * A candidate nucleus; kept ones are handed out as PlacedCell. Placement works on a bound of the
 * outline (the swollen ellipse), not the vertices: the decision then cannot depend on whether some
 * other caller already built a neighbour's outline, and candidates that lose never pay for one.
 * Hundreds of thousands can be alive while zoomed out, so a candidate holds only what placement
 * needs; the outline is re-derived from its seed when it is kept.
 */
class Candidate implements PlacedCell {
  points: number[] = [];
  minX = 0;
  minY = 0;
  maxX = 0;
  maxY = 0;
  radius = 0;
  /** Upper bound of the distance from the centre to any outline point. */
  readonly reachBound: number;
  /** The swollen ellipse: semi-axes already scaled by the wobble bound, and direction. */
  private readonly ra: number;
  private readonly rb: number;
  private readonly cosO: number;
  private readonly sinO: number;
  /** Placement decision memo: 0 unknown, 1 kept, 2 dropped. The same for every caller. */
  state = 0;
  constructor(
    readonly bx: number,
    readonly by: number,
    readonly k: number,
    readonly classId: SyntheticCellClass,
    readonly cx: number,
    readonly cy: number,
    readonly tone: number,
    readonly mark: number,
    shape: Shape,
    /** Seeds the generator that drew the shape; replayed to build the outline. */
    private readonly shapeSeed: number,
  ) {
    this.reachBound = Math.min(MAX_CELL_RADIUS - 0.5, shape.a * shape.swell);
    this.ra = shape.a * shape.swell;
    this.rb = shape.b * shape.swell;
    this.cosO = shape.cosO;
    this.sinO = shape.sinO;
  }

  get id(): string {
    return `c-${this.bx}-${this.by}-${this.k}`;
  }

  /** How far the outline can extend from the centre along unit vector (ux, uy): support of the swollen ellipse. */
  reachAlong(ux: number, uy: number): number {
    const along = ux * this.cosO + uy * this.sinO;
    const across = -ux * this.sinO + uy * this.cosO;
    return Math.min(this.reachBound, Math.sqrt(this.ra * this.ra * along * along + this.rb * this.rb * across * across));
  }

  build(): void {
    if (this.points.length > 0) return;
    // Same draws in the same order as when the candidate was made: shape, tone, then vertex jitter.
    const rng = new Rng(this.shapeSeed);
    const shape = drawShape(this.classId, rng);
    rng.next();
    const pts = nucleusRing(this.cx, this.cy, shape, rng);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, r2 = 0;
    for (let i = 0; i < pts.length; i += 2) {
      const x = pts[i], y = pts[i + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      // Squared here, rooted once below (Math.hypot is slow in V8).
      const d2 = (x - this.cx) * (x - this.cx) + (y - this.cy) * (y - this.cy);
      if (d2 > r2) r2 = d2;
    }
    this.points = pts;
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    this.radius = Math.sqrt(r2);
  }
}

/**
 * Bounded memo of buckets, cheap to consult: two generations, the older dropped wholesale when the
 * younger fills. Neighbouring tiles share buckets, and a bucket's contents never change.
 */
class BucketMemo<V> {
  private young = new Map<number, V>();
  private old = new Map<number, V>();
  constructor(private readonly capacity: number) {}
  get(key: number): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }
  set(key: number, v: V): void {
    this.young.set(key, v);
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

interface SeedMemo {
  candidates: BucketMemo<Candidate[]>;
  cells: BucketMemo<Candidate[]>;
}

const memoBySeed = new Map<number, SeedMemo>();

function seedMemo(seed: number): SeedMemo {
  let m = memoBySeed.get(seed);
  if (!m) {
    // Enough for a screenful of buckets at the coarsest level that paints polygons, twice over.
    m = { candidates: new BucketMemo(3000), cells: new BucketMemo(3000) };
    memoBySeed.set(seed, m);
  }
  return m;
}

const NO_CANDIDATES: Candidate[] = [];

/** Corners in order (0,0), (1,0), (0,1), (1,1); u, v in [0, 1). */
function bilinear(corners: number[], u: number, v: number): number {
  const top = corners[0] + (corners[1] - corners[0]) * u;
  const bottom = corners[2] + (corners[3] - corners[2]) * u;
  return top + (bottom - top) * v;
}

function bucketCandidates(f: SlideFields, memo: SeedMemo, bx: number, by: number): Candidate[] {
  if (bx < 0 || by < 0 || bx >= BUCKET_COLS || by >= BUCKET_ROWS) return NO_CANDIDATES;
  const key = by * BUCKET_COLS + bx;
  const hit = memo.candidates.get(key);
  if (hit) return hit;
  const out: Candidate[] = [];
  const x0 = bx * BUCKET_SIZE;
  const y0 = by * BUCKET_SIZE;
  const midX = x0 + BUCKET_SIZE / 2;
  const midY = y0 + BUCKET_SIZE / 2;
  const midTissue = tissueAt(f, midX, midY);
  if (midTissue > TISSUE_SKIP_BUCKET) {
    const checkEach = midTissue < TISSUE_SURE_BUCKET;
    // Region fields vary over thousands of pixels: interpolate them from the bucket's corners, so
    // region borders follow the field rather than the bucket grid.
    const x1 = x0 + BUCKET_SIZE, y1 = y0 + BUCKET_SIZE;
    const tu = [tumourAt(f, x0, y0), tumourAt(f, x1, y0), tumourAt(f, x0, y1), tumourAt(f, x1, y1)];
    const inf = [inflammationAt(f, x0, y0), inflammationAt(f, x1, y0), inflammationAt(f, x0, y1), inflammationAt(f, x1, y1)];
    const rng = new Rng(hash32(f.seed, bx, by, 0xce11));
    for (let k = 0; k < MAX_CANDIDATES; k++) {
      const u = rng.next();
      const v = rng.next();
      const classU = rng.next();
      const thinU = rng.next();
      const cx = x0 + u * BUCKET_SIZE;
      const cy = y0 + v * BUCKET_SIZE;
      const region = regionFrom(bilinear(tu, u, v), bilinear(inf, u, v));
      if (thinU * MAX_CANDIDATES >= CANDIDATES[region]) continue;
      if (cx >= SYNTHETIC_WIDTH || cy >= SYNTHETIC_HEIGHT) continue;
      if (checkEach && tissueAt(f, cx, cy) < TISSUE_MIN_FOR_CELLS) continue;
      const classId = pickClass(region, classU);
      // The shape has its own generator so it depends on this candidate alone.
      const shapeSeed = hash32(f.seed, bx, by, k + 1);
      const shapeRng = new Rng(shapeSeed);
      const shape = drawShape(classId, shapeRng);
      const tone = shapeRng.next();
      // Rounding must not carry a centre over into the next bucket: the id names this one.
      const rx = Math.min(round2(cx), x0 + BUCKET_SIZE - 0.01);
      const ry = Math.min(round2(cy), y0 + BUCKET_SIZE - 0.01);
      out.push(new Candidate(bx, by, k, classId, rx, ry, tone, hashUnit(f.seed, bx, by, 0x3a2c + k), shape, shapeSeed));
    }
  }
  memo.candidates.set(key, out.length > 0 ? out : NO_CANDIDATES);
  return out;
}

/** The nuclei whose centre lies in bucket (bx, by), after overlap removal. */
export function bucketCells(seed: number, bx: number, by: number): PlacedCell[] {
  const memo = seedMemo(seed);
  const key = by * BUCKET_COLS + bx;
  const hit = memo.cells.get(key);
  if (hit) return hit;
  const f = slideFields(seed);
  const kept: Candidate[] = [];
  for (const c of bucketCandidates(f, memo, bx, by)) {
    if (isKept(f, memo, c)) {
      c.build();
      kept.push(c);
    }
  }
  memo.cells.set(key, kept);
  return kept;
}

/**
 * Kept unless a touching candidate of lower mark is itself kept. The recursion ends because marks
 * strictly decrease; it runs on an explicit stack, as chains can be long where nuclei crowd.
 */
function isKept(f: SlideFields, memo: SeedMemo, start: Candidate): boolean {
  const stack: Candidate[] = start.state === 0 ? [start] : [];
  while (stack.length > 0) {
    const c = stack[stack.length - 1];
    if (c.state !== 0) {
      stack.pop();
      continue;
    }
    let undecided: Candidate | null = null;
    let dropped = false;
    scan: for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        for (const r of bucketCandidates(f, memo, c.bx + dx, c.by + dy)) {
          if (r === c || !beats(r, c) || !touches(r, c)) continue;
          if (r.state === 1) {
            dropped = true;
            break scan;
          }
          if (r.state === 0 && undecided === null) undecided = r;
        }
      }
    }
    if (dropped) {
      c.state = 2;
      stack.pop();
    } else if (undecided) {
      stack.push(undecided);
    } else {
      c.state = 1;
      stack.pop();
    }
  }
  return start.state === 1;
}

/** Lower mark wins; ids break the (practically impossible) tie so the order is total. */
function beats(r: Candidate, c: Candidate): boolean {
  return r.mark < c.mark || (r.mark === c.mark && (r.by - c.by || r.bx - c.bx || r.k - c.k) < 0);
}

/**
 * Could the two nuclei (plus the gap) overlap? Far apart: no. Otherwise compare how far each can
 * reach towards the other along the line joining their centres; if that falls short, the line
 * separates them.
 */
function touches(a: Candidate, b: Candidate): boolean {
  const dx = b.cx - a.cx;
  const dy = b.cy - a.cy;
  const far = a.reachBound + b.reachBound + CELL_GAP;
  const d2 = dx * dx + dy * dy;
  if (d2 >= far * far) return false;
  if (d2 === 0) return true;
  const d = Math.sqrt(d2);
  const ux = dx / d;
  const uy = dy / d;
  return a.reachAlong(ux, uy) + b.reachAlong(-ux, -uy) + CELL_GAP > d;
}

/** Cells whose bbox touches the rect, in the internal form (bounds, tone) the renderer needs. */
export function placedCellsInRect(seed: number, rect: CellRect): PlacedCell[] {
  const bx0 = Math.max(0, Math.floor((rect.x - MAX_CELL_RADIUS) / BUCKET_SIZE));
  const by0 = Math.max(0, Math.floor((rect.y - MAX_CELL_RADIUS) / BUCKET_SIZE));
  const bx1 = Math.min(BUCKET_COLS - 1, Math.floor((rect.x + rect.w + MAX_CELL_RADIUS) / BUCKET_SIZE));
  const by1 = Math.min(BUCKET_ROWS - 1, Math.floor((rect.y + rect.h + MAX_CELL_RADIUS) / BUCKET_SIZE));
  const out: PlacedCell[] = [];
  for (let by = by0; by <= by1; by++) {
    for (let bx = bx0; bx <= bx1; bx++) {
      for (const c of bucketCells(seed, bx, by)) {
        if (c.maxX >= rect.x && c.minX <= rect.x + rect.w && c.maxY >= rect.y && c.minY <= rect.y + rect.h) out.push(c);
      }
    }
  }
  return out;
}

function publicCell(c: PlacedCell): SyntheticCell {
  return { id: c.id, classId: c.classId, points: c.points.slice(), cx: c.cx, cy: c.cy };
}

/**
 * The true outlines of every nucleus whose bounding box intersects `rect` (level-0 pixels). The
 * same cell comes back, with the same id and points, whichever rect asks. Cost grows with the
 * rect's area: ask for views, not the whole slide.
 */
export function syntheticCellsInRect(seed: number, rect: CellRect): SyntheticCell[] {
  return placedCellsInRect(seed, rect).map(publicCell);
}

/**
 * Up to `max` nuclei lying wholly inside `rect`, nearest its centre first: a small, deterministic
 * set to seed a demo with pre-annotations. Searches buckets in rings outward from the centre, so a
 * large rect costs no more than the cells it returns.
 */
export function syntheticCellsForDemo(seed: number, rect: CellRect, max: number): SyntheticCell[] {
  if (max <= 0) return [];
  const mx = rect.x + rect.w / 2;
  const my = rect.y + rect.h / 2;
  const cbx = Math.floor(mx / BUCKET_SIZE);
  const cby = Math.floor(my / BUCKET_SIZE);
  const maxRing = Math.ceil(Math.max(rect.w, rect.h) / BUCKET_SIZE) + 1;
  const distance = (c: PlacedCell) => Math.hypot(c.cx - mx, c.cy - my);
  const inside = (c: PlacedCell) => c.minX >= rect.x && c.maxX <= rect.x + rect.w && c.minY >= rect.y && c.maxY <= rect.y + rect.h;
  const found: PlacedCell[] = [];
  for (let ring = 0; ring <= maxRing; ring++) {
    for (let by = cby - ring; by <= cby + ring; by++) {
      for (let bx = cbx - ring; bx <= cbx + ring; bx++) {
        if (Math.max(Math.abs(bx - cbx), Math.abs(by - cby)) !== ring) continue;
        if (bx < 0 || by < 0 || bx >= BUCKET_COLS || by >= BUCKET_ROWS) continue;
        for (const c of bucketCells(seed, bx, by)) if (inside(c)) found.push(c);
      }
    }
    // Cells in later rings lie at least ring·BUCKET_SIZE away: once enough cells are nearer than
    // that, none farther out can displace them.
    if (found.filter((c) => distance(c) <= ring * BUCKET_SIZE).length >= max) break;
  }
  found.sort((a, b) => distance(a) - distance(b) || (a.id < b.id ? -1 : 1));
  return found.slice(0, max).map(publicCell);
}
