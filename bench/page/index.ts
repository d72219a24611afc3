// The bench's in-page half, bundled by vite into /__bench/bench.js and loaded next to the app.
// It seeds IndexedDB through the app's own storage code (so it always writes the current layout),
// and measures frames, long tasks and input-to-paint latency inside the page.
import { updated, type RecordChange } from '../../src/model/changes';
import { nowIso } from '../../src/model/ids';
import { openGranulaDb } from '../../src/storage/db';
import { loadStoredProject, setMeta } from '../../src/storage/repository';
import { storeProjects, writeChangesMerging } from '../../src/storage/writes';
import { CELL_CLASSES, decodeCells } from '../cellsFormat';
import { BENCH_IMAGE_ID, projectFromCells } from '../cellsProject';

export const BENCH_ANNOTATOR = { id: 'bench', displayName: 'Bench' };

/**
 * Stores a project holding `url`'s cell outlines on one synthetic slide, drawn by the bench
 * annotator. `ms` is the whole seeding (fetch, decode, build, store), `storeMs` the store alone.
 */
async function seed(url: string, name: string): Promise<{ projectId: string; imageId: string; count: number; ms: number; storeMs: number }> {
  const t0 = performance.now();
  const cells = decodeCells(await (await fetch(url)).arrayBuffer());
  const data = projectFromCells(cells, { name, now: nowIso(), annotator: BENCH_ANNOTATOR });
  const db = await openGranulaDb();
  // The app's own store of a whole project (an import): the same transaction, rows and packs.
  const t1 = performance.now();
  await storeProjects(db, [{ data, blobs: [] }], { replaceFiles: false });
  const storeMs = performance.now() - t1;
  // The app readies its demo projects on a profile's first start: not part of what is measured.
  await setMeta(db, 'demoSeeded', true);
  db.close();
  localStorage.setItem('granula-settings', JSON.stringify({ state: { lang: 'en', identity: BENCH_ANNOTATOR }, version: 1 }));
  return { projectId: data.project.id, imageId: BENCH_IMAGE_ID, count: cells.count, ms: performance.now() - t0, storeMs };
}

/**
 * Reclassifies `count` outlines spread evenly over the seeded project, saved as the app saves edits
 * (writeChangesMerging, 500 a batch): each becomes a row over its pack until the app folds it.
 */
async function editSome(projectId: string, count: number): Promise<{ ms: number }> {
  const db = await openGranulaDb();
  const t0 = performance.now();
  const store = (await loadStoredProject(db, projectId))!.annotations.packed!.store;
  const step = Math.max(1, Math.floor(store.count / count));
  for (let from = 0; from < count; from += 500) {
    const batch: RecordChange[] = [];
    for (let k = from; k < Math.min(count, from + 500); k++) {
      const a = store.annotation(k * step);
      batch.push(updated('annotation', a, { ...a, classId: CELL_CLASSES.find((c) => c !== a.classId)!, updatedAt: nowIso() }));
    }
    await writeChangesMerging(db, projectId, batch);
  }
  db.close();
  return { ms: performance.now() - t0 };
}

/** How many of the project's annotations are stored as rows (not packed). */
async function annotationRows(projectId: string): Promise<number> {
  const db = await openGranulaDb();
  const rows = await db.getAllFromIndex('records', 'projectId', projectId);
  db.close();
  return rows.filter((r) => r.kind === 'annotation').length;
}

interface PanZoomOptions {
  durationMs: number;
  /** Image point zoomed into. */
  x: number;
  y: number;
  /** Screen px per image px at the deepest point (2 = 40× on this 0.5 µm/px slide). */
  maxScale: number;
}

interface FrameReport {
  frames: number[];
  /** The view's scale when each frame was measured. */
  scales: number[];
  /** Time the shape layer took to draw, per draw (ms). */
  draws: number[];
  longTasks: number[];
  /** Largest number of shapes the overlay reported drawing in one frame. */
  drawnMax: number;
}

const smooth = (u: number) => u * u * (3 - 2 * u);

/**
 * Whole slide → `maxScale` and back in `durationMs`, the view set each animation frame from the
 * clock (so a slow frame skips ahead, as a user's gesture would). Frame times are rAF deltas.
 */
