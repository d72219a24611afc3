/** JSON with sorted keys and no `undefined`: equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * Whether two JSON-like values have the same canonical form (key order and `undefined` keys do not
 * matter), compared in place: a gather compares every record of a slide, and building two strings
 * per record cost more than the rest of the merge.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i] ?? null, bb[i] ?? null)) return false;
    return true;
  }
  const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    n++;
    if (bo[k] === undefined || !sameValue(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

/**
 * A 53-bit digest of a value's canonical JSON (cyrb53 over its UTF-16 code units): equal for values
 * `sameValue` calls equal. Sync keeps this instead of the value of every record a server database
 * holds, so a slide of a million outlines is compared without a second copy of it in memory.
 */
export function digestOf(value: unknown): number {
  return cyrb53(value === undefined ? 'undefined' : canonicalJson(value));
}

/** bryc's cyrb53 string hash (public domain), seed 0: 53 bits, well spread, fast in JavaScript. */
export function cyrb53(s: string): number {
  return new Digest53().text(s).value();
}

/** cyrb53 fed a piece at a time: strings and whole numbers (32-bit words), for content too big for one string. */
export class Digest53 {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  text(s: string): this {
    let h1 = this.h1, h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** Each number's low 32 bits (typed arrays of whole numbers; a Float64Array through a Uint32Array view). */
  words(a: ArrayLike<number>): this {
    let h1 = this.h1, h2 = this.h2;
    for (let i = 0; i < a.length; i++) {
      const w = a[i] | 0;
      h1 = Math.imul(h1 ^ w, 2654435761);
      h2 = Math.imul(h2 ^ w, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  value(): number {
    let h1 = this.h1, h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}
