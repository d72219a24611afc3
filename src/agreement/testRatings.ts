// Builders for tests: ratings from a table of columns, one array per rater.
import type { LabelRating } from './types';

export function ratingsFromColumns(columns: Record<string, readonly (string | number | null)[]>): LabelRating[] {
  return Object.entries(columns).flatMap(([rater, labels]) => labels.map((v, i) => ({ item: `u${i + 1}`, rater, label: v === null ? null : String(v) })));
}

/** Two raters' labels from a 2-D table of counts: `counts[i][j]` items got label i from a and j from b. */
export function ratingsFromConfusion(labels: readonly string[], counts: readonly (readonly number[])[]): LabelRating[] {
  const out: LabelRating[] = [];
  let item = 0;
  counts.forEach((row, i) =>
    row.forEach((n, j) => {
      for (let k = 0; k < n; k++, item++) {
        out.push({ item: `i${item}`, rater: 'a', label: labels[i] }, { item: `i${item}`, rater: 'b', label: labels[j] });
      }
    }),
  );
  return out;
}
