import { currentSchema, type ProjectData } from '../../model/projectData';
import { nowIso } from '../../model/ids';
import type { Annotation, ImageRecord } from '../../model/types';
import { allClasses, className } from '../interchange/classes';
import { hexToRgb } from '../interchange/colors';
import { annotationExtension, projectExtension } from '../interchange/extension';
import { fileStem, safeFileName, uniqueNames, uuidFor } from '../interchange/ids';
import type { GeoCollection, GeoFeature, GeoGeometry, Position } from './types';

export interface GeoJsonWriteOptions {
  exportedAt?: string;
}

function closedRing(points: readonly number[]): Position[] {
  const out: Position[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) out.push([points[i], points[i + 1]]);
  if (out.length) out.push([out[0][0], out[0][1]]);
  return out;
}

function rectangle(x: number, y: number, w: number, h: number): Position[][] {
  return [closedRing([x, y, x + w, y, x + w, y + h, x, y + h])];
}

/** Full-resolution pixels, origin top-left, as QuPath expects; an image-level label covers the image. */
function geoGeometry(a: Annotation, image: ImageRecord): GeoGeometry {
  const g = a.geometry;
  if (!g) return { type: 'Polygon', coordinates: rectangle(0, 0, image.width, image.height) };
  switch (g.type) {
    case 'polygon':
      return { type: 'Polygon', coordinates: [closedRing(g.points), ...(g.holes ?? []).map(closedRing)] };
    case 'box':
      return { type: 'Polygon', coordinates: rectangle(g.x, g.y, g.w, g.h) };
    case 'point':
      return { type: 'Point', coordinates: [g.x, g.y] };
  }
}

/** One FeatureCollection per image (GeoJSON has no list of images), named after the image. */
export function writeGeoJson(data: ProjectData, opts: GeoJsonWriteOptions = {}): { files: { name: string; collection: GeoCollection }[]; warnings: string[] } {
  const exportedAt = opts.exportedAt ?? nowIso();
  const schema = currentSchema(data);
  const project = projectExtension(data, exportedAt);
  const classes = new Map(allClasses(data).map((c) => [c.id, c]));
  const images = [...data.images].sort((a, b) => a.order - b.order);
  const names = uniqueNames(images.map((im) => safeFileName(fileStem(im.name) || im.id)));
  const warnings: string[] = [];
  const known = new Set(images.map((im) => im.id));
  for (const a of data.annotations) if (!known.has(a.imageId)) warnings.push(`annotation ${a.id} not written: its image "${a.imageId}" is not in the project`);
  const files = images.map((image, i) => {
    const features: GeoFeature[] = [];
    for (const a of data.annotations) {
      if (a.imageId !== image.id) continue;
      const c = classes.get(a.classId);
      if (!c) {
        warnings.push(`annotation ${a.id} not written: its class "${a.classId}" is not in schema ${schema.id}`);
        continue;
      }
      features.push({
        type: 'Feature',
        id: uuidFor(a.id),
        geometry: geoGeometry(a, image),
        properties: {
          objectType: c.objectKind === 'cell' ? 'detection' : 'annotation',
          classification: { name: className(c), color: hexToRgb(c.color) },
          isLocked: false,
          granula: annotationExtension(a, { classId: true, holes: false, attributes: a.attributes }),
        },
      });
    }
    const { projectId: _p, ...imageRecord } = image;
    const collection: GeoCollection = {
      type: 'FeatureCollection',
      granula: { ...project, imageStatus: project.imageStatus.filter((s) => s.imageId === image.id), image: imageRecord },
      features,
    };
    return { name: `${names[i]}.geojson`, collection };
  });
  return { files, warnings };
}
