import type { SourcedProject } from '../../model/annotationSource';
import { toSharedDocument, type EmbeddedFile } from './convert';

/** Chunks of about this many bytes: big enough to write efficiently, small enough to hold. */
const CHUNK = 1 << 16;

/**
 * A growing UTF-8 buffer. Writing a million features as JavaScript strings makes garbage faster
 * than the collector clears it (most of the time went to GC, with the project's own million
 * annotations alive beside it); bytes written in place make almost none.
 */
export class Utf8Sink {
  buf = new Uint8Array(1 << 17);
  n = 0;
  private encoder = new TextEncoder();

  private room(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.n + extra));
    grown.set(this.buf.subarray(0, this.n));
    this.buf = grown;
  }

  /** Text that may hold any character. */
  text(s: string): void {
    this.room(s.length * 3);
    if (s.length > 48) {
      this.n += this.encoder.encodeInto(s, this.buf.subarray(this.n)).written;
      return;
    }
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) {
        ascii = false;
        break;
      }
      this.buf[this.n + i] = c;
    }
    if (ascii) this.n += s.length;
    else this.n += this.encoder.encodeInto(s, this.buf.subarray(this.n)).written;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.n++] = c;
  }

  /** A whole number, written digit by digit. */
  private whole(v: number): void {
    if (v < 10) {
      this.buf[this.n++] = 48 + v;
      return;
    }
    let digits = 0;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) digits++;
    let at = this.n + digits - 1;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) this.buf[at--] = 48 + (x % 10);
    this.n += digits;
  }

  /**
   * A number as JSON.stringify writes it. Coordinates are mostly whole or hundredths of a pixel:
   * those are written from integers (for |v| < 1e9 a double that is exactly k/100 has no shorter
   * decimal form than k/100 itself: other decimals of ≤ 2 places lie 0.01 apart, far more than its
   * precision). Anything else goes through the general conversion.
   */
  num(v: number): void {
    const k = Math.round(v * 100);
    if (k / 100 === v && k < 0x7fffffff && k > -0x7fffffff) {
      this.room(16);
      const buf = this.buf;
      let a = k < 0 ? -k : k;
      if (k < 0) buf[this.n++] = 45;
      // Digits of the hundredths, last first, into the scratch; then whole part, point, fraction.
      const d = this.digits;
      let i = 0;
      do {
        d[i++] = 48 + (a % 10);
        a = (a / 10) | 0;
      } while (a > 0);
      while (i < 3) d[i++] = 48;
      for (let j = i - 1; j >= 2; j--) buf[this.n++] = d[j];
      if (d[1] !== 48 || d[0] !== 48) {
        buf[this.n++] = 46;
        buf[this.n++] = d[1];
        if (d[0] !== 48) buf[this.n++] = d[0];
      }
      return;
    }
    if (k / 100 === v && k < 1e11 && k > -1e11) {
      this.room(16);
      const a = k < 0 ? -k : k;
      if (k < 0) this.buf[this.n++] = 45;
      const whole = Math.floor(a / 100), frac = a - whole * 100;
      this.whole(whole);
      if (frac) {
        this.buf[this.n++] = 46;
        this.buf[this.n++] = 48 + Math.floor(frac / 10);
        if (frac % 10) this.buf[this.n++] = 48 + (frac % 10);
      }
      return;
    }
    this.text(Number.isFinite(v) ? String(v) : 'null');
  }

  private digits = new Uint8Array(24);

  /** Makes room for `extra` more bytes now, so a run of byte()/num() calls need not each check. */
  reserve(extra: number): void {
    this.room(extra);
  }

  /** The bytes so far, as a chunk of their own; the sink starts empty again. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.n);
    this.n = 0;
    return out;
  }
}


const keyText = new Map<string, string>();

/**
 * A value as JSON.stringify writes it, numbers and arrays of numbers (coordinates) by hand: the
 * general number-to-text conversion inside JSON.stringify is most of the cost of a million
 * outlines. Objects are walked key by key (keys without a JSON form left out, as JSON.stringify
 * does); anything else is JSON.stringify's own text. Returns false, writing nothing, for a value
 * with no JSON form at the top level (undefined, a function, a symbol).
 */
export function writeJson(out: Utf8Sink, v: unknown, skipKey?: string): boolean {
  if (typeof v === 'number') {
    out.num(v);
    return true;
  }
  if (Array.isArray(v)) {
    out.byte(91);
    for (let i = 0; i < v.length; i++) {
      if (i) out.byte(44);
      // In arrays, values without a JSON form are written as null.
      if (!writeJson(out, v[i])) out.text('null');
    }
    out.byte(93);
    return true;
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
    out.byte(123);
    let first = true;
    for (const k of Object.keys(v)) {
      if (k === skipKey) continue;
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      if (!first) out.byte(44);
      first = false;
      let kt = keyText.get(k);
      if (kt === undefined) {
        kt = JSON.stringify(k) + ':';
        if (keyText.size < 10_000) keyText.set(k, kt);
      }
      out.text(kt);
      writeJson(out, x);
    }
    out.byte(125);
    return true;
  }
  const text = JSON.stringify(v);
  if (text === undefined) return false;
  out.text(text);
  return true;
}

/** How far a chunked writer has got: annotations written so far, of the project's. */
export interface WriteProgress {
  done: number;
}

/**
 * The shared-format document in UTF-8 chunks: joined, exactly `JSON.stringify(toSharedDocument(…))`
 * followed by a newline (the file writeAny gives), but never held whole. A slide with a million
 * outlines makes a document of several hundred MB, more than a JavaScript string can hold; this
 * writes it to a file (Node) or a Blob (browser) piece by piece, with memory for one chunk and one
 * annotation at a time (`data.annotations` may be a source that builds each as it is reached).
 * `progress.done` counts the annotations written so far.
 */
export function* sharedDocumentChunks(data: SourcedProject, opts: { exportedAt: string; files?: EmbeddedFile[] }, chunkBytes = CHUNK, progress?: WriteProgress): Generator<Uint8Array> {
  // Everything but the annotations is small: built as usual, then written key by key.
  const head = toSharedDocument({ ...data, annotations: [] }, opts) as unknown as Record<string, unknown>;
  const out = new Utf8Sink();
  out.byte(123);
  let first = true;
  for (const key of Object.keys(head)) {
    const value = head[key];
    // As JSON.stringify: keys whose value has no JSON form are left out.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    if (!first) out.byte(44);
    first = false;
    out.text(JSON.stringify(key));
    out.byte(58);
    if (key !== 'annotations') {
      out.text(JSON.stringify(value));
      if (out.n >= chunkBytes) yield out.take();
      continue;
    }
    out.byte(91);
    let n = 0;
    for (const a of data.annotations) {
      if (n++) out.byte(44);
      // As toSharedDocument writes it: the record without its projectId (the document is the project).
      writeJson(out, a, 'projectId');
      if (progress) progress.done = n;
      if (out.n >= chunkBytes) yield out.take();
    }
    out.byte(93);
    if (out.n >= chunkBytes) yield out.take();
  }
  out.text('}\n');
  yield out.take();
}
