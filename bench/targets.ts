// The targets of docs/PERFORMANCE.md as data, judged run by run: a row meets its target only if
// every run does. Also the table cells shared by the bench's printout and bench/table.ts.
import { MIN_FOR_P95, median, percentile, type Row, type RunStats } from './stats';

export type RowKind =
  | 'panzoom-slide'
  | 'panzoom'
  | 'overlay-draw'
  | 'store'
  | 'open'
  | 'open-edited'
  | 'click'
  | 'drag'
  | 'agree'
  | 'merge'
  | 'merge-again'
  | 'export-shared'
  | 'export-geojson'
  | 'export-coco'
  | 'app-export-shared'
  | 'app-export-geojson'
  | 'app-export-coco'
  | 'wsi-info'
  | 'wsi-region'
  | 'slide-open'
  | 'slide-bytes'
  | 'slide-panzoom'
  | 'deid'
  | 'import'
  | 'replicate'
  | 'ct-add'
  | 'ct-first-slice'
  | 'worklist';

/** The bench's large slide file is made at least this big (MB); its rows carry this size. */
export const SLIDE_FILE_MB = 1_024;

/** Limits each run must meet (those given); `size` is the workload size the target is set at. */
export interface Target {
  kind: RowKind;
  size: number;
  /** As docs/PERFORMANCE.md words it. */
  text: string;
  /** The run's p95 (nearest rank; its maximum under 20 samples) at most this. */
  p95Ms?: number;
  /** Every sample of the run at most this. */
  maxMs?: number;
  /** No long task longer than this. */
  longTaskMs?: number;
  heapMB?: number;
  streamed?: boolean;
}

export interface Verdict {
  /** null: not judged (no target, or not at the target's size). */
  met: boolean | null;
  /** Why not met (run by run), or why not judged. */
  why: string[];
}

export const TARGETS: readonly Target[] = [
  { kind: 'panzoom', size: 100_000, text: 'p95 ≤ 16.7 ms, no long task > 50 ms', p95Ms: 16.7, longTaskMs: 50 },
  { kind: 'panzoom', size: 1_000_000, text: 'p95 ≤ 16.7 ms', p95Ms: 16.7 },
  { kind: 'open', size: 1_000_000, text: '≤ 3 s, heap ≤ 1 GB', maxMs: 3_000, heapMB: 1_024 },
  { kind: 'click', size: 1_000_000, text: '≤ 50 ms', maxMs: 50 },
  { kind: 'drag', size: 1_000_000, text: '≤ 50 ms (every step)', maxMs: 50 },
  { kind: 'agree', size: 100_000, text: '≤ 5 s', maxMs: 5_000 },
  // `granula convert` of a shared-format file of 10⁶ cells, as a process: wall time and its max RSS.
  { kind: 'export-shared', size: 1_000_000, text: '≤ 30 s, max RSS ≤ 1.5 GB', maxMs: 30_000, heapMB: 1_536 },
  { kind: 'export-geojson', size: 1_000_000, text: '≤ 30 s, max RSS ≤ 1.5 GB', maxMs: 30_000, heapMB: 1_536 },
  { kind: 'export-coco', size: 1_000_000, text: '≤ 30 s, max RSS ≤ 1.5 GB', maxMs: 30_000, heapMB: 1_536 },
  // The Export tab of a project of 10⁶ cells: click to the download saved, the renderer's peak memory.
  { kind: 'app-export-shared', size: 1_000_000, text: '≤ 30 s, heap ≤ 1.5 GB', maxMs: 30_000, heapMB: 1_536 },
  { kind: 'app-export-geojson', size: 1_000_000, text: '≤ 30 s, heap ≤ 1.5 GB', maxMs: 30_000, heapMB: 1_536 },
  { kind: 'app-export-coco', size: 1_000_000, text: '≤ 30 s, heap ≤ 1.5 GB', maxMs: 30_000, heapMB: 1_536 },
  // A 10⁶-cell QuPath GeoJSON chosen in the app: wall time to "Imported", the renderer's peak memory.
  { kind: 'import', size: 1_000_000, text: 'import ≤ 60 s, heap ≤ 1.5 GB', maxMs: 60_000, heapMB: 1_536 },
  // A project of 10⁵ cell outlines read from a CouchDB-protocol server on loopback into a fresh browser.
  { kind: 'replicate', size: 100_000, text: 'replicate ≤ 30 s, heap ≤ 500 MB', maxMs: 30_000, heapMB: 500 },
  // A ≥ 1 GB pyramidal file opened from disk (size: the file's MB, at least 1,024).
  { kind: 'slide-open', size: SLIDE_FILE_MB, text: 'first tile painted ≤ 1.5 s', maxMs: 1_500 },
  { kind: 'slide-bytes', size: SLIDE_FILE_MB, text: '≤ 5 MB read before the first tile is painted', maxMs: 5 },
  { kind: 'slide-panzoom', size: SLIDE_FILE_MB, text: 'p95 ≤ 16.7 ms once tiles are cached, no long task > 50 ms', p95Ms: 16.7, longTaskMs: 50 },
];

export const fmt = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);

/** The target set for this kind at this size, or why there is none. */
export function targetFor(kind: RowKind | undefined, size: number): { target: Target | null; note: string } {
  const all = TARGETS.filter((t) => t.kind === kind);
  const t = all.find((x) => x.size === size) ?? null;
  if (t || !all.length) return { target: t, note: 'no target' };
  return { target: null, note: `not judged: the target is set at ${all.map((x) => x.size.toLocaleString('en-US')).join(' / ')}` };
}

