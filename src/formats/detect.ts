import Papa from 'papaparse';
import { readCoco } from './coco/read';
import type { CsvReadOptions } from './csv/read';
import { readCsvText } from './csv/read';
import type { GeoJsonReadOptions } from './geojson/read';
import { readGeoJson } from './geojson/read';
import { isRecord } from './interchange/checks';
import { guarded, type FormatName, type ReadResult } from './interchange/result';
import { fromSharedDocument } from './shared/convert';
import { parseJsonText, validateSharedDocument } from './shared/validate';
import type { YoloReadOptions } from './yolo/read';
import { readYoloText } from './yolo/read';

export type { FormatName, ReadResult } from './interchange/result';

/** What a caller may know that a foreign file does not say (image sizes, a schema, who drew it). */
export type AnyReadOptions = CsvReadOptions & GeoJsonReadOptions & YoloReadOptions;

function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Which JSON format a parsed value is; the file's extension only breaks ties. */
export function detectJsonFormat(value: unknown, fileName: string): FormatName {
  if (Array.isArray(value)) return 'geojson';
  if (!isRecord(value)) return extensionOf(fileName) === 'geojson' ? 'geojson' : 'shared';
  if (typeof value.format === 'string') return 'shared';
  if (value.type === 'FeatureCollection' || value.type === 'Feature') return 'geojson';
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
  if (!lines.length) return undefined;
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

/**
 * Reads a file in any supported format, detected from its content (the name only breaks ties and
 * names the annotator of a COCO, GeoJSON or YOLO file). Returns a whole project or the problems with their paths.
 */
export function readAnyFormat(text: string, fileName: string, opts: AnyReadOptions = {}): ReadResult {
  return guarded('shared', () => {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const head = body.trimStart()[0];
    if (head === '{' || head === '[') {
      const json = parseJsonText(body);
      if (!json.ok) return json;
      const format = detectJsonFormat(json.value, fileName);
      if (format === 'coco') return readCoco(json.value, fileName, opts);
      if (format === 'geojson') return readGeoJson(json.value, fileName, opts);
      const shared = validateSharedDocument(json.value);
      if (!shared.ok) return { ok: false, format: 'shared', problems: shared.problems };
      return { ok: true, format: 'shared', data: fromSharedDocument(shared.doc), warnings: shared.warnings };
    }
    const format = detectTextFormat(body, fileName);
    if (format === 'csv') return readCsvText(body, fileName, opts);
    if (format === 'yolo') return readYoloText(body, fileName, opts);
    return {
      ok: false,
      problems: [{ path: '(file)', message: 'is not a format Granula reads (shared JSON, COCO, GeoJSON, CSV with image,annotator,label columns, or YOLO text)' }],
    };
  });
}
