import { checkFlatRing, isFiniteNumber, isRecord, subPath } from '../interchange/checks';
import type { Report } from '../interchange/result';

/** One drawable piece of a GeoJSON geometry: a polygon (outline, then holes) or a point. */
export type Part =
  | { kind: 'polygon'; rings: number[][]; path: string }
  | { kind: 'point'; x: number; y: number; path: string }
  /** A straight line between two points: a length measurement (x0, y0, x1, y1). */
  | { kind: 'line'; points: number[]; path: string };

/** GeoJSON's geometry types: QuPath reads a bare geometry (or a list of them) as annotations. */
export const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** Limits that keep a hostile file bounded; real QuPath exports stay far below them. */
const MAX_PARTS = 100_000;
const MAX_NESTING = 8;
/** As the shared format allows. */
const MAX_HOLES = 1000;

function readPosition(raw: unknown, path: string, report: Report): [number, number] | undefined {
  if (!Array.isArray(raw) || raw.length < 2) {
    report.problem(path, 'must be a position [x, y]');
    return undefined;
  }
  for (let c = 0; c < 2; c++) {
    if (!isFiniteNumber(raw[c])) {
      report.problem(`${path}[${c}]`, 'coordinate must be a finite number');
      return undefined;
    }
  }
  return [raw[0], raw[1]];
}

/** A closed GeoJSON ring → Granula's flat, open ring. An unclosed ring is accepted as drawn. */
function readRing(raw: unknown, path: string, report: Report): number[] | undefined {
  if (!Array.isArray(raw)) {
    report.problem(path, 'must be a list of positions [[x, y], …]');
    return undefined;
  }
  const flat: number[] = [];
  for (let p = 0; p < raw.length; p++) {
    const pos: unknown = raw[p];
    // The position's path is made only for a problem: a million outlines hold tens of millions of positions.
    if (!Array.isArray(pos) || pos.length < 2 || !isFiniteNumber(pos[0]) || !isFiniteNumber(pos[1])) return void readPosition(pos, `${path}[${p}]`, report);
    flat.push(pos[0], pos[1]);
  }
  const n = flat.length;
  if (n >= 4 && flat[0] === flat[n - 2] && flat[1] === flat[n - 1]) flat.length = n - 2;
  return checkFlatRing(flat, path, report);
}

function readPolygon(raw: unknown, path: string, report: Report): Part | undefined {
  if (!Array.isArray(raw) || raw.length === 0) {
    report.problem(path, 'must be a list of rings (the outline, then any holes)');
    return undefined;
  }
  if (raw.length > MAX_HOLES + 1) {
    report.problem(path, `has more than ${MAX_HOLES} holes`);
    return undefined;
  }
  const rings = raw.map((r, i) => readRing(r, `${path}[${i}]`, report));
  return rings.every((r) => r) ? { kind: 'polygon', rings: rings as number[][], path } : undefined;
}

function readList(raw: unknown, path: string, report: Report): unknown[] | undefined {
  if (!Array.isArray(raw)) return void report.problem(path, 'must be a list');
  if (raw.length > MAX_PARTS) return void report.problem(path, `has more than ${MAX_PARTS} parts`);
  return raw;
}

/**
 * A LineString of two positions is a length measurement (QuPath's line annotation); a longer one (a
 * polyline) is not a shape Granula has: reported as a warning and left out rather than refusing a
 * QuPath export for it.
 */
function readLine(raw: unknown, path: string, report: Report): Part[] | undefined {
  if (!Array.isArray(raw)) return void report.problem(path, 'must be a list of positions [[x, y], …]');
  if (raw.length !== 2) {
    report.warn(path, `a line of ${raw.length} points is not kept (Granula keeps straight lines of 2 points, length measurements)`);
    return [];
  }
  const a = readPosition(raw[0], `${path}[0]`, report);
  const b = readPosition(raw[1], `${path}[1]`, report);
  if (!a || !b) return undefined;
  if (a[0] === b[0] && a[1] === b[1]) return void report.problem(path, 'a length line needs two different points');
  return [{ kind: 'line', points: [a[0], a[1], b[0], b[1]], path }];
}

/**
 * Every drawable part of a geometry at `path` (a feature's `geometry`): polygons, points and
 * two-point lines (see readLine).
 */
export function readGeometry(g: unknown, path: string, report: Report, depth = 0): Part[] | undefined {
  if (!isRecord(g)) return void report.problem(path || '(root)', 'must be a GeoJSON geometry object');
  const at = subPath(path, 'coordinates');
  switch (g.type) {
    case 'Polygon': {
      const part = readPolygon(g.coordinates, at, report);
      return part && [part];
    }
    case 'MultiPolygon': {
      const list = readList(g.coordinates, at, report);
      if (!list) return undefined;
      const parts = list.map((p, k) => readPolygon(p, `${at}[${k}]`, report));
      return parts.every((p) => p) ? (parts as Part[]) : undefined;
    }
    case 'Point': {
      const pos = readPosition(g.coordinates, at, report);
      return pos && [{ kind: 'point', x: pos[0], y: pos[1], path }];
    }
    case 'MultiPoint': {
      const list = readList(g.coordinates, at, report);
      if (!list) return undefined;
      const parts = list.map((p, k) => {
        const pos = readPosition(p, `${at}[${k}]`, report);
        return pos && ({ kind: 'point', x: pos[0], y: pos[1], path: `${at}[${k}]` } as Part);
      });
      return parts.every((p) => p) ? (parts as Part[]) : undefined;
    }
    case 'LineString':
      return readLine(g.coordinates, at, report);
    case 'MultiLineString': {
      const list = readList(g.coordinates, at, report);
      if (!list) return undefined;
      const parts = list.map((l, k) => readLine(l, `${at}[${k}]`, report));
      return parts.every((p) => p) ? (parts as Part[][]).flat() : undefined;
    }
    case 'GeometryCollection': {
      if (depth >= MAX_NESTING) return void report.problem(path || '(root)', 'geometry collections are nested too deeply');
      const list = readList(g.geometries, subPath(path, 'geometries'), report);
      if (!list) return undefined;
      const parts = list.map((m, k) => readGeometry(m, `${subPath(path, 'geometries')}[${k}]`, report, depth + 1));
      return parts.every((p) => p) ? (parts as Part[][]).flat() : undefined;
    }
    default:
      return void report.problem(subPath(path, 'type'), typeof g.type === 'string' ? `unknown geometry type "${g.type.slice(0, 100)}"` : 'must be a GeoJSON geometry type');
  }
}
