import Papa from 'papaparse';
import { readCoco } from './coco/read';
import { readCocoResults, type CocoResultsOptions } from './coco/results';
import { looksLikeCvatXml, readCvatText, type CvatReadOptions } from './cvat/read';
import type { CsvReadOptions } from './csv/read';
import { readCsvText } from './csv/read';
import type { GeoJsonReadOptions } from './geojson/read';
import { readGeoJson } from './geojson/read';
import { GEOMETRY_TYPES } from './geojson/geometry';
import { describeJsonList, jsonListKind, type JsonListKind } from './jsonKind';
import { isLabelStudioTask, readLabelStudio, type LabelStudioReadOptions } from './labelstudio/read';
import { isRecord } from './interchange/checks';
import { binaryFileProblem, binaryKindOfText } from './interchange/signature';
import { guarded, type FormatName, type ReadFormat, type ReadResult } from './interchange/result';
import { fromSharedDocument } from './shared/convert';
import { parseJsonText, validateSharedDocument, type ValidationResult } from './shared/validate';
import type { YoloReadOptions } from './yolo/read';
import { readYoloText } from './yolo/read';

export type { FormatName, ReadFormat, ReadResult } from './interchange/result';

/** What a caller may know that a foreign file does not say (image sizes, a schema, who drew it). */
export type AnyReadOptions = CsvReadOptions & GeoJsonReadOptions & YoloReadOptions & LabelStudioReadOptions & CvatReadOptions & CocoResultsOptions;

function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Which JSON format a parsed value is (a list by what it holds); the file's extension only breaks ties. */
export function detectJsonFormat(value: unknown, fileName: string): ReadFormat | Exclude<JsonListKind, 'geojson' | 'labelstudio'> {
  if (Array.isArray(value)) return jsonListKind(value);
  if (!isRecord(value)) return extensionOf(fileName) === 'geojson' ? 'geojson' : 'shared';
  if (typeof value.format === 'string') return 'shared';
  if (value.type === 'FeatureCollection' || value.type === 'Feature' || (typeof value.type === 'string' && GEOMETRY_TYPES.has(value.type))) return 'geojson';
  if (isLabelStudioTask(value)) return 'labelstudio';
  // A shared document without its `format` field also has images and annotations, but never categories.
  if (Array.isArray(value.categories) || (Array.isArray(value.images) && Array.isArray(value.annotations) && !('schema' in value) && !('project' in value))) return 'coco';
  if (extensionOf(fileName) === 'geojson') return 'geojson';
  if (('images' in value || 'annotations' in value) && !('schema' in value) && !('project' in value)) return 'coco';
  return 'shared';
}

const YOLO_LINE = /^\d+(\s+[-+0-9.eE]+){4,}$/;

/** CSV when the header holds image, annotator and label; YOLO for its `#` headers or bare label lines. */
export function detectTextFormat(text: string, fileName: string): FormatName | undefined {
  const lines = text.split(/\r\n?|\n/).map((l) => l.trim()).filter(Boolean).slice(0, 50);
  // An empty label file is a YOLO negative (an image with nothing to find).
  if (!lines.length) return extensionOf(fileName) === 'txt' ? 'yolo' : undefined;
  if (lines[0].startsWith('#') && lines.some((l) => /^#\s*(granula-yolo|image\s*:|class\s+\d+\s*:)/i.test(l))) return 'yolo';
  const header = Papa.parse<string[]>(lines[0], { delimitersToGuess: [',', '\t', ';'] }).data[0] ?? [];
  const columns = new Set(header.map((c) => c.trim().toLowerCase()));
  if (['image', 'annotator', 'label'].every((c) => columns.has(c))) return 'csv';
  if (lines.every((l) => l.startsWith('#') || YOLO_LINE.test(l))) return 'yolo';
  const ext = extensionOf(fileName);
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'txt') return 'yolo';
  return undefined;
}

/** A parsed JSON document in whichever JSON format it is. */
export function readJsonValue(value: unknown, fileName: string, opts: AnyReadOptions = {}): ReadResult {
  return guarded('shared', () => {
    const format = detectJsonFormat(value, fileName);
    if (format === 'coco') return readCoco(value, fileName, opts);
    if (format === 'geojson') return readGeoJson(value, fileName, opts);
    if (format === 'coco-results') return readCocoResults(value, fileName, opts);
    if (format === 'labelstudio') return readLabelStudio(value, fileName, opts);
    if (format === 'unknown-list') return { ok: false, problems: [{ path: '(root)', message: describeJsonList(value as unknown[]) }] };
    return sharedResult(validateSharedDocument(value));
  });
}

/** A validated shared document as a reader's result (`reuse`: its records become the project's, see fromSharedDocument). */
export function sharedResult(shared: ValidationResult, reuse = false): ReadResult {
  if (!shared.ok) return { ok: false, format: 'shared', problems: shared.problems };
  return { ok: true, format: 'shared', data: fromSharedDocument(shared.doc, shared.doc.project.id, reuse), warnings: shared.warnings };
}

/**
 * Reads a file in any supported format, detected from its content (the name only breaks ties and
 * names the annotator of a COCO, GeoJSON or YOLO file). Returns a whole project or the problems with their paths.
 */
export function readAnyFormat(text: string, fileName: string, opts: AnyReadOptions = {}): ReadResult {
  return guarded('shared', () => {
    const binary = binaryFileProblem(binaryKindOfText(text));
    if (binary) return { ok: false, problems: [{ path: '(file)', message: binary }] };
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (!body.trim() && extensionOf(fileName) !== 'txt') return { ok: false, problems: [{ path: '(file)', message: 'is empty' }] };
    const head = body.trimStart()[0];
    if (head === '{' || head === '[') {
      const json = parseJsonText(body);
      return json.ok ? readJsonValue(json.value, fileName, opts) : json;
    }
    if (head === '<') {
      if (looksLikeCvatXml(body)) return readCvatText(body, fileName, opts);
      return { ok: false, problems: [{ path: '(file)', message: 'is XML, but not CVAT for images 1.1 (an <annotations> root holding <image> elements)' }] };
    }
    const format = detectTextFormat(body, fileName);
    if (format === 'csv') return readCsvText(body, fileName, opts);
    if (format === 'yolo') return readYoloText(body, fileName, opts);
    return {
      ok: false,
      problems: [{ path: '(file)', message: 'is not a format Granula reads (shared JSON, COCO, GeoJSON, Label Studio JSON, CVAT XML, CSV with image,annotator,label columns, or YOLO text)' }],
    };
  });
}
