import type { RowKind, Target, Verdict } from './targets';

/**
 * One run of a row: its samples' count, median, p95 (nearest rank) and maximum, and the other
 * per-run measures a target looks at. A sample is one frame, one overlay draw, one drag step, or
 * one wall time (open, CLI, export: one sample per run).
 */
export interface RunStats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  /**
   * The run's raw samples. Kept for every row but the pan/zoom frames and overlay draws (several
   * hundred a run): those keep only the count, median, p95 and maximum per run.
   */
  samples?: number[];
  /** MB, the row's heap kind (open: after GC). */
  heapMB?: number;
  longTasksOver50?: number;
  longestTaskMs?: number;
  /** Percent of the run's frames longer than 17 ms (missing a 60 Hz refresh). */
  over17Percent?: number;
  /** Samples the bench could not time (a paint it did not see). */
  missed?: number;
  /** Export: written as a stream (not one whole text). */
  streamed?: boolean;
}

export interface Row {
  workload: string;
  /** What is measured: targets are looked up by kind and size. */
  kind: RowKind;
  size: number;
  unit: string;
  /** Every run, in order. */
  perRun: RunStats[];
  /** Median of all samples of all runs. */
  median: number;
  /** All samples of all runs: their p95 when there are 20 or more, else their maximum (`highLabel` says which). */
  high: number;
  highLabel: string;
  /** MB; what kind when not the page's JS heap. The largest over the runs. */
  heapMB: number;
  heapKind?: string;
  extra?: Record<string, unknown>;
  target: Target | null;
  verdict: Verdict;
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

/** Below this many samples a nearest-rank p95 is the maximum, so it is called the maximum. */
export const MIN_FOR_P95 = 20;

/** A run's summary from its samples; `keep` stores the samples themselves too. */
export function runStats(samples: readonly number[], keep: boolean, more: Partial<RunStats> = {}): RunStats {
  return {
    n: samples.length,
    p50: median(samples),
    p95: percentile(samples, 95),
    max: samples.length ? Math.max(...samples) : NaN,
    ...(keep ? { samples: [...samples] } : {}),
    ...more,
  };
}
