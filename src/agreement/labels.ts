import type { BootstrapOptions } from './bootstrap';
import { MIN_IMAGES } from './bootstrap';
import { cohenKappa, confusionMatrix, perClassAgreement, weightedKappa, type ClassAgreement, type ConfusionMatrix } from './cohen';
import { fleissKappaFromCounts } from './fleiss';
import { labelIntervals } from './intervals';
import { krippendorffAlphaFromCounts } from './krippendorff';
import { categoryCounts, ratingTable } from './ratingTable';
import type { AgreeJson, AgreementInput } from './types';

/** The contract's `labels` block plus what a person reading the table also wants to see. */
export interface LabelAgreement extends Readonly<AgreeJson['labels']> {
  /** Only with exactly two raters. */
  confusion: ConfusionMatrix | null;
  per_class: ClassAgreement[] | null;
  /** Second ratings of the same item by the same rater, ignored. */
  duplicates: number;
}

export interface LabelAgreementOptions {
  /** Resamples and seed of the intervals (defaults: BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED). */
  bootstrap?: BootstrapOptions;
  /** Compare the labels as categories only, whatever they look like (weighted and ordinal/interval measures are then `null`). */
  nominal?: boolean;
}

export function labelAgreement(input: Pick<AgreementInput, 'ratings' | 'raters' | 'classOrder'>, opts: LabelAgreementOptions = {}): LabelAgreement {
  const built = ratingTable(input.ratings, input.raters, input.classOrder);
  const table = opts.nominal ? { ...built, values: null } : built;
  const counts = categoryCounts(table);
  const k = table.categories.length;
  const confusion = table.raters.length === 2 ? confusionMatrix(table, table.raters[0], table.raters[1]) : null;
  const values = {
    cohen: confusion ? cohenKappa(confusion) : null,
    linear: confusion ? weightedKappa(confusion, table.values, 'linear') : null,
    quadratic: confusion ? weightedKappa(confusion, table.values, 'quadratic') : null,
    fleiss: fleissKappaFromCounts(counts),
    nominal: krippendorffAlphaFromCounts(counts, k, 'nominal', table.values),
    ordinal: krippendorffAlphaFromCounts(counts, k, 'ordinal', table.values),
    interval: krippendorffAlphaFromCounts(counts, k, 'interval', table.values),
  };
  const { images_compared, too_few_images, ci95 } = labelIntervals(table, values, opts.bootstrap);
  return {
    raters: table.raters,
    items: table.items.length,
    cohen_kappa: values.cohen,
    weighted_kappa: { linear: values.linear, quadratic: values.quadratic },
    fleiss_kappa: values.fleiss,
    krippendorff_alpha: { nominal: values.nominal, ordinal: values.ordinal, interval: values.interval },
    ordered: table.values !== null && k > 0,
    images_compared,
    images_minimum: MIN_IMAGES,
    too_few_images,
    ci95: {
      cohen_kappa: ci95.cohen,
      weighted_kappa: { linear: ci95.linear, quadratic: ci95.quadratic },
      fleiss_kappa: ci95.fleiss,
      krippendorff_alpha: { nominal: ci95.nominal, ordinal: ci95.ordinal, interval: ci95.interval },
    },
    confusion,
    per_class: confusion && confusion.n > 0 ? perClassAgreement(confusion) : null,
    duplicates: table.duplicates,
  };
}
