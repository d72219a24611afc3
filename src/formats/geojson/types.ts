import type { ImageRecord } from '../../model/types';
import type { AnnotationExtension, ProjectExtension } from '../interchange/extension';

export type Position = [number, number];

export type GeoGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] } | { type: 'Point'; coordinates: Position } | { type: 'LineString'; coordinates: Position[] };

/** As QuPath 0.4+ writes a class: `names` for a derived class ("Tumor: Positive"), else `name`; always a colour. */
export type GeoClassification = { name: string; color: [number, number, number] } | { names: string[]; color: [number, number, number] };

export interface GeoFeature {
  type: 'Feature';
  /** A UUID, as QuPath gives its objects. */
  id: string;
  geometry: GeoGeometry;
  /** In the order QuPath writes them; `granula` last. */
  properties: {
    objectType: string;
    /** The annotation's note, as QuPath's object name. */
    name?: string;
    /** The object's own colour, when it came with one. */
    color?: [number, number, number];
    /** Absent for an object QuPath had not classified (and which still has the class it was given). */
    classification?: GeoClassification;
    /** Written only for a locked object, as QuPath does. */
    isLocked?: true;
    measurements?: Record<string, number>;
    metadata?: Record<string, string>;
    granula: AnnotationExtension;
  };
}

/** One image's objects, as QuPath imports and exports them; `granula` is a foreign member QuPath ignores. */
export interface GeoCollection {
  type: 'FeatureCollection';
  granula: ProjectExtension & { image: Omit<ImageRecord, 'projectId'> };
  features: GeoFeature[];
}
