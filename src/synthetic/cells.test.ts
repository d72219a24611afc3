import { describe, expect, it, vi } from 'vitest';
import { geometryProblems, ringArea, ringCentroid } from '../model/geometry';
import { ringContainsPoint } from '../model/hit';
import { BUCKET_SIZE, MAX_CELL_RADIUS, syntheticCellsForDemo, syntheticCellsInRect, type SyntheticCell } from './cells';
import { tissueCentre } from './fields';

const SEED = 7;
const centre = tissueCentre(SEED);
/** A 1024² view in the middle of the largest tissue island. */
const view = { x: Math.round(centre.x) - 512, y: Math.round(centre.y) - 512, w: 1024, h: 1024 };

function byId(cells: SyntheticCell[]): Map<string, SyntheticCell> {
  return new Map(cells.map((c) => [c.id, c]));
}

function bboxOf(points: number[]) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]);
    maxX = Math.max(maxX, points[i]);
    minY = Math.min(minY, points[i + 1]);
    maxY = Math.max(maxY, points[i + 1]);
  }
  return { minX, minY, maxX, maxY };
}

function segmentsCross(p: number[], i: number, q: number[], j: number): boolean {
  const n = p.length >> 1, m = q.length >> 1;
  const [ax, ay, bx, by] = [p[2 * i], p[2 * i + 1], p[2 * ((i + 1) % n)], p[2 * ((i + 1) % n) + 1]];
  const [cx, cy, dx, dy] = [q[2 * j], q[2 * j + 1], q[2 * ((j + 1) % m)], q[2 * ((j + 1) % m) + 1]];
  const o = (x1: number, y1: number, x2: number, y2: number, x3: number, y3: number) => Math.sign((x2 - x1) * (y3 - y1) - (y2 - y1) * (x3 - x1));
  return o(ax, ay, bx, by, cx, cy) * o(ax, ay, bx, by, dx, dy) < 0 && o(cx, cy, dx, dy, ax, ay) * o(cx, cy, dx, dy, bx, by) < 0;
}

function outlinesOverlap(a: number[], b: number[]): boolean {
  if (ringContainsPoint(a, b[0], b[1]) || ringContainsPoint(b, a[0], a[1])) return true;
  for (let i = 0; i < a.length >> 1; i++) for (let j = 0; j < b.length >> 1; j++) if (segmentsCross(a, i, b, j)) return true;
  return false;
}

