import { encodingProblem } from '../interchange/encoding';
import { ANNOTATIONS_UNCHANGED_FROM, migrateToCurrent } from './migrations';
import { geometryProblems } from '../../model/geometry';
import { gapPath, gradeProblem, labelGaps } from '../../model/labelChecks';
import { formatPath, type Problem } from './paths';
import { annotationSchema, FORMAT_NAME, FORMAT_VERSION, sharedDocumentSchema, type SharedDocument } from './schema';

export type ValidationResult =
  | {
      ok: true;
      doc: SharedDocument;
      migratedFrom: number;
      warnings: Problem[];
      /**
       * Labels that lack a required value (`annotations[3].attributes.paris: required`): the document
       * is not valid as finished data (`granula validate` fails), yet it is whole and can be read, so
       * work in progress, returns and backups still import and the gaps can be filled in the app.
       */
      incomplete: Problem[];
    }
  | { ok: false; problems: Problem[] };

/** How many problems a report lists before it says "and N more". */
export const MAX_REPORTED_PROBLEMS = 50;

export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const badEncoding = encodingProblem(body);
  if (badEncoding) return { ok: false, problems: [{ path: '(file)', message: badEncoding }] };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    return { ok: false, problems: [{ path: '(file)', message: `is not JSON: ${(e as Error).message}` }] };
  }
}

/** Validates (after migrating older versions) and checks that every reference resolves. */
export function validateSharedDocument(input: unknown): ValidationResult {
  const migrated = migrateToCurrent(input);
  if (!migrated.ok) return migrated;
  const parsed = sharedDocumentSchema.safeParse(migrated.doc);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    return { ok: false, problems: capProblems(problems) };
  }
  return checkedDocument(parsed.data, migrated.from);
}

/** A document whose every record has its shape: its references checked, its soft problems noted. */
function checkedDocument(doc: SharedDocument, migratedFrom: number): ValidationResult {
  const incomplete: Problem[] = [];
  const problems = referenceProblems(doc, incomplete);
  if (problems.length) return { ok: false, problems: capProblems(problems) };
  return { ok: true, doc, migratedFrom, warnings: capProblems(geometryWarnings(doc)), incomplete: capProblems(incomplete) };
}

const headSchema = sharedDocumentSchema.omit({ annotations: true });
type Annotation = SharedDocument['annotations'][number];

/**
 * A shared document read a record at a time (a slide's million annotations, too many to hold as one
 * text): each annotation is checked as it comes, with its place in the file (`annotations[12].geometry`),
 * and kept as checked; the rest of the document (`head`, small) is checked at the end, then every
 * reference, exactly as `validateSharedDocument` checks a whole document.
 */
export class SharedDocumentReader {
  private readonly checked: Annotation[] = [];
  /** Annotations that came before the document said it is of the current version: checked at the end. */
  private readonly early: unknown[] = [];
  private readonly problems: Problem[] = [];

  /** Whether so many problems are found that reading on would only make the report longer. */
  get full(): boolean {
    return this.problems.length > 10 * MAX_REPORTED_PROBLEMS;
  }

  /** The `index`th annotation; `head` is the document's members read so far. */
  add(value: unknown, index: number, head: Record<string, unknown>): void {
    const version = head.version;
    const streamable = typeof version === 'number' && Number.isInteger(version) && version >= ANNOTATIONS_UNCHANGED_FROM && version <= FORMAT_VERSION;
    if (this.early.length || head.format !== FORMAT_NAME || !streamable) {
      // A draft-era document (whose migration changes every annotation) is migrated whole: small files, in practice.
      this.early.push(value);
      return;
    }
    const parsed = annotationSchema.safeParse(value);
    if (parsed.success) this.checked.push(this.shareStrings(parsed.data));
    else if (!this.full) for (const i of parsed.error.issues) this.problems.push({ path: formatPath(['annotations', index, ...i.path]), message: i.message });
  }

