import { sliceCount } from '../interchange/slices';
import { geometryArea, geometryBbox } from '../../model/geometry';
import { annotationSource, type AnnotationFields, type SourcedProject } from '../../model/annotationSource';
import { currentSchema, type ProjectData } from '../../model/projectData';
import { nowIso } from '../../model/ids';
import { englishCount } from '../../model/words';
import type { Annotation, AttributeValue, Geometry, ImageRecord } from '../../model/types';
import { allClasses, className } from '../interchange/classes';
import { annotationExtension, projectExtension } from '../interchange/extension';
import { assignCocoIds } from './ids';
import type { CocoAnnotation, CocoCategory, CocoDataset, CocoImage } from './types';
import { Utf8Sink, type WriteProgress } from '../shared/stream';

export interface CocoWriteOptions {
  exportedAt?: string;
}

/** Segmentation, bbox and area of one annotation: its shape's polygon, and any further parts beside it. */
function cocoShape(a: Annotation, image: ImageRecord): Pick<CocoAnnotation, 'segmentation' | 'bbox' | 'area'> {
  const main = mainShape(a, image);
  const parts = a.geometry?.type === 'polygon' ? (a.carried?.parts ?? []) : [];
  if (!parts.length) return main;
  // An object in several polygons, as COCO draws one: the outlines together; their holes go in
  // Granula's block (COCO has none), and `area` is the true area of all the parts.
  const polygons = parts.map((rings): Geometry => ({ type: 'polygon', points: rings[0], holes: rings.slice(1) }));
  const boxes = [main.bbox, ...polygons.map(geometryBbox)];
  const x0 = Math.min(...boxes.map((b) => b[0])), y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2])), y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  return {
    segmentation: [...main.segmentation, ...parts.map((rings) => rings[0].slice())],
    bbox: [x0, y0, x1 - x0, y1 - y0],
    area: polygons.reduce((sum, g) => sum + geometryArea(g), main.area),
  };
}

function mainShape(a: Annotation, image: ImageRecord): Pick<CocoAnnotation, 'segmentation' | 'bbox' | 'area'> {
  const g = a.geometry;
  if (!g) {
    // An image-level label covers the whole image (see docs/FORMAT-INTERCHANGE.md).
    const { width: w, height: h } = image;
    return { segmentation: [[0, 0, w, 0, w, h, 0, h]], bbox: [0, 0, w, h], area: w * h };
  }
  switch (g.type) {
    case 'polygon':
      // Holes cannot be drawn in a COCO polygon: the ring is the outline, `area` subtracts the holes.
      return { segmentation: [g.points.slice()], bbox: geometryBbox(g), area: geometryArea(g) };
    case 'box':
      return { segmentation: [[g.x, g.y, g.x + g.w, g.y, g.x + g.w, g.y + g.h, g.x, g.y + g.h]], bbox: [g.x, g.y, g.w, g.h], area: g.w * g.h };
    case 'point':
      // A one-pixel square centred on the point: a valid instance for every COCO tool, read back as the point.
      return { segmentation: [[g.x - 0.5, g.y - 0.5, g.x + 0.5, g.y - 0.5, g.x + 0.5, g.y + 0.5, g.x - 0.5, g.y + 0.5]], bbox: [g.x - 0.5, g.y - 0.5, 1, 1], area: 1 };
    case 'line':
      // Never reached: cocoParts leaves length lines out (COCO has no line; a box would be a false object).
      throw new Error(`annotation ${a.id}: a length line has no COCO shape`);
  }
}

/** CVAT keeps attribute values flat in `attributes`; only a value whose id is `granula` must move aside. */
function cocoAttributes(a: Annotation): CocoAnnotation['attributes'] {
  const flat: [string, AttributeValue][] = Object.entries(a.attributes).filter(([k]) => k !== 'granula');
  const aside = 'granula' in a.attributes ? { granula: a.attributes.granula } : undefined;
  return Object.fromEntries([...flat, ['granula', annotationExtension(a, { attributes: aside })]]);
}

/** The COCO dataset with its annotations made one at a time: for the whole writer and the streamed one. */
interface CocoParts {
  /** The dataset but its annotations (`annotations` is empty). */
  dataset: CocoDataset;
  /** The COCO annotations, in order, each made as it is reached. */
  annotations(): Generator<CocoAnnotation>;
  warnings: string[];
}