describe('syntheticCellsInRect', () => {
  const cells = syntheticCellsInRect(SEED, view);

  it('finds a crowd of nuclei in tissue', () => {
    expect(cells.length).toBeGreaterThan(100);
  });

  it('returns only cells whose bounding box meets the rect', () => {
    for (const c of cells) {
      const b = bboxOf(c.points);
      expect(b.maxX >= view.x && b.minX <= view.x + view.w && b.maxY >= view.y && b.minY <= view.y + view.h).toBe(true);
    }
  });

  it('gives valid, simple rings of 12–30 vertices, radius 4–14 px, named after the bucket of their centre', () => {
    for (const c of cells) {
      const n = c.points.length / 2;
      expect(n).toBeGreaterThanOrEqual(12);
      expect(n).toBeLessThanOrEqual(30);
      expect(geometryProblems({ type: 'polygon', points: c.points })).toEqual([]);
      let rMax = 0, rMin = Infinity;
      for (let i = 0; i < c.points.length; i += 2) {
        const r = Math.hypot(c.points[i] - c.cx, c.points[i + 1] - c.cy);
        rMax = Math.max(rMax, r);
        rMin = Math.min(rMin, r);
      }
      expect(rMax).toBeLessThanOrEqual(MAX_CELL_RADIUS);
      expect(rMin).toBeGreaterThan(2.5);
      expect(rMax).toBeGreaterThan(4);
      const [, bx, by] = /^c-(\d+)-(\d+)-\d+$/.exec(c.id)!.map(Number);
      expect(Math.floor(c.cx / BUCKET_SIZE)).toBe(bx);
      expect(Math.floor(c.cy / BUCKET_SIZE)).toBe(by);
      expect(ringContainsPoint(c.points, c.cx, c.cy)).toBe(true);
    }
  });

  it('never lets two nuclei overlap', () => {
    const list = cells.map((c) => ({ c, b: bboxOf(c.points) }));
    let closePairs = 0;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i].b, b = list[j].b;
        if (a.maxX < b.minX || b.maxX < a.minX || a.maxY < b.minY || b.maxY < a.minY) continue;
        closePairs++;
        expect(outlinesOverlap(list[i].c.points, list[j].c.points), `${list[i].c.id} / ${list[j].c.id}`).toBe(false);
      }
    }
    // Crowded enough that the check means something.
    expect(closePairs).toBeGreaterThan(10);
  });

  it('gives the same cells, ids and outlines whichever rect asks', () => {
    const whole = byId(cells);
    const part = syntheticCellsInRect(SEED, { x: view.x + 300, y: view.y + 200, w: 300, h: 257 });
    expect(part.length).toBeGreaterThan(5);
    for (const c of part) expect(whole.get(c.id)).toEqual(c);
    // And every cell of the bigger answer that meets the small rect is in the small answer.
    const partIds = new Set(part.map((c) => c.id));
    for (const c of cells) {
      const b = bboxOf(c.points);
      if (b.maxX >= view.x + 300 && b.minX <= view.x + 600 && b.maxY >= view.y + 200 && b.minY <= view.y + 457) expect(partIds.has(c.id)).toBe(true);
    }
  });

  it('does not depend on what was asked before (fresh caches, reverse order)', async () => {
    vi.resetModules();
    const fresh = await import('./cells');
    // Ask far-away rects first, then tiles of the view from the bottom-right backwards.
    fresh.syntheticCellsInRect(SEED, { x: view.x + 5000, y: view.y + 5000, w: 256, h: 256 });
    const pieces: SyntheticCell[] = [];
    for (let y = view.y + 768; y >= view.y; y -= 256) for (let x = view.x + 768; x >= view.x; x -= 256) pieces.push(...fresh.syntheticCellsInRect(SEED, { x, y, w: 256, h: 256 }));
    const again = byId(pieces);
    expect(again.size).toBe(cells.length);
    for (const c of cells) expect(again.get(c.id)).toEqual(c);
  });

  it('returns copies: changing an answer does not change the slide', () => {
    const first = syntheticCellsInRect(SEED, view)[0];
    first.points[0] += 1000;
    expect(syntheticCellsInRect(SEED, view)[0].points[0]).not.toBe(first.points[0]);
  });

  it('tells classes apart by size and shape: lymphocytes small and round, tumour large, stromal elongated', () => {
    const wide = syntheticCellsInRect(SEED, { x: centre.x - 6000, y: centre.y - 6000, w: 12000, h: 12000 });
    const stats = new Map<string, { area: number; elong: number; n: number }>();
    for (const c of wide) {
      const [mx, my] = ringCentroid(c.points);
      let sxx = 0, syy = 0, sxy = 0;
      for (let i = 0; i < c.points.length; i += 2) {
        const dx = c.points[i] - mx, dy = c.points[i + 1] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
      }
      const tr = sxx + syy, det = sxx * syy - sxy * sxy;
      const l1 = tr / 2 + Math.sqrt((tr * tr) / 4 - det), l2 = tr / 2 - Math.sqrt((tr * tr) / 4 - det);
      const s = stats.get(c.classId) ?? { area: 0, elong: 0, n: 0 };
      s.area += ringArea(c.points);
      s.elong += Math.sqrt(l1 / l2);
      s.n++;
      stats.set(c.classId, s);
    }
    const mean = (cls: string, k: 'area' | 'elong') => stats.get(cls)![k] / stats.get(cls)!.n;
    for (const cls of ['tumor-cell', 'lymphocyte', 'stromal-cell']) expect(stats.get(cls)?.n ?? 0).toBeGreaterThan(20);
    expect(mean('lymphocyte', 'area')).toBeLessThan(mean('tumor-cell', 'area') / 2);
    expect(mean('lymphocyte', 'elong')).toBeLessThan(1.2);
    expect(mean('stromal-cell', 'elong')).toBeGreaterThan(1.5);
    expect(mean('tumor-cell', 'elong')).toBeLessThan(mean('stromal-cell', 'elong'));
  });

  it('has no nuclei on bare glass', () => {
    expect(syntheticCellsInRect(SEED, { x: 0, y: 0, w: 2000, h: 2000 })).toEqual([]);
  });
});

describe('syntheticCellsForDemo', () => {
  it('picks the nuclei nearest the centre of the rect, wholly inside it', () => {
    const rect = { x: view.x, y: view.y, w: 600, h: 400 };
    const picked = syntheticCellsForDemo(SEED, rect, 25);
    expect(picked).toHaveLength(25);
    const mx = rect.x + rect.w / 2, my = rect.y + rect.h / 2;
    const inside = syntheticCellsInRect(SEED, rect).filter((c) => {
      const b = bboxOf(c.points);
      return b.minX >= rect.x && b.maxX <= rect.x + rect.w && b.minY >= rect.y && b.maxY <= rect.y + rect.h;
    });
    const expected = inside.sort((a, b) => Math.hypot(a.cx - mx, a.cy - my) - Math.hypot(b.cx - mx, b.cy - my)).slice(0, 25);
    expect(picked.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(syntheticCellsForDemo(SEED, rect, 25)).toEqual(picked);
  });

  it('returns what there is when the rect holds fewer', () => {
    expect(syntheticCellsForDemo(SEED, { x: 0, y: 0, w: 500, h: 500 }, 10)).toEqual([]);
    expect(syntheticCellsForDemo(SEED, view, 0)).toEqual([]);
  });

  it('stays cheap for a whole-slide rect', () => {
    const picked = syntheticCellsForDemo(SEED, { x: 0, y: 0, w: 100_000, h: 80_000 }, 5);
    // The slide's middle may be glass; the search widens until it finds tissue.
    expect(picked.length).toBe(5);
  });
});
