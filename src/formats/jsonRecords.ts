import type { Problem } from './shared/paths';

/** One element of a streamed list: `key` is the root object's member (`''` for a root list), `index` its place. */
export interface JsonRecord {
  key: string;
  index: number;
  value: unknown;
}

/** A document that is not JSON, with where: the splitter stops at the first such problem. */
export class JsonStreamError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.path}: ${problem.message}`);
  }
}

const enum C {
  Quote = 34,
  Comma = 44,
  Colon = 58,
  OpenList = 91,
  Backslash = 92,
  CloseList = 93,
  OpenObject = 123,
  CloseObject = 125,
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** Whether the character at `at` is escaped: an odd number of backslashes before it. */
function escapedAt(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && text.charCodeAt(k) === C.Backslash) k--;
  return (at - 1 - k) % 2 === 1;
}

/** The position of the quote closing a string whose text starts at `from`, or -1 if it does not close in `text`. */
function stringEnd(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q >= 0; q = text.indexOf('"', q + 1)) if (!escapedAt(text, q)) return q;
  return -1;
}

/** Where the splitter is in the root object (or root list). */
type Place = 'start' | 'key' | 'colon' | 'value' | 'afterValue' | 'list' | 'end';

/**
 * Splits a JSON document read piece by piece into the elements of its big lists, so a file of any
 * size is read with only one element in memory at a time. The root object's members named in
 * `lists` (or the elements of a root list) come out as records, each parsed by the engine's own
 * JSON.parse; every other member is kept whole in `head`.
 *
 * Only the structure around the records is scanned here (nesting and strings): a character loop
 * finds where each element ends, and JSON.parse, which is native and checks everything, reads it.
 * That is why this is not a token-by-token JSON parser in JavaScript: those build every value of a
 * gigabyte file one token at a time, several times slower.
 */
export class JsonRecordSplitter {
  /** The root object's members that are not streamed lists, once `end` has run. */
  readonly head: Record<string, unknown> = {};
  /** Whether the root is a list (its elements are records of key `''`), an object, or not seen yet. */
  root: 'list' | 'object' | undefined;
  /** The root object's members whose elements came out as records (lists, possibly empty). */
  readonly streamed = new Set<string>();

  private buf = '';
  /** Characters dropped from the front of `buf` so far: positions in messages are of the whole text. */
  private dropped = 0;
  private pos = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private place: Place = 'start';
  private key = '';
  /** Where the current key, member value or list element began in `buf` (-1: none). */
  private start = -1;
  private index = 0;
  private readonly lists: ReadonlySet<string>;

  constructor(lists: Iterable<string>) {
    this.lists = new Set(lists);
  }

  /** Reads the next piece of text; returns the records it completed. */
  push(text: string): JsonRecord[] {
    if (this.dropped === 0 && this.buf === '' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.buf += text;
    const out: JsonRecord[] = [];
    this.scan(out);
    // Keep only what an unfinished key, value or element needs.
    const keep = this.start >= 0 ? this.start : this.pos;
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.dropped += keep;
      this.pos -= keep;
      if (this.start >= 0) this.start -= keep;
    }
    return out;
  }

  /** The end of the text: throws if the document is unfinished. */
  end(): void {
    for (let i = this.pos; i < this.buf.length; i++) if (!isSpace(this.buf.charCodeAt(i))) this.fail(i, 'unexpected text');
    if (this.place !== 'end') throw new JsonStreamError({ path: '(file)', message: this.place === 'start' ? 'is empty' : 'ends before the JSON document does' });
  }

  private fail(at: number, message: string): never {
    throw new JsonStreamError({ path: '(file)', message: `is not JSON: ${message} at character ${this.dropped + at + 1}` });
  }

  private parse(from: number, to: number, path: string): unknown {
    const text = this.buf.slice(from, to);
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new JsonStreamError({ path, message: `is not JSON (from character ${this.dropped + from + 1}): ${(e as Error).message}` });
    }
  }

  private recordPath(): string {
    return this.key === '' && this.root === 'list' ? `[${this.index}]` : `${this.key}[${this.index}]`;
  }

  private scan(out: JsonRecord[]): void {
    const buf = this.buf;
    const n = buf.length;
    // Depth of the list whose elements are records: 1 for a root list, 2 for a member's.
    const listDepth = this.root === 'list' ? 1 : 2;
    let i = this.pos;
    for (; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === C.Backslash) this.escaped = true;
        else if (c === C.Quote) {
          this.inString = false;
          if (this.place === 'key') {
            this.key = this.parse(this.start, i + 1, '(file)') as string;
            this.start = -1;
            this.place = 'colon';
          }
        }
        continue;
      }
      // Inside a record or a whole member: only nesting and strings matter until it closes.
      const floor = this.place === 'value' ? 1 : listDepth;
      if (this.depth > floor) {
        i = this.skipNested(buf, i, floor) - 1;
        continue;
      }
      if (isSpace(c)) continue;
      switch (this.place) {
        case 'start':
          if (c === C.OpenObject) {
            this.root = 'object';
            this.place = 'key';
            this.depth = 1;
          } else if (c === C.OpenList) {
            this.root = 'list';
            this.place = 'list';
            this.key = '';
            this.index = 0;
            this.depth = 1;
            this.pos = i + 1;
            return this.scan(out);
          } else this.fail(i, 'a JSON document starts with { or [');
          break;
        case 'key':
          if (c === C.Quote) {
            this.start = i;
            this.inString = true;
          } else if (c === C.CloseObject && Object.keys(this.head).length === 0 && this.index === 0) this.closeRoot();
          else this.fail(i, 'expected a member name');
          break;
        case 'colon':
          if (c !== C.Colon) this.fail(i, 'expected :');
          this.place = 'value';
          break;
        case 'value':
          if (c === C.OpenList && this.lists.has(this.key)) {
            this.streamed.add(this.key);
            this.place = 'list';
            this.index = 0;
            this.depth = 2;
            break;
          }
          if (this.start < 0) {
            this.start = i;
            if (c === C.Quote) this.inString = true;
            else if (c === C.OpenObject || c === C.OpenList) this.depth++;
            break;
          }
          if (c === C.Comma || c === C.CloseObject) {
            this.head[this.key] = this.parse(this.start, i, this.key);
            this.start = -1;
            if (c === C.Comma) this.place = 'key';
            else this.closeRoot();
          } else if (c === C.Quote) this.inString = true;
          else if (c === C.OpenObject || c === C.OpenList) this.depth++;
          break;
        case 'list':
          if (c === C.Comma || c === C.CloseList) {
            if (this.start >= 0) {
              out.push({ key: this.key, index: this.index, value: this.parse(this.start, i, this.recordPath()) });
              this.index++;
              this.start = -1;
            } else if (c === C.Comma || this.index > 0) this.fail(i, 'a list element is missing');
            if (c === C.CloseList) {
              this.depth = listDepth - 1;
              if (this.root === 'list') this.closeRoot();
              else this.place = 'afterValue';
            }
          } else if (this.start < 0) {
            this.start = i;
            if (c === C.Quote) this.inString = true;
            else if (c === C.OpenObject || c === C.OpenList) this.depth++;
          } else if (c === C.Quote) this.inString = true;
          else if (c === C.OpenObject || c === C.OpenList) this.depth++;
          // Anything else inside an element (a number's next digit): JSON.parse judges the element.
          break;
        case 'afterValue':
          if (c === C.Comma) this.place = 'key';
          else if (c === C.CloseObject) this.closeRoot();
          else this.fail(i, 'expected , or }');
          break;
        case 'end':
          this.fail(i, 'unexpected text after the document');
      }
    }
    this.pos = i;
  }

  /**
   * From `i` inside a nested value (not in a string), the position after the bracket that brings
   * the depth back to `floor`, or the text's end. The hot loop of a big file: locals only, and
   * strings skipped with indexOf.
   */
  private skipNested(buf: string, i: number, floor: number): number {
    const n = buf.length;
    let depth = this.depth;
    for (; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (c === C.Quote) {
        const end = stringEnd(buf, i + 1);
        if (end < 0) {
          this.inString = true;
          this.escaped = buf.charCodeAt(n - 1) === C.Backslash && !escapedAt(buf, n - 1);
          this.depth = depth;
          return n;
        }
        i = end;
      } else if (c === C.OpenObject || c === C.OpenList) depth++;
      else if ((c === C.CloseObject || c === C.CloseList) && --depth === floor) {
        this.depth = depth;
        return i + 1;
      }
    }
    this.depth = depth;
    return n;
  }

  private closeRoot(): void {
    this.place = 'end';
    this.depth = 0;
  }
}
