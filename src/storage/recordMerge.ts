/**
 * Three-way merge of one stored record, for two tabs that edited the same record before either saw
 * the other's write. `base` is what this tab started from, `ours` what it wants to write, `theirs`
 * what is stored now. Whatever only one side changed is kept; lists of objects with ids (classes,
 * attributes, options) and lists of strings or plain objects (opt-out keys, export log) are merged
 * element by element, so two tabs each adding a class both keep theirs. Only where both sides
 * changed the very same value does this tab's later write win. Pure: no IndexedDB here.
 */

import { canonicalJson, sameValue } from '../model/canonical';

export { canonicalJson, sameValue };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The identity of a list element: its `id`, or (for ids-less strings and objects) its content. */
function elementKey(v: unknown): string | null {
  if (typeof v === 'string') return `s:${v}`;
  if (isPlainObject(v)) return typeof v.id === 'string' ? `id:${v.id}` : `j:${canonicalJson(v)}`;
  return null;
}

/** Lists whose elements have an identity: numbers and nested lists (coordinates) are kept whole. */
function keyedList(list: unknown[]): Map<string, unknown> | null {
  const out = new Map<string, unknown>();
  for (const v of list) {
    const k = elementKey(v);
    if (k === null || out.has(k)) return null;
    out.set(k, v);
  }
  return out;
}

function mergeLists(base: unknown[], ours: unknown[], theirs: unknown[]): unknown[] {
  const b = keyedList(base);
  const o = keyedList(ours);
  const t = keyedList(theirs);
  if (!b || !o || !t) return ours;
  const result: { key: string; value: unknown }[] = [];
  for (const [key, tv] of t) {
    if (b.has(key) && !o.has(key)) continue; // we removed it
    result.push({ key, value: o.has(key) ? mergeValue(b.get(key), o.get(key), tv) : tv });
  }
  const placed = new Set(result.map((r) => r.key));
  let after: string | null = null;
  for (const [key, ov] of o) {
    if (!placed.has(key)) {
      const theyRemoved = b.has(key) && sameValue(b.get(key), ov);
      if (!theyRemoved) {
        // Keep our order: insert after the element that precedes it in our list.
        let at = after === null ? 0 : result.findIndex((r) => r.key === after) + 1;
        // Their additions at the same place were stored first: ours go after them.
        while (at < result.length && !b.has(result[at].key) && !o.has(result[at].key)) at++;
        result.splice(at, 0, { key, value: ov });
        placed.add(key);
      }
    }
    if (placed.has(key)) after = key;
  }
  return result.map((r) => r.value);
}

export function mergeValue(base: unknown, ours: unknown, theirs: unknown): unknown {
  if (sameValue(ours, base)) return theirs;
  if (sameValue(theirs, base) || sameValue(ours, theirs)) return ours;
  if (isPlainObject(ours) && isPlainObject(theirs)) {
    const b = isPlainObject(base) ? base : {};
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(theirs), ...Object.keys(ours)])) {
      const v = mergeValue(b[k], ours[k], theirs[k]);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (Array.isArray(ours) && Array.isArray(theirs)) return mergeLists(Array.isArray(base) ? base : [], ours, theirs);
  return ours;
}

/**
 * One record: `undefined` means absent. Our delete wins (a deliberate act); our edit of a record
 * the other tab deleted brings it back, so no labelling work disappears unseen.
 */
export function mergeRecord<T>(base: T | undefined, ours: T | undefined, theirs: T | undefined): T | undefined {
  if (ours === undefined) return undefined;
  if (theirs === undefined) return ours;
  return mergeValue(base, ours, theirs) as T;
}
