// `npm run bench [-- --quick] [-- --only=<workload,...>]`: builds the app, drives it in headless
// Chromium with playwright-core, runs the Node workloads, prints one table and writes
// bench/results.json (every run of every row, and whether each row's target is met by every run).
// `npx tsx bench/table.ts` then writes the table into docs/PERFORMANCE.md. See that page for what is
// measured and how.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { build, preview, type Plugin } from 'vite';
import { CHROMIUM, withoutFileHandles } from '../tests/browser/chromium';
import { benchCells, cellBounds, CACHE_DIR } from './cells';
import { type CellSet } from './cellsFormat';
import { tissueCentre } from '../src/synthetic/fields';
import { SEED } from './cells';
import { percentile, median, runStats, type Row, type RunStats } from './stats';
import { fmt, heapCell, makeRow, medianCell, metCell, SLIDE_FILE_MB, sizeCell, spreadCell, targetFor, type RowKind } from './targets';
import { startProfile, stopProfile } from './profile';
import { makeLargePyramid, PYTHON } from '../tests/slides/makeSlides';
import { keyFileText, newPseudonymKey } from '../src/model/pseudonym';
import { BASIC_PROFILE } from '../src/radiology/deidProfile';
import { CouchServer } from '../tests/browser/couchServer';
import { fillOpenFromServer, fillSyncPanel, setIdentity } from '../tests/browser/app';
import { databaseName } from '../src/sync/route';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const ONLY = (args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? []).filter(Boolean);
const PROFILE = args.includes('--profile');
/** `--heap-snapshot`: the sync rows write a heap snapshot of the page after panning (to the bench cache). */
const HEAP_SNAPSHOT = args.includes('--heap-snapshot');
const KEEP_RESULTS = !args.includes('--no-write') && !PROFILE;
/** Runs per row (`--runs=N`, for a look at one row; the published table uses three). */
const RUNS = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length)) || (QUICK ? 1 : 3);
const want = (w: string) => ONLY.length === 0 || ONLY.some((o) => w.startsWith(o));

const SIZES = QUICK
  ? { panSmall: 10_000, panLarge: 20_000, agree: 10_000, export: 20_000, panMs: 4_000 }
  : { panSmall: 100_000, panLarge: 1_000_000, agree: 100_000, export: 1_000_000, panMs: 10_000 };
/** Cells in the file the import row brings in through the project list. */
const IMPORT_CELLS = QUICK ? 50_000 : 1_000_000;
/** Cell outlines a fresh browser reads from the sync server. */
const SYNC_CELLS = QUICK ? 10_000 : 100_000;
/** As the other rows: met only if every run meets the target. */
const IMPORT_RUNS = RUNS;
/** 40× on this 0.5 µm/px (20×) slide: two screen pixels per image pixel. */
const SCALE_40X = 2;

const log = (s: string) => process.stderr.write(s + '\n');

