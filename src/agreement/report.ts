import { labelAgreement, type LabelAgreement } from './labels';
import { DEFAULT_IOU_THRESHOLD, shapeAgreement } from './shapeAgreement';
import type { AgreeJson, AgreementInput, ShapePairReport, ShapeSummary } from './types';

/** Everything `granula agree` computes; the readable table shows it all, `--json` the contract's part. */
export interface AgreementDetails {
  labels: LabelAgreement;
  shapes: { iou_threshold: number; pairs: ShapePairReport[]; overall: ShapeSummary };
}

export function agreementDetails(input: AgreementInput, opts: { iou?: number } = {}): AgreementDetails {
  const threshold = opts.iou ?? DEFAULT_IOU_THRESHOLD;
  const { pairs, overall } = shapeAgreement(input.shapes, input.raters, { kind: 'iou', threshold });
  return { labels: labelAgreement(input), shapes: { iou_threshold: threshold, pairs, overall } };
}

/** Exactly the keys of the contract in DESIGN.md, in its order; nothing else leaks in. */
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
  };
}

/** The `granula agree --json` object. */
export function agreementReport(input: AgreementInput, opts: { iou?: number } = {}): AgreeJson {
  return toAgreeJson(agreementDetails(input, opts));
}