  private readonly strings = new Map<string, string>();

  /**
   * The same text once in memory: a million annotations mostly repeat their image, class, annotator,
   * schema and time stamps, and JSON.parse makes a string of each (150 bytes an annotation).
   */
  private shareStrings(a: Annotation): Annotation {
    const one = (s: string) => {
      const known = this.strings.get(s);
      if (known !== undefined) return known;
      if (this.strings.size < 100_000) this.strings.set(s, s);
      return s;
    };
    a.imageId = one(a.imageId);
    a.classId = one(a.classId);
    a.annotatorId = one(a.annotatorId);
    a.schemaId = one(a.schemaId);
    a.createdAt = one(a.createdAt);
    a.updatedAt = one(a.updatedAt);
    return a;
  }

  /** The document, once `head` holds every member but the annotations (`listed`: the file had a list of them). */
  finish(head: Record<string, unknown>, listed: boolean): ValidationResult {
    // Without streamed annotations: `head` holds a member `annotations` that is not a list, or none.
    if (this.early.length || (!this.checked.length && !this.problems.length)) return validateSharedDocument(listed ? { ...head, annotations: this.early } : head);
    const migrated = migrateToCurrent({ ...head, annotations: [] });
    if (!migrated.ok) return migrated;
    const parsed = headSchema.safeParse(migrated.doc);
    const problems = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    problems.push(...this.problems);
    if (problems.length || !parsed.success) return { ok: false, problems: capProblems(problems) };
    return checkedDocument({ ...parsed.data, annotations: this.checked }, migrated.from);
  }
}

export function validateSharedText(text: string): ValidationResult {
  const json = parseJsonText(text);
  if (!json.ok) return json;
  return validateSharedDocument(json.value);
}

/** Soft problems (a ring crossing itself) travel with the document: kept, but never silently. */
function geometryWarnings(doc: SharedDocument): Problem[] {
  const out: Problem[] = [];
  doc.annotations.forEach((a, i) => {
    if (!a.geometry) return;
    for (const p of geometryProblems(a.geometry)) if (p.severity === 'warning') out.push({ path: `annotations[${i}].geometry.${p.path}`, message: p.message });
  });
  return out;
}

function capProblems(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_REPORTED_PROBLEMS), { path: '(file)', message: `and ${problems.length - MAX_REPORTED_PROBLEMS} more problems` }];
}

function duplicates<T>(items: readonly T[], key: (t: T) => string, at: string, out: Problem[]): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) out.push({ path: `${at}[${i}].id`, message: `duplicate id "${k}"` });
    seen.add(k);
  });
  return seen;
}

