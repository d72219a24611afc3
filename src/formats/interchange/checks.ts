import { geometryProblems } from '../../model/geometry';
import type { AttributeValue } from '../../model/types';
import { MAX_RING_COORDINATES } from '../shared/schema';
import type { Report } from './result';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

/** A name or id read from a file: non-empty text of bounded length (ids in the shared format stop at 200). */
export function checkText(v: unknown, path: string, report: Report, max = 1000): string | undefined {
  if (typeof v !== 'string') report.problem(path, 'must be text');
  else if (!v.trim()) report.problem(path, 'must not be empty');
  else if (v.length > max) report.problem(path, `is longer than ${max} characters`);
  else return v;
  return undefined;
}

/**
 * Checks a flat ring `[x0, y0, x1, y1, …]` (not closed) with the model's own rules, so a shape that
 * passes here is one the app can draw. Self-intersections are kept and reported as warnings.
 */
export function checkFlatRing(raw: unknown, path: string, report: Report): number[] | undefined {
  if (!Array.isArray(raw)) {
    report.problem(path, 'must be a list of coordinates [x0, y0, x1, y1, …]');
    return undefined;
  }
  if (raw.length > MAX_RING_COORDINATES) {
    report.problem(path, `has more than ${MAX_RING_COORDINATES / 2} points`);
    return undefined;
  }
  let bad = false;
  for (const p of geometryProblems({ type: 'polygon', points: raw as number[] })) {
    const at = path + p.path.slice('points'.length);
    if (p.severity === 'error') {
      report.problem(at, p.message);
      bad = true;
    } else report.warn(at, p.message);
  }
  return bad ? undefined : (raw.slice() as number[]);
}

/** Attribute values the model can hold; anything else is reported and left out rather than refusing the file. */
export function readAttributeValues(raw: Record<string, unknown>, path: string, report: Report, skip: readonly string[] = []): Record<string, AttributeValue> {
  const entries: [string, AttributeValue][] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (skip.includes(k)) continue;
    if (typeof v === 'string' || typeof v === 'boolean' || isFiniteNumber(v)) entries.push([k, v]);
    else if (v !== null && v !== undefined) report.warn(`${path}.${k}`, 'not kept: an attribute value must be text, a number or true/false');
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays data.
  return Object.fromEntries(entries);
}

/** `features[3]` + `geometry` → `features[3].geometry`; a lone Feature has no prefix. */
export function subPath(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}
