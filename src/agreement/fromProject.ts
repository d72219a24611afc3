import { currentSchema, type ProjectData } from '../model/projectData';
import type { Annotation, LabelSchema } from '../model/types';
import type { AgreementInput, AttributeKey, LabelRating, ShapeRecord } from './types';

export interface FromProjectOptions {
  /** `class` (default): an image label's class id. `grade`: its grade as a number string; no grade is a missing rating. */
  label?: 'class' | 'grade';
  /** Also take point annotations as shapes (only centroid matching can use them). */
  points?: boolean;
}

function schemaOf(data: ProjectData): LabelSchema | undefined {
  try {
    return currentSchema(data);
  } catch {
    return undefined;
  }
}

/**
 * Images are keyed by name, so that the same image read from two files (a COCO file per annotator,
 * a CSV) is one item; a name that is empty or used twice in the file falls back to the image id.
 */
function imageKeys(data: ProjectData): (imageId: string) => string {
  const uses = new Map<string, number>();
  for (const im of data.images) uses.set(im.name, (uses.get(im.name) ?? 0) + 1);
  const key = new Map(data.images.map((im) => [im.id, im.name && uses.get(im.name) === 1 ? im.name : im.id] as const));
  return (id) => key.get(id) ?? id;
}

/**
 * A multi-label image schema asks each rater a yes/no question per class, so agreement is measured
 * on those: one item per image and class, labelled present/absent, for every rater who labelled the
 * image or marked it done.
 */
function presenceRatings(data: ProjectData, classIds: readonly string[], itemOf: (id: string) => string, labels: readonly Annotation[]): LabelRating[] {
  const chosen = new Map<string, Set<string>>();
  const order: [string, string][] = [];
  const note = (image: string, rater: string) => {
    const k = `${image}\u0000${rater}`;
    if (!chosen.has(k)) {
      chosen.set(k, new Set());
      order.push([image, rater]);
    }
    return chosen.get(k)!;
  };
  for (const a of labels) note(a.imageId, a.annotatorId).add(a.classId);
  for (const s of data.statuses) if (s.state === 'done') note(s.imageId, s.annotatorId);
  const out: LabelRating[] = [];
  for (const [image, rater] of order) {
    const set = chosen.get(`${image}\u0000${rater}`)!;
    for (const c of classIds) out.push({ item: `${itemOf(image)}#${c}`, rater, label: set.has(c) ? 'present' : 'absent', image: itemOf(image) });
  }
  return out;
}

/**
 * Image-level annotations (geometry `null`) become ratings and boxes and polygons become shapes
 * (length lines are left out).
 * Raters are annotator ids in order of first appearance, so the first annotator is the reference.
 */
export function agreementInputFromProject(data: ProjectData, opts: FromProjectOptions = {}): AgreementInput {
  const schema = schemaOf(data);
  const itemOf = imageKeys(data);
  const raters: string[] = [];
  const seen = new Set<string>();
  const labels: Annotation[] = [];
  const shapes: ShapeRecord[] = [];
  for (const a of data.annotations) {
    const g = a.geometry;
    if (g && g.type === 'point' && !opts.points) continue;
    // A length line is a measurement, not a finding to match: agreement on lengths is not a shape's IoU.
    if (g && g.type === 'line') continue;
    if (!seen.has(a.annotatorId)) {
      seen.add(a.annotatorId);
      raters.push(a.annotatorId);
    }
    if (g) shapes.push({ id: a.id, image: itemOf(a.imageId), classId: a.classId, rater: a.annotatorId, geometry: g, ...(a.attributes && Object.keys(a.attributes).length ? { attributes: a.attributes } : {}) });
    else labels.push(a);
  }
  // A class list is no order (diagnoses are categories); only a schema that declares its classes ordered gives one.
  const classOrder = schema?.ordered ? schema.classes.map((c) => c.id) : undefined;
  const allClasses = schema?.classes.map((c) => c.id);
  let ratings: LabelRating[];
  if (opts.label === 'grade') {
    ratings = labels.map((a) => ({ item: itemOf(a.imageId), rater: a.annotatorId, label: a.grade === undefined ? null : String(a.grade) }));
  } else if (schema?.granularity === 'image' && schema.selection === 'multi') {
    const classIds = [...new Set([...(allClasses ?? []), ...labels.map((a) => a.classId)])];
    ratings = presenceRatings(data, classIds, itemOf, labels);
    for (const r of ratings) if (!seen.has(r.rater)) (seen.add(r.rater), raters.push(r.rater));
  } else {
    ratings = labels.map((a) => ({ item: itemOf(a.imageId), rater: a.annotatorId, label: a.classId }));
  }
  const attributes: AttributeKey[] = (schema?.classes ?? []).flatMap((c) =>
    c.attributes.filter((d) => d.type === 'enum' || d.type === 'boolean').map((d) => ({ classId: c.id, attribute: d.id })),
  );
  return { ratings, shapes, raters, ...(classOrder ? { classOrder } : {}), ...(attributes.length ? { attributes } : {}) };
}

/**
 * The declared orders joined, or `undefined` when two of them put the same classes in opposite orders
 * (the files then declare no one order).
 */
function joinOrders(orders: readonly (readonly string[])[]): string[] | undefined {
  if (!orders.length) return undefined;
  const joined = [...new Set(orders.flat())];
  const rank = new Map(joined.map((c, i) => [c, i] as const));
  for (const order of orders) {
    for (let i = 1; i < order.length; i++) if (rank.get(order[i - 1])! > rank.get(order[i])!) return undefined;
  }
  return joined;
}

/**
 * Several files as one study: raters in order of first appearance across the files, declared class
 * orders joined (none if they contradict each other), attributes to compare joined.
 */
export function mergeAgreementInputs(inputs: readonly AgreementInput[]): AgreementInput {
  const raters = [...new Set(inputs.flatMap((i) => i.raters))];
  const classOrder = joinOrders(inputs.flatMap((i) => (i.classOrder ? [i.classOrder] : [])));
  const seen = new Set<string>();
  const attributes = inputs.flatMap((i) => i.attributes ?? []).filter((k) => {
    const key = `${k.classId}\u0000${k.attribute}`;
    return !seen.has(key) && !!seen.add(key);
  });
  return {
    ratings: inputs.flatMap((i) => i.ratings),
    shapes: inputs.flatMap((i) => i.shapes),
    raters,
    ...(classOrder ? { classOrder } : {}),
    ...(attributes.length ? { attributes } : {}),
  };
}
