import type { Geometry } from '../model/types';
import { imagePoint, imageToScreen, viewportImageBounds, type ViewTransform } from './coords';
import type { FrameView, SpatialIndex } from './spatialIndex';

export interface DrawableShape {
  id: string;
  geometry: Geometry;
  color: string;
  /** Drawn dashed (suggestions, other annotators in review). */
  dashed?: boolean;
  /** Drawn thicker with a highlight (unmatched shapes in review). */
  emphasis?: boolean;
}

export interface DrawOptions {
  devicePixelRatio: number;
  selected: ReadonlySet<string>;
  /** Screen pixels. */
  lineWidth: number;
  pointRadius: number;
  fillAlpha: number;
  /** Shapes smaller than this on screen are drawn as dots: cells at slide overview. */
  dotBelowPx: number;
  /** The text written beside a length line (its length in the image's unit); none when absent. */
  lineLabel?: (g: Geometry & { type: 'line' }) => string;
}

export const DEFAULT_DRAW: Omit<DrawOptions, 'devicePixelRatio' | 'selected'> = { lineWidth: 1.5, pointRadius: 4, fillAlpha: 0.12, dotBelowPx: 3 };

/** The affine map image → device pixels, as canvas `setTransform` arguments. */
export function deviceTransform(t: ViewTransform, dpr: number): [number, number, number, number, number, number] {
  const o = imageToScreen(t, imagePoint(0, 0));
  const ex = imageToScreen(t, imagePoint(1, 0));
  const ey = imageToScreen(t, imagePoint(0, 1));
  return [dpr * (ex.x - o.x), dpr * (ex.y - o.y), dpr * (ey.x - o.x), dpr * (ey.y - o.y), dpr * o.x, dpr * o.y];
}

function traceRing(ctx: CanvasRenderingContext2D, pts: ArrayLike<number>): void {
  if (pts.length < 4) return;
  ctx.moveTo(pts[0], pts[1]);
  for (let i = 2; i + 1 < pts.length; i += 2) ctx.lineTo(pts[i], pts[i + 1]);
  ctx.closePath();
}

function traceGeometry(ctx: CanvasRenderingContext2D, geo: Geometry): void {
  if (geo.type === 'box') ctx.rect(geo.x, geo.y, geo.w, geo.h);
  else if (geo.type === 'line') {
    // Open: no area to fill, only the stroke.
    ctx.moveTo(geo.points[0], geo.points[1]);
    ctx.lineTo(geo.points[2], geo.points[3]);
  }
  else if (geo.type === 'polygon') {
    traceRing(ctx, geo.points);
    for (const h of geo.holes ?? []) traceRing(ctx, h);
  }
}

function extent(g: Geometry): number {
  switch (g.type) {
    case 'box':
      return Math.max(Math.abs(g.w), Math.abs(g.h));
    case 'point':
      return 0;
    case 'line':
    case 'polygon': {
      const p = g.points;
      let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
      for (let i = 0; i + 1 < p.length; i += 2) {
        if (p[i] < minX) minX = p[i];
        if (p[i] > maxX) maxX = p[i];
        if (p[i + 1] < minY) minY = p[i + 1];
        if (p[i + 1] > maxY) maxY = p[i + 1];
      }
      return Math.max(maxX - minX, maxY - minY);
    }
  }
}

/** A representative point: where a shape too small to outline is drawn as a dot. */
function anchor(geo: Geometry): [number, number] {
  return geo.type === 'point' ? [geo.x, geo.y] : geo.type === 'box' ? [geo.x + geo.w / 2, geo.y + geo.h / 2] : [geo.points[0], geo.points[1]];
}

/**
 * Each line's label (its length) beside its second end, in screen pixels whatever the zoom, light
 * text on a dark rim so it reads on bone and on air. The canvas is in image space on entry and left so.
 */
