export interface Row {
  workload: string;
  size: number;
  unit: string;
  median: number;
  p95: number;
  /** MB; what kind when not the page's JS heap. */
  heapMB: number;
  heapKind?: string;
  extra?: Record<string, unknown>;
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
