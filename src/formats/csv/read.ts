import { encodingProblem } from '../interchange/encoding';
import Papa from 'papaparse';
import { newId, nowIso } from '../../model/ids';
import type { Annotation, AttributeDef, AttributeValue, GradeDef, ImageRecord, LabelClass, LabelSchema } from '../../model/types';
import { importedAnnotation } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { classByName, ClassTable } from '../interchange/classes';
import { fileStem } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { attributeIdOf, cellPath, OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from './columns';

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

/** Column name → index; only the columns Granula reads (empty header cells, as Excel leaves, are skipped). */
function readHeader(header: string[], report: Report): Map<string, number> | undefined {
  const columns = new Map<string, number>();
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (!name) return;
    const key = (REQUIRED_COLUMNS as readonly string[]).includes(name.toLowerCase()) || (OPTIONAL_COLUMNS as readonly string[]).includes(name.toLowerCase()) ? name.toLowerCase() : name;
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
  const annotators = new Map<string, { id: string; displayName: string }>();
  const seen = new Map<string, number>();
  const labelled = new Map<string, number>();
  const grades = new Set<number>();
  const pending: { row: Row; classId: string; grade?: number; uncertain?: boolean; note?: string; attributes: Record<string, AttributeValue> }[] = [];
  let unsized = 0;
  for (const row of rows) {
    if (!images.has(row.image)) {
      const size = sizes.get(row.image);
      if (!size) unsized++;
      images.set(row.image, importedImage({ name: row.image, width: size?.width ?? 1, height: size?.height ?? 1, order: images.size, now, modality: opts.modality }));
    }
    if (!annotators.has(row.annotator)) annotators.set(row.annotator, { id: row.annotator, displayName: row.annotator });
    if (!row.label) continue; // an empty label is a missing rating: the image and annotator still count
    const key = `${row.image}\u0000${row.annotator}`;
    const repeat = seen.get(`${key}\u0000${row.label}`);
    if (repeat !== undefined) {
      report.problem(`row ${row.n}`, `repeats row ${repeat} (same image, annotator and label)`);
      continue;
    }
    seen.set(`${key}\u0000${row.label}`, row.n);
    const cls = given ? classByName(given.classes, row.label) : undefined;
    if (given && !cls) {
      report.problem(cellPath(row.n, 'label'), `unknown class "${row.label}" (schema "${given.name.en || given.id}" has ${given.classes.map((c) => `"${c.name.en || c.id}"`).join(', ')})`);
      continue;
    }
    const earlier = labelled.get(key);
    if (given?.selection === 'single' && earlier !== undefined) report.problem(cellPath(row.n, 'label'), `the schema takes one label per image, and row ${earlier} already labels this image for this annotator`);
    labelled.set(key, earlier ?? row.n);
    const classId = cls?.id ?? classes.idFor(row.label);
    const grade = readGrade(row, given?.grade, report);
    if (grade !== undefined) grades.add(grade);
    const uncertain = readBoolean(row.cells.get('uncertain') ?? '', cellPath(row.n, 'uncertain'), report);
    const note = row.cells.get('note') || undefined;
    if (note && note.length > 10_000) report.problem(cellPath(row.n, 'note'), 'is longer than 10000 characters');
    const attributes = readAttributes(row, columns, given?.classes.find((c) => c.id === classId), report);
    pending.push({ row, classId, attributes, ...(grade !== undefined ? { grade } : {}), ...(uncertain !== undefined ? { uncertain } : {}), ...(note ? { note } : {}) });
  }
  if (unsized) report.warn('(file)', `CSV does not give image sizes: ${unsized} image${unsized > 1 ? 's are' : ' is'} recorded as 1 × 1 until the image files are added`);
  const multi = [...labelled.keys()].length < pending.length;
  const schema = given ?? importedSchema({ granularity: 'image', selection: multi ? 'multi' : 'single', classes: classes.added, title: stem, now, ...gradeDef(grades) });
  const annotations: Unowned<Annotation>[] = pending.map((p) => {
    const a = importedAnnotation({ id: newId('ann'), imageId: images.get(p.row.image)!.id, classId: p.classId, geometry: null, annotatorId: p.row.annotator, schema, attributes: p.attributes, ext: undefined, now });
    return { ...a, ...(p.grade !== undefined ? { grade: p.grade } : {}), ...(p.uncertain !== undefined ? { uncertain: p.uncertain } : {}), ...(p.note ? { note: p.note } : {}) };
  });
  return finish('csv', report, () => assemble({ name: stem, now, schemas: [schema], images: [...images.values()], annotators: [...annotators.values()], annotations }), now);
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
