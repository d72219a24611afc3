import type { AttributeValue } from '../../model/types';
import type { AnnotationExtension, ImageExtension, ProjectExtension } from '../interchange/extension';

/** COCO "instances" as pycocotools reads it, plus Granula's optional `granula` blocks. */
export interface CocoDataset {
  info: { description: string; version: string; year: number; contributor: string; url: string; date_created: string; granula?: ProjectExtension };
  licenses: { id: number; name: string; url: string }[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  granula?: ImageExtension;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
  granula?: { classId: string };
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** Flat polygons; always exactly one here (Granula shapes have one outer ring). */
  segmentation: number[][];
  bbox: [number, number, number, number];
  area: number;
  iscrowd: 0;
  /** The class's attribute values by attribute id (as CVAT writes them), and Granula's own fields. */
  attributes: Record<string, AttributeValue | AnnotationExtension>;
}
