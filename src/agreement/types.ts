import type { Geometry } from '../model/types';

/** One rater's image-level label for one item (image). `null` is a missing rating. */
export interface LabelRating {
  item: string;
  rater: string;
  label: string | null;
}

/** One rater's shape, matched only against shapes of the same image and class. */
export interface ShapeRecord {
  id: string;
  image: string;
  classId: string;
  rater: string;
  geometry: Geometry;
}

export interface AgreementInput {
  ratings: LabelRating[];
  shapes: ShapeRecord[];
  /** Raters in reference order: of two, the first is the reference (`a`). */
  raters: string[];
  /** The schema's class order, for ordinal/interval measures on non-numeric labels. */
  classOrder?: string[];
}

/** The `--json` output of `granula agree`; keys are a public contract (see DESIGN.md). */
export interface AgreeJson {
  labels: {
    raters: string[];
    items: number;
    cohen_kappa: number | null;
    weighted_kappa: { linear: number | null; quadratic: number | null };
    fleiss_kappa: number | null;
    krippendorff_alpha: { nominal: number | null; ordinal: number | null; interval: number | null };
  };
  shapes: {
    iou_threshold: number;
    pairs: {
      a: string;
      b: string;
      a_count: number;
      b_count: number;
      matched: number;
      precision: number | null;
      recall: number | null;
      f1: number | null;
      mean_iou: number | null;
      mean_dice: number | null;
    }[];
  };
}

/** One rater pair's row of `AgreeJson.shapes.pairs`. */
export type ShapePairReport = AgreeJson['shapes']['pairs'][number];

/** The counts and ratios of a pair row, without the rater names (also used for all pairs pooled). */
export type ShapeSummary = Omit<ShapePairReport, 'a' | 'b'>;

/**
 * How shapes are paired. `iou`: overlap at or above the threshold, maximising total IoU.
 * `centroid`: centroids within a radius (pixels, or microns turned into pixels with the image's mpp).
 */
export type ShapeMatchMode =
  | { kind: 'iou'; threshold: number }
  | { kind: 'centroid'; radius: number; unit?: 'px' | 'um'; mpp?: number | Readonly<Record<string, number>> };