function labelLines(ctx: CanvasRenderingContext2D, lines: readonly (Geometry & { type: 'line' })[], label: (g: Geometry & { type: 'line' }) => string, dpr: number, color: string): void {
  if (!lines.length) return;
  const m = ctx.getTransform();
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.setLineDash([]);
  ctx.font = `${13 * dpr}px sans-serif`;
  ctx.textBaseline = 'bottom';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3 * dpr;
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.85)';
  ctx.fillStyle = color;
  for (const g of lines) {
    const x = m.a * g.points[2] + m.c * g.points[3] + m.e + 6 * dpr;
    const y = m.b * g.points[2] + m.d * g.points[3] + m.f - 4 * dpr;
    const text = label(g);
    ctx.strokeText(text, x, y);
    ctx.fillText(text, x, y);
  }
  ctx.restore();
}

/**
 * Draws every shape in one batched pass per colour and style: one path, one stroke, one fill.
 * The canvas transform maps image pixels to device pixels, so shapes are never re-projected.
 * (The general form for a short list of shapes; the annotate view draws from its index with
 * ShapeLayerRenderer.)
 */
export function drawShapes(ctx: CanvasRenderingContext2D, t: ViewTransform, shapes: Iterable<DrawableShape>, o: DrawOptions): number {
  const width = ctx.canvas.width, height = ctx.canvas.height;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const groups = new Map<string, { color: string; dashed: boolean; emphasis: boolean; selected: boolean; items: DrawableShape[] }>();
  let count = 0;
  for (const s of shapes) {
    const selected = o.selected.has(s.id);
    const key = `${s.color}|${s.dashed ? 1 : 0}|${s.emphasis ? 1 : 0}|${selected ? 1 : 0}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { color: s.color, dashed: !!s.dashed, emphasis: !!s.emphasis, selected, items: [] }));
    g.items.push(s);
    count++;
  }
  const m = deviceTransform(t, o.devicePixelRatio);
  ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
  for (const g of groups.values()) {
    const dots: Geometry[] = [];
    const outlines: Geometry[] = [];
    for (const s of g.items) {
      if (s.geometry.type === 'point' || extent(s.geometry) * t.scale < o.dotBelowPx) dots.push(s.geometry);
      else outlines.push(s.geometry);
    }
    strokeGroup(ctx, t, o, g, outlines, dots.length > 2000 ? 1.5 : o.pointRadius, dots);
  }
  ctx.setLineDash([]);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return count;
}

interface GroupStyle {
  color: string;
  dashed: boolean;
  emphasis: boolean;
  selected: boolean;
}

/** One style's outlines (one path: fill, then stroke) and dots, with the canvas in image space. */
function strokeGroup(ctx: CanvasRenderingContext2D, t: ViewTransform, o: Omit<DrawOptions, 'selected'>, g: GroupStyle, outlines: readonly Geometry[], dotRadiusPx: number, dots: readonly Geometry[]): void {
  const unit = 1 / t.scale;
  const lw = (g.selected ? o.lineWidth * 2 : g.emphasis ? o.lineWidth * 2.5 : o.lineWidth) * unit;
  if (outlines.length) {
    ctx.beginPath();
    for (const geo of outlines) traceGeometry(ctx, geo);
    ctx.globalAlpha = g.selected ? o.fillAlpha * 2.5 : o.fillAlpha;
    ctx.fillStyle = g.color;
    ctx.fill('evenodd');
    ctx.globalAlpha = 1;
    ctx.strokeStyle = g.selected ? '#ffffff' : g.color;
    ctx.lineWidth = lw;
    ctx.setLineDash(g.dashed ? [6 * unit, 4 * unit] : []);
    ctx.stroke();
    if (g.selected) {
      ctx.strokeStyle = g.color;
      ctx.lineWidth = lw / 2;
      ctx.stroke();
    }
    if (o.lineLabel) labelLines(ctx, outlines.filter((x) => x.type === 'line'), o.lineLabel, o.devicePixelRatio, g.color);
  }
  if (dots.length) {
    ctx.beginPath();
    const r = dotRadiusPx * unit;
    for (const geo of dots) {
      const [cx, cy] = anchor(geo);
      ctx.moveTo(cx + r, cy);
      ctx.arc(cx, cy, r, 0, Math.PI * 2);
    }
    ctx.fillStyle = g.color;
    ctx.fill();
    if (g.selected) {
      ctx.strokeStyle = '#ffffff';
      ctx.setLineDash([]);
      ctx.lineWidth = lw;
      ctx.stroke();
    }
  }
}

export interface ShapeStyle {
  color: string;
  /** Drawn dashed (suggestions, other annotators in review). */
  dashed?: boolean;
  /** Drawn thicker (unmatched shapes in review). */
  emphasis?: boolean;
}

export interface LayerOptions extends DrawOptions {
  /** The style of a shape, by the tag it carries in the index. */
  style: (tag: number) => ShapeStyle;
  /** Not drawn at all: the shape whose preview is being dragged. */
  hidden?: string | null;
  /**
   * Level of detail: up to this many shapes in view, each is outlined (dots below `dotBelowPx`).
   * Past it, shapes smaller than `outlineAbovePx` on screen are painted straight into pixels, as
   * a dot or a small ring, which costs a few nanoseconds each instead of a path.
   */
  maxOutlines: number;
  /** Screen pixels; see maxOutlines. */
  outlineAbovePx: number;
  /** For tests: receives the id of every shape drawn, whichever way. */
  collect?: (id: string) => void;
  /**
   * Zoomed far out (a whole slide), paint the small shapes once into an overview bitmap of the whole
   * index and only scale it each frame: a million dots per frame is more than a frame allows.
   * Default true.
   */
  overview?: boolean;
}

export const DEFAULT_LAYER = { maxOutlines: 400, outlineAbovePx: 24 };

export interface LayerStats {
  /** Shapes in view, drawn one way or another (from the overview bitmap: every shape in it). */
  shapes: number;
  outlines: number;
  /** Painted as pixels (dots and rings). */
  pixels: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** '#rgb' or '#rrggbb' as [r, g, b]; anything else is grey. */
export function parseHexColor(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return [136, 136, 136];
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

function packRgba(r: number, g: number, b: number, a: number): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/** The overview bitmap at one scale: every small shape of the index painted once. */
interface Overview {
  index: SpatialIndex;
  /** What it was painted from: index version, hidden shape, colours, pixel ratio. */
  key: string;
  /** Bitmap pixels per image pixel, and the image point at its top-left pixel. */
  level: number;
  x0: number;
  y0: number;
  /** The image rect it covers (every shape meeting it is in the bitmap or in `big`). */
  region: { minX: number; minY: number; maxX: number; maxY: number };
  /** It covers every shape of the index. */
  complete: boolean;
  canvas: HTMLCanvasElement | OffscreenCanvas;
  /** Refs of shapes too big to paint in: drawn each frame. */
  big: number[];
  /** Tags painted, and their colours then (a schema colour change repaints). */
  tags: number[];
  colors: string;
  count: number;
}

/** Overview bitmaps are kept to this many pixels a side and in all (a few tens of MB at most). */
const OVERVIEW_MAX_SIDE = 4096;
const OVERVIEW_MAX_PIXELS = 4_000_000;

/** Makes the overview's bitmap; tests pass a fake. */
export type CanvasFactory = (w: number, h: number) => HTMLCanvasElement | OffscreenCanvas | null;

function makeCanvas(w: number, h: number): HTMLCanvasElement | OffscreenCanvas | null {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  if (typeof document === 'undefined') return null;
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

interface TagPaint {
  style: ShapeStyle;
  /** Packed pixels: a dot, a ring's rim and its faint inside. */
  dot: number;
  rim: number;
  fill: number;
}

/**
 * Draws the shapes of a SpatialIndex that are in view onto a canvas, once per frame, without
 * allocating per shape. Few shapes in view: every one is outlined (one path per style). Many
 * (a slide at low zoom): those small on screen are written straight into an ImageData as dots or
 * rings and the rest outlined on top — the level of detail that keeps a million cells smooth.
 * Every shape whose bounds meet the view is drawn one way or the other; selected shapes are always
 * outlined, on top; the hidden one (being dragged) is skipped.
 */
export class ShapeLayerRenderer {
  private image: ImageData | null = null;
  private pixels = new Uint32Array(0);
  private marks = new Uint8Array(0);
  private paints = new Map<number, TagPaint>();
  private overviews = new Map<number, Overview>();
  /**
   * Per index version: bounds of everything, and a coarse grid counting shapes (by centre) per
   * cell, to tell from the view alone whether it holds few shapes or very many.
   */
  private extent: { index: SpatialIndex; version: number; minX: number; minY: number; maxX: number; maxY: number; grid: Uint32Array; cols: number; rows: number } | null = null;

  constructor(private readonly createCanvas: CanvasFactory = makeCanvas) {}

  draw(ctx: CanvasRenderingContext2D, t: ViewTransform, index: SpatialIndex, o: LayerOptions): LayerStats {
    const W = ctx.canvas.width, H = ctx.canvas.height;
    const dpr = o.devicePixelRatio;
    const sd = t.scale * dpr;
    // Styles are asked once per tag per frame (a schema's colours may have changed since).
    this.paints.clear();
    const paintByTag: (TagPaint | undefined)[] = [];
    index.settle();
    if (o.overview !== false && index.size > o.maxOutlines && sd > 0 && this.estimateInView(index, viewportImageBounds(t)) > 4 * o.maxOutlines) {
      const stats = this.drawOverview(ctx, t, index, o);
      if (stats) return stats;
    }

    const fv = index.frameView();
    const total = fv.treeCount + fv.overlayTags.length;
    if (this.marks.length < total) this.marks = new Uint8Array(Math.max(total, this.marks.length * 2));
    const marks = this.marks;
    // 1: selected, 2: hidden. Cleared again at the end.
    const markedRefs: number[] = [];
    for (const id of o.selected) {
      const r = index.refOf(id);
      if (r >= 0) {
        marks[r] |= 1;
        markedRefs.push(r);
      }
    }
    if (o.hidden) {
      const r = index.refOf(o.hidden);
      if (r >= 0) {
        marks[r] |= 2;
        markedRefs.push(r);
      }
    }
    const anyMarked = markedRefs.length > 0;

    // Everything whose bounds meet the view, with a margin for line widths and dot sizes. Whether
    // there are many (level of detail) comes from the count grid, so one pass draws.
    const view = viewportImageBounds(t, Math.max(16, o.pointRadius + o.lineWidth * 3));
    const lod = index.size > o.maxOutlines && this.estimateInView(index, view) > o.maxOutlines;
    const dotBelow = o.dotBelowPx * dpr;
    const outlineAbove = o.outlineAbovePx * dpr;
    const m = deviceTransform(t, dpr);
    const [ma, mb, mc, md, me, mf] = m;
    const outlineRefs: number[] = [];
    const selectedRefs: number[] = [];
    let pixelCount = 0;
    let pixels: Uint32Array | null = null;
    const tb = fv.treeBounds, ob = fv.overlayBounds, tc = fv.treeCount, tt = fv.treeTags, ot = fv.overlayTags;
    const collect = o.collect;
    const pointRadius = (lod ? 1.5 : o.pointRadius) * dpr;
    index.visit(view, (ref) => {
      if (anyMarked) {
        const mark = marks[ref];
        if (mark) {
          if (!(mark & 2)) selectedRefs.push(ref);
          return;
        }
      }
      let minX: number, minY: number, maxX: number, maxY: number, tag: number;
      if (ref < tc) {
        const q = 4 * ref;
        minX = tb[q];
        minY = tb[q + 1];
        maxX = tb[q + 2];
        maxY = tb[q + 3];
        tag = tt[ref];
      } else {
        const q = 4 * (ref - tc);
        minX = ob[q];
        minY = ob[q + 1];
        maxX = ob[q + 2];
        maxY = ob[q + 3];
        tag = ot[ref - tc];
      }
      const w = maxX - minX, h = maxY - minY;
      const e = (w > h ? w : h) * sd;
      const isPoint = e === 0 && index.geometryOf(ref).type === 'point';
      if (!isPoint && (lod ? e >= outlineAbove : e >= dotBelow)) {
        outlineRefs.push(ref);
        return;
      }
      const fx = ma * (minX + w / 2) + mc * (minY + h / 2) + me, fy = mb * (minX + w / 2) + md * (minY + h / 2) + mf;
      // The search box of a rotated view holds corners that are off screen: skip what cannot show.
      const reach = e * 0.75 + 2;
      if (fx < -reach || fy < -reach || fx > W + reach || fy > H + reach) return;
      pixels ??= this.pixelBuffer(ctx, W, H);
      const p = paintByTag[tag] ?? (paintByTag[tag] = this.paintOf(tag, o));
      // Clamped into the canvas: a shape whose edge reaches into view shows at the edge.
      const px = fx < 0 ? 0 : fx >= W ? W - 1 : fx | 0;
      const py = fy < 0 ? 0 : fy >= H ? H - 1 : fy | 0;
      if (isPoint) paintDisc(pixels, W, H, px, py, pointRadius, p.dot, p.dot);
      else if (e < 2.5) pixels[py * W + px] = p.dot;
      else paintDisc(pixels, W, H, px, py, e / 2, p.rim, 0);
      pixelCount++;
      if (collect) collect(index.idOf(ref));
    });
    for (const r of markedRefs) marks[r] = 0;

    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (pixels && this.image) ctx.putImageData(this.image, 0, 0);
    else ctx.clearRect(0, 0, W, H);

    if (outlineRefs.length || selectedRefs.length) {
      ctx.setTransform(ma, mb, mc, md, me, mf);
      this.strokeRefs(ctx, t, index, o, fv, outlineRefs, false);
      this.strokeRefs(ctx, t, index, o, fv, selectedRefs, true);
      ctx.setLineDash([]);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    return { shapes: pixelCount + outlineRefs.length + selectedRefs.length, outlines: outlineRefs.length + selectedRefs.length, pixels: pixelCount };
  }

  /**
   * Draws from the overview bitmap whose scale is the nearest at or above the view's, if there is
   * one small enough to keep; null otherwise (the caller draws frame by frame).
   */
  private drawOverview(ctx: CanvasRenderingContext2D, t: ViewTransform, index: SpatialIndex, o: LayerOptions): LayerStats | null {
    const dpr = o.devicePixelRatio;
    const sd = t.scale * dpr;
    const k = Math.floor(-Math.log2(sd));
    if (k < 1) return null;
    const view = viewportImageBounds(t, Math.max(16, o.pointRadius + o.lineWidth * 3));
    const ov = this.overviewAt(index, o, k, view);
    if (!ov) return null;
    const W = ctx.canvas.width, H = ctx.canvas.height;
    const fv = index.frameView();
    const m = deviceTransform(t, dpr);
    const [ma, mb, mc, md, me, mf] = m;
    const outlineAbove = o.outlineAbovePx * dpr;
    const selected = new Set<number>();
    for (const id of o.selected) {
      const r = index.refOf(id);
      if (r >= 0) selected.add(r);
    }
    // Shapes too big for the bitmap: outlines when big on screen now, else pixels like the rest.
    const outlineRefs: number[] = [];
    let pixels: Uint32Array | null = null;
    const paintByTag: (TagPaint | undefined)[] = [];
    for (const ref of ov.big) {
      const b = refBounds(fv, ref);
      if (b[2] < view.minX || b[0] > view.maxX || b[3] < view.minY || b[1] > view.maxY || selected.has(ref)) continue;
      const e = Math.max(b[2] - b[0], b[3] - b[1]) * sd;
      if (e >= outlineAbove) {
        outlineRefs.push(ref);
        continue;
      }
      const cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
      const px = Math.min(W - 1, Math.max(0, Math.floor(ma * cx + mc * cy + me)));
      const py = Math.min(H - 1, Math.max(0, Math.floor(mb * cx + md * cy + mf)));
      pixels ??= this.pixelBuffer(ctx, W, H);
      const tag = refTag(fv, ref);
      const p = paintByTag[tag] ?? (paintByTag[tag] = this.paintOf(tag, o));
      paintDisc(pixels, W, H, px, py, Math.max(1, e / 2), p.rim, 0);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (pixels && this.image) ctx.putImageData(this.image, 0, 0);
    else ctx.clearRect(0, 0, W, H);
    const l = ov.level;
    ctx.setTransform(ma / l, mb / l, mc / l, md / l, ma * ov.x0 + mc * ov.y0 + me, mb * ov.x0 + md * ov.y0 + mf);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(ov.canvas, 0, 0);
    if (outlineRefs.length || selected.size) {
      ctx.setTransform(ma, mb, mc, md, me, mf);
      this.strokeRefs(ctx, t, index, o, fv, outlineRefs, false);
      this.strokeRefs(ctx, t, index, o, fv, [...selected], true);
      ctx.setLineDash([]);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (o.collect) {
      const hidden = o.hidden ? index.refOf(o.hidden) : -1;
      index.visit(view, (ref) => {
        if (ref !== hidden) o.collect!(index.idOf(ref));
      });
    }
    return { shapes: ov.count, outlines: outlineRefs.length + selected.size, pixels: ov.count - outlineRefs.length };
  }

  /** Bounds and the count grid for the index as it is now. */
  private extentOf(index: SpatialIndex): NonNullable<ShapeLayerRenderer['extent']> {
    if (this.extent && this.extent.index === index && this.extent.version === index.version) return this.extent;
    const fv = index.frameView();
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const each = (fn: (src: ArrayLike<number>, q: number) => void) => {
      for (let i = 0; i < fv.treeCount; i++) if (!fv.stale[i]) fn(fv.treeBounds, 4 * i);
      for (let i = 0; i < fv.overlayTags.length; i++) fn(fv.overlayBounds, 4 * i);
    };
    each((src, q) => {
      if (src[q] < minX) minX = src[q];
      if (src[q + 1] < minY) minY = src[q + 1];
      if (src[q + 2] > maxX) maxX = src[q + 2];
      if (src[q + 3] > maxY) maxY = src[q + 3];
    });
    const cols = 128, rows = 128;
    const grid = new Uint32Array(cols * rows);
    if (maxX >= minX) {
      const fx = cols / Math.max(1e-9, maxX - minX), fy = rows / Math.max(1e-9, maxY - minY);
      each((src, q) => {
        const c = Math.min(cols - 1, Math.floor(((src[q] + src[q + 2]) / 2 - minX) * fx));
        const r = Math.min(rows - 1, Math.floor(((src[q + 1] + src[q + 3]) / 2 - minY) * fy));
        grid[r * cols + c]++;
      });
    }
    return (this.extent = { index, version: index.version, minX, minY, maxX, maxY, grid, cols, rows });
  }

  /** About how many shapes the view holds (an over-estimate at its edges), from the count grid. */
  private estimateInView(index: SpatialIndex, v: { minX: number; minY: number; maxX: number; maxY: number }): number {
    const e = this.extentOf(index);
    if (!(e.maxX >= e.minX)) return 0;
    const fx = e.cols / Math.max(1e-9, e.maxX - e.minX), fy = e.rows / Math.max(1e-9, e.maxY - e.minY);
    const c0 = Math.max(0, Math.floor((v.minX - e.minX) * fx)), c1 = Math.min(e.cols - 1, Math.floor((v.maxX - e.minX) * fx));
    const r0 = Math.max(0, Math.floor((v.minY - e.minY) * fy)), r1 = Math.min(e.rows - 1, Math.floor((v.maxY - e.minY) * fy));
    let n = 0;
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) n += e.grid[r * e.cols + c];
    return n;
  }

  /**
   * The overview bitmap at 2^-k bitmap pixels per image pixel, covering everything in the index:
   * kept while nothing changed; null when it would be too big (zoomed in: frames are drawn one by
   * one then, with fewer shapes in view).
   */
  private overviewAt(index: SpatialIndex, o: LayerOptions, k: number, view: { minX: number; minY: number; maxX: number; maxY: number }): Overview | null {
    const level = 2 ** -k;
    const hidden = o.hidden ? index.refOf(o.hidden) : -1;
    const prior = this.overviews.get(k);
    const keyOf = (colors: string) => `${index.version}|${hidden}|${o.devicePixelRatio}|${colors}`;
    const colorsOf = (tags: number[]) => tags.map((tag) => this.paintOf(tag, o).style.color + (this.paintOf(tag, o).style.dashed ? '-' : '')).join(',');
    if (prior && prior.index === index && prior.key === keyOf(colorsOf(prior.tags))) {
      const r = prior.region;
      // One covering every shape serves any view; one around an earlier view, views inside it.
      if (prior.complete || (r.minX <= view.minX && r.minY <= view.minY && r.maxX >= view.maxX && r.maxY >= view.maxY)) {
        this.overviews.delete(k);
        this.overviews.set(k, prior);
        return prior;
      }
    }
    const e = this.extentOf(index);
    if (!(e.maxX >= e.minX)) return null;
    // The view with half of it again on every side, or everything when that fits.
    const fits = (r: { minX: number; minY: number; maxX: number; maxY: number }) => {
      const w = (r.maxX - r.minX) * level + 32, h = (r.maxY - r.minY) * level + 32;
      return w <= OVERVIEW_MAX_SIDE && h <= OVERVIEW_MAX_SIDE && w * h <= OVERVIEW_MAX_PIXELS;
    };
    // All of the index, or nothing: a bitmap for the view and a margin (tried) must be painted
    // again at every level change, and those frames cost more (in pixels) than drawing the frames
    // one by one does.
    const region = { minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY };
    const complete = fits(region);
    if (!complete) return null;
    // A margin of a few bitmap pixels keeps discs at the edge whole.
    const pad = 16 / level;
    const x0 = region.minX - pad, y0 = region.minY - pad;
    const w = Math.ceil((region.maxX - x0 + pad) * level) + 1;
    const h = Math.ceil((region.maxY - y0 + pad) * level) + 1;
    const canvas = this.createCanvas(w, h);
    const c2 = canvas?.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;
    if (!canvas || !c2) return null;
    const img = c2.createImageData(w, h);
    const px = new Uint32Array(img.data.buffer);
    const outlineAbove = o.outlineAbovePx * o.devicePixelRatio;
    const big: number[] = [];
    const tags: number[] = [];
    const paintByTag: (TagPaint | undefined)[] = [];
    const fv = index.frameView();
    const tc = fv.treeCount;
    let count = 0;
    index.visit(region, (ref) => {
      if (ref === hidden) return;
      count++;
      const src = ref < tc ? fv.treeBounds : fv.overlayBounds;
      const q = 4 * (ref < tc ? ref : ref - tc);
      const bx0 = src[q], by0 = src[q + 1], bx1 = src[q + 2], by1 = src[q + 3];
      const e = Math.max(bx1 - bx0, by1 - by0) * level;
      if (e >= outlineAbove) {
        big.push(ref);
        return;
      }
      const tag = ref < tc ? fv.treeTags[ref] : fv.overlayTags[ref - tc];
      let p = paintByTag[tag];
      if (!p) {
        p = paintByTag[tag] = this.paintOf(tag, o);
        tags.push(tag);
      }
      const cx = Math.min(w - 1, Math.max(0, Math.floor(((bx0 + bx1) / 2 - x0) * level)));
      const cy = Math.min(h - 1, Math.max(0, Math.floor(((by0 + by1) / 2 - y0) * level)));
      if (e === 0 && index.geometryOf(ref).type === 'point') paintDisc(px, w, h, cx, cy, 1.5 * o.devicePixelRatio, p.dot, p.dot);
      else if (e < 2.5) px[cy * w + cx] = p.dot;
      else paintDisc(px, w, h, cx, cy, e / 2, p.rim, 0);
    });
    c2.putImageData(img, 0, 0);
    const ov: Overview = { index, key: keyOf(colorsOf(tags)), level, x0, y0, region, complete, canvas, big, tags, colors: colorsOf(tags), count };
    this.overviews.delete(k);
    this.overviews.set(k, ov);
    // A few levels are kept (zooming back and forth); the least recently used goes.
    while (this.overviews.size > 3) this.overviews.delete(this.overviews.keys().next().value!);
    return ov;
  }

  private strokeRefs(ctx: CanvasRenderingContext2D, t: ViewTransform, index: SpatialIndex, o: LayerOptions, fv: FrameView, refs: readonly number[], selected: boolean): void {
    if (!refs.length) return;
    const byTag = new Map<number, number[]>();
    for (const ref of refs) {
      const tag = ref < fv.treeCount ? fv.treeTags[ref] : fv.overlayTags[ref - fv.treeCount];
      let list = byTag.get(tag);
      if (!list) byTag.set(tag, (list = []));
      list.push(ref);
    }
    const dotBelow = o.dotBelowPx / t.scale;
    for (const [tag, list] of byTag) {
      const style = this.paintOf(tag, o).style;
      const outlines: Geometry[] = [];
      const dots: Geometry[] = [];
      for (const ref of list) {
        const g = index.geometryOf(ref);
        if (o.collect) o.collect(index.idOf(ref));
        if (g.type === 'point' || extent(g) < dotBelow) dots.push(g);
        else outlines.push(g);
      }
      strokeGroup(ctx, t, o, { color: style.color, dashed: !!style.dashed, emphasis: !!style.emphasis, selected }, outlines, o.pointRadius, dots);
    }
  }

  private paintOf(tag: number, o: LayerOptions): TagPaint {
    let p = this.paints.get(tag);
    if (!p) {
      const style = o.style(tag);
      const [r, g, b] = parseHexColor(style.color);
      p = { style, dot: packRgba(r, g, b, 200), rim: packRgba(r, g, b, 230), fill: packRgba(r, g, b, Math.round(255 * o.fillAlpha)) };
      this.paints.set(tag, p);
    }
    return p;
  }

  private pixelBuffer(ctx: CanvasRenderingContext2D, W: number, H: number): Uint32Array {
    if (!this.image || this.image.width !== W || this.image.height !== H) {
      this.image = ctx.createImageData(W, H);
      this.pixels = new Uint32Array(this.image.data.buffer);
    } else this.pixels.fill(0);
    return this.pixels;
  }
}

const boundsScratch = new Float64Array(4);

/** A ref's bounds (minX, minY, maxX, maxY) in a scratch array: valid until the next call. */
function refBounds(fv: FrameView, ref: number): Float64Array {
  const src = ref < fv.treeCount ? fv.treeBounds : fv.overlayBounds;
  const k = 4 * (ref < fv.treeCount ? ref : ref - fv.treeCount);
  boundsScratch[0] = src[k];
  boundsScratch[1] = src[k + 1];
  boundsScratch[2] = src[k + 2];
  boundsScratch[3] = src[k + 3];
  return boundsScratch;
}

function refTag(fv: FrameView, ref: number): number {
  return ref < fv.treeCount ? fv.treeTags[ref] : fv.overlayTags[ref - fv.treeCount];
}

/**
 * A ring of radius r (device px) at (cx, cy): `rim` on its outer pixel ring, `fill` inside. Discs
 * of a few pixels are filled; bigger ones get their rim only when `fill` is 0 (one pixel row each
 * side per scanline instead of the whole area).
 */
function paintDisc(px: Uint32Array, W: number, H: number, cx: number, cy: number, r: number, rim: number, fill: number): void {
  const R = Math.ceil(r);
  const outer = r * r;
  const innerR = Math.max(0, r - 1.2);
  const inner = innerR * innerR;
  const y0 = Math.max(0, cy - R), y1 = Math.min(H - 1, cy + R);
  for (let y = y0; y <= y1; y++) {
    const dy = y - cy;
    const d2 = dy * dy;
    if (d2 > outer) continue;
    const xo = Math.floor(Math.sqrt(outer - d2));
    const xi = d2 < inner ? Math.ceil(Math.sqrt(inner - d2)) : 0;
    const row = y * W;
    // Rim: from the inner edge to the outer edge, both sides.
    const a0 = Math.max(0, cx - xo), a1 = Math.min(W - 1, cx - xi);
    for (let x = a0; x <= a1; x++) px[row + x] = rim;
    const b0 = Math.max(0, cx + xi), b1 = Math.min(W - 1, cx + xo);
    for (let x = b0; x <= b1; x++) px[row + x] = rim;
    if (fill && xi > 1) {
      const f0 = Math.max(0, cx - xi + 1), f1 = Math.min(W - 1, cx + xi - 1);
      for (let x = f0; x <= f1; x++) px[row + x] = fill;
    }
  }
}