async function panZoom(o: PanZoomOptions): Promise<FrameReport> {
  const h = window.granulaViewer;
  if (!h) throw new Error('no viewer');
  const vp = h.viewer.viewport;
  vp.goHome(true);
  h.viewer.forceRedraw();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const home = h.transform();
  const s0 = home.scale;
  const c0 = home.centerImage;
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  observer.observe({ type: 'longtask' });
  const frames: number[] = [];
  const scales: number[] = [];
  h.takeDrawTimes();
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="shape-layer"]');
  let drawnMax = 0;
  await new Promise<void>((done) => {
    let start = -1;
    let last = -1;
    const step = (now: number) => {
      if (start < 0) start = now;
      else {
        frames.push(now - last);
        scales.push(h.transform().scale);
      }
      last = now;
      const t = now - start;
      drawnMax = Math.max(drawnMax, Number(canvas?.dataset.drawn ?? 0));
      if (t >= o.durationMs) return done();
      const half = o.durationMs / 2;
      const u = smooth(t < half ? t / half : (o.durationMs - t) / half);
      const scale = s0 * Math.pow(o.maxScale / s0, u);
      const cx = c0.x + (o.x - c0.x) * Math.min(1, u * 1.5);
      const cy = c0.y + (o.y - c0.y) * Math.min(1, u * 1.5);
      vp.zoomTo(vp.imageToViewportZoom(scale), undefined, true);
      vp.panTo(vp.imageToViewportCoordinates(cx, cy), true);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  // Long tasks are reported a little after they end.
  await new Promise((r) => setTimeout(r, 100));
  for (const e of observer.takeRecords()) longTasks.push(e.duration);
  observer.disconnect();
  return { frames, scales, draws: h.takeDrawTimes(), longTasks, drawnMax };
}

/** Centres the view on an image point at `scale`, at once. */
async function lookAt(x: number, y: number, scale: number): Promise<void> {
  const h = window.granulaViewer!;
  const vp = h.viewer.viewport;
  vp.zoomTo(vp.imageToViewportZoom(scale), undefined, true);
  vp.panTo(vp.imageToViewportCoordinates(x, y), true);
  h.viewer.forceRedraw();
  for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
}

/** Where an image point is on the page, through the app's own transform. */
function pagePoint(x: number, y: number): { x: number; y: number } {
  const t = window.granulaViewer!.transform();
  const r = document.querySelector('[data-testid="viewer"]')!.getBoundingClientRect();
  const [cos, sin] = [Math.cos((t.rotation * Math.PI) / 180), Math.sin((t.rotation * Math.PI) / 180)];
  const dx = (x - t.centerImage.x) * t.scale, dy = (y - t.centerImage.y) * t.scale;
  return { x: r.left + t.viewportSize.width / 2 + cos * dx - sin * dy, y: r.top + t.viewportSize.height / 2 + sin * dx + cos * dy };
}

interface Watch {
  canvas: HTMLCanvasElement;
  x: number;
  y: number;
  size: number;
  before: Uint8ClampedArray;
  eventTime: number;
  result: Promise<number>;
}

const watches = new Map<string, Watch>();

function region(canvas: HTMLCanvasElement, x: number, y: number, size: number): Uint8ClampedArray {
  const r = canvas.getBoundingClientRect();
  const dpr = canvas.width / Math.max(1, canvas.clientWidth);
  const ctx = canvas.getContext('2d', { willReadFrequently: false })!;
  return ctx.getImageData(Math.round((x - r.left - size / 2) * dpr), Math.round((y - r.top - size / 2) * dpr), Math.round(size * dpr), Math.round(size * dpr)).data;
}

/**
 * Arms a watch: the next `eventType` event's time stamp starts the clock, and the clock stops after
 * the first frame in which `selector`'s canvas changed within `size` px of the page point. The check
 * runs in a task queued from requestAnimationFrame, i.e. once that frame is painted.
 */
function armPaintWatch(name: string, eventType: string, selector: string, x: number, y: number, size: number, timeoutMs = 2000): void {
  const canvas = document.querySelector<HTMLCanvasElement>(selector);
  if (!canvas) throw new Error(`no canvas ${selector}`);
  const w = { canvas, x, y, size, before: region(canvas, x, y, size), eventTime: -1 } as Watch;
  w.result = new Promise<number>((resolve) => {
    const onEvent = (e: Event) => {
      if (w.eventTime >= 0) return;
      w.eventTime = e.timeStamp;
      window.removeEventListener(eventType, onEvent, true);
      const channel = new MessageChannel();
      const check = () => {
        const now = performance.now();
        const after = region(canvas, x, y, size);
        let changed = false;
        for (let i = 0; i < after.length; i++) if (after[i] !== w.before[i]) { changed = true; break; }
        if (changed) resolve(now - w.eventTime);
        else if (now - w.eventTime > timeoutMs) resolve(-1);
        else requestAnimationFrame(() => channel.port2.postMessage(0));
      };
      channel.port1.onmessage = check;
      requestAnimationFrame(() => channel.port2.postMessage(0));
    };
    window.addEventListener(eventType, onEvent, true);
  });
  watches.set(name, w);
}

function paintWatchResult(name: string): Promise<number> {
  const w = watches.get(name);
  if (!w) throw new Error(`no watch ${name}`);
  return w.result;
}

async function heap(): Promise<{ used: number; total: number } | null> {
  const m = (performance as unknown as { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
  return m ? { used: m.usedJSHeapSize, total: m.totalJSHeapSize } : null;
}

const bench = { seed, editSome, annotationRows, panZoom, lookAt, pagePoint, armPaintWatch, paintWatchResult, heap };
export type BenchApi = typeof bench;

declare global {
  interface Window {
    __bench?: BenchApi;
  }
}

window.__bench = bench;
