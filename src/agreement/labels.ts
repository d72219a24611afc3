import { cohenKappa, confusionMatrix, perClassAgreement, weightedKappa, type ClassAgreement, type ConfusionMatrix } from './cohen';
import { fleissKappaFromCounts } from './fleiss';
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

export function labelAgreement(input: Pick<AgreementInput, 'ratings' | 'raters' | 'classOrder'>): LabelAgreement {
  const table = ratingTable(input.ratings, input.raters, input.classOrder);
  const counts = categoryCounts(table);
  const k = table.categories.length;
  const confusion = table.raters.length === 2 ? confusionMatrix(table, table.raters[0], table.raters[1]) : null;
  return {
    raters: table.raters,
    items: table.items.length,
    cohen_kappa: confusion ? cohenKappa(confusion) : null,
    weighted_kappa: {
      linear: confusion ? weightedKappa(confusion, table.values, 'linear') : null,
      quadratic: confusion ? weightedKappa(confusion, table.values, 'quadratic') : null,
    },
    fleiss_kappa: fleissKappaFromCounts(counts),
    krippendorff_alpha: {
      nominal: krippendorffAlphaFromCounts(counts, k, 'nominal', table.values),
      ordinal: krippendorffAlphaFromCounts(counts, k, 'ordinal', table.values),
      interval: krippendorffAlphaFromCounts(counts, k, 'interval', table.values),
    },
    confusion,
    per_class: confusion && confusion.n > 0 ? perClassAgreement(confusion) : null,
    duplicates: table.duplicates,
  };
}
