import type { RatingTable } from './ratingTable';

/** Two raters' labels cross-tabulated over the items both rated: rows are rater a, columns rater b. */
export interface ConfusionMatrix {
  a: string;
  b: string;
  labels: string[];
  counts: number[][];
  /** Items rated by both. */
  n: number;
}

export type KappaWeights = 'linear' | 'quadratic';

export function confusionMatrix(table: RatingTable, a: string, b: string): ConfusionMatrix {
  const ia = table.raters.indexOf(a);
  const ib = table.raters.indexOf(b);
  const k = table.categories.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let n = 0;
  if (ia >= 0 && ib >= 0) {
    for (const row of table.cells) {
      if (row[ia] < 0 || row[ib] < 0) continue;
      counts[row[ia]][row[ib]]++;
      n++;
    }
  }
  return { a, b, labels: table.categories, counts, n };
}

function marginals(m: ConfusionMatrix): { rows: number[]; cols: number[] } {
  const k = m.labels.length;
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      rows[i] += m.counts[i][j];
      cols[j] += m.counts[i][j];
    }
  }
  return { rows, cols };
}

/**
 * Weighted kappa in its disagreement form, κ = 1 − Σ d·o / Σ d·e, with d the distance between the two
 * labels' values (|i−j| or (i−j)²) and e the counts expected from the marginals. With d = [i≠j] this is
 * Cohen's unweighted kappa. `null` when no item was rated by both or when chance disagreement is zero.
 */
function kappaWithDistance(m: ConfusionMatrix, distance: (i: number, j: number) => number): number | null {
  if (m.n === 0) return null;
  const { rows, cols } = marginals(m);
  const k = m.labels.length;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = distance(i, j);
      observed += d * m.counts[i][j];
      expected += (d * rows[i] * cols[j]) / m.n;
    }
  }
  if (expected === 0) return null;
  return 1 - observed / expected;
}

/** Cohen's kappa, (p_o − p_e) / (1 − p_e). */
export function cohenKappa(m: ConfusionMatrix): number | null {
  return kappaWithDistance(m, (i, j) => (i === j ? 0 : 1));
}

/** `values` places each label on its scale (see `categoryValues`); without it the labels have no order and the result is `null`. */
export function weightedKappa(m: ConfusionMatrix, values: readonly number[] | null, weights: KappaWeights): number | null {
  if (!values) return null;
  const power = weights === 'linear' ? 1 : 2;
  return kappaWithDistance(m, (i, j) => Math.abs(values[i] - values[j]) ** power);
}

export interface ClassAgreement {
  label: string;
  /** Items rater a / rater b gave this label, and items both did. */
  a_count: number;
  b_count: number;
  both: number;
  /** Specific (positive) agreement 2·both / (a_count + b_count). */
  specific_agreement: number;
  /** Cohen's kappa of the 2×2 table "this label or not"; `null` when undefined. */
  kappa: number | null;
}

/** One row per label either rater used. */
export function perClassAgreement(m: ConfusionMatrix): ClassAgreement[] {
  const { rows, cols } = marginals(m);
  const out: ClassAgreement[] = [];
  m.labels.forEach((label, c) => {
    const both = m.counts[c][c];
    if (rows[c] + cols[c] === 0) return;
    const onlyA = rows[c] - both;
    const onlyB = cols[c] - both;
    const neither = m.n - both - onlyA - onlyB;
    const binary: ConfusionMatrix = { a: m.a, b: m.b, labels: [label, 'other'], counts: [[both, onlyA], [onlyB, neither]], n: m.n };
    out.push({ label, a_count: rows[c], b_count: cols[c], both, specific_agreement: (2 * both) / (rows[c] + cols[c]), kappa: cohenKappa(binary) });
  });
  return out;
}
