import type { Report } from '../interchange/result';

/** COCO ids are integers; some tools write strings. Both are accepted and never confused with each other. */
export function cocoIdKey(v: unknown, path: string, report: Report): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return `n${v}`;
  if (typeof v === 'string' && v.length > 0 && v.length <= 200) return `s${v}`;
  report.problem(path, 'must be a whole number (COCO ids are integers)');
  return undefined;
}

/** The id as the file spells it, for messages. */
export function showId(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}
