import type { AnnotationFields, AnnotationSource } from './annotationSource';
import type { Annotation, AttributeDef, AttributeValue, GradeDef, ImageRecord, LabelSchema } from './types';

/**
 * What a label must hold before its image may be called done, and what its grade may be. One set of
 * rules for the annotate view, the store, export and validation, always judged by the schema version
 * the label was made under (its `schemaVersion`), so a later schema edit never turns old work invalid.
 */

/**
 * An attribute value counts as given unless it is absent or blank text. A boolean reads "absent" as
 * "no" (an unticked box), so a required boolean is never missing.
 */
export function isMissingValue(def: AttributeDef, value: AttributeValue | undefined): boolean {
  if (def.type === 'boolean') return false;
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** The required attributes of the annotation's class that it leaves empty, by `schema` (the version it was made under). */
export function missingRequired(annotation: Pick<Annotation, 'classId' | 'attributes'>, schema: LabelSchema): AttributeDef[] {
  const cls = schema.classes.find((c) => c.id === annotation.classId);
  if (!cls) return [];
  return cls.attributes.filter((d) => d.required && isMissingValue(d, annotation.attributes[d.id]));
}

/** Whether the grade belongs to labels of this class: the classes it lists, or every class when it lists none (as before the list existed). */
export function gradeApplies(grade: GradeDef | undefined, classId: string): grade is GradeDef {
  return !!grade && (!grade.classes || grade.classes.includes(classId));
}

/** The grade's name as messages in the shared format give it (English first). */
export function gradeName(grade: GradeDef): string {
  return grade.name.en || grade.name.ja || grade.id;
}

/** "0–4" for consecutive whole levels, otherwise the levels listed: "0, 1, 3". */
export function gradeRangeText(grade: GradeDef): string {
  const values = [...new Set(grade.levels.map((l) => l.value))].sort((a, b) => a - b);
  const consecutive = values.length > 1 && values.every((v, i) => Number.isInteger(v) && (i === 0 || v === values[i - 1] + 1));
  return consecutive ? `${values[0]}–${values[values.length - 1]}` : values.join(', ');
}

/**
 * Why a label's grade does not fit `schema` (the version it was made under), or null when it fits.
 * A schema without a grade leaves grades unchecked, as it always has.
 */
export function gradeProblem(annotation: Pick<Annotation, 'classId' | 'grade'>, schema: LabelSchema): string | null {
  const grade = schema.grade;
  if (!grade || annotation.grade === undefined) return null;
  if (!gradeApplies(grade, annotation.classId)) return `"${gradeName(grade)}" does not apply to class "${annotation.classId}"`;
  if (!grade.levels.some((l) => l.value === annotation.grade)) return `${annotation.grade} is not a level of "${gradeName(grade)}" (${gradeRangeText(grade)})`;
  return null;
}

/** Something a label still needs: a required attribute left empty, or a required grade not chosen. */
export type LabelGap = { kind: 'attribute'; attribute: AttributeDef } | { kind: 'grade'; grade: GradeDef };

/**
 * Everything the label still needs, by `schema` (the version it was made under). A required grade is
 * needed only on image-level labels of a class the grade applies to.
 */
export function labelGaps(annotation: Pick<AnnotationFields, 'classId' | 'attributes' | 'geometry' | 'grade'>, schema: LabelSchema): LabelGap[] {
  const gaps: LabelGap[] = missingRequired(annotation, schema).map((attribute) => ({ kind: 'attribute', attribute }));
  const grade = schema.grade;
  const known = schema.classes.some((c) => c.id === annotation.classId);
  if (known && annotation.geometry === null && grade?.required && gradeApplies(grade, annotation.classId) && annotation.grade === undefined) gaps.push({ kind: 'grade', grade });
  return gaps;
}

/** Where a gap is inside its annotation: `attributes.paris` or `grade`. */
export function gapPath(gap: LabelGap): string {
  return gap.kind === 'attribute' ? `attributes.${gap.attribute.id}` : 'grade';
}

export type ShapeKind = 'box' | 'polygon' | 'point' | 'line' | 'label';

/** A shape as a person names it: "box 2" is the second box its annotator drew on the image. */
export interface ShapeRef {
  kind: ShapeKind;
  n: number;
}

function byCreation(a: Pick<Annotation, 'createdAt' | 'id'>, b: Pick<Annotation, 'createdAt' | 'id'>): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Numbers one annotator's labels on one image per kind (box 1, box 2, …; label 1 for image-level), in the order they were made. */
export function shapeNumbers(annotations: readonly Annotation[]): Map<string, ShapeRef> {
  const counts = new Map<ShapeKind, number>();
  const out = new Map<string, ShapeRef>();
  for (const a of [...annotations].sort(byCreation)) {
    const kind: ShapeKind = a.geometry ? a.geometry.type : 'label';
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    out.set(a.id, { kind, n });
  }
  return out;
}

export interface ShapeGap {
  annotation: Annotation;
  shape: ShapeRef;
  gap: LabelGap;
}

/** The schema version a label was made under; the newest version of its schema if that one is not at hand. */
export function schemaOfLabel(schemas: readonly LabelSchema[], annotation: Pick<Annotation, 'schemaId' | 'schemaVersion'>): LabelSchema | undefined {
  let newest: LabelSchema | undefined;
  for (const s of schemas) {
    if (s.id !== annotation.schemaId) continue;
    if (s.version === annotation.schemaVersion) return s;
    if (!newest || s.version > newest.version) newest = s;
  }
  return newest;
}

/**
 * The gaps of a set of labels, each with the shape it is on, numbered per image and annotator; in
 * the order of the labels' first appearance, then the order they were made.
 */
export function labelGapsOf(annotations: readonly Annotation[], schemas: readonly LabelSchema[]): ShapeGap[] {
  const groups = new Map<string, Annotation[]>();
  for (const a of annotations) {
    const key = `${a.imageId}\u0000${a.annotatorId}`;
    const group = groups.get(key);
    if (group) group.push(a);
    else groups.set(key, [a]);
  }
  const out: ShapeGap[] = [];
  for (const group of groups.values()) {
    const found: { annotation: Annotation; gap: LabelGap }[] = [];
    for (const annotation of group) {
      const schema = schemaOfLabel(schemas, annotation);
      if (schema) for (const gap of labelGaps(annotation, schema)) found.push({ annotation, gap });
    }
    if (!found.length) continue; // a slide of many complete shapes is never sorted
    const numbers = shapeNumbers(group);
    found.sort((x, y) => byCreation(x.annotation, y.annotation));
    for (const { annotation, gap } of found) out.push({ annotation, shape: numbers.get(annotation.id)!, gap });
  }
  return out;
}

/** A project's first gaps, and how many there are in all. */
export interface GapSummary {
  /** The first `limit` gaps in worklist order: image order, then annotator, each annotator's in the order made. */
  gaps: ShapeGap[];
  /** How many gaps, and how many labels have one. */
  gapCount: number;
  gapLabels: number;
}

interface FoundGap {
  /** Its fields (see AnnotationFields): the whole annotation is read again for the gaps kept. */
  annotation: AnnotationFields;
  gap: LabelGap;
  /** The image's place in the worklist (0 for an image not in it). */
  order: number;
  /** Where its (image, annotator) group first appeared among the annotations. */
  group: number;
  /** Its place among its annotation's gaps. */
  k: number;
}

/** The order labelGapsOf gives, then sorted by image order and annotator (a stable sort: ties keep that order). */
function byWorklist(x: FoundGap, y: FoundGap): number {
  const ax = x.annotation, ay = y.annotation;
  return x.order - y.order || (ax.annotatorId < ay.annotatorId ? -1 : ax.annotatorId > ay.annotatorId ? 1 : 0) || x.group - y.group || byCreation(ax, ay) || x.k - y.k;
}

/**
 * labelGapsOf for a whole project, in worklist order (image order, then annotator; each annotator's
 * gaps in the order the labels were made), keeping only the first `limit`: the annotations' fields
 * are read once as they come (a million cell outlines are never held, nor their shapes built), then
 * only the images of the gaps kept are read again, whole, to number their shapes ("box 2").
 */
export function firstLabelGaps(annotations: AnnotationSource, images: readonly ImageRecord[], schemas: readonly LabelSchema[], limit: number): GapSummary {
  const order = new Map(images.map((im) => [im.id, im.order]));
  const groups = new Map<string, number>();
  let kept: FoundGap[] = [];
  let gapCount = 0;
  // Labels with a gap: each annotation comes once (ids are unique in a project).
  let gapLabels = 0;
  for (const annotation of annotations.fields()) {
    const key = `${annotation.imageId}\u0000${annotation.annotatorId}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = groups.size));
    const schema = schemaOfLabel(schemas, annotation);
    if (!schema) continue;
    const gaps = labelGaps(annotation, schema);
    if (!gaps.length) continue;
    gapCount += gaps.length;
    gapLabels++;
    gaps.forEach((gap, k) => kept.push({ annotation, gap, order: order.get(annotation.imageId) ?? 0, group, k }));
    if (kept.length > 2 * limit + 64) kept = kept.sort(byWorklist).slice(0, limit);
  }
  kept = kept.sort(byWorklist).slice(0, limit);
  // Each kept shape's number: one more than its group's shapes of its kind made before it.
  const targets = new Map<string, AnnotationFields[]>();
  for (const { annotation: a } of kept) {
    const key = `${a.imageId}\u0000${a.annotatorId}\u0000${shapeKind(a)}`;
    const list = targets.get(key);
    if (!list) targets.set(key, [a]);
    else if (!list.some((t) => t.id === a.id)) list.push(a);
  }
  const before = new Map<string, Int32Array>();
  for (const [key, list] of targets) {
    list.sort(byCreation);
    before.set(key, new Int32Array(list.length + 1));
  }
  const wanted = new Set(kept.map((f) => f.annotation.id));
  const whole = new Map<string, Annotation>();
  for (const imageId of new Set(kept.map((f) => f.annotation.imageId))) {
    for (const m of annotations.forImage(imageId)) {
      if (wanted.has(m.id)) whole.set(m.id, m);
      const key = `${m.imageId}\u0000${m.annotatorId}\u0000${shapeKind(m)}`;
      const list = targets.get(key);
      if (!list) continue;
      // m was made before the kept shapes from the first one made after it.
      let lo = 0, hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (byCreation(m, list[mid]) < 0) hi = mid;
        else lo = mid + 1;
      }
      before.get(key)![lo]++;
    }
  }
  const numbers = new Map<string, ShapeRef>();
  for (const [key, list] of targets) {
    const counts = before.get(key)!;
    let made = 0;
    list.forEach((a, j) => {
      made += counts[j];
      numbers.set(a.id, { kind: shapeKind(a), n: made + 1 });
    });
  }
  return { gaps: kept.map(({ annotation, gap }) => ({ annotation: whole.get(annotation.id)!, shape: numbers.get(annotation.id)!, gap })), gapCount, gapLabels };
}

function shapeKind(a: AnnotationFields): ShapeKind {
  return a.geometry ? (a.geometry.type as ShapeKind) : 'label';
}
