import { attributeAgreement } from './attributes';
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED } from './bootstrap';
import { labelAgreement, type LabelAgreement } from './labels';
import { DEFAULT_IOU_THRESHOLD, shapeAgreement } from './shapeAgreement';
import type { AgreeJson, AgreementInput, AttributeAgreementJson, Interval, ShapePairReport, ShapeSummary } from './types';

/** Everything `granula agree` computes; the readable table shows it all, `--json` the contract's part. */
export interface AgreementDetails {
  labels: LabelAgreement;
  shapes: { iou_threshold: number; pairs: ShapePairReport[]; overall: ShapeSummary };
  attributes: AttributeAgreementJson[];
}

export function agreementDetails(input: AgreementInput, opts: { iou?: number } = {}): AgreementDetails {
  const threshold = opts.iou ?? DEFAULT_IOU_THRESHOLD;
  const mode = { kind: 'iou', threshold } as const;
  const { pairs, overall } = shapeAgreement(input.shapes, input.raters, mode);
  return {
    labels: labelAgreement(input),
    shapes: { iou_threshold: threshold, pairs, overall },
    attributes: attributeAgreement(input.shapes, input.raters, input.attributes ?? [], mode),
  };
}

const copy = (i: Interval): Interval => (i ? [i[0], i[1]] : null);

/** Exactly the keys of the contract in docs/AGREEMENT.md, in its order; nothing else leaks in. */
export function toAgreeJson(d: AgreementDetails): AgreeJson {
  const l = d.labels;
  return {
    labels: {
      raters: l.raters,
      items: l.items,
      cohen_kappa: l.cohen_kappa,
      weighted_kappa: { linear: l.weighted_kappa.linear, quadratic: l.weighted_kappa.quadratic },
      fleiss_kappa: l.fleiss_kappa,
      krippendorff_alpha: { nominal: l.krippendorff_alpha.nominal, ordinal: l.krippendorff_alpha.ordinal, interval: l.krippendorff_alpha.interval },
      ordered: l.ordered,
      images_compared: l.images_compared,
      images_minimum: l.images_minimum,
      too_few_images: l.too_few_images,
      ci95: {
        cohen_kappa: copy(l.ci95.cohen_kappa),
        weighted_kappa: { linear: copy(l.ci95.weighted_kappa.linear), quadratic: copy(l.ci95.weighted_kappa.quadratic) },
        fleiss_kappa: copy(l.ci95.fleiss_kappa),
        krippendorff_alpha: { nominal: copy(l.ci95.krippendorff_alpha.nominal), ordinal: copy(l.ci95.krippendorff_alpha.ordinal), interval: copy(l.ci95.krippendorff_alpha.interval) },
      },
    },
    shapes: {
      iou_threshold: d.shapes.iou_threshold,
      pairs: d.shapes.pairs.map((p) => ({
        a: p.a,
        b: p.b,
        a_count: p.a_count,
        b_count: p.b_count,
        matched: p.matched,
        precision: p.precision,
        recall: p.recall,
        f1: p.f1,
        mean_iou: p.mean_iou,
        mean_dice: p.mean_dice,
      })),
    },
    attributes: d.attributes.map((a) => ({
      class: a.class,
      attribute: a.attribute,
      raters: a.raters,
      pairs: a.pairs,
      images_compared: a.images_compared,
      too_few_images: a.too_few_images,
      cohen_kappa: a.cohen_kappa,
      fleiss_kappa: a.fleiss_kappa,
      krippendorff_alpha: { nominal: a.krippendorff_alpha.nominal },
      ci95: { cohen_kappa: copy(a.ci95.cohen_kappa), fleiss_kappa: copy(a.ci95.fleiss_kappa), krippendorff_alpha: { nominal: copy(a.ci95.krippendorff_alpha.nominal) } },
    })),
    bootstrap: { resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED },
  };
}

/** The `granula agree --json` object. */
export function agreementReport(input: AgreementInput, opts: { iou?: number } = {}): AgreeJson {
  return toAgreeJson(agreementDetails(input, opts));
}
