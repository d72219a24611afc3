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

/**
 * COCO ids for records, in order: each keeps the id it came with (`carried`) when no earlier record
 * took it; the others are numbered on from the highest number in use, so a label map or a results
 * file keyed by the old ids still holds. `taken` names the records whose id was already used.
 */
export function assignCocoIds<T>(records: readonly T[], carried: (r: T) => number | string | undefined): { ids: (number | string)[]; taken: T[] } {
  const used = new Set<string>();
  const key = (v: number | string) => (typeof v === 'number' ? `n${v}` : `s${v}`);
  const out: (number | string | undefined)[] = records.map((r) => {
    const id = carried(r);
    if (id === undefined || used.has(key(id))) return undefined;
    used.add(key(id));
    return id;
  });
  let next = 1;
  for (const id of out) if (typeof id === 'number' && id >= next) next = id + 1;
  const taken: T[] = [];
  const ids = out.map((id, i) => {
    if (id !== undefined) return id;
    if (carried(records[i]) !== undefined) taken.push(records[i]);
    while (used.has(`n${next}`)) next++;
    used.add(`n${next}`);
    return next++;
  });
  return { ids, taken };
}
