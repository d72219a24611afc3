import type { ImageRecord } from '../../model/types';
import type { AnnotationExtension, ProjectExtension } from '../interchange/extension';

export type Position = [number, number];

export type GeoGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'Point'; coordinates: Position };

export interface GeoFeature {
  type: 'Feature';
  /** A UUID, as QuPath gives its objects. */
  id: string;
  geometry: GeoGeometry;
  properties: {
    objectType: 'annotation' | 'detection';
    classification: { name: string; color: [number, number, number] };
    isLocked: boolean;
    granula: AnnotationExtension;
  };
}

/** One image's objects, as QuPath imports and exports them; `granula` is a foreign member QuPath ignores. */
export interface GeoCollection {
  type: 'FeatureCollection';
  granula: ProjectExtension & { image: Omit<ImageRecord, 'projectId'> };
  features: GeoFeature[];
}
