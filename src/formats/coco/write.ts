import { geometryArea, geometryBbox } from '../../model/geometry';
import { currentSchema, type ProjectData } from '../../model/projectData';
import { nowIso } from '../../model/ids';
import type { Annotation, AttributeValue, ImageRecord } from '../../model/types';
import { allClasses, className } from '../interchange/classes';
import { annotationExtension, projectExtension } from '../interchange/extension';
import type { CocoAnnotation, CocoCategory, CocoDataset, CocoImage } from './types';

export interface CocoWriteOptions {
  exportedAt?: string;
}

/** Segmentation, bbox and area of one annotation; every shape becomes one flat polygon. */
function cocoShape(a: Annotation, image: ImageRecord): Pick<CocoAnnotation, 'segmentation' | 'bbox' | 'area'> {
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
  }
}

/** CVAT keeps attribute values flat in `attributes`; only a value whose id is `granula` must move aside. */
function cocoAttributes(a: Annotation): CocoAnnotation['attributes'] {
  const flat: [string, AttributeValue][] = Object.entries(a.attributes).filter(([k]) => k !== 'granula');
  const aside = 'granula' in a.attributes ? { granula: a.attributes.granula } : undefined;
  return Object.fromEntries([...flat, ['granula', annotationExtension(a, { attributes: aside })]]);
}

export function writeCoco(data: ProjectData, opts: CocoWriteOptions = {}): { coco: CocoDataset; warnings: string[] } {
  const exportedAt = opts.exportedAt ?? nowIso();
  const schema = currentSchema(data);
  const warnings: string[] = [];
  const ordered = [...data.images].sort((a, b) => a.order - b.order);
  const imageIds = new Map(ordered.map((im, i) => [im.id, i + 1]));
  const images: CocoImage[] = ordered.map((im, i) => {
    const { projectId: _p, name, width, height, ...granula } = im;
    return { id: i + 1, file_name: name, width, height, granula };
  });
  const classes = allClasses(data);
  const categoryIds = new Map(classes.map((c, i) => [c.id, i + 1]));
  const categories: CocoCategory[] = classes.map((c, i) => ({ id: i + 1, name: className(c), supercategory: c.objectKind ?? schema.name.en, granula: { classId: c.id } }));
  const byId = new Map(data.images.map((im) => [im.id, im]));
  const annotations: CocoAnnotation[] = [];
  for (const a of data.annotations) {
    const image = byId.get(a.imageId);
    const category = categoryIds.get(a.classId);
    if (!image || category === undefined) {
      warnings.push(`annotation ${a.id} not written: its ${image ? `class "${a.classId}"` : `image "${a.imageId}"`} is not in the project`);
      continue;
    }
    annotations.push({ id: annotations.length + 1, image_id: imageIds.get(a.imageId)!, category_id: category, ...cocoShape(a, image), iscrowd: 0, attributes: cocoAttributes(a) });
  }
  const coco: CocoDataset = {
    info: {
      description: data.project.name,
      version: `${schema.id} v${schema.version}`,
      year: new Date(exportedAt).getUTCFullYear() || 0,
      contributor: 'Granula',
      url: '',
      date_created: exportedAt,
      granula: projectExtension(data, exportedAt),
    },
    licenses: [],
    images,
    annotations,
    categories,
  };
  return { coco, warnings };
}
