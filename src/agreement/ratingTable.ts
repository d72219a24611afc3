import type { LabelRating } from './types';

/** Ratings arranged as items × raters, each cell a category index or -1 for a missing rating. */
export interface RatingTable {
  items: string[];
  /** The image each item belongs to (the item itself unless the rating names another image). */
  itemImages: string[];
  raters: string[];
  /** Distinct non-null labels; sorted by `values` when the labels have an order. */
  categories: string[];
  /** The position of each category on its scale: the number itself, or the rank in the class order. `null`: nominal only. */
  values: number[] | null;
  /** `cells[item][rater]` */
  cells: Int32Array[];
  /** Ratings dropped because the same rater already rated the same item (the first one is kept). */
  duplicates: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Labels have an order only when every label is a plain decimal number (ordered by value), or when
 * an order is declared (`classOrder`: a schema that declares its classes ordered) and holds every
 * label (ranked by position). Otherwise `null`: the labels are categories without an order.
 */
export function categoryValues(labels: readonly string[], classOrder?: readonly string[]): number[] | null {
  if (labels.length > 0 && labels.every((l) => NUMBER.test(l.trim()))) return labels.map((l) => Number(l.trim()));
  if (classOrder) {
    const rank = new Map(classOrder.map((c, i) => [c, i] as const));
    if (labels.every((l) => rank.has(l))) return labels.map((l) => rank.get(l)!);
  }
  return null;
}

/**
 * `raters` fixes the column order; raters not listed there are appended in order of first appearance.
 * Items whose every rating is missing are left out: they carry no information for any measure.
 */
export function ratingTable(ratings: readonly LabelRating[], raters: readonly string[] = [], classOrder?: readonly string[]): RatingTable {
  const raterOrder = [...raters];
  const raterIndex = new Map(raterOrder.map((r, i) => [r, i] as const));
  const seenLabels = new Set<string>();
  const firstLabels: string[] = [];
  const itemOrder: string[] = [];
  const itemImages: string[] = [];
  const itemHasRating = new Set<string>();
  const present = new Set<string>();
  for (const r of ratings) {
    if (!raterIndex.has(r.rater)) {
      raterIndex.set(r.rater, raterOrder.length);
      raterOrder.push(r.rater);
    }
    present.add(r.rater);
    if (r.label === null) continue;
    if (!itemHasRating.has(r.item)) {
      itemHasRating.add(r.item);
      itemOrder.push(r.item);
      itemImages.push(r.image ?? r.item);
    }
    if (!seenLabels.has(r.label)) {
      seenLabels.add(r.label);
      firstLabels.push(r.label);
    }
  }
  // Only raters who appear in the ratings are columns: a rater who drew shapes only is not a label rater.
  const columns = raterOrder.filter((r) => present.has(r));
  const column = new Map(columns.map((r, i) => [r, i] as const));

  const unsortedValues = categoryValues(firstLabels, classOrder);
  let categories = firstLabels;
  let values = unsortedValues;
  if (unsortedValues) {
    const order = firstLabels.map((_, i) => i).sort((i, j) => unsortedValues[i] - unsortedValues[j]);
    categories = order.map((i) => firstLabels[i]);
    values = order.map((i) => unsortedValues[i]);
  }
  const categoryIndex = new Map(categories.map((c, i) => [c, i] as const));
  const itemIndex = new Map(itemOrder.map((it, i) => [it, i] as const));
  const cells = itemOrder.map(() => new Int32Array(columns.length).fill(-1));
  let duplicates = 0;
  for (const r of ratings) {
    if (r.label === null) continue;
    const row = cells[itemIndex.get(r.item)!];
    const col = column.get(r.rater)!;
    if (row[col] !== -1) {
      duplicates++;
      continue;
    }
    row[col] = categoryIndex.get(r.label)!;
  }
  return { items: itemOrder, itemImages, raters: columns, categories, values, cells, duplicates };
}

/** How many ratings each item has in each category (items × categories), the input of Fleiss and Krippendorff. */
export function categoryCounts(table: RatingTable): number[][] {
  const k = table.categories.length;
  return table.cells.map((row) => {
    const counts = new Array<number>(k).fill(0);
    for (const c of row) if (c >= 0) counts[c]++;
    return counts;
  });
}
