import { sliceWarnings } from '../interchange/slices';
import Papa from 'papaparse';
import { geometryBounds } from '../../model/geometry';
import { currentSchema, type ProjectData } from '../../model/projectData';
import type { Annotation, AttributeValue, Geometry } from '../../model/types';
import { allClasses, className } from '../interchange/classes';
import { uniqueNames } from '../interchange/ids';
import { attributeColumn, FIXED_COLUMNS, GEOMETRY_COLUMNS, NO_FINDING_STATUS } from './columns';

/** A flat ring as `x y x y …`: numbers as JavaScript prints them, exact when read back. */
const ring = (points: readonly number[]) => points.map(String).join(' ');

/** `shape,x,y,width,height,points`: the box, or a polygon's bounding box and rings (holes after `;`), or a point. */
function geometryCells(g: Geometry | null): string[] {
  if (!g) return ['', '', '', '', '', ''];
  switch (g.type) {
    case 'box':
      return ['box', String(g.x), String(g.y), String(g.w), String(g.h), ''];
    case 'point':
      return ['point', String(g.x), String(g.y), '', '', ''];
    case 'line': {
      // As a polygon: the bounding box, then the two points (the length is derived, see docs/FORMAT.md).
      const b = geometryBounds(g);
      return ['line', String(b.minX), String(b.minY), String(b.maxX - b.minX), String(b.maxY - b.minY), ring(g.points)];
    }
    case 'polygon': {
      const b = geometryBounds(g);
      return ['polygon', String(b.minX), String(b.minY), String(b.maxX - b.minX), String(b.maxY - b.minY), [g.points, ...(g.holes ?? [])].map(ring).join('; ')];
    }
  }
}

/**
 * Every label as one CSV row: `image,annotator,label,grade,uncertain,note,status`, then (when the
 * project has shapes) `shape,x,y,width,height,points` in image pixels, then one column per class
 * attribute. An image an annotator marked "no lesion" gets a row with an empty label and that
 * status. UTF-8 without a byte-order mark (Python's csv module and pandas read it as is), CRLF line
 * ends as RFC 4180 has them.
 */
export function writeCsv(data: ProjectData): { text: string; warnings: string[] } {
  const schema = currentSchema(data);
  const classes = new Map(allClasses(data).map((c) => [c.id, c]));
  const images = [...data.images].sort((a, b) => a.order - b.order);
  const imageNames = new Map(images.map((im, i) => [im.id, uniqueNames(images.map((x) => x.name))[i]]));
  const displayNames = data.annotators.map((a) => a.displayName.trim());
  // People read this file: their names, unless two share one (then the ids keep them apart).
  const byName = displayNames.every((n, i) => n && displayNames.indexOf(n) === i);
  const annotatorNames = new Map(data.annotators.map((a) => [a.id, byName ? a.displayName.trim() : a.id]));
  const imageOrder = new Map(images.map((im, i) => [im.id, i]));
  const annotatorOrder = new Map(data.annotators.map((a, i) => [a.id, i]));

  const labels: Annotation[] = [];
  const warnings: string[] = sliceWarnings(data, 'CSV');
  for (const a of data.annotations) {
    if (imageNames.has(a.imageId) && classes.has(a.classId)) labels.push(a);
    else warnings.push(`annotation ${a.id} not written: its image or class is not in the project`);
  }
  const negatives = data.statuses.filter((s) => s.noFinding && imageNames.has(s.imageId));
  const shapes = schema.granularity !== 'image' || labels.some((a) => a.geometry);

  // Attribute columns in the schema's order, then any value the schema no longer defines.
  const attributeIds: string[] = [];
  for (const c of [...schema.classes, ...classes.values()]) for (const d of c.attributes) if (!attributeIds.includes(d.id)) attributeIds.push(d.id);
  const used = new Set(labels.flatMap((a) => Object.keys(a.attributes)));
  const columns = [...attributeIds.filter((id) => used.has(id)), ...[...used].filter((id) => !attributeIds.includes(id)).sort()];

  const cell = (v: AttributeValue | undefined) => (v === undefined ? '' : String(v));
  const annotator = (id: string) => annotatorNames.get(id) ?? id;
  type Row = { imageId: string; annotatorId: string; cells: string[] };
  const rows: Row[] = labels.map((a) => ({
    imageId: a.imageId,
    annotatorId: a.annotatorId,
    cells: [
      imageNames.get(a.imageId)!,
      annotator(a.annotatorId),
      className(classes.get(a.classId)!),
      cell(a.grade),
      cell(a.uncertain),
      a.note ?? '',
      '',
      ...(shapes ? geometryCells(a.geometry) : []),
      ...columns.map((id) => cell(Object.hasOwn(a.attributes, id) ? a.attributes[id] : undefined)),
    ],
  }));
  for (const s of negatives) {
    const blank = Array<string>((shapes ? GEOMETRY_COLUMNS.length : 0) + columns.length).fill('');
    rows.push({ imageId: s.imageId, annotatorId: s.annotatorId, cells: [imageNames.get(s.imageId)!, annotator(s.annotatorId), '', '', '', '', NO_FINDING_STATUS, ...blank] });
  }
  // Image by image, annotator by annotator; within those, as drawn (the sort is stable).
  rows.sort((a, b) => imageOrder.get(a.imageId)! - imageOrder.get(b.imageId)! || (annotatorOrder.get(a.annotatorId) ?? -1) - (annotatorOrder.get(b.annotatorId) ?? -1));
  const fields = [...FIXED_COLUMNS, ...(shapes ? GEOMETRY_COLUMNS : []), ...columns.map(attributeColumn)];
  const text = Papa.unparse({ fields, data: rows.map((r) => r.cells) }, { newline: '\r\n' });
  return { text: text.replace(/(\r\n)+$/, '') + '\r\n', warnings };
}
