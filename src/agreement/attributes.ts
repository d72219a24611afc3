import type { BootstrapOptions } from './bootstrap';
import { shapeClusters } from './consensus';
import { labelAgreement } from './labels';
import { DEFAULT_IOU_THRESHOLD } from './shapeAgreement';
import type { AttributeAgreementJson, AttributeKey, LabelRating, ShapeMatchMode, ShapeRecord } from './types';

/**
 * Agreement on an attribute (Paris class, NICE type) of shapes that the raters drew alike. Shapes are
 * matched as for shape agreement (per image and class; across more than two raters, as consensus
 * groups them); each matched pair or group is an item, rated by each of its members with their value
 * of the attribute (a value left out is a missing rating). The measures are those of image labels:
 * Cohen's kappa for two raters, Fleiss' kappa and Krippendorff's alpha otherwise, with intervals
 * resampling images. The values are compared as categories (nominal), even when they are numbers.
 *
 * One entry per attribute of a class that someone drew; unmatched shapes add nothing.
 */
export function attributeAgreement(
  shapes: readonly ShapeRecord[],
  raters: readonly string[],
  keys: readonly AttributeKey[],
  mode: ShapeMatchMode = { kind: 'iou', threshold: DEFAULT_IOU_THRESHOLD },
  opts: { bootstrap?: BootstrapOptions } = {},
): AttributeAgreementJson[] {
  const drawn = new Set(shapes.map((s) => s.classId));
  const wanted = keys.filter((k) => drawn.has(k.classId));
  if (!wanted.length) return [];
  const classes = new Set(wanted.map((k) => k.classId));
  const groups = shapeClusters(
    shapes.filter((s) => classes.has(s.classId)),
    raters,
    mode,
  ).filter((c) => c.members.length >= 2);
  return wanted.map((key) => {
    const ratings: LabelRating[] = [];
    let pairs = 0;
    groups.forEach((g, i) => {
      if (g.classId !== key.classId) return;
      let given = 0;
      for (const m of g.members) {
        const v = m.attributes?.[key.attribute];
        const label = v === undefined || v === '' ? null : String(v);
        if (label !== null) given++;
        ratings.push({ item: `${g.image}\u0000${g.classId}\u0000${i}`, rater: m.rater, label, image: g.image });
      }
      if (given >= 2) pairs++;
    });
    const l = labelAgreement({ ratings, raters: [...raters] }, { ...opts, nominal: true });
    return {
      class: key.classId,
      attribute: key.attribute,
      raters: l.raters,
      pairs,
      images_compared: l.images_compared,
      too_few_images: l.too_few_images,
      cohen_kappa: l.cohen_kappa,
      fleiss_kappa: l.fleiss_kappa,
      krippendorff_alpha: { nominal: l.krippendorff_alpha.nominal },
      ci95: { cohen_kappa: l.ci95.cohen_kappa, fleiss_kappa: l.ci95.fleiss_kappa, krippendorff_alpha: { nominal: l.ci95.krippendorff_alpha.nominal } },
    };
  });
}
