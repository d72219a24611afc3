import type { Report } from '../interchange/result';

/** One label line, still normalised to the image: a box, or a polygon in YOLO's segmentation form. */
export type YoloLabel = { classIndex: number; box: [number, number, number, number] } | { classIndex: number; polygon: number[] };

const BOX_FIELDS = ['class', 'cx', 'cy', 'w', 'h'];

/** `cx`, `w`… for a box; `x1`, `y1`, `x2`… for a polygon's points. */
function fieldName(i: number, segmentation: boolean): string {
  if (i === 0 || !segmentation) return BOX_FIELDS[i];
  return `${i % 2 === 1 ? 'x' : 'y'}${Math.ceil(i / 2)}`;
}

/**
 * Parses `class cx cy w h` (detection) or `class x1 y1 x2 y2 …` (segmentation, at least three points).
 * `where` names the line, e.g. `line 12` or `frame-001.txt line 3`; `namedBy` says what names the classes.
 */
export function parseLabelLine(line: string, where: string, classCount: number | undefined, report: Report, namedBy = 'the file'): YoloLabel | undefined {
  const fields = line.trim().split(/\s+/);
  const segmentation = fields.length >= 7 && fields.length % 2 === 1;
  if (fields.length !== 5 && !segmentation) return void report.problem(where, `expected "class cx cy w h" (5 fields), found ${fields.length}`);
  const at = (i: number) => `${where}, field "${fieldName(i, segmentation)}"`;
  const classIndex = Number(fields[0]);
  if (!/^\d+$/.test(fields[0]) || !Number.isSafeInteger(classIndex)) return void report.problem(at(0), 'must be a whole number from 0');
  if (classCount !== undefined && classIndex >= classCount) return void report.problem(at(0), `no class ${classIndex}: ${namedBy} names ${classCount === 0 ? 'no classes' : classCount === 1 ? 'only class 0' : `classes 0–${classCount - 1}`}`);
  const values: number[] = [];
  for (let i = 1; i < fields.length; i++) {
    const v = Number(fields[i]);
    if (!Number.isFinite(v) || v < 0 || v > 1) return void report.problem(at(i), `must be a number between 0 and 1, not "${fields[i].slice(0, 30)}"`);
    values.push(v);
  }
  if (segmentation) return { classIndex, polygon: values };
  if (values[2] <= 0) return void report.problem(at(3), 'a box needs a width above zero');
  if (values[3] <= 0) return void report.problem(at(4), 'a box needs a height above zero');
  return { classIndex, box: values as [number, number, number, number] };
}