/** The browser tests' launch: Debian's Chromium, headless, no GPU (software rendering), 1280×800. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Session {
  context: BrowserContext;
  dir: string;
  close: () => Promise<void>;
}

/** A browser on a profile directory (fresh unless given): IndexedDB persists in it across launches. */
async function launch(dir = mkdtempSync(join(tmpdir(), 'granula-bench-'))): Promise<Session> {
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  let closed = false;
  return {
    context,
    dir,
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Source changes tried on the bench's build only (experiments chosen by flags), reported in the output. */
const PENDING_WIRING: { file: string; from: string; to: string; why: string }[] = [];
const applied = new Set<string>();

const LOADERS = args.find((a) => a.startsWith('--loaders='))?.slice('--loaders='.length);
if (LOADERS) PENDING_WIRING.push({ file: 'src/ui/annotate/AnnotateViewer.tsx', from: "imageLoaderLimit: props.image.source.kind === 'synthetic' ? 2 : 6,", to: `imageLoaderLimit: ${Number(LOADERS)},`, why: `experiment: imageLoaderLimit ${LOADERS}` });
if (args.includes('--no-idle-prep')) PENDING_WIRING.push({ file: 'src/ui/annotate/useShapeIndex.ts', from: '    schedule();\n    return () => {', to: '    return () => {', why: 'experiment: no idle-time lookup building' });

/** `--layer maxOutlines=800,outlineAbovePx=16`: tries other level-of-detail settings (bench build only). */
const LAYER = args.find((a) => a.startsWith('--layer='))?.slice('--layer='.length);
if (LAYER) {
  const fields = LAYER.split(',').map((kv) => kv.split('=')).map(([k, v]) => `${k}: ${Number(v)}`);
  PENDING_WIRING.push({ file: 'src/viewer/shapeRenderer.ts', from: 'export const DEFAULT_LAYER = { maxOutlines: 400, outlineAbovePx: 24 };', to: `export const DEFAULT_LAYER = { maxOutlines: 400, outlineAbovePx: 24, ${fields.join(', ')} };`, why: `level of detail tried: ${LAYER}` });
}

function pendingWiring(): Plugin {
  return {
    name: 'granula-bench-pending-wiring',
    enforce: 'pre',
    transform(code, id) {
      let out = code;
      for (const w of PENDING_WIRING) {
        if (!id.endsWith(w.file) || !out.includes(w.from)) continue;
        out = out.replace(w.from, w.to);
        applied.add(`${w.file}: ${w.why}`);
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}
const rows: Row[] = [];
const OUT = join(CACHE_DIR, 'app');

async function buildAll(): Promise<void> {
  const t0 = performance.now();
  rmSync(OUT, { recursive: true, force: true });
  // Profiling wants function names: an unminified build then.
  await build({ root: ROOT, logLevel: 'warn', plugins: [pendingWiring()], build: { outDir: OUT, emptyOutDir: true, minify: !PROFILE } });
  for (const a of applied) log(`  NOTE experiment applied to the bench build only: ${a}`);
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { outDir: join(OUT, '__bench'), emptyOutDir: false, sourcemap: false, target: 'es2022', lib: { entry: join(ROOT, 'bench/page/index.ts'), formats: ['es'], fileName: () => 'bench.js' } },
  });
  writeFileSync(join(OUT, '__bench', 'blank.html'), '<!doctype html><meta charset="utf-8"><title>bench</title>');
  log(`built app and bench page in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function cellsFile(n: number): string {
  const name = `cells-${n}.bin`;
  const target = join(OUT, '__bench', name);
  if (n === 0) writeFileSync(target, new Uint8Array(new Uint32Array([0x6c6c6563, 0, 0]).buffer));
  else {
    benchCells(n, log);
    const cacheName = n <= 30_000 ? `sample-${n}.bin` : n <= 922_718 ? `subset-${n}.bin` : `copies-${n}.bin`;
    copyFileSync(join(CACHE_DIR, cacheName), target);
  }
  return `/__bench/${name}`;
}

// Runs in the page from its first script: notes when the overlay first reports shapes drawn.
const FIRST_PAINT_WATCH = `(() => {
  const poll = () => {
    const c = document.querySelector('[data-testid="shape-layer"]');
    if (c && Number(c.dataset.drawn) > 0) { window.__firstOverlayPaint = performance.now(); return; }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();`;

/** Runtime.getHeapUsage: the V8 heap; newer Chromium adds the bytes of ArrayBuffers (typed arrays) outside it. */
interface HeapUsage {
  usedSize: number;
  totalSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

interface Opened {
  session: Session;
  page: Page;
  firstPaintMs: number | null;
  /** V8 heap plus ArrayBuffer storage (typed arrays live outside the V8 heap), MB: before and after a GC. */
  heapMB: number;
  heapAfterGcMB: number;
}

interface Seeded {
  dir: string;
  projectId: string;
  imageId: string;
  n: number;
}

async function withBenchScript(page: Page): Promise<void> {
  await page.addScriptTag({ url: '/__bench/bench.js', type: 'module' });
  await page.waitForFunction(() => !!window.__bench);
}

/**
 * A fresh browser profile holding `n` outlines on the synthetic slide, stored by the app's own
 * storage code; `storeRow` reports the time of that store as a row.
 */
async function seedProfile(base: string, n: number, storeRow = true): Promise<Seeded> {
  const seeding = await launch();
  const page = await seeding.context.newPage();
  page.setDefaultTimeout(600_000);
  await page.goto(`${base}/__bench/blank.html`);
  await withBenchScript(page);
  const seeded = await page.evaluate(([u, name]) => window.__bench!.seed(u, name), [cellsFile(n), `Bench ${n}`] as const);
  log(`  seeded ${seeded.count} outlines in ${(seeded.ms / 1000).toFixed(1)} s (storing ${(seeded.storeMs / 1000).toFixed(1)} s)`);
  if (n > 0 && storeRow) rows.push(makeRow({ workload: 'store an imported project whole (storeProjects: rows and packs, one transaction)', kind: 'store', size: n, unit: 'ms', perRun: [runStats([seeded.storeMs], true)], all: [seeded.storeMs], heapMB: NaN }));
  await seeding.context.close();
  return { dir: seeding.dir, projectId: seeded.projectId, imageId: seeded.imageId, n };
}

const heapOf = (h: HeapUsage) => (h.usedSize + (h.embedderHeapUsedSize ?? 0) + (h.backingStorageSize ?? 0)) / 2 ** 20;

/**
 * A fresh browser on the seeded profile, opened at the slide: times the open from navigation start
 * (app start, reading IndexedDB, indexing, first paint of the overlay), then the heap.
 */
async function openApp(base: string, s: Seeded): Promise<Opened> {
  const session = await launch(s.dir);
  const page = session.context.pages()[0] ?? (await session.context.newPage());
  page.setDefaultTimeout(300_000);
  await page.addInitScript(FIRST_PAINT_WATCH);
  const profiler = PROFILE ? await session.context.newCDPSession(page) : null;
  if (profiler) await startProfile(profiler);
  await page.goto(`${base}/#/project/${s.projectId}/annotate/${s.imageId}`);
  await page.waitForFunction(() => !!window.granulaViewer && window.granulaViewer.viewer.world.getItemCount() > 0, null, { polling: 50 });
  let firstPaintMs: number | null = null;
  if (s.n > 0) {
    await page.waitForFunction(() => (window as unknown as { __firstOverlayPaint?: number }).__firstOverlayPaint, null, { polling: 50 });
    firstPaintMs = await page.evaluate(() => (window as unknown as { __firstOverlayPaint: number }).__firstOverlayPaint);
  }
  if (profiler) log(await stopProfile(profiler, join(CACHE_DIR, 'profiles'), `open-${s.n}`));
  const cdp = await session.context.newCDPSession(page);
  const before = (await cdp.send('Runtime.getHeapUsage')) as HeapUsage;
  await cdp.send('HeapProfiler.collectGarbage');
  const after = (await cdp.send('Runtime.getHeapUsage')) as HeapUsage;
  await cdp.detach();
  await withBenchScript(page);
  return { session, page, firstPaintMs, heapMB: heapOf(before), heapAfterGcMB: heapOf(after) };
}

async function heapMB(o: Opened): Promise<number> {
  const cdp = await o.session.context.newCDPSession(o.page);
  const h = (await cdp.send('Runtime.getHeapUsage')) as HeapUsage;
  await cdp.detach();
  return heapOf(h);
}

interface PanZoomRun {
  frames: number[];
  scales: number[];
  draws: number[];
  longTasks: number[];
  heapMB: number;
}

async function panZoomOnce(o: Opened, n: number): Promise<PanZoomRun> {
  const target = tissueCentre(SEED);
  // Frames are timed by the page's clock: only an isolated page's ticks fine enough (see ISOLATED).
  if (!(await o.page.evaluate(() => crossOriginIsolated))) throw new Error('the page is not cross-origin isolated: its clock ticks in 100 µs with jitter');
  const profiler = PROFILE ? await o.session.context.newCDPSession(o.page) : null;
  if (profiler) await startProfile(profiler);
  const r = await o.page.evaluate(([x, y, ms, s]) => window.__bench!.panZoom({ x, y, durationMs: ms, maxScale: s }), [target.x, target.y, SIZES.panMs, SCALE_40X] as const);
  if (profiler) log(await stopProfile(profiler, join(CACHE_DIR, 'profiles'), `panzoom-${n}`));
  const over17 = r.frames.filter((f) => f > 17).length;
  log(`    run: ${r.frames.length} frames, p95 ${percentile(r.frames, 95).toFixed(1)} ms, ${((100 * over17) / r.frames.length).toFixed(1)}% over 17 ms, ${r.longTasks.filter((d) => d > 50).length} long tasks > 50 ms; overlay draw p95 ${percentile(r.draws, 95).toFixed(1)} ms`);
  return { frames: r.frames, scales: r.scales, draws: r.draws, longTasks: r.longTasks, heapMB: await heapMB(o) };
}

/**
 * One row for the frames, one for the overlay's share of them: per run, the frame count, median,
 * p95 and maximum (the frames themselves are too many to keep); the median pooled over the runs.
 */
function panZoomRows(label: string, n: number, runs: PanZoomRun[]): void {
  const frames = runs.flatMap((r) => r.frames);
  const draws = runs.flatMap((r) => r.draws);
  const longTasks = runs.flatMap((r) => r.longTasks);
  const long = longTasks.filter((d) => d > 50);
  const share = (ms: number) => (100 * frames.filter((f) => f > ms).length) / Math.max(1, frames.length);
  const bins = new Map<number, [number, number]>();
  runs.forEach((r) =>
    r.frames.forEach((f, i) => {
      const b = Math.round(Math.log2(r.scales[i]));
      const v = bins.get(b) ?? [0, 0];
      v[1]++;
      if (f > 17) v[0]++;
      bins.set(b, v);
    }),
  );
  const slowByScale = [...bins].sort((a, b) => a[0] - b[0]).map(([b, [s, all]]) => `2^${b}: ${s}/${all}`).join(', ');
  const perRun = runs.map((r) =>
    runStats(r.frames, false, {
      heapMB: r.heapMB,
      longTasksOver50: r.longTasks.filter((d) => d > 50).length,
      longestTaskMs: Math.max(0, ...r.longTasks),
      over17Percent: (100 * r.frames.filter((f) => f > 17).length) / Math.max(1, r.frames.length),
    }),
  );
  rows.push(
    makeRow({
      workload: `${label} (long tasks > 50 ms per run: ${perRun.map((r) => r.longTasksOver50).join(' / ')}${long.length ? `, longest ${fmt(Math.max(...long))} ms` : ''})`,
      kind: n ? 'panzoom' : 'panzoom-slide',
      size: n,
      unit: 'ms/frame',
      perRun,
      all: frames,
      heapMB: Math.max(...runs.map((r) => r.heapMB)),
      extra: {
        frames: frames.length,
        framesOver17msPercent: share(17),
        framesOver34msPercent: share(34),
        longTasksOver50: long.length,
        longestTask: Math.max(0, ...longTasks),
        slowFramesByScale: slowByScale,
      },
    }),
  );
  if (n > 0) rows.push(makeRow({ workload: '  of which drawing the overlay', kind: 'overlay-draw', size: n, unit: 'ms/draw', perRun: runs.map((r) => runStats(r.draws, false)), all: draws, heapMB: NaN }));
  log(`  ${label}: ${frames.length} frames in ${runs.length} runs, median ${median(frames).toFixed(1)} ms, p95 per run ${perRun.map((r) => r.p95.toFixed(1)).join(' / ')} ms, ${share(17).toFixed(1)}% over 17 ms, ${long.length} long tasks > 50 ms (longest ${Math.max(0, ...longTasks).toFixed(0)} ms); overlay draw median ${median(draws).toFixed(1)}, p95 ${percentile(draws, 95).toFixed(1)}, max ${Math.max(0, ...draws).toFixed(0)} ms`);
  log(`  slow frames by scale: ${slowByScale}`);
}

/** A slide cell that no other outline's box covers at its centre, near the tissue centre, with many vertices. */
function pickCell(cells: CellSet): { cx: number; cy: number; vx: number; vy: number } {
  const c = tissueCentre(SEED);
  let best = -1, bestD = Infinity;
  for (let i = 0; i < cells.count; i++) {
    if (cells.vertices[i] < 22 || cells.tag[i] >>> 26) continue;
    const x = cells.coords[cells.start[i]] / 100, y = cells.coords[cells.start[i] + 1] / 100;
    const d = Math.hypot(x - c.x, y - c.y);
    if (d < bestD) {
      const b = cellBounds(cells, i);
      const cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2;
      let covered = false;
      for (let j = 0; j < cells.count && !covered; j++) {
        if (j === i) continue;
        const x0 = cells.coords[cells.start[j]] / 100, y0 = cells.coords[cells.start[j] + 1] / 100;
        if (Math.abs(x0 - cx) > 40 || Math.abs(y0 - cy) > 40) continue;
        const o = cellBounds(cells, j);
        covered = o.minX - 6 <= cx && o.maxX + 6 >= cx && o.minY - 6 <= cy && o.maxY + 6 >= cy;
      }
      if (!covered) {
        best = i;
        bestD = d;
      }
    }
  }
  const b = cellBounds(cells, best);
  return { cx: (b.minX + b.maxX) / 2, cy: (b.minY + b.maxY) / 2, vx: cells.coords[cells.start[best]] / 100, vy: cells.coords[cells.start[best] + 1] / 100 };
}

async function clickAndDrag(o: Opened, n: number): Promise<void> {
  const cells = benchCells(n, log);
  const cell = pickCell(cells);
  const page = o.page;
  await page.evaluate(([x, y]) => window.__bench!.lookAt(x, y, 4), [cell.cx, cell.cy] as const);
  await page.keyboard.press('v');
  const centre = await page.evaluate(([x, y]) => window.__bench!.pagePoint(x, y), [cell.cx, cell.cy] as const);
  const vertex = await page.evaluate(([x, y]) => window.__bench!.pagePoint(x, y), [cell.vx, cell.vy] as const);
  const watch = (name: string, event: string, selector: string, p: { x: number; y: number }, size: number) =>
    page.evaluate(([nm, e, s, x, y, z]) => window.__bench!.armPaintWatch(nm, e, s, x, y, z), [name, event, selector, p.x, p.y, size] as const);
  const result = (name: string) => page.evaluate((nm) => window.__bench!.paintWatchResult(nm), name);
  await page.mouse.move(centre.x, centre.y);
  await page.waitForTimeout(200);
  // Select: the outline turns white on the shape layer; on release the vertex handles appear (Konva).
  await watch('select', 'pointerdown', '[data-testid="shape-layer"]', centre, 70);
  await watch('handles', 'pointerup', '.konva-layer canvas', vertex, 14);
  await page.mouse.down();
  const select = await result('select');
  await page.mouse.up();
  const handles = await result('handles');
  await page.waitForTimeout(300);
  // Drag vertex 0 outwards in steps of 6 screen px.
  const dx = vertex.x - centre.x, dy = vertex.y - centre.y;
  const len = Math.hypot(dx, dy) || 1;
  await page.mouse.move(vertex.x, vertex.y);
  await page.waitForTimeout(100);
  await page.mouse.down();
  const steps: number[] = [];
  for (let k = 1; k <= 12; k++) {
    const p = { x: vertex.x + (dx / len) * 6 * k, y: vertex.y + (dy / len) * 6 * k };
    await watch('step', 'pointermove', '.konva-layer canvas', p, 10);
    await page.mouse.move(p.x, p.y);
    steps.push(await result('step'));
  }
  const end = { x: vertex.x + (dx / len) * 72, y: vertex.y + (dy / len) * 72 };
  await watch('commit', 'pointerup', '[data-testid="shape-layer"]', end, 12);
  await page.mouse.up();
  const commit = await result('commit');
  const heap = await heapMB(o);
  const ok = (v: number) => v >= 0;
  const timed = (v: number[]) => runStats(v.filter(ok), true, { heapMB: heap, missed: v.filter((x) => !ok(x)).length });
  rows.push(makeRow({ workload: 'click a cell: selection painted', kind: 'click', size: n, unit: 'ms', perRun: [timed([select])], all: [select].filter(ok), heapMB: heap, extra: { handlesAfterRelease: handles } }));
  rows.push(makeRow({ workload: `drag a vertex: each step painted (${steps.length} steps)`, kind: 'drag', size: n, unit: 'ms', perRun: [timed(steps)], all: steps.filter(ok), heapMB: heap, extra: { commitPainted: commit } }));
  log(`  click ${select.toFixed(0)} ms (handles ${handles.toFixed(0)} ms), drag steps ${steps.map((s) => s.toFixed(0)).join(' ')} ms, commit ${commit.toFixed(0)} ms`);
}

/** Runs one workload; a failure becomes a row saying so, and the bench goes on. */
async function attempt(label: string, kind: RowKind, size: number, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const message = (e as Error).message.split('\n')[0].slice(0, 300);
    log(`  FAILED: ${message}`);
    rows.push(makeRow({ workload: `${label} — FAILED`, kind, size, unit: 'ms', perRun: [], all: [], heapMB: NaN, extra: { error: message } }));
  }
}

/** Opens the seeded profile `runs` times (a fresh browser each), pans and zooms each time; `last` runs on the last one. */
async function openAndPan(base: string, label: string, s: Seeded, runs: number, last?: (o: Opened) => Promise<void>): Promise<void> {
  const opens: Opened[] = [];
  const pans: PanZoomRun[] = [];
  let editRows: Row[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const o = await openApp(base, s);
      opens.push(o);
      if (s.n > 0) log(`    open: overlay painted at ${o.firstPaintMs?.toFixed(0)} ms, heap ${o.heapMB.toFixed(0)} MB (${o.heapAfterGcMB.toFixed(0)} MB after GC)`);
      pans.push(await panZoomOnce(o, s.n));
      if (i === runs - 1 && last) {
        const before = rows.length;
        await attempt('click a cell, drag a vertex', 'click', s.n, () => last(o));
        editRows = rows.splice(before);
      }
      await o.session.context.close();
    }
  } finally {
    for (const o of opens) await o.session.context.close().catch(() => {});
  }
  if (s.n > 0) {
    const times = opens.map((o) => o.firstPaintMs ?? NaN);
    const perRun = opens.map((o) => runStats(o.firstPaintMs === null ? [] : [o.firstPaintMs], true, { heapMB: o.heapAfterGcMB }));
    rows.push(makeRow({ workload: 'open project → overlay painted', kind: 'open', size: s.n, unit: 'ms', perRun, all: times.filter(Number.isFinite), heapMB: Math.max(...opens.map((o) => o.heapAfterGcMB)), heapKind: 'after GC', extra: { heapBeforeGcMB: opens.map((o) => o.heapMB) } }));
    log(`  open: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  }
  panZoomRows(label, s.n, pans);
  rows.push(...editRows);
}

/** The same ≥ 1 GB pyramidal BigTIFF the CLI rows read (ihc.png × 140², JPEG), made once by libvips and cached. */
function bigSlideFile(): string {
  mkdirSync(join(CACHE_DIR, 'node'), { recursive: true });
  const file = makeLargePyramid(join(CACHE_DIR, 'node'), 140);
  if (statSync(file).size < SLIDE_FILE_MB * 2 ** 20) throw new Error(`${file} is smaller than ${SLIDE_FILE_MB} MB`);
  return file;
}

// In the page: the time and the file bytes read when the first slide tile shows on OpenSeadragon's canvas.
const FIRST_TILE_WATCH = `(() => {
  const poll = () => {
    const item = window.granulaViewer?.viewer.world.getItemAt(0);
    const c = window.granulaViewer?.viewer.drawer.canvas;
    if (item && c && c.width) {
      const d = c.getContext('2d').getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
      if (d[3] > 0) {
        window.__firstTile = { at: performance.now(), bytes: item.source.bytesRead() };
        return;
      }
    }
    requestAnimationFrame(poll);
  };
  window.__watchFirstTile = () => { window.__firstTile = undefined; requestAnimationFrame(poll); };
})();`;

/**
 * A pathologist's own ≥ 1 GB slide from disk, through the worklist as a user adds it (a browser
 * without file handles: Playwright hands Chromium the path, nothing is copied): per run, from the
 * click on the slide to its first tile painted, the bytes read by then, and pan/zoom once its
 * tiles are cached, with the main thread's long tasks.
 */
async function slideFileWorkload(base: string): Promise<void> {
  const file = bigSlideFile();
  const mb = statSync(file).size / 2 ** 20;
  const runs = RUNS;
  const opens: RunStats[] = [], bytes: RunStats[] = [], pans: PanZoomRun[] = [];
  for (let i = 0; i < runs; i++) {
    const session = await launch();
    try {
      await withoutFileHandles(session);
      const page = await session.context.newPage();
      page.setDefaultTimeout(120_000);
      await page.addInitScript(FIRST_TILE_WATCH);
      await page.goto(`${base}/#/settings`);
      await page.getByLabel('Your name (as annotator)').fill('Bench');
      await page.getByRole('button', { name: 'Use this name' }).click();
      await page.goto(`${base}/#/`);
      await page.getByRole('link', { name: /Demo: pathology cell outlines/ }).click();
      const chooser = page.waitForEvent('filechooser');
      await page.getByText(/Add slide files/).click();
      await (await chooser).setFiles(file);
      const link = page.getByTestId('worklist-row').filter({ hasText: 'wsi-71680' }).getByRole('link');
      await link.waitFor();
      await page.evaluate(() => (window as unknown as { __watchFirstTile: () => void }).__watchFirstTile());
      const t0 = await page.evaluate(() => performance.now());
      await link.click();
      await page.waitForFunction(() => (window as unknown as { __firstTile?: unknown }).__firstTile, null, { polling: 20 });
      const first = await page.evaluate(async () => {
        const f = (window as unknown as { __firstTile: { at: number; bytes: Promise<number> } }).__firstTile;
        return { at: f.at, bytes: await f.bytes };
      });
      const ms = first.at - t0;
      opens.push(runStats([ms], true));
      bytes.push(runStats([first.bytes / 2 ** 20], true));
      log(`    run ${i + 1}: first tile ${ms.toFixed(0)} ms after the click, ${(first.bytes / 2 ** 20).toFixed(2)} MB read by then`);
      await withBenchScript(page);
      const info = await page.evaluate(() => { const s = window.granulaViewer!.viewer.world.getItemAt(0).getContentSize(); return { w: s.x, h: s.y }; });
      const o: Opened = { session, page, firstPaintMs: ms, heapMB: 0, heapAfterGcMB: 0 };
      // The first pass loads the tiles the second one shows; the second is measured.
      await page.evaluate(([x, y, ms]) => window.__bench!.panZoom({ x, y, durationMs: ms, maxScale: 1 }), [info.w / 2, info.h / 2, SIZES.panMs] as const);
      const profiler = PROFILE ? await session.context.newCDPSession(page) : null;
      if (profiler) await startProfile(profiler);
      const r = await page.evaluate(([x, y, ms]) => window.__bench!.panZoom({ x, y, durationMs: ms, maxScale: 1 }), [info.w / 2, info.h / 2, SIZES.panMs] as const);
      if (profiler) log(await stopProfile(profiler, join(CACHE_DIR, 'profiles'), `slide-file-panzoom-${i}`));
      pans.push({ frames: r.frames, scales: r.scales, draws: r.draws, longTasks: r.longTasks, heapMB: await heapMB(o) });
      log(`    run ${i + 1}: pan/zoom p95 ${percentile(r.frames, 95).toFixed(1)} ms, ${r.longTasks.filter((d) => d > 50).length} long tasks > 50 ms`);
    } finally {
      await session.close();
    }
  }
  const size = SLIDE_FILE_MB;
  const extra = { fileMB: Math.round(mb) };
  rows.push(makeRow({ workload: `slide file from disk (${Math.round(mb).toLocaleString('en-US')} MB BigTIFF, JPEG): click → first tile painted`, kind: 'slide-open', size, unit: 'ms', perRun: opens, all: opens.map((r) => r.max), heapMB: NaN, extra }));
  rows.push(makeRow({ workload: '  of the file read by then', kind: 'slide-bytes', size, unit: 'MB', perRun: bytes, all: bytes.map((r) => r.max), heapMB: NaN, extra }));
  const perRun = pans.map((r) => runStats(r.frames, false, { heapMB: r.heapMB, longTasksOver50: r.longTasks.filter((d) => d > 50).length, longestTaskMs: Math.max(0, ...r.longTasks) }));
  rows.push(makeRow({ workload: `  pan/zoom once its tiles are cached (long tasks > 50 ms per run: ${perRun.map((r) => r.longTasksOver50).join(' / ')})`, kind: 'slide-panzoom', size, unit: 'ms/frame', perRun, all: pans.flatMap((r) => r.frames), heapMB: Math.max(...pans.map((r) => r.heapMB)), extra }));
}

/**
 * A QuPath GeoJSON of `n` of the bench's cells, as the app's own GeoJSON writer exports them (made
 * once by bench/node/exportInput.ts and cached).
 */
async function importFile(n: number): Promise<string> {
  const dir = join(CACHE_DIR, 'import');
  mkdirSync(dir, { recursive: true });
  log(`  ${n} cells as GeoJSON (the app's writer; made once, cached)`);
  return (await runNode('--max-old-space-size=6000 --import tsx bench/node/exportInput.ts', [String(n), dir, 'geojson'])).stdout.trim();
}

/** Processes whose command line names the profile directory, and all their descendants (Linux /proc). */
function browserProcesses(profileDir: string): number[] {
  const parent = new Map<number, number>();
  const mine = new Set<number>();
  for (const d of readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid)) continue;
    try {
      parent.set(pid, Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profileDir)) mine.add(pid);
    } catch {
      // The process ended while being read.
    }
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    for (let p: number | undefined = pid; p && p > 1; p = parent.get(p)) {
      if (mine.has(p)) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

/** The highest resident memory any renderer process of the browser reached (VmHWM), MB: the page and its workers. */
function rendererPeakMB(profileDir: string): number {
  let peak = 0;
  for (const pid of browserProcesses(profileDir)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // Gone already.
    }
  }
  return peak;
}

/**
 * A QuPath GeoJSON of a slide's cells imported as a user does: a fresh browser, the project list's
 * import button, the file chosen (Playwright hands Chromium the path; nothing is copied), timed
 * from the choice to the page saying it is imported. Memory: the page's V8 heap (CDP, sampled),
 * and the renderer process's peak resident memory, which holds the import worker too.
 */
async function importWorkload(base: string): Promise<void> {
  const n = IMPORT_CELLS;
  const file = await importFile(n);
  const mb = statSync(file).size / 2 ** 20;
  log(`import a ${mb.toFixed(0)} MB QuPath GeoJSON of ${n} cells through the project list`);
  const runs: RunStats[] = [];
  const times: number[] = [];
  const extra: Record<string, unknown>[] = [];
  // Each run reads the file twice (checked, then stored), in a fresh browser.
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const session = await launch();
    try {
      const page = await session.context.newPage();
      page.setDefaultTimeout(900_000);
      await page.goto(`${base}/#/`);
      await page.getByRole('button', { name: /Import project/ }).or(page.getByText(/Import project/)).first().waitFor();
      const cdp = await session.context.newCDPSession(page);
      let pageHeap = 0;
      const sampler = setInterval(() => {
        cdp.send('Runtime.getHeapUsage').then((h) => (pageHeap = Math.max(pageHeap, heapOf(h as HeapUsage))), () => {});
      }, 250);
      const chooser = page.waitForEvent('filechooser');
      await page.getByText(/Import project/).click();
      const t0 = performance.now();
      await (await chooser).setFiles(file);
      // The first round (every feature checked, nothing stored) ends when the page says it is storing.
      const storing = page.getByText(/Storing:/).waitFor().then(() => performance.now() - t0, () => NaN);
      const done = page.getByText(/^Imported "/).or(page.getByText(/Import refused/));
      await done.waitFor();
      const ms = performance.now() - t0;
      const checkedMs = await Promise.race([storing, new Promise<number>((r) => setTimeout(() => r(NaN), 1000))]);
      clearInterval(sampler);
      const said = await done.innerText();
      if (!said.startsWith('Imported')) throw new Error(`the app refused the file: ${(await page.locator('.problems, [role=alert]').allInnerTexts()).join(' ').slice(0, 300)}`);
      const peak = rendererPeakMB(session.dir);
      times.push(ms);
      runs.push(runStats([ms], true, { heapMB: peak }));
      extra.push({ said, checkedMs, pageHeapPeakMB: pageHeap, rendererPeakRssMB: peak, fileMB: mb, loadAverage: loadavg() });
      log(`  ${(ms / 1000).toFixed(1)} s (checked by ${(checkedMs / 1000).toFixed(1)} s): ${said}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; renderer peak RSS ${peak.toFixed(0)} MB, page heap peak ${pageHeap.toFixed(0)} MB`);
      await cdp.detach().catch(() => {});
    } finally {
      await session.close();
    }
  }
  rows.push(makeRow({ workload: `import a ${mb.toFixed(0)} MB QuPath GeoJSON through the project list (streamed in a worker)`, kind: 'import', size: n, unit: 'ms', perRun: runs, all: times, heapMB: Math.max(...runs.map((r) => r.heapMB ?? NaN)), heapKind: 'peak renderer RSS', extra: { runs: extra } }));
}

/**
 * The Export tab of a project of a slide's cells, as a user exports it: a fresh browser on the
 * seeded profile, the format chosen, timed from the click on Export to the download saved (written
 * in the export worker through the streaming writers). Memory: the renderer's peak resident memory
 * (the page, which checks the labels first, and the worker).
 */
async function appExportWorkload(base: string, formats: readonly ('shared' | 'geojson' | 'coco')[]): Promise<void> {
  const n = SIZES.export;
  log(`export ${n} outlines from the app's Export tab to ${formats.join(', ')}`);
  const seeded = await seedProfile(base, n, false);
  try {
    for (const format of formats) {
      await attempt(`Export tab --to ${format}`, `app-export-${format}`, n, async () => {
        const runs: RunStats[] = [];
        const times: number[] = [];
        const extra: Record<string, unknown>[] = [];
        for (let i = 0; i < (QUICK ? 1 : 2); i++) {
          const session = await launch(seeded.dir);
          try {
            const page = session.context.pages()[0] ?? (await session.context.newPage());
            page.setDefaultTimeout(900_000);
            await page.goto(`${base}/#/project/${seeded.projectId}/export`);
            await page.getByLabel('Format').selectOption(format);
            // The usual download (headless Chromium has no save dialog to choose a file in).
            const toFile = page.getByLabel(/Choose where to save/);
            if (await toFile.count()) await toFile.uncheck();
            const downloaded = page.waitForEvent('download');
            const t0 = performance.now();
            await page.getByRole('button', { name: 'Export', exact: true }).click();
            const d = await downloaded;
            const path = await d.path();
            const ms = performance.now() - t0;
            const peak = rendererPeakMB(session.dir);
            const mb = statSync(path).size / 2 ** 20;
            times.push(ms);
            runs.push(runStats([ms], true, { heapMB: peak }));
            extra.push({ file: d.suggestedFilename(), fileMB: mb, rendererPeakRssMB: peak, loadAverage: loadavg() });
            log(`  --to ${format}: ${(ms / 1000).toFixed(1)} s, ${mb.toFixed(0)} MB written, renderer peak RSS ${peak.toFixed(0)} MB; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
          } finally {
            // Keep the seeded profile for the next run.
            await session.context.close();
          }
        }
        const name = { shared: 'the shared format', geojson: 'QuPath GeoJSON', coco: 'COCO' }[format];
        rows.push(makeRow({ workload: `Export tab --to ${format} (click → download saved; ${name}, written in a worker)`, kind: `app-export-${format}`, size: n, unit: 'ms', perRun: runs, all: times, heapMB: Math.max(...runs.map((r) => r.heapMB ?? NaN)), heapKind: 'peak renderer RSS', extra: { runs: extra } }));
      });
    }
  } finally {
    rmSync(seeded.dir, { recursive: true, force: true });
  }
}

/**
 * Live sync at slide scale: a pathologist's project of SYNC_CELLS outlines is on a CouchDB-protocol
 * server (pouchdb-server in memory, on loopback), put there by the app itself (import, then Team →
 * Server → Connect); then a fresh browser of the same person opens it with "Open a project from a
 * server", timed from the click until the project is stored, and opened with every outline.
 * Memory: the renderer's peak resident memory (page and workers) and the page's V8 heap peak.
 */
/** The server account of the person the sync rows play. */
const SYNC_USER = { name: 'path', password: 'bench-pw' };

/**
 * The person this bench plays ("bench", whose the seeded and imported outlines are) becomes the
 * project's coordinator and connects it to `server` through Team → Server → Connect, as a user
 * does; the server's administrator has made their database first (docs/SYNC.md). Resolves once the
 * header says Synced: every outline sent and acknowledged. Returns the ms from the click.
 */
async function connectThroughApp(page: Page, base: string, projectId: string, server: CouchServer, user: { name: string; password: string }): Promise<number> {
  await server.addDatabase(databaseName(projectId, 'bench'), [user.name]);
  await page.goto(`${base}/#/project/${encodeURIComponent(projectId)}/team`);
  await page.getByRole('button', { name: 'Make me the coordinator' }).click();
  const panel = await fillSyncPanel(page, server.url, user.name, user.password);
  const t0 = performance.now();
  await panel.getByRole('button', { name: 'Connect' }).click();
  const progress = setInterval(() => {
    page.getByTestId('sync-status').textContent().then((t) => log(`  connecting: ${t}`), () => {});
  }, 10_000);
  try {
    await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  } finally {
    clearInterval(progress);
  }
  return performance.now() - t0;
}

/** Writes the page's heap snapshot (DevTools format) into the bench cache; returns its path. */
async function heapSnapshot(cdp: CDPSession, name: string): Promise<string> {
  const path = join(CACHE_DIR, `${name}-${Date.now()}.heapsnapshot`);
  const parts: string[] = [];
  const take = (e: { chunk: string }) => void parts.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', take);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', take);
  writeFileSync(path, parts.join(''));
  return path;
}

/** What the sync engine says it did in this page (User Timing measures), one line each. */
async function logSyncMeasures(page: Page): Promise<void> {
  const list = await page.evaluate(() => performance.getEntriesByType('measure').filter((m) => m.name.startsWith('granula-sync')).map((m) => ({ name: m.name, ms: m.duration, detail: (m as PerformanceMeasure).detail })));
  for (const m of list) log(`    ${m.name.slice('granula-sync-'.length)} ${(m.ms / 1000).toFixed(1)} s ${JSON.stringify(m.detail)}`);
}

async function replicateWorkload(base: string): Promise<void> {
  const n = SYNC_CELLS;
  const file = await importFile(n);
  const server = await CouchServer.start({ storage: 'memory' });
  const user = SYNC_USER;
  await server.addUser(user.name, user.password);
  let pid = '';
  /** The project list of a browser whose annotator is "bench", the person the file's outlines are by. */
  const asBench = async (s: Session, timeoutMs: number) => {
    const page = await s.context.newPage();
    page.setDefaultTimeout(timeoutMs);
    await setIdentity(page, base, 'Bench');
    await page.goto(`${base}/#/`);
    return page;
  };
  const seed = await launch();
  try {
    const page = await asBench(seed, 1_800_000);
    const chooser = page.waitForEvent('filechooser');
    await page.getByText(/Import project/).click();
    await (await chooser).setFiles(file);
    const said = await page.getByText(/^Imported "/).innerText();
    log(`  seed: ${said}`);
    const name = /^Imported "([^"]+)"/.exec(said)![1];
    await page.getByRole('link', { name }).first().click();
    pid = decodeURIComponent(/#\/project\/([^/]+)/.exec(page.url())![1]);
    log(`  seed: project ${pid}; connecting`);
    const ms = await connectThroughApp(page, base, pid, server, user);
    log(`  seeded the server through the app: ${(ms / 1000).toFixed(1)} s to send ${n} outlines`);
  } finally {
    await seed.close();
  }
  const runs: RunStats[] = [];
  const times: number[] = [];
  const extra: Record<string, unknown>[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const session = await launch();
      try {
        const page = await asBench(session, 900_000);
        const cdp = await session.context.newCDPSession(page);
        let pageHeap = 0;
        const sampler = setInterval(() => {
          cdp.send('Runtime.getHeapUsage').then((h) => (pageHeap = Math.max(pageHeap, heapOf(h as HeapUsage))), () => {});
        }, 250);
        const form = await fillOpenFromServer(page, server.url, user.name, user.password, pid);
        const t0 = performance.now();
        await form.getByRole('button', { name: 'Open from the server' }).click();
        await page.getByTestId('joined').or(form.getByRole('alert')).waitFor();
        const storedMs = performance.now() - t0;
        if (!(await page.getByTestId('joined').count())) throw new Error(await form.getByRole('alert').innerText());
        await page.getByTestId('joined').getByRole('link').click();
        const count = new Intl.NumberFormat('en-US').format(n);
        await page.getByText(new RegExp(`${count} annotations`)).first().waitFor();
        const ms = performance.now() - t0;
        clearInterval(sampler);
        const peak = rendererPeakMB(session.dir);
        times.push(ms);
        // The page's V8 heap: the replication runs in the page (PouchDB), not in a worker.
        runs.push(runStats([ms], true, { heapMB: pageHeap }));
        extra.push({ storedMs, pageHeapPeakMB: pageHeap, rendererPeakRssMB: peak, loadAverage: loadavg() });
        log(`  ${(ms / 1000).toFixed(1)} s to open with ${count} outlines (stored by ${(storedMs / 1000).toFixed(1)} s); renderer peak RSS ${peak.toFixed(0)} MB, page heap peak ${pageHeap.toFixed(0)} MB; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
        await cdp.detach().catch(() => {});
      } finally {
        await session.close();
      }
    }
  } finally {
    await server.stop();
  }
  rows.push(makeRow({ workload: 'replicate a project of cell outlines from a loopback server to a fresh browser ("Open a project from a server")', kind: 'replicate', size: n, unit: 'ms', perRun: runs, all: times, heapMB: Math.max(...runs.map((r) => r.heapMB ?? NaN)), heapKind: 'page heap peak', extra: { runs: extra } }));
}

/**
 * The viewing targets with live sync on: the 10^5-outline slide's project connected to a loopback
 * CouchDB-protocol server through the app (Team → Server → Connect, every outline sent and
 * acknowledged), then opened in a fresh browser, signed in again, and panned as the plain rows
 * do, with the replication running (its live changes feed open, nothing waiting).
 */
async function syncedPanWorkload(base: string, n: number): Promise<void> {
  const s = await seedProfile(base, n, false);
  const server = await CouchServer.start({ storage: 'memory' });
  try {
    const user = SYNC_USER;
    await server.addUser(user.name, user.password);
    const session = await launch(s.dir);
    try {
      const page = session.context.pages()[0] ?? (await session.context.newPage());
      page.setDefaultTimeout(1_800_000);
      const cdp = await session.context.newCDPSession(page);
      let pageHeap = 0;
      const sampler = setInterval(() => {
        cdp.send('Runtime.getHeapUsage').then((h) => (pageHeap = Math.max(pageHeap, heapOf(h as HeapUsage))), () => {});
      }, 250);
      const ms = await connectThroughApp(page, base, s.projectId, server, user).finally(() => clearInterval(sampler));
      log(`  connected: ${(ms / 1000).toFixed(1)} s to send ${n} outlines; renderer peak RSS ${rendererPeakMB(s.dir).toFixed(0)} MB, page heap peak ${pageHeap.toFixed(0)} MB`);
      await logSyncMeasures(page);
    } finally {
      // The profile stays: the runs open it, connected.
      await session.context.close();
    }
    // Each run: a fresh browser on the profile (the app resumes the project's sync), signed in again
    // as after any restart of the browser (the server's session cookie does not outlive it, and the
    // password is never stored), back at the slide, then the same pan/zoom as the plain rows.
    const pans: PanZoomRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const o = await openApp(base, s);
      try {
        const annotate = o.page.url();
        await o.page.goto(`${base}/#/project/${encodeURIComponent(s.projectId)}/team`);
        const panel = o.page.getByTestId('sync-panel');
        await panel.getByLabel('Password').fill(user.password);
        const t0 = performance.now();
        await panel.getByRole('button', { name: 'Sign in again' }).click();
        await o.page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
        log(`    signed in again: synced after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        await logSyncMeasures(o.page);
        await o.page.goto(annotate);
        await o.page.waitForFunction(() => !!window.granulaViewer && window.granulaViewer.viewer.world.getItemCount() > 0, null, { polling: 50 });
        await o.page.locator('[data-testid="shape-layer"]').waitFor();
        await o.page.waitForTimeout(1_000);
        pans.push(await panZoomOnce(o, n));
        // What stays after a collection (the row's heap is the page's as it pans, garbage included).
        const cdp = await o.session.context.newCDPSession(o.page);
        await cdp.send('HeapProfiler.collectGarbage');
        log(`    page heap after a forced collection: ${heapOf((await cdp.send('Runtime.getHeapUsage')) as HeapUsage).toFixed(0)} MB (while panning: ${pans[pans.length - 1].heapMB.toFixed(0)} MB)`);
        if (HEAP_SNAPSHOT) log(`    heap snapshot: ${await heapSnapshot(cdp, `sync-${n}`)}`);
        await cdp.detach();
        const status = o.page.getByTestId('sync-status');
        log(`    sync status after panning: ${await status.getAttribute('data-state')} (${await status.innerText()})`);
      } finally {
        await o.session.context.close();
      }
    }
    panZoomRows('pan/zoom whole slide ↔ 40×, connected to a sync server', n, pans);
  } finally {
    await server.stop();
    rmSync(s.dir, { recursive: true, force: true });
  }
}

/**
 * Cross-origin isolation for the page the bench measures. Without it Chromium coarsens
 * performance.now() and requestAnimationFrame's time to 100 µs with jitter: on an empty page at
 * 60 Hz, frame intervals read 16.5–16.8 ms (p95 16.7, max 16.8); isolated, 16.660–16.670 ms.
 */
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * The coordinator opens a slide project's worklist (what opening a project shows): timed from the
 * navigation until the rows are listed with their counts, and the page heap after a collection
 * (counting a million outlines must not build them).
 */
async function worklistWorkload(base: string, n: number): Promise<void> {
  const s = await seedProfile(base, n, false);
  const times: number[] = [];
  const heaps: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const session = await launch(s.dir);
      try {
        const page = session.context.pages()[0] ?? (await session.context.newPage());
        page.setDefaultTimeout(300_000);
        await page.goto(`${base}/#/`);
        await page.getByRole('heading', { name: 'Projects' }).waitFor();
        const t0 = performance.now();
        await page.goto(`${base}/#/project/${s.projectId}/worklist`);
        const row = page.getByTestId('worklist-row').first();
        await row.locator('td', { hasText: String(n) }).first().waitFor({ timeout: 120_000 }).catch(async (e) => {
          throw new Error(`the worklist's first row reads ${JSON.stringify(await page.locator('main').innerText().catch(() => '?'))}`, { cause: e });
        });
        times.push(performance.now() - t0);
        const cdp = await session.context.newCDPSession(page);
        await cdp.send('HeapProfiler.collectGarbage');
        heaps.push(heapOf((await cdp.send('Runtime.getHeapUsage')) as HeapUsage));
        await cdp.detach();
        log(`  worklist listed in ${times[i].toFixed(0)} ms; page heap after a collection ${heaps[i].toFixed(0)} MB`);
      } finally {
        // The profile stays for the next run (session.close would remove it).
        await session.context.close();
      }
    }
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
  rows.push(makeRow({ workload: 'open a slide project\'s worklist: navigation → rows listed with their counts', kind: 'worklist', size: n, unit: 'ms', perRun: times.map((v, i) => runStats([v], true, { heapMB: heaps[i] })), all: times, heapMB: Math.max(...heaps), heapKind: 'page heap after GC' }));
}

/** The CT series of the radiology rows: slices × size² pixels (made once by pydicom, cached). */
const CT = QUICK ? { slices: 60, size: 512 } : { slices: 300, size: 512 };

/**
 * A radiologist's CT from disk: a new CT/MR project, Worklist → Add CT/MR files with the series'
 * files (timed until its row is listed: every header read, the patient pseudonymised), then the row
 * opened (timed until the viewer has painted the first slice it shows, the middle one).
 */
async function ctWorkload(base: string): Promise<void> {
  const dir = join(CACHE_DIR, `ct-${CT.slices}x${CT.size}`);
  if (!existsSyncSafe(join(dir, `ct${String(CT.slices - 1).padStart(4, '0')}.dcm`))) {
    log(`  making a ${CT.slices}-slice ${CT.size}² CT series (pydicom, cached)`);
    execFileSync(PYTHON, ['bench/ctSeries.py', dir, String(CT.slices), String(CT.size)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.dcm')).map((f) => join(dir, f));
  const mb = files.reduce((n, f) => n + statSync(f).size, 0) / 2 ** 20;
  const adds: number[] = [];
  const firsts: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const session = await launch();
    try {
      // Files come from a plain file input (as in Firefox and Safari), which the bench can fill.
      await withoutFileHandles(session);
      const page = await session.context.newPage();
      page.setDefaultTimeout(300_000);
      await setIdentity(page, base, 'Bench');
      await page.goto(`${base}/#/`);
      await page.getByLabel('Project name').fill('Chest CT');
      await page.getByLabel('Schema template').selectOption({ label: 'CT/MR: findings on slices (DICOM series)' });
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('link', { name: 'Worklist' }).click();
      await page.getByLabel('Modality').selectOption({ label: 'Radiology' });
      const chooser = page.waitForEvent('filechooser');
      await page.getByText(/Add CT\/MR files/).click();
      const t0 = performance.now();
      await (await chooser).setFiles(files);
      const row = page.getByTestId('worklist-row').filter({ hasText: 'CT series' });
      await row.waitFor();
      adds.push(performance.now() - t0);
      const t1 = performance.now();
      await row.getByRole('link', { name: /CT series/ }).click();
      await page.locator('[data-testid="slice-layer"][data-painted]').waitFor({ state: 'attached' });
      firsts.push(performance.now() - t1);
      rss.push(rendererPeakMB(session.dir));
      log(`  add ${(adds[i] / 1000).toFixed(2)} s, first slice ${firsts[i].toFixed(0)} ms (${await page.getByTestId('slice-position').innerText()}); renderer peak RSS ${rss[i].toFixed(0)} MB`);
    } finally {
      await session.close();
    }
  }
  const what = `${CT.slices}-slice ${CT.size}×${CT.size} CT series (${mb.toFixed(0)} MB, uncompressed)`;
  rows.push(makeRow({ workload: `add a ${what} from disk: files chosen → series listed`, kind: 'ct-add', size: CT.slices, unit: 'ms', perRun: adds.map((v, i) => runStats([v], true, { heapMB: rss[i] })), all: adds, heapMB: Math.max(...rss), heapKind: 'renderer peak RSS' }));
  rows.push(makeRow({ workload: `open the ${what}: click → first slice painted`, kind: 'ct-first-slice', size: CT.slices, unit: 'ms', perRun: firsts.map((v, i) => runStats([v], true, { heapMB: rss[i] })), all: firsts, heapMB: Math.max(...rss), heapKind: 'renderer peak RSS' }));
}

function existsSyncSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

async function browserWorkloads(base: string): Promise<void> {
  if (want('ct')) await attempt('a CT series from disk', 'ct-first-slice', CT.slices, () => ctWorkload(base));
  if (want('worklist')) await attempt('open a slide project\'s worklist', 'worklist', SIZES.panLarge, () => worklistWorkload(base, SIZES.panLarge));
  if (want('replicate')) await attempt('replicate from a sync server', 'replicate', SYNC_CELLS, () => replicateWorkload(base));
  if (want('panzoom-sync')) await attempt('pan/zoom with live sync on', 'panzoom', SIZES.panSmall, () => syncedPanWorkload(base, SIZES.panSmall));
  if (want('panzoom-sync-large')) await attempt('pan/zoom with live sync on', 'panzoom', SIZES.panLarge, () => syncedPanWorkload(base, SIZES.panLarge));
  if (want('import')) await attempt('import a QuPath GeoJSON', 'import', IMPORT_CELLS, () => importWorkload(base));
  const appExports = (['shared', 'geojson', 'coco'] as const).filter((f) => want(`app-export-${f}`) || want('app-export'));
  if (appExports.length) await appExportWorkload(base, appExports);
  if (want('slide-file')) await attempt('slide file from disk', 'slide-open', SLIDE_FILE_MB, () => slideFileWorkload(base));
  const runs = RUNS;
  const sizes: [string, number, boolean][] = [
    ['slide', 0, false],
    ['pan-small', SIZES.panSmall, false],
    ['large', SIZES.panLarge, true],
  ];
  for (const [name, n, edit] of sizes) {
    if (!want(name)) continue;
    log(n ? `${n} outlines: open, pan/zoom${edit ? ', click and drag' : ''}` : 'the slide alone (no outlines): pan/zoom');
    await attempt(n ? 'pan/zoom whole slide ↔ 40×' : 'pan/zoom, slide only (reference)', n ? 'panzoom' : 'panzoom-slide', n, async () => {
      const seeded = await seedProfile(base, n);
      try {
        await openAndPan(base, n ? 'pan/zoom whole slide ↔ 40×' : 'pan/zoom, slide only (reference)', seeded, n ? runs : 1, edit ? (o) => clickAndDrag(o, n) : undefined);
      } finally {
        rmSync(seeded.dir, { recursive: true, force: true });
      }
    });
  }
}

/**
 * A project edited after its import (every 10th outline reclassified, saved as the app saves):
 * opened three times, each time left open until the app has folded what it folds in one open (the
 * most edited 8 packs) into packs. The first open reads every edit as a row over the packs.
 */
async function editedWorkload(base: string): Promise<void> {
  const n = SIZES.panSmall;
  const edits = n / 10;
  log(`${n} outlines, ${edits} of them edited: open three times, the app folding rows into packs`);
  await attempt('open project → overlay painted, after edits', 'open-edited', n, async () => {
    const seeded = await seedProfile(base, n, false);
    try {
      const editing = await launch(seeded.dir);
      const page = await editing.context.newPage();
      page.setDefaultTimeout(600_000);
      await page.goto(`${base}/__bench/blank.html`);
      await withBenchScript(page);
      const edited = await page.evaluate(([pid, k]) => window.__bench!.editSome(pid, k), [seeded.projectId, edits] as const);
      let rowsNow = await page.evaluate((pid) => window.__bench!.annotationRows(pid), seeded.projectId);
      await editing.context.close();
      log(`  saved ${edits} edits in ${(edited.ms / 1000).toFixed(1)} s`);
      for (let i = 0; i < 3; i++) {
        const o = await openApp(base, seeded);
        const rowsAtOpen = rowsNow;
        // Long tasks from here on: the fold's share of the main thread (the open's own came before).
        await o.page.evaluate(() => {
          const w = window as unknown as { __foldTasks: number[] };
          w.__foldTasks = [];
          new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__foldTasks.push(e.duration))).observe({ type: 'longtask' });
        });
        // The app folds in the background once the project is open: wait until the count settles.
        for (let still = 0, tries = 0; still < 4 && tries < 240; tries++) {
          await o.page.waitForTimeout(250);
          const count = await o.page.evaluate((pid) => window.__bench!.annotationRows(pid), seeded.projectId);
          still = count === rowsNow ? still + 1 : 0;
          rowsNow = count;
        }
        const foldTasks = await o.page.evaluate(() => (window as unknown as { __foldTasks: number[] }).__foldTasks);
        await o.session.context.close();
        const longest = foldTasks.length ? Math.max(...foldTasks) : 0;
        log(`    open ${i + 1}: overlay painted at ${o.firstPaintMs?.toFixed(0)} ms over ${rowsAtOpen} annotation rows; ${rowsNow} left after folding (${foldTasks.length} long tasks meanwhile, longest ${longest.toFixed(0)} ms)`);
        const ms = o.firstPaintMs ?? NaN;
        rows.push(makeRow({ workload: `open project → overlay painted, ${edits} edits since the import, ${rowsAtOpen} of them rows (open ${i + 1})`, kind: 'open-edited', size: n, unit: 'ms', perRun: [runStats([ms], true)], all: [ms], heapMB: o.heapAfterGcMB, heapKind: 'after GC', extra: { rowsAtOpen, rowsAfterFold: rowsNow, longTasksWhileFolding: foldTasks } }));
      }
    } finally {
      rmSync(seeded.dir, { recursive: true, force: true });
    }
  });
}

function runNode(script: string, argv: string[]): Promise<{ ms: number; stdout: string; maxRssMB: number }> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '__MAXRSS_KB=%M', process.execPath, ...script.split(' '), ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const rss = Number(/__MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;
      // The CLI names bad input on stdout (`FILE: cannot read: …`), crashes on stderr: keep both.
      if (code !== 0) {
        const said = (stdout.slice(-1000) + stderr.replace(/__MAXRSS_KB=\d+|Command exited with non-zero status \d+/g, '').slice(-1000)).trim().replace(/\s+/g, ' ');
        return rej(new Error(`${script.split(' ').pop()} exited ${code}: ${said}\n  ${script} ${argv.join(' ')}`));
      }
      res({ ms, stdout, maxRssMB: rss });
    });
  });
}

async function nodeWorkloads(): Promise<void> {
  const dir = join(CACHE_DIR, 'node');
  mkdirSync(dir, { recursive: true });
  // The CLI bundles itself on its first run after a source change (bin/granula.mjs): once, as after
  // an install, so no timed run pays for it.
  await runNode('bin/granula.mjs --help', []);
  if (want('agree')) await attempt('agree A.json B.json --json (CLI, wall)', 'agree', SIZES.agree, async () => {
    const n = SIZES.agree;
    log(`agreement, 2 annotators × ${n} outlines (CLI)`);
    await runNode('--import tsx bench/node/agreeInputs.ts', [String(n), dir]);
    const runs: number[] = [];
    const rssRuns: number[] = [];
    let rss = 0;
    let summary = '';
    for (let i = 0; i < RUNS; i++) {
      const r = await runNode('bin/granula.mjs agree', [join(dir, `agree-a-${n}.json`), join(dir, `agree-b-${n}.json`), '--json']);
      runs.push(r.ms);
      rssRuns.push(r.maxRssMB);
      rss = Math.max(rss, r.maxRssMB);
      const pair = JSON.parse(r.stdout).shapes.pairs[0];
      summary = `matched ${pair.matched} of ${pair.a_count}/${pair.b_count}, F1 ${pair.f1}`;
    }
    rows.push(makeRow({ workload: 'agree A.json B.json --json (CLI, wall)', kind: 'agree', size: n, unit: 'ms', perRun: runs.map((ms, i) => runStats([ms], true, { heapMB: rssRuns[i] })), all: runs, heapMB: rss, heapKind: 'max RSS', extra: { summary } }));
    log(`  ${runs.map((r) => r.toFixed(0)).join(', ')} ms; ${summary}`);
  });
  if (want('merge')) await attempt('merge BASE RETURN -o OUT (CLI, wall)', 'merge', SIZES.agree, async () => {
    const n = SIZES.agree;
    log(`team loop gather: a return of ${n} outlines into a project of ${n} (CLI)`);
    await runNode('--import tsx bench/node/mergeInputs.ts', [String(n), dir]);
    const base = join(dir, `merge-base-${n}.json`), ret = join(dir, `merge-return-${n}.json`), out = join(dir, `merge-out-${n}.json`);
    const runs: number[] = [];
    const again: number[] = [];
    const rssRuns: number[] = [];
    const rssAgain: number[] = [];
    let rss = 0;
    let summary = '';
    for (let i = 0; i < RUNS; i++) {
      rmSync(out, { force: true });
      const r = await runNode('bin/granula.mjs merge', [base, ret, '-o', out]);
      runs.push(r.ms);
      rssRuns.push(r.maxRssMB);
      rss = Math.max(rss, r.maxRssMB);
      // The same return gathered again into the result: every record unchanged.
      const r2 = await runNode('bin/granula.mjs merge', [out, ret, '-o', join(dir, `merge-again-${n}.json`)]);
      again.push(r2.ms);
      rssAgain.push(r2.maxRssMB);
      rss = Math.max(rss, r2.maxRssMB);
      summary = `${r.stdout.trim().split(': ').slice(-1)[0]}; again: ${r2.stdout.trim().split(': ').slice(-1)[0]}`;
    }
    const wall = (ms: number[], rssMB: number[]) => ms.map((v, i) => runStats([v], true, { heapMB: rssMB[i] }));
    rows.push(makeRow({ workload: 'merge BASE RETURN -o OUT (CLI, wall)', kind: 'merge', size: n, unit: 'ms', perRun: wall(runs, rssRuns), all: runs, heapMB: Math.max(...rssRuns), heapKind: 'max RSS', extra: { summary } }));
    rows.push(makeRow({ workload: 'the same return again into OUT (CLI, wall)', kind: 'merge-again', size: n, unit: 'ms', perRun: wall(again, rssAgain), all: again, heapMB: Math.max(...rssAgain), heapKind: 'max RSS', extra: { summary } }));
    log(`  ${runs.map((r) => r.toFixed(0)).join(', ')} ms; again ${again.map((r) => r.toFixed(0)).join(', ')} ms; ${summary}`);
  });
  if (want('wsi')) await attempt('granula info / region on a JPEG pyramidal BigTIFF', 'wsi-region', 0, async () => {
    const repeat = QUICK ? 40 : 140;
    log(`whole-slide TIFF: ihc.png × ${repeat}² (${repeat * 512}² px), granula info and a 1000×1000 granula region at level 0`);
    const path = makeLargePyramid(dir, repeat);
    const size = statSync(path).size;
    const region = ['--x', String(repeat * 256), '--y', String(repeat * 256), '--w', '1000', '--h', '1000', '-o', join(dir, 'wsi-region.png')];
    const info: number[] = [], infoRss: number[] = [], regions: number[] = [], regionRss: number[] = [];
    let inProcess: Record<string, number> = {};
    for (let i = 0; i < RUNS; i++) {
      const a = await runNode('bin/granula.mjs info', [path]);
      info.push(a.ms);
      infoRss.push(a.maxRssMB);
      const b = await runNode('bin/granula.mjs region', [path, ...region]);
      regions.push(b.ms);
      regionRss.push(b.maxRssMB);
      // The same open and region in-process: without Node's and tsx's start-up, and with the bytes read.
      inProcess = JSON.parse((await runNode('--import tsx bench/node/slideRun.ts', [path, String(repeat * 256), String(repeat * 256), '1000', '1000'])).stdout);
    }
    const wall = (ms: number[], rssMB: number[]) => ms.map((v, i) => runStats([v], true, { heapMB: rssMB[i] }));
    const mb = `${(size / 2 ** 20).toFixed(0)} MB`;
    rows.push(makeRow({ workload: `granula info, ${mb} JPEG BigTIFF (CLI, wall)`, kind: 'wsi-info', size: repeat * 512, unit: 'ms', perRun: wall(info, infoRss), all: info, heapMB: Math.max(...infoRss), heapKind: 'max RSS', extra: inProcess }));
    rows.push(makeRow({ workload: `granula region 1000×1000, level 0 (CLI, wall)`, kind: 'wsi-region', size: repeat * 512, unit: 'ms', perRun: wall(regions, regionRss), all: regions, heapMB: Math.max(...regionRss), heapKind: 'max RSS', extra: inProcess }));
    log(`  info ${info.map((r) => r.toFixed(0)).join(', ')} ms; region ${regions.map((r) => r.toFixed(0)).join(', ')} ms; in-process: open ${inProcess.openMs?.toFixed(1)} ms reading ${inProcess.infoBytes} bytes, region ${inProcess.regionMs?.toFixed(0)} ms reading ${inProcess.regionBytes} bytes`);
  });
  if (want('deid')) await attempt('granula deid on a CT series', 'deid', 100, async () => {
    const slices = QUICK ? 20 : 100;
    log(`granula deid: a ${slices}-slice CT series (CT_small.dcm, identifying values in every profile attribute)`);
    const input = join(dir, `deid-in-${slices}`);
    rmSync(input, { recursive: true, force: true });
    mkdirSync(input, { recursive: true });
    const profile = join(dir, 'deid-profile.json');
    writeFileSync(profile, JSON.stringify(BASIC_PROFILE));
    execFileSync(PYTHON, ['tests/radiology/makeCtSeries.py', profile, input, String(slices)], { stdio: ['ignore', 'ignore', 'ignore'] });
    const key = join(dir, 'deid-key.json');
    writeFileSync(key, await keyFileText(newPseudonymKey(), { id: 'bench', name: 'bench' }, new Date().toISOString()));
    const perFile: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = join(dir, 'deid-out');
      rmSync(out, { recursive: true, force: true });
      const r = await runNode('bin/granula.mjs deid', [input, '-o', out, '--key', key]);
      perFile.push(r.ms / slices);
      rss.push(r.maxRssMB);
    }
    rows.push(makeRow({ workload: `granula deid, ${slices}-slice CT series, per file (CLI wall ÷ files)`, kind: 'deid', size: slices, unit: 'ms', perRun: perFile.map((v, i) => runStats([v], true, { heapMB: rss[i] })), all: perFile, heapMB: Math.max(...rss), heapKind: 'max RSS' }));
    log(`  ${perFile.map((v) => v.toFixed(1)).join(', ')} ms per file`);
  });
  const exports = (['shared', 'geojson', 'coco'] as const).filter((f) => want(`export-${f}`) || want('export'));
  if (exports.length) {
    const n = SIZES.export;
    log(`granula convert of ${n} outlines (a shared-format file) to ${exports.join(', ')} (CLI)`);
    for (const format of exports) {
      await attempt(`granula convert --to ${format}`, `export-${format}`, n, async () => {
        // Written once (the first format's attempt), then found.
        const input = (await runNode('--import tsx bench/node/exportInput.ts', [String(n), dir])).stdout.trim();
        const inputMB = statSync(input).size / 2 ** 20;
        const out = join(dir, `export-${n}.${format}.json`);
        const runs: number[] = [], rssRuns: number[] = [];
        let summary = '';
        for (let i = 0; i < (QUICK ? 1 : 2); i++) {
          rmSync(out, { force: true });
          const r = await runNode('bin/granula.mjs convert', [input, '--to', format, '-o', out]);
          runs.push(r.ms);
          rssRuns.push(r.maxRssMB);
          summary = `${(statSync(out).size / 2 ** 20).toFixed(0)} MB written`;
        }
        rmSync(out, { force: true });
        const name = { shared: 'the shared format', geojson: 'QuPath GeoJSON', coco: 'COCO' }[format];
        rows.push(
          makeRow({
            workload: `granula convert ${inputMB.toFixed(0)} MB shared file --to ${format} (CLI, wall; ${name}, ${summary})`,
            kind: `export-${format}`,
            size: n,
            unit: 'ms',
            perRun: runs.map((ms, i) => runStats([ms], true, { heapMB: rssRuns[i] })),
            all: runs,
            heapMB: Math.max(...rssRuns),
            heapKind: 'max RSS',
            extra: { inputMB, summary },
          }),
        );
        log(`  --to ${format}: ${runs.map((r) => (r / 1000).toFixed(1)).join(', ')} s, max RSS ${rssRuns.map((r) => r.toFixed(0)).join(', ')} MB; ${summary}`);
      });
    }
  }
}

/** One table; the last columns: the target, and whether every run met it (with why not, below the table). */
function printTable(): void {
  const head = ['workload', 'size', 'runs', 'median', 'spread', 'heap', 'target', 'met'];
  const body = rows.map((r) => [r.workload, sizeCell(r), String(r.perRun.length), medianCell(r), spreadCell(r), heapCell(r), r.target?.text ?? '—', metCell(r)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const b of body) console.log(line(b));
  for (const r of rows) {
    if (r.verdict.met === false) console.log(`not met: ${r.workload.trim()} at ${sizeCell(r)}: ${r.verdict.why.join('; ')}`);
    else if (r.verdict.met === null && targetFor(r.kind, r.size).note !== 'no target') console.log(`${r.workload.trim()} at ${sizeCell(r)}: ${r.verdict.why.join('; ')}`);
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  log(`granula bench${QUICK ? ' --quick' : ''}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB`);
  // A group is needed when asked for whole or by one of its rows (`--only=app-export-coco`).
  const needBrowser = ['slide', 'pan-small', 'large', 'edited', 'slide-file', 'import', 'app-export', 'replicate', 'panzoom-sync', 'panzoom-sync-large', 'ct', 'worklist'].some((w) => want(w) || ONLY.some((o) => o.startsWith(w)));
  if (needBrowser) {
    await buildAll();
    // Served cross-origin isolated (the app's code is the same): its clocks then tick in 5 µs, not
    // 100 µs with random jitter, so a frame on time at 60 Hz reads 16.66–16.67 ms, never 16.8.
    const server = await preview({ root: ROOT, configFile: false, logLevel: 'warn', build: { outDir: OUT }, preview: { port: 0, host: '127.0.0.1', strictPort: false, headers: ISOLATED } });
    const base = server.resolvedUrls!.local[0].replace(/\/$/, '');
    try {
      await browserWorkloads(base);
      if (want('edited')) await editedWorkload(base);
    } finally {
      await server.close();
    }
  }
  await nodeWorkloads();
  printTable();
  if (KEEP_RESULTS) {
    const results = {
      date: new Date().toISOString(),
      quick: QUICK,
      only: ONLY,
      samples: 'rows[].perRun: every run of the row, in order. Raw samples in perRun[].samples for every row but the pan/zoom frames and overlay draws (hundreds a run): those keep per run the sample count n, p50, p95 and max. "met" (rows[].verdict) holds only if every run meets the target.',
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGB: totalmem() / 2 ** 30, node: process.version },
      seconds: (performance.now() - t0) / 1000,
      rows,
    };
    writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  }
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

await main();
