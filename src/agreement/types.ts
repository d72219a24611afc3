import type { AttributeValue, Geometry } from '../model/types';

/** One rater's image-level label for one item (image). `null` is a missing rating. */
export interface LabelRating {
  item: string;
  rater: string;
  label: string | null;
  /**
   * The image the item belongs to, when an item is a part of an image (a class of a multi-label
   * schema, a matched shape). Confidence intervals resample images, so an image's items stay
   * together. Absent: the item is the image.
   */
  image?: string;
}

/** One rater's shape, matched only against shapes of the same image and class. */
export interface ShapeRecord {
  id: string;
  image: string;
  classId: string;
  rater: string;
  geometry: Geometry;
  /** The annotation's attribute values (Paris class, NICE type, …), for attribute agreement. */
  attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A categorical attribute (enum or yes/no) of a class, compared on matched shapes. */
export interface AttributeKey {
  classId: string;
  attribute: string;
}

export interface AgreementInput {
  ratings: LabelRating[];
  shapes: ShapeRecord[];
  /** Raters in reference order: of two, the first is the reference (`a`). */
  raters: string[];
  /**
   * An order of the classes declared by the schema (`ordered: true`), for weighted and
   * ordinal/interval measures on labels that are not numbers. A class list alone is no order.
   */
  classOrder?: string[];
  /** The attributes whose agreement on matched shapes is measured (the schema's enum and yes/no attributes). */
  attributes?: AttributeKey[];
}

/** A 95% confidence interval [low, high]; `null` where it cannot be given (see docs/AGREEMENT.md). */
export type Interval = [number, number] | null;

/** The `--json` output of `granula agree`; keys are a public contract (see DESIGN.md). */
export interface AgreeJson {
  labels: {
    raters: string[];
    items: number;
    cohen_kappa: number | null;
    weighted_kappa: { linear: number | null; quadratic: number | null };
    fleiss_kappa: number | null;
    krippendorff_alpha: { nominal: number | null; ordinal: number | null; interval: number | null };
    // Added after the first contract: new keys only, the keys above keep their names and meaning.
    /** Whether the labels have an order (numbers, or a schema that declares its classes ordered). */
    ordered: boolean;
    /** Images with at least one item rated by two or more raters: the units the intervals resample. */
    images_compared: number;
    /** Below this many images compared, no interval is given and the table warns. */
    images_minimum: number;
    too_few_images: boolean;
    ci95: {
      cohen_kappa: Interval;
      weighted_kappa: { linear: Interval; quadratic: Interval };
      fleiss_kappa: Interval;
      krippendorff_alpha: { nominal: Interval; ordinal: Interval; interval: Interval };
    };
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
  /** Agreement on the attributes of matched shapes, one entry per class and attribute. */
  attributes: AttributeAgreementJson[];
  /** How the intervals were made: percentile bootstrap over images. */
  bootstrap: { resamples: number; seed: number };
}

export interface AttributeAgreementJson {
  class: string;
  attribute: string;
  raters: string[];
  /** Matched shapes (pairs, or groups with more than two raters) on which at least two raters gave the attribute. */
  pairs: number;
  images_compared: number;
  too_few_images: boolean;
  cohen_kappa: number | null;
  fleiss_kappa: number | null;
  krippendorff_alpha: { nominal: number | null };
  ci95: { cohen_kappa: Interval; fleiss_kappa: Interval; krippendorff_alpha: { nominal: Interval } };
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