/** Judges each run against the target: met only if every run meets every limit. */
export function judge(target: Target | null, perRun: readonly RunStats[], unit: string, note = 'no target'): Verdict {
  if (!target) return { met: null, why: [note] };
  if (!perRun.length) return { met: false, why: ['no run finished'] };
  const why: string[] = [];
  perRun.forEach((r, i) => {
    const run = perRun.length > 1 ? `run ${i + 1}: ` : '';
    const fail = (s: string) => why.push(run + s);
    if (!r.n) fail('no samples');
    if (r.missed) fail(`${r.missed} sample(s) not timed`);
    // Frame times are requestAnimationFrame deltas, whose clock Chromium coarsens to 0.1 ms (without
    // cross-origin isolation): a p95 is judged at that resolution, as the table prints it.
    if (target.p95Ms !== undefined && !(Math.round(r.p95 * 10) / 10 <= target.p95Ms)) fail(`${r.n >= MIN_FOR_P95 ? 'p95' : `max of ${r.n}`} ${fmt(r.p95)} ${unit} > ${fmt(target.p95Ms)} ${unit}`);
    if (target.maxMs !== undefined && !(r.max <= target.maxMs)) fail(`${r.n > 1 ? `max of ${r.n} ` : ''}${fmt(r.max)} ${unit} > ${fmt(target.maxMs)} ${unit}`);
    if (target.longTaskMs !== undefined) {
      if (r.longestTaskMs === undefined) fail('long tasks not recorded');
      else if (r.longestTaskMs > target.longTaskMs) fail(`${r.longTasksOver50 ?? '?'} long task(s) > ${target.longTaskMs} ms, longest ${fmt(r.longestTaskMs)} ms`);
    }
    if (target.heapMB !== undefined && !((r.heapMB ?? NaN) <= target.heapMB)) fail(`heap ${fmt(r.heapMB)} MB > ${fmt(target.heapMB)} MB`);
    if (target.streamed && !r.streamed) fail('not streamed');
  });
  return { met: why.length === 0, why };
}

/** A row from its runs: pooled median and high end, its target and verdict. `all` is every sample of every run. */
export function makeRow(r: { workload: string; kind: RowKind; size: number; unit: string; perRun: RunStats[]; all: readonly number[]; heapMB: number; heapKind?: string; extra?: Record<string, unknown> }): Row {
  const { all, ...rest } = r;
  const { target, note } = targetFor(r.kind, r.size);
  const many = all.length >= MIN_FOR_P95;
  return {
    ...rest,
    median: median(all),
    high: many ? percentile(all, 95) : all.length ? Math.max(...all) : NaN,
    highLabel: many ? 'p95' : all.length === 0 ? 'no samples' : all.length === 1 ? '1 sample' : `max of ${all.length}`,
    target,
    verdict: judge(target, r.perRun, r.unit, note),
  };
}

/** Loosely typed: bench/results.json of an older bench lacks most fields. */
export type AnyRow = Partial<Row> & { workload?: string; size?: number; unit?: string; p95?: number };

export function sizeCell(r: AnyRow): string {
  const n = r.size ?? NaN;
  const s = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US') : '—');
  if (r.kind === 'agree') return `2 × ${s(n)}`;
  if (r.kind === 'merge') return `${s(n)} + ${s(n)}`;
  if (r.kind === 'merge-again') return `${s(2 * n)} + ${s(n)}`;
  if (r.kind === 'wsi-info' || r.kind === 'wsi-region') return `${s(n)}² px`;
  return s(n);
}

/**
 * The spread of a row, labelled for what it is: per run, the p95 of 20 or more samples, else the
 * maximum ("max of n"); runs of one sample each show every sample and their maximum.
 */
export function spreadCell(r: AnyRow): string {
  const unit = r.unit ?? '';
  const runs = r.perRun ?? [];
  if (!runs.length) return r.p95 !== undefined && Number.isFinite(r.p95) ? `${fmt(r.p95)} ${unit} (older results: p95 or maximum, pooled)` : '—';
  if (runs.every((x) => x.n === 1)) {
    if (runs.length === 1) return '— (1 sample)';
    return `max of ${runs.length}: ${fmt(Math.max(...runs.map((x) => x.max)))} ${unit} (${runs.map((x) => fmt(x.max)).join(' / ')})`;
  }
  const labels = new Set(runs.map((x) => (x.n >= MIN_FOR_P95 ? 'p95' : `max of ${x.n}`)));
  const values = runs.map((x) => fmt(x.n >= MIN_FOR_P95 ? x.p95 : x.max)).join(' / ');
  const label = labels.size === 1 ? [...labels][0] : runs.map((x) => (x.n >= MIN_FOR_P95 ? 'p95' : `max of ${x.n}`)).join(' / ');
  return `${label}${runs.length > 1 ? ' per run' : ''}: ${values} ${unit}`;
}

export function medianCell(r: AnyRow): string {
  return `${fmt(r.median)} ${r.unit ?? ''}`.trim();
}

export function heapCell(r: AnyRow): string {
  return r.heapMB !== undefined && Number.isFinite(r.heapMB) ? `${fmt(r.heapMB)} MB${r.heapKind ? ` ${r.heapKind}` : ''}` : '—';
}

export function metCell(r: AnyRow): string {
  const v = r.verdict;
  if (!v || v.met === null) return '—';
  return v.met ? 'met' : 'not met';
}