/** Broken references and impossible values; labels missing a required value go to `incomplete`. */
function referenceProblems(doc: SharedDocument, incomplete: Problem[]): Problem[] {
  const out: Problem[] = [];
  gradeClassProblems(doc.schema, 'schema', out);
  doc.schemaVersions.forEach((s, i) => gradeClassProblems(s, `schemaVersions[${i}]`, out));
  doc.schemaVersions.forEach((s, i) => {
    if (s.id !== doc.schema.id) out.push({ path: `schemaVersions[${i}].id`, message: `must be the document schema's id "${doc.schema.id}"` });
  });
  const versions = new Map<number, SharedDocument['schema']>();
  versions.set(doc.schema.version, doc.schema);
  doc.schemaVersions.forEach((s, i) => {
    if (versions.has(s.version)) out.push({ path: `schemaVersions[${i}].version`, message: `duplicate schema version ${s.version}` });
    else if (s.version > doc.schema.version) out.push({ path: `schemaVersions[${i}].version`, message: `is newer than the current schema version ${doc.schema.version}` });
    versions.set(s.version, s);
  });
  const images = duplicates(doc.images, (x) => x.id, 'images', out);
  const annotators = duplicates(doc.annotators, (x) => x.id, 'annotators', out);
  duplicates(doc.annotations, (x) => x.id, 'annotations', out);
  const blobIds = new Set((doc.files ?? []).map((f) => f.blobId));
  doc.images.forEach((im, i) => {
    if (doc.files && im.source.kind === 'file' && !blobIds.has(im.source.blobId)) {
      out.push({ path: `images[${i}].source.blobId`, message: `no embedded file "${im.source.blobId}"` });
    }
  });
  const slicesOf = new Map(doc.images.map((im) => [im.id, im.source.kind === 'dicom-series' ? new Set(im.source.slices.map((s) => `${s.sopInstanceUid}/${s.frame}`)) : null]));
  doc.annotations.forEach((a, i) => {
    const at = `annotations[${i}]`;
    if (!images.has(a.imageId)) out.push({ path: `${at}.imageId`, message: `unknown image "${a.imageId}"` });
    else if (a.slice) {
      const slices = slicesOf.get(a.imageId);
      if (!slices) out.push({ path: `${at}.slice`, message: `image "${a.imageId}" is not a CT/MR series: it has no slices` });
      else if (!slices.has(`${a.slice.sopInstanceUid}/${a.slice.frame}`)) out.push({ path: `${at}.slice`, message: `no slice ${a.slice.sopInstanceUid} frame ${a.slice.frame} in the series of image "${a.imageId}"` });
    } else if (a.geometry && slicesOf.get(a.imageId)) out.push({ path: `${at}.slice`, message: 'a shape on a CT/MR series needs the slice it was drawn on' });
    if (!annotators.has(a.annotatorId)) out.push({ path: `${at}.annotatorId`, message: `unknown annotator "${a.annotatorId}"` });
    if (a.schemaId !== doc.schema.id) {
      out.push({ path: `${at}.schemaId`, message: `unknown schema "${a.schemaId}"` });
      return;
    }
    const schema = versions.get(a.schemaVersion);
    if (!schema) {
      out.push({ path: `${at}.schemaVersion`, message: `unknown schema version ${a.schemaVersion}` });
      return;
    }
    if (!schema.classes.some((c) => c.id === a.classId)) {
      out.push({ path: `${at}.classId`, message: `unknown class "${a.classId}" in schema version ${a.schemaVersion}` });
      return;
    }
    const badGrade = gradeProblem(a, schema);
    if (badGrade) out.push({ path: `${at}.grade`, message: badGrade });
    for (const gap of labelGaps(a, schema)) incomplete.push({ path: `${at}.${gapPath(gap)}`, message: 'required' });
  });
  doc.imageStatus.forEach((s, i) => {
    if (!images.has(s.imageId)) out.push({ path: `imageStatus[${i}].imageId`, message: `unknown image "${s.imageId}"` });
  });
  doc.project.assignments?.forEach((a, i) => {
    if (!annotators.has(a.annotatorId)) out.push({ path: `project.assignments[${i}].annotatorId`, message: `unknown annotator "${a.annotatorId}"` });
    a.imageIds.forEach((im, j) => {
      if (!images.has(im)) out.push({ path: `project.assignments[${i}].imageIds[${j}]`, message: `unknown image "${im}"` });
    });
  });
  duplicates(doc.audit, (x) => x.id, 'audit', out);
  if (doc.package && !annotators.has(doc.package.annotatorId)) out.push({ path: 'package.annotatorId', message: `unknown annotator "${doc.package.annotatorId}"` });
  return out;
}

/** A grade that names the classes it applies to must name classes of its own schema version. */
function gradeClassProblems(schema: SharedDocument['schema'], at: string, out: Problem[]): void {
  const classes = new Set(schema.classes.map((c) => c.id));
  schema.grade?.classes?.forEach((id, j) => {
    if (!classes.has(id)) out.push({ path: `${at}.grade.classes[${j}]`, message: `unknown class "${id}"` });
  });
}
