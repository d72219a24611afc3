import { encodingProblem } from '../interchange/encoding';
import Papa from 'papaparse';
import { nowIso } from '../../model/ids';
import { geometryBounds, geometryProblems } from '../../model/geometry';
import { statusId } from '../../model/ids';
import type { Annotation, AttributeDef, AttributeValue, Geometry, GradeDef, ImageRecord, ImageStatus, LabelClass, LabelSchema } from '../../model/types';
import { checkFlatRing } from '../interchange/checks';
import { importedAnnotation } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { classByName, ClassTable } from '../interchange/classes';
import { ContentIds, fileStem } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { attributeIdOf, cellPath, GEOMETRY_COLUMNS, NO_FINDING_STATUS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from './columns';

export interface CsvReadOptions extends ReadOptions {
  /** Read labels as this schema's classes (matched on id, English or Japanese name) and check values against it. */
  schema?: LabelSchema;
  /** Image sizes by name: CSV does not carry them. */
  images?: { name: string; width: number; height: number }[];
}

interface Row {
  n: number;
  image: string;
  annotator: string;
  label: string;
  cells: Map<string, string>;
}

/** Columns Granula reads itself (not as attributes): geometry ones only when the header has `shape`. */
function fixedColumns(header: string[]): readonly string[] {
  const geometry = header.some((c) => c.trim().toLowerCase() === 'shape');
  return [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS, ...(geometry ? GEOMETRY_COLUMNS : [])];
}

/** Column name → index; only the columns Granula reads (empty header cells, as Excel leaves, are skipped). */
function readHeader(header: string[], report: Report): Map<string, number> | undefined {
  const columns = new Map<string, number>();
  const fixed = fixedColumns(header);
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (!name) return;
    const key = fixed.includes(name.toLowerCase()) ? name.toLowerCase() : name;
    if (columns.has(key)) report.problem(cellPath(1, name), 'appears twice in the header');
    columns.set(key, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length) report.problem('row 1', `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (the header needs image,annotator,label)`);
  return report.failed ? undefined : columns;
}

function parseRows(text: string, report: Report): string[][] | undefined {
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const badEncoding = encodingProblem(body);
  if (badEncoding) return void report.problem('(file)', badEncoding);
  const parsed = Papa.parse<string[]>(body, { skipEmptyLines: false, delimitersToGuess: [',', '\t', ';'] });
  for (const e of parsed.errors) {
    // A one-column file has no delimiter to detect; the header check says what is missing.
    if (e.code === 'UndetectableDelimiter') continue;
    report.problem(e.row === undefined ? '(file)' : `row ${e.row + 1}`, e.message);
  }
  if (!parsed.data.length || parsed.data[0].every((c) => !c.trim())) return void report.problem('row 1', 'expected a header with the columns image,annotator,label');
  return report.failed ? undefined : parsed.data;
}

/** Reads image-level labels from CSV. Rows are numbered as a spreadsheet shows them: the header is row 1. */
export function readCsvText(text: string, fileName: string, opts: CsvReadOptions = {}): ReadResult {
  return guarded('csv', () => readUnguarded(text, fileName, opts));
}

function readUnguarded(text: string, fileName: string, opts: CsvReadOptions): ReadResult {
  const now = opts.now ?? nowIso();
  const report = new Report();
  const table = parseRows(text, report);
  const columns = table && readHeader(table[0], report);
  if (!table || !columns) return report.fail('csv');
  const rows: Row[] = [];
  for (let i = 1; i < table.length && !report.full; i++) {
    const cells = table[i];
    if (cells.every((c) => !c.trim())) continue;
    const n = i + 1;
    if (cells.length !== table[0].length) {
      report.problem(`row ${n}`, `has ${cells.length} fields, the header has ${table[0].length}`);
      continue;
    }
    const get = (c: string) => cells[columns.get(c)!].trim();
    const row: Row = { n, image: get('image'), annotator: get('annotator'), label: get('label'), cells: new Map([...columns.keys()].map((c) => [c, get(c)])) };
    if (!row.image) report.problem(cellPath(n, 'image'), 'must not be empty');
    else if (row.image.length > 1000) report.problem(cellPath(n, 'image'), 'is longer than 1000 characters');
    if (!row.annotator) report.problem(cellPath(n, 'annotator'), 'must not be empty');
    else if (row.annotator.length > 200) report.problem(cellPath(n, 'annotator'), 'is longer than 200 characters');
    if (row.label.length > 500) report.problem(cellPath(n, 'label'), 'is longer than 500 characters');
    rows.push(row);
  }
  if (report.failed) return report.fail('csv');
  return build(rows, columns, fileName, opts, now, report);
}

function build(rows: Row[], columns: Map<string, number>, fileName: string, opts: CsvReadOptions, now: string, report: Report): ReadResult {
  const stem = (fileStem(fileName).trim() || 'labels').slice(0, 200);
  const given = opts.schema;
  const classes = new ClassTable(given?.classes ?? []);
  const sizes = new Map((opts.images ?? []).map((im) => [im.name, im]));
  const images = new Map<string, Unowned<ImageRecord>>();
  const sized = new Set<string>();
  const annotators = new Map<string, { id: string; displayName: string }>();
  const seen = new Map<string, number>();
  const labelled = new Map<string, number>();
  const negatives = new Map<string, { row: Row }>();
  const grades = new Set<number>();
  const pending: { row: Row; classId: string; geometry: Geometry | null; grade?: number; uncertain?: boolean; note?: string; attributes: Record<string, AttributeValue> }[] = [];
  for (const row of rows) {
    if (!images.has(row.image)) {
      const size = sizes.get(row.image);
      if (size) sized.add(row.image);
      images.set(row.image, importedImage({ name: row.image, width: size?.width ?? 1, height: size?.height ?? 1, order: images.size, now, modality: opts.modality }));
    }
    if (!annotators.has(row.annotator)) annotators.set(row.annotator, { id: row.annotator, displayName: row.annotator });
    const key = `${row.image}\u0000${row.annotator}`;
    const status = row.cells.get('status') ?? '';
    if (status) {
      if (!NO_FINDING.has(status.toLowerCase())) report.problem(cellPath(row.n, 'status'), `must be "${NO_FINDING_STATUS}" or empty, not "${status.slice(0, 50)}"`);
      else if (row.label) report.problem(cellPath(row.n, 'label'), `must be empty on a "${NO_FINDING_STATUS}" row (the image has no finding)`);
      else if (negatives.has(key)) report.problem(`row ${row.n}`, `repeats row ${negatives.get(key)!.row.n} (same image and annotator, "${NO_FINDING_STATUS}")`);
      else negatives.set(key, { row });
      continue;
    }
    if (!row.label) continue; // an empty label is a missing rating: the image and annotator still count
    const geometry = columns.has('shape') ? readGeometry(row, report) : null;
    if (geometry === undefined) continue;
    if (!geometry) {
      // Several boxes of one class on an image are normal; the same image-level label twice is not.
      const repeat = seen.get(`${key}\u0000${row.label}`);
      if (repeat !== undefined) {
        report.problem(`row ${row.n}`, `repeats row ${repeat} (same image, annotator and label)`);
        continue;
      }
      seen.set(`${key}\u0000${row.label}`, row.n);
    }
    const cls = given ? classByName(given.classes, row.label) : undefined;
    if (given && !cls) {
      report.problem(cellPath(row.n, 'label'), `unknown class "${row.label}" (schema "${given.name.en || given.id}" has ${given.classes.map((c) => `"${c.name.en || c.id}"`).join(', ')})`);
      continue;
    }
    if (!geometry) {
      const earlier = labelled.get(key);
      if (given?.selection === 'single' && earlier !== undefined) report.problem(cellPath(row.n, 'label'), `the schema takes one label per image, and row ${earlier} already labels this image for this annotator`);
      labelled.set(key, earlier ?? row.n);
    }
    const classId = cls?.id ?? classes.idFor(row.label);
    const grade = readGrade(row, given?.grade, report);
    if (grade !== undefined) grades.add(grade);
    const uncertain = readBoolean(row.cells.get('uncertain') ?? '', cellPath(row.n, 'uncertain'), report);
    const note = row.cells.get('note') || undefined;
    if (note && note.length > 10_000) report.problem(cellPath(row.n, 'note'), 'is longer than 10000 characters');
    const attributes = readAttributes(row, columns, given?.classes.find((c) => c.id === classId), report);
    pending.push({ row, classId, geometry, attributes, ...(grade !== undefined ? { grade } : {}), ...(uncertain !== undefined ? { uncertain } : {}), ...(note ? { note } : {}) });
  }
  // Without a given size, an image is as large as its shapes reach (at least 1 × 1).
  const extent = new Map<string, [number, number]>();
  for (const p of pending) {
    if (!p.geometry || sized.has(p.row.image)) continue;
    const b = geometryBounds(p.geometry);
    const [w, h] = extent.get(p.row.image) ?? [1, 1];
    extent.set(p.row.image, [Math.max(w, Math.ceil(b.maxX)), Math.max(h, Math.ceil(b.maxY))]);
  }
  for (const [name, [width, height]] of extent) images.set(name, { ...images.get(name)!, width, height });
  const unsized = images.size - sized.size;
  if (unsized) {
    const how = extent.size ? `recorded as large as their shapes reach (1 × 1 without shapes)` : 'recorded as 1 × 1';
    report.warn('(file)', `CSV does not give image sizes: ${unsized} image${unsized > 1 ? 's are' : ' is'} ${how} until the image files are added`);
  }
  const multi = [...labelled.keys()].length < pending.filter((p) => !p.geometry).length;
  const drawn = new Set(pending.flatMap((p) => (p.geometry ? [p.geometry.type] : [])));
  const granularity = drawn.has('polygon') ? 'polygon' : drawn.has('box') ? 'box' : drawn.has('point') ? 'point' : drawn.has('line') ? 'polygon' : 'image';
  const schema = given ?? importedSchema({ granularity, selection: multi ? 'multi' : 'single', classes: classes.added, title: stem, now, ...gradeDef(grades) });
  const ids = new ContentIds('ann');
  const annotations: Unowned<Annotation>[] = pending.map((p) => {
    const a = importedAnnotation({ id: ids.next(rowContent(p.row)), imageId: images.get(p.row.image)!.id, classId: p.classId, geometry: p.geometry, annotatorId: p.row.annotator, schema, attributes: p.attributes, ext: undefined, now });
    return { ...a, ...(p.grade !== undefined ? { grade: p.grade } : {}), ...(p.uncertain !== undefined ? { uncertain: p.uncertain } : {}), ...(p.note ? { note: p.note } : {}) };
  });
  const statuses: Unowned<ImageStatus>[] = [...negatives.values()].map(({ row }) => {
    const imageId = images.get(row.image)!.id;
    return { id: statusId(imageId, row.annotator), imageId, annotatorId: row.annotator, state: 'done', noFinding: true, updatedAt: now };
  });
  return finish('csv', report, () => assemble({ name: stem, now, schemas: [schema], images: [...images.values()], annotators: [...annotators.values()], annotations, statuses }), now);
}

/**
 * What a row says, for its id: its non-empty cells by column name (the image and annotator among
 * them), so the same file gives the same ids whatever order its columns come in, an empty column
 * added later changes none, and editing a row changes only that row's id.
 */
function rowContent(row: Row): string {
  return JSON.stringify([...row.cells].filter(([, v]) => v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What a `status` cell may say for "looked at, nothing found". */
const NO_FINDING = new Set([NO_FINDING_STATUS, 'no finding', 'no-finding', 'nofinding']);

const finite = (raw: string | undefined) => (raw && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : undefined);

/** The shape of a row with a `shape` column, null for an image-level label, undefined after a problem. */
function readGeometry(row: Row, report: Report): Geometry | null | undefined {
  const shape = (row.cells.get('shape') ?? '').toLowerCase();
  if (!shape || shape === 'image') return null;
  const number = (column: string) => {
    const v = finite(row.cells.get(column));
    if (v === undefined) report.problem(cellPath(row.n, column), `a ${shape} needs a number here, not "${(row.cells.get(column) ?? '').slice(0, 30)}"`);
    return v;
  };
  if (shape === 'box') {
    const [x, y, w, h] = ['x', 'y', 'width', 'height'].map(number);
    if (x === undefined || y === undefined || w === undefined || h === undefined) return undefined;
    if (w <= 0) return void report.problem(cellPath(row.n, 'width'), 'a box needs a width above zero');
    if (h <= 0) return void report.problem(cellPath(row.n, 'height'), 'a box needs a height above zero');
    return { type: 'box', x, y, w, h };
  }
  if (shape === 'point') {
    const [x, y] = ['x', 'y'].map(number);
    return x === undefined || y === undefined ? undefined : { type: 'point', x, y };
  }
  if (shape === 'polygon') {
    const where = cellPath(row.n, 'points');
    const rings: number[][] = [];
    for (const [i, text] of (row.cells.get('points') ?? '').split(';').entries()) {
      const values = text.trim().split(/\s+/).filter(Boolean);
      const bad = values.find((v) => !Number.isFinite(Number(v)));
      if (bad !== undefined) return void report.problem(where, `ring ${i + 1}: "${bad.slice(0, 30)}" is not a number`);
      if (values.length % 2) return void report.problem(where, `ring ${i + 1}: needs x y pairs, found ${values.length} numbers`);
      const ring = checkFlatRing(values.map(Number), i ? `${where}, ring ${i + 1}` : where, report);
      if (!ring) return undefined;
      rings.push(ring);
    }
    const [points, ...holes] = rings;
    return holes.length ? { type: 'polygon', points, holes } : { type: 'polygon', points };
  }
  if (shape === 'line') {
    const where = cellPath(row.n, 'points');
    const values = (row.cells.get('points') ?? '').trim().split(/\s+/).filter(Boolean);
    const bad = values.find((v) => !Number.isFinite(Number(v)));
    if (bad !== undefined) return void report.problem(where, `"${bad.slice(0, 30)}" is not a number`);
    const line: Geometry = { type: 'line', points: values.map(Number) };
    const problem = geometryProblems(line).find((p) => p.severity === 'error');
    return problem ? void report.problem(where, problem.message) : line;
  }
  return void report.problem(cellPath(row.n, 'shape'), `must be box, polygon, point, line or empty, not "${shape.slice(0, 30)}"`);
}

/** The grades seen become the schema's grade levels (a grade needs at least two levels to be a scale). */
function gradeDef(grades: Set<number>): { grade?: GradeDef } {
  if (grades.size < 2 || grades.size > 100) return {};
  const levels = [...grades].sort((a, b) => a - b).map((value) => ({ value, name: { en: String(value), ja: String(value) } }));
  return { grade: { id: 'grade', name: { en: 'Grade', ja: 'グレード' }, required: false, levels } };
}

function readGrade(row: Row, def: GradeDef | undefined, report: Report): number | undefined {
  const raw = row.cells.get('grade') ?? '';
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) return void report.problem(cellPath(row.n, 'grade'), `must be a number, not "${raw.slice(0, 50)}"`);
  if (def && !def.levels.some((l) => l.value === value)) return void report.problem(cellPath(row.n, 'grade'), `must be one of ${def.levels.map((l) => l.value).join(', ')}`);
  return value;
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

function readBoolean(raw: string, path: string, report: Report): boolean | undefined {
  if (!raw) return undefined;
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return void report.problem(path, 'must be true or false');
}

/** Other columns are attributes: text as written, or typed and checked when the class defines them. */
function readAttributes(row: Row, columns: Map<string, number>, cls: LabelClass | undefined, report: Report): Record<string, AttributeValue> {
  const out: [string, AttributeValue][] = [];
  for (const column of columns.keys()) {
    if ((REQUIRED_COLUMNS as readonly string[]).includes(column) || (OPTIONAL_COLUMNS as readonly string[]).includes(column)) continue;
    if (columns.has('shape') && (GEOMETRY_COLUMNS as readonly string[]).includes(column)) continue;
    const raw = row.cells.get(column) ?? '';
    if (!raw) continue;
    const id = attributeIdOf(column);
    const def = cls?.attributes.find((d) => d.id === id);
    const value = def ? typedValue(raw, def, cellPath(row.n, column), report) : raw;
    if (value !== undefined) out.push([id, value]);
  }
  return Object.fromEntries(out);
}

function typedValue(raw: string, def: AttributeDef, path: string, report: Report): AttributeValue | undefined {
  switch (def.type) {
    case 'number': {
      const v = Number(raw);
      if (!Number.isFinite(v)) return void report.problem(path, 'must be a number');
      if ((def.min !== undefined && v < def.min) || (def.max !== undefined && v > def.max)) return void report.problem(path, `must be between ${def.min ?? '−∞'} and ${def.max ?? '∞'}`);
      return v;
    }
    case 'boolean':
      return readBoolean(raw, path, report);
    case 'enum': {
      const option = (def.options ?? []).find((o) => o.id === raw || o.name.en === raw || o.name.ja === raw);
      if (!option) return void report.problem(path, `must be one of ${(def.options ?? []).map((o) => `"${o.id}"`).join(', ')}`);
      return option.id;
    }
    case 'text':
      return raw;
  }
}
