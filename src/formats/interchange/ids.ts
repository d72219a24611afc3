/**
 * Deterministic ids for records a foreign file does not name. Derived from what the file does say
 * (an image's file name, a class's name), so reading two files about the same images gives the same
 * image ids and their annotations can be merged and compared.
 */

/** FNV-1a, 32 bits, with a seed so several independent hashes can be combined. */
function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** 16 hex digits: not cryptographic, only stable. */
export function stableHash(text: string): string {
  return hex32(fnv1a(text, 0)) + hex32(fnv1a(text, 0x9e3779b9));
}

export function derivedId(prefix: string, text: string): string {
  return `${prefix}_${stableHash(text)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/**
 * A UUID for a record that has a non-UUID id (QuPath wants UUIDs). Version 8 ("custom") per RFC
 * 9562: the bits come from a hash of the id, so writing the same project twice gives the same file.
 */
export function uuidFor(id: string): string {
  if (isUuid(id)) return id.toLowerCase();
  const h = hex32(fnv1a(id, 1)) + hex32(fnv1a(id, 2)) + hex32(fnv1a(id, 3)) + hex32(fnv1a(id, 4));
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `dir/reader-a.json` → `reader-a`: the last extension only, as Python's `Path.stem`. */
export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Makes names unique by appending " (2)", " (3)"… to repeats, in order. */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    let candidate = n;
    for (let k = 2; used.has(candidate); k++) candidate = `${n} (${k})`;
    used.add(candidate);
    return candidate;
  });
}

/** A name from the data made safe as one file or folder name: no separators, no "..", no control characters. */
export function safeFileName(name: string): string {
  const s = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim();
  return s === '' || s === '.' || s === '..' ? '_' : s;
}

/** Text on one line, for line-based formats (a newline inside a class name would start a new record). */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/**
 * Ids for records a foreign file gives none: a hash of what the record says (and of who drew it),
 * so reading the same file twice gives the same ids and re-importing it does not duplicate its
 * labels. Records that say exactly the same thing get `_2`, `_3`… in the order they come, so an
 * edit elsewhere in the file leaves every other id as it was.
 */
export class ContentIds {
  private readonly seen = new Map<string, number>();

  constructor(private readonly prefix: string) {}

  next(content: string): string {
    const base = derivedId(this.prefix, content);
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  }
}
