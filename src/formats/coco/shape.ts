import type { Geometry } from '../../model/types';
import { checkFlatRing, isFiniteNumber, isRecord } from '../interchange/checks';
import type { Shape } from '../interchange/extension';
import type { Report } from '../interchange/result';
import { rlePolygons } from './rle';

/** What one COCO annotation's geometry fields say, before the schema's granularity is known. */
export type CocoShape =
  | { kind: 'image' }
  | { kind: 'box'; box: Geometry & { type: 'box' }; /** Set when a polygon was exactly its bbox: a box, unless the file also has real outlines. */ ring?: number[] }
  | { kind: 'point'; x: number; y: number }
  /** Each polygon is its outline, then its holes (only a traced RLE mask has holes). */
  | { kind: 'polygons'; polygons: number[][][]; rle?: true };

function readBbox(raw: unknown, path: string, report: Report): [number, number, number, number] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length !== 4) {
    report.problem(path, 'must be [x, y, width, height]');
    return undefined;
  }
  const i = raw.findIndex((v) => !isFiniteNumber(v));
  if (i >= 0) {
    report.problem(`${path}[${i}]`, 'must be a finite number');
    return undefined;
  }
  if (raw[2] < 0 || raw[3] < 0) {
    report.problem(path, 'width and height must not be negative');
    return undefined;
  }
  return raw as [number, number, number, number];
}

function boxFrom(bbox: [number, number, number, number] | undefined, path: string, report: Report): (Geometry & { type: 'box' }) | undefined {
  if (!bbox) {
    report.problem(path, 'is needed: this annotation has no polygon');
    return undefined;
  }
  if (bbox[2] <= 0 || bbox[3] <= 0) {
    report.problem(path, 'a box needs a width and height above zero');
    return undefined;
  }
  return { type: 'box', x: bbox[0], y: bbox[1], w: bbox[2], h: bbox[3] };
}

/** An axis-aligned rectangle whose corners are its bbox: what a detection tool writes for a box. */
function isBboxRectangle(ring: number[], bbox: [number, number, number, number] | undefined): boolean {
  if (!bbox || ring.length !== 8) return false;
  const xs = new Set([ring[0], ring[2], ring[4], ring[6]]);
  const ys = new Set([ring[1], ring[3], ring[5], ring[7]]);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a));
  const [x, y, w, h] = bbox;
  const corners = (s: Set<number>, lo: number, hi: number) => s.size === 2 && [...s].every((v) => close(v, lo) || close(v, hi));
  return corners(xs, x, x + w) && corners(ys, y, y + h);
}

/**
 * Reads `segmentation` and `bbox` at `annotations[i]`. `shape` is what Granula's extension says the
 * annotation was; without it, polygons are polygons and a missing segmentation means a box.
 */
export function readCocoShape(a: Record<string, unknown>, at: string, shape: Shape | undefined, report: Report): CocoShape | undefined {
  const bbox = readBbox(a.bbox, `${at}.bbox`, report);
  if (shape === 'image') return { kind: 'image' };
  if (shape === 'box') {
    const box = boxFrom(bbox, `${at}.bbox`, report);
    return box && { kind: 'box', box };
  }
  if (shape === 'point') {
    if (!bbox) return void report.problem(`${at}.bbox`, 'is needed to place the point');
    return { kind: 'point', x: bbox[0] + bbox[2] / 2, y: bbox[1] + bbox[3] / 2 };
  }
  const seg = a.segmentation;
  if (isRecord(seg)) {
    // A run-length mask (a crowd region, or a model's output) is traced along its pixel edges.
    const traced = rlePolygons(seg, `${at}.segmentation`, report);
    if (!traced) return undefined;
    const holes = traced.polygons.reduce((n, p) => n + p.length - 1, 0);
    report.warn(
      `${at}.segmentation`,
      `an RLE mask was traced to ${traced.polygons.length} polygon${traced.polygons.length > 1 ? 's' : ''}${holes ? ` with ${holes} hole${holes > 1 ? 's' : ''}` : ''} along its pixel edges (it is written back as polygons)`,
    );
    return { kind: 'polygons', polygons: traced.polygons, rle: true };
  }
  if (seg === undefined || seg === null || (Array.isArray(seg) && seg.length === 0)) {
    const box = boxFrom(bbox, `${at}.bbox`, report);
    return box && { kind: 'box', box };
  }
  if (!Array.isArray(seg)) return void report.problem(`${at}.segmentation`, 'must be a list of polygons [[x0, y0, x1, y1, …], …] or an RLE object');
  if (seg.length > 1000) return void report.problem(`${at}.segmentation`, 'has more than 1000 polygons');
  const rings: number[][] = [];
  seg.forEach((ring, k) => {
    const checked = checkFlatRing(ring, `${at}.segmentation[${k}]`, report);
    if (checked) rings.push(checked);
  });
  if (rings.length !== seg.length) return undefined;
  if (rings.length === 1 && shape === undefined && isBboxRectangle(rings[0], bbox)) {
    return { kind: 'box', box: { type: 'box', x: bbox![0], y: bbox![1], w: bbox![2], h: bbox![3] }, ring: rings[0] };
  }
  return { kind: 'polygons', polygons: rings.map((r) => [r]) };
}
