import { currentSchema, type ProjectData } from '../model/projectData';
import type { Annotation, LabelSchema } from '../model/types';
import type { AgreementInput, LabelRating, ShapeRecord } from './types';

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
    for (const c of classIds) out.push({ item: `${itemOf(image)}#${c}`, rater, label: set.has(c) ? 'present' : 'absent' });
  }
  return out;
}

/**
 * Image-level annotations (geometry `null`) become ratings and boxes and polygons become shapes.
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
    if (!seen.has(a.annotatorId)) {
      seen.add(a.annotatorId);
      raters.push(a.annotatorId);
    }
    if (g) shapes.push({ id: a.id, image: itemOf(a.imageId), classId: a.classId, rater: a.annotatorId, geometry: g });
    else labels.push(a);
  }
  const classOrder = schema?.classes.map((c) => c.id);
  let ratings: LabelRating[];
  if (opts.label === 'grade') {
    ratings = labels.map((a) => ({ item: itemOf(a.imageId), rater: a.annotatorId, label: a.grade === undefined ? null : String(a.grade) }));
  } else if (schema?.granularity === 'image' && schema.selection === 'multi') {
    const classIds = [...new Set([...(classOrder ?? []), ...labels.map((a) => a.classId)])];
    ratings = presenceRatings(data, classIds, itemOf, labels);
    for (const r of ratings) if (!seen.has(r.rater)) (seen.add(r.rater), raters.push(r.rater));
  } else {
    ratings = labels.map((a) => ({ item: itemOf(a.imageId), rater: a.annotatorId, label: a.classId }));
  }
  return { ratings, shapes, raters, ...(classOrder ? { classOrder } : {}) };
}

/** Several files as one study: raters in order of first appearance across the files, class orders joined. */
export function mergeAgreementInputs(inputs: readonly AgreementInput[]): AgreementInput {
  const raters = [...new Set(inputs.flatMap((i) => i.raters))];
  const orders = inputs.filter((i) => i.classOrder);
  const classOrder = orders.length ? [...new Set(orders.flatMap((i) => i.classOrder!))] : undefined;
  return {
    ratings: inputs.flatMap((i) => i.ratings),
    shapes: inputs.flatMap((i) => i.shapes),
    raters,
    ...(classOrder ? { classOrder } : {}),
  };
}
