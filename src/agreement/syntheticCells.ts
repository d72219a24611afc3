// Synthetic cell outlines for timing and tests: rater b redraws each of rater a's cells slightly
// shifted, resized and turned, skips 5% of them and adds 5% of its own.
import type { ShapeRecord } from './types';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cell(cx: number, cy: number, rx: number, ry: number, turn: number, vertices: number, jitter: number, rand: () => number): number[] {
  const pts: number[] = [];
  for (let k = 0; k < vertices; k++) {
    const t = (2 * Math.PI * k) / vertices;
    const f = 1 + jitter * (rand() - 0.5);
    const x = rx * Math.cos(t) * f, y = ry * Math.sin(t) * f;
    pts.push(cx + x * Math.cos(turn) - y * Math.sin(turn), cy + x * Math.sin(turn) + y * Math.cos(turn));
  }
  return pts;
}

/**
 * Cells of radius 8–11 px on a square lattice `pitch` px apart (below ~22 neighbours touch, as in
 * dense tissue). `jitter` > 0 roughens the outlines, so most are no longer convex.
 */
export function syntheticCells(count: number, jitter: number, seed = 1, pitch = 24): ShapeRecord[] {
  const rand = rng(seed);
  const side = Math.ceil(Math.sqrt(count));
  const shapes: ShapeRecord[] = [];
  let made = 0;
  for (let i = 0; made < count; i++) {
    const cx = (i % side) * pitch + 12, cy = Math.floor(i / side) * pitch + 12;
    const rx = 8 + 3 * rand(), ry = 8 + 3 * rand(), turn = Math.PI * rand(), n = 16 + Math.floor(8 * rand());
    const own = rand();
    if (own > 0.05) shapes.push({ id: `a${i}`, image: 'slide', classId: 'cell', rater: 'a', geometry: { type: 'polygon', points: cell(cx, cy, rx, ry, turn, n, jitter, rand) } });
    if (own < 0.95) {
      const dx = 2 * (rand() - 0.5), dy = 2 * (rand() - 0.5), s = 0.9 + 0.2 * rand();
      shapes.push({ id: `b${i}`, image: 'slide', classId: 'cell', rater: 'b', geometry: { type: 'polygon', points: cell(cx + dx, cy + dy, rx * s, ry * s, turn + 0.2 * (rand() - 0.5), n, jitter, rand) } });
    }
    made++;
  }
  return shapes;
}