function cocoParts(data: SourcedProject, opts: CocoWriteOptions): CocoParts {
  const exportedAt = opts.exportedAt ?? nowIso();
  const schema = currentSchema(data);
  const ordered = [...data.images].sort((a, b) => a.order - b.order);
  // Ids the records came with are written back as they were; the others are numbered after them.
  const imageNumbers = assignCocoIds(ordered, (im) => im.carried?.coco?.id);
  const imageIds = new Map(ordered.map((im, i) => [im.id, imageNumbers.ids[i]]));
  const images: CocoImage[] = ordered.map((im, i) => {
    const { projectId: _p, name, width, height, ...granula } = im;
    return { id: imageNumbers.ids[i], file_name: name, width, height, granula };
  });
  const classes = allClasses(data);
  const categoryNumbers = assignCocoIds(classes, (c) => c.carried?.coco?.id);
  const categoryIds = new Map(classes.map((c, i) => [c.id, categoryNumbers.ids[i]]));
  const categories: CocoCategory[] = classes.map((c, i) => ({ id: categoryNumbers.ids[i], name: className(c), supercategory: c.objectKind ?? schema.name.en, granula: { classId: c.id } }));
  const byId = new Map(data.images.map((im) => [im.id, im]));
  const source = annotationSource(data.annotations);
  // Length lines are left out: COCO has no line, and a box would be a false object.
  const isWritten = (a: AnnotationFields) => a.geometry?.type !== 'line' && byId.has(a.imageId) && categoryIds.has(a.classId);
  // One pass for the numbering and what is said first: the annotations are made again as they are written.
  const slices = sliceCount();
  const unwritten: string[] = [];
  const carried: (number | string | undefined)[] = [];
  /** Ids of the written annotations that came with a COCO id, by position (to name those numbered anew). */
  const carriers = new Map<number, string>();
  let lines = 0;
  for (const a of source.fields()) {
    slices.see(a);
    if (a.geometry?.type === 'line') {
      lines++;
      continue;
    }
    if (!isWritten(a)) {
      unwritten.push(`annotation ${a.id} not written: its ${byId.has(a.imageId) ? `class "${a.classId}"` : `image "${a.imageId}"`} is not in the project`);
      continue;
    }
    const id = a.carried?.coco?.id;
    if (id !== undefined) carriers.set(carried.length, a.id);
    carried.push(id);
  }
  const warnings: string[] = [...slices.warnings(data.images, 'COCO'), ...unwritten];
  if (lines) warnings.push(`${englishCount(lines, 'length measurement')} not written: COCO has no line shape. Export the shared format, GeoJSON or CSV to keep them`);
  const annotationNumbers = assignCocoIds(Array.from(carried.keys()), (i) => carried[i]);
  for (const [what, taken] of [['image', imageNumbers.taken.map((im) => im.id)], ['class', categoryNumbers.taken.map((c) => c.id)], ['annotation', annotationNumbers.taken.map((i) => carriers.get(i)!)]] as const) {
    if (taken.length) warnings.push(`${taken.length} ${what}${taken.length > 1 ? 's' : ''} (${taken.slice(0, 3).join(', ')}${taken.length > 3 ? ', …' : ''}) came with a COCO id another ${what} already has: numbered anew`);
  }
  const dataset: CocoDataset = {
    info: {
      description: data.project.name,
      version: `${schema.id} v${schema.version}`,
      year: new Date(exportedAt).getUTCFullYear() || 0,
      contributor: 'Granula',
      url: '',
      date_created: exportedAt,
      // The project block carries no annotations: leave them out of the copy it is made from.
      granula: projectExtension({ ...data, annotations: [] }, exportedAt),
    },
    licenses: [],
    images,
    annotations: [],
    categories,
  };
  function* annotations(): Generator<CocoAnnotation> {
    let i = 0;
    for (const a of source) {
      if (!isWritten(a)) continue;
      yield {
        id: annotationNumbers.ids[i++],
        image_id: imageIds.get(a.imageId)!,
        category_id: categoryIds.get(a.classId)!,
        ...cocoShape(a, byId.get(a.imageId)!),
        iscrowd: a.carried?.coco?.crowd ? 1 : 0,
        attributes: cocoAttributes(a),
      };
    }
  }
  return { dataset, annotations, warnings };
}

export function writeCoco(data: ProjectData, opts: CocoWriteOptions = {}): { coco: CocoDataset; warnings: string[] } {
  const { dataset, annotations, warnings } = cocoParts(data, opts);
  return { coco: { ...dataset, annotations: [...annotations()] }, warnings };
}

/**
 * writeCoco's dataset as UTF-8 chunks of about `chunkBytes`: joined, exactly `JSON.stringify(coco)`
 * and a newline (the file writeAny gives), made annotation by annotation and never held whole
 * (`data.annotations` may be a source that builds each as it is reached). `progress.done` counts the
 * annotations written so far.
 */
export function cocoFileChunks(data: SourcedProject, opts: CocoWriteOptions = {}, chunkBytes = 1 << 16, progress?: WriteProgress): { chunks(): Generator<Uint8Array>; warnings: string[] } {
  const { dataset, annotations, warnings } = cocoParts(data, opts);
  function* chunks(): Generator<Uint8Array> {
    const out = new Utf8Sink();
    // JSON.stringify's order: the dataset's keys as cocoParts made them, annotations among them.
    out.text(`{"info":${JSON.stringify(dataset.info)},"licenses":${JSON.stringify(dataset.licenses)},"images":${JSON.stringify(dataset.images)},"annotations":[`);
    let i = 0;
    for (const a of annotations()) {
      if (i++) out.byte(44);
      out.text(JSON.stringify(a));
      if (progress) progress.done++;
      if (out.n >= chunkBytes) yield out.take();
    }
    out.text(`],"categories":${JSON.stringify(dataset.categories)}}\n`);
    yield out.take();
  }
  return { chunks, warnings };
}
