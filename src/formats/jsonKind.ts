import { isCocoResult } from './coco/results';
import { GEOMETRY_TYPES } from './geojson/geometry';
import { isRecord } from './interchange/checks';
import { isLabelStudioTask } from './labelstudio/read';

/** What a JSON list holds, judged by its first object: the reader for it, or none. */
export type JsonListKind = 'geojson' | 'coco-results' | 'labelstudio' | 'unknown-list';

export function jsonListKind(list: readonly unknown[]): JsonListKind {
  // An empty list is an empty set of features (QuPath writes one for an image without objects).
  if (!list.length) return 'geojson';
  const first = list.find(isRecord);
  if (!first) return 'unknown-list';
  if (first.type === 'Feature' || (typeof first.type === 'string' && GEOMETRY_TYPES.has(first.type))) return 'geojson';
  if (isCocoResult(first)) return 'coco-results';
  if (isLabelStudioTask(first)) return 'labelstudio';
  return 'unknown-list';
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** One sentence for a list none of the readers takes: what it holds, and what was expected. */
export function describeJsonList(list: readonly unknown[]): string {
  const kinds = new Map<string, number>();
  for (const v of list) kinds.set(kindOf(v), (kinds.get(kindOf(v)) ?? 0) + 1);
  const what = [...kinds].map(([k, n]) => `${n} ${k === 'object' ? 'object' : k === 'list' ? 'list' : k === 'null' ? 'null' : k}${n > 1 && k !== 'null' ? 's' : ''}`).join(', ');
  const keys = new Map<string, number>();
  for (const v of list.slice(0, 50)) if (isRecord(v)) for (const k of Object.keys(v)) keys.set(k, (keys.get(k) ?? 0) + 1);
  const common = [...keys].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k]) => JSON.stringify(k.slice(0, 40)));
  const withKeys = common.length ? ` with keys ${common.join(', ')}${keys.size > common.length ? ', …' : ''}` : '';
  return (
    `is a JSON list of ${what}${withKeys}, which is none of the lists Granula reads: GeoJSON features or geometries ({"type": "Feature", "geometry", "properties"}), ` +
    'COCO results ({"image_id", "category_id", "bbox" or "segmentation", "score"}) or Label Studio tasks ({"data", "annotations"})'
  );
}
