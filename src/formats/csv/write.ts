import Papa from 'papaparse';
import { currentSchema, type ProjectData } from '../../model/projectData';
import type { Annotation, AttributeValue } from '../../model/types';
import { allClasses, className } from '../interchange/classes';
import { uniqueNames } from '../interchange/ids';
import { attributeColumn, FIXED_COLUMNS } from './columns';

/**
 * Image-level labels as CSV: `image,annotator,label,grade,uncertain,note` and one column per class
 * attribute. Starts with a byte-order mark so Excel reads Japanese text as UTF-8.
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
  let shapes = 0;
  const warnings: string[] = [];
  for (const a of data.annotations) {
    if (a.geometry) shapes++;
    else if (imageNames.has(a.imageId) && classes.has(a.classId)) labels.push(a);
    else warnings.push(`annotation ${a.id} not written: its image or class is not in the project`);
  }
  if (shapes) warnings.push(`${shapes} annotations with shapes not written (CSV holds image-level labels only)`);
  labels.sort((a, b) => (imageOrder.get(a.imageId)! - imageOrder.get(b.imageId)!) || ((annotatorOrder.get(a.annotatorId) ?? -1) - (annotatorOrder.get(b.annotatorId) ?? -1)));

  // Attribute columns in the schema's order, then any value the schema no longer defines.
  const attributeIds: string[] = [];
  for (const c of [...schema.classes, ...classes.values()]) for (const d of c.attributes) if (!attributeIds.includes(d.id)) attributeIds.push(d.id);
  const used = new Set(labels.flatMap((a) => Object.keys(a.attributes)));
  const columns = [...attributeIds.filter((id) => used.has(id)), ...[...used].filter((id) => !attributeIds.includes(id)).sort()];

  const cell = (v: AttributeValue | undefined) => (v === undefined ? '' : String(v));
  const rows = labels.map((a) => [
    imageNames.get(a.imageId)!,
    annotatorNames.get(a.annotatorId) ?? a.annotatorId,
    className(classes.get(a.classId)!),
    cell(a.grade),
    cell(a.uncertain),
    a.note ?? '',
    ...columns.map((id) => cell(Object.hasOwn(a.attributes, id) ? a.attributes[id] : undefined)),
  ]);
  const text = Papa.unparse({ fields: [...FIXED_COLUMNS, ...columns.map(attributeColumn)], data: rows }, { newline: '\r\n' });
  return { text: '\uFEFF' + text.replace(/(\r\n)+$/, '') + '\r\n', warnings };
}
