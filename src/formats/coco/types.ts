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

/** Numbers from 1, or the ids (numbers or text) the records came with. */
export type CocoId = number | string;

export interface CocoImage {
  id: CocoId;
  file_name: string;
  width: number;
  height: number;
  granula?: ImageExtension;
}

export interface CocoCategory {
  id: CocoId;
  name: string;
  supercategory: string;
  granula?: { classId: string };
}

export interface CocoAnnotation {
  id: CocoId;
  image_id: CocoId;
  category_id: CocoId;
  /** Flat polygons: the shape's outline, then the outlines of any further parts it came with. */
  segmentation: number[][];
  bbox: [number, number, number, number];
  area: number;
  /** 1 only for a crowd region that came as one. */
  iscrowd: 0 | 1;
  /** The class's attribute values by attribute id (as CVAT writes them), and Granula's own fields. */
  attributes: Record<string, AttributeValue | AnnotationExtension>;
}
