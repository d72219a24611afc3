import { detectJsonFormat, readJsonValue, sharedResult, type AnyReadOptions } from './detect';
import { featureEntry, GeoJsonFeatures, type Pending } from './geojson/read';
import { assemble, finish } from './interchange/build';
import { NOT_UTF8 } from './interchange/encoding';
import { guarded, Report, type ReadResult } from './interchange/result';
import { jsonListKind } from './jsonKind';
import { JsonRecordSplitter, JsonStreamError, type JsonRecord } from './jsonRecords';
import type { EmbeddedFile } from './shared/convert';
import type { Problem } from './shared/paths';
import { SharedDocumentReader } from './shared/validate';

/** A file read as a stream, never whole, and possibly more than once: a browser File is one. */
export interface ByteSource {
  name: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

export interface TextPieceOptions {
  /** Stop after about this many bytes. */
  limit?: number;
  /** Bytes read so far, after each piece. */
  onBytes?: (n: number) => void;
  /** Called before each piece is read: throw to stop (a cancel). */
  check?: () => void;
  /** Records read so far, after each piece (readJsonStream). */
  onRecords?: (n: number) => void;
}

/** The file as UTF-8 text, piece by piece; a byte sequence that is not UTF-8 throws a TypeError. */
export async function* textPieces(source: ByteSource, opts: TextPieceOptions = {}): AsyncGenerator<string> {
  const reader = source.stream().getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const limit = opts.limit ?? Infinity;
  let read = 0;
  try {
    for (;;) {
      opts.check?.();
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
      opts.onBytes?.(read);
      yield decoder.decode(value, { stream: true });
      if (read >= limit) return;
    }
    yield decoder.decode();
  } finally {
    reader.releaseLock();
  }
}

/** Whether the file's first bytes open a JSON document (after a byte order mark and white space). */
export function opensJson(first: Uint8Array): boolean {
  let i = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf ? 3 : 0;
  while (i < first.length && (first[i] === 0x20 || first[i] === 0x0a || first[i] === 0x0d || first[i] === 0x09)) i++;
  return first[i] === 0x7b || first[i] === 0x5b;
}

export interface StreamReadResult {
  result: ReadResult;
  /** A shared document's embedded image files, if it carries them. */
  files?: EmbeddedFile[];
  /** The file is a list of COCO results (detections), as a detector writes for evaluation. */
  cocoResults: boolean;
  /** A shared document's labels that lack a required value (see ValidationResult). */
  incomplete?: Problem[];
  /** A shared document that is a work package or a return: it merges with what a browser holds. */
  team?: 'package' | 'return';
}

/** The lists read an element at a time: a shared document's or COCO file's annotations, a GeoJSON file's features. */
const STREAMED_LISTS = ['annotations', 'features'];

type Mode = 'shared' | 'geojson' | 'kept';

/**
 * Reads a JSON file of any size in any JSON format Granula reads, never holding its text whole: the
 * big lists come out of the splitter an element at a time. A shared document's annotations and a
 * GeoJSON file's features are checked one by one as they come (problems at their place in the file,
 * `annotations[812344].geometry: …`) and only what they become is kept; other formats (COCO, Label
 * Studio, COCO results) are rebuilt from their elements and read by their own reader. The result is
 * the one a whole read of the same text gives.
 */
export async function readJsonStream(source: ByteSource, opts: AnyReadOptions = {}, pieces: TextPieceOptions = {}): Promise<StreamReadResult> {
  try {
    return await readUnguarded(source, opts, pieces);
  } catch (e) {
    if (e instanceof JsonStreamError) return { result: { ok: false, problems: [e.problem] }, cocoResults: false };
    if (e instanceof TypeError && /decod|encod/i.test(e.message)) return { result: { ok: false, problems: [{ path: '(file)', message: NOT_UTF8 }] }, cocoResults: false };
    throw e;
  }
}

async function readUnguarded(source: ByteSource, opts: AnyReadOptions, pieces: TextPieceOptions): Promise<StreamReadResult> {
  const splitter = new JsonRecordSplitter(STREAMED_LISTS);
  const shared = new SharedDocumentReader();
  let features = new StreamedFeatures(source.name, opts);
  const kept = new Map<string, unknown[]>();
  const modes = new Map<string, Mode>();
  const modeOf = (r: JsonRecord): Mode => {
    let mode = modes.get(r.key);
    if (mode) return mode;
    const head = splitter.head;
    if (r.key === 'annotations' && typeof head.format === 'string') mode = 'shared';
    else if ((r.key === 'features' && head.type === 'FeatureCollection') || (r.key === '' && jsonListKind([r.value]) === 'geojson')) mode = 'geojson';
    else mode = 'kept';
    modes.set(r.key, mode);
    return mode;
  };
  let records = 0;
  for await (const text of textPieces(source, pieces)) {
    for (const r of splitter.push(text)) {
      records++;
      const mode = modeOf(r);
      if (mode === 'shared') shared.add(r.value, r.index, splitter.head);
      else if (mode === 'geojson') features.add(r, splitter.head.granula);
      else {
        const list = kept.get(r.key);
        if (list) list.push(r.value);
        else kept.set(r.key, [r.value]);
      }
    }
    pieces.onRecords?.(records);
  }
  splitter.end();
  const head = splitter.head;
  const lists = () => Object.fromEntries([...splitter.streamed].map((key) => [key, kept.get(key) ?? []]));

  if (modes.get('annotations') === 'shared' || (splitter.root === 'object' && typeof head.format === 'string' && !modes.has('annotations'))) {
    const files = Array.isArray(head.files) ? (head.files as EmbeddedFile[]) : undefined;
    const { annotations: _streamed, ...others } = lists();
    const checked = shared.finish({ ...head, ...others }, splitter.streamed.has('annotations'));
    const team = checked.ok ? (checked.doc.package ? 'package' : checked.doc.return ? 'return' : undefined) : undefined;
    return {
      result: guarded('shared', () => sharedResult(checked, true)),
      files,
      cocoResults: false,
      ...(checked.ok && checked.incomplete.length ? { incomplete: checked.incomplete } : {}),
      ...(team ? { team } : {}),
    };
  }
  const featureMode = modes.get('features') ?? modes.get('');
  if (featureMode === 'geojson') {
    if (features.extensionLate(head.granula)) {
      // Granula's fields came after the features: read them again, knowing the classes those fields hold.
      features = new StreamedFeatures(source.name, opts);
      const again = new JsonRecordSplitter(STREAMED_LISTS);
      for await (const text of textPieces(source, { check: pieces.check })) for (const r of again.push(text)) if (modeOf(r) === 'geojson') features.add(r, head.granula);
    }
    return { result: features.result(head.granula), cocoResults: false };
  }
  const value = splitter.root === 'list' ? (kept.get('') ?? []) : { ...head, ...lists() };
  const format = detectJsonFormat(value, source.name);
  return { result: readJsonValue(value, source.name, opts), cocoResults: format === 'coco-results' };
}

/**
 * A GeoJSON file's features as they come: each surveyed (checked, its class and extent noted) and
 * only what it becomes kept, then converted once all are known — as a whole read does.
 */
class StreamedFeatures {
  private readonly report = new Report();
  private features?: GeoJsonFeatures;
  private extensionFirst = false;
  private readonly pending: Pending[] = [];

  constructor(private readonly fileName: string, private readonly opts: AnyReadOptions) {}

  add(r: JsonRecord, extension: unknown): void {
    if (this.report.full) return;
    if (!this.features) {
      this.extensionFirst = extension !== undefined;
      this.features = new GeoJsonFeatures(extension, this.fileName, this.opts, this.report);
    }
    // A broken extension would make every later message misleading: it is reported alone.
    if (this.report.failed && !this.pending.length) return;
    const p = this.features.survey(featureEntry(r.value, r.key ? `${r.key}[${r.index}]` : `[${r.index}]`));
    if (p) this.pending.push(p);
  }

  /** Whether Granula's fields were not yet known when the first feature was read. */
  extensionLate(extension: unknown): boolean {
    return !this.extensionFirst && extension !== undefined;
  }

  result(extension: unknown): ReadResult {
    return guarded('geojson', () => {
      const features = (this.features ??= new GeoJsonFeatures(extension, this.fileName, this.opts, this.report));
      if (this.report.failed) return this.report.fail('geojson');
      const annotations = this.pending.flatMap((p) => features.convert(p));
      this.pending.length = 0;
      return finish('geojson', this.report, () => assemble(features.parts(annotations)), features.now);
    });
  }
}
