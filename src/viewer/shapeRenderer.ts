import type { Geometry } from '../model/types';
import { imagePoint, imageToScreen, type ViewTransform } from './coords';

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

function extent(g: Geometry): number {
  switch (g.type) {
    case 'box':
      return Math.max(Math.abs(g.w), Math.abs(g.h));
    case 'point':
      return 0;
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

/**
 * Draws every shape in one batched pass per colour and style: one path, one stroke, one fill.
 * The canvas transform maps image pixels to device pixels, so shapes are never re-projected.
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
  const unit = 1 / t.scale;
  ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
  for (const g of groups.values()) {
    const lw = (g.selected ? o.lineWidth * 2 : g.emphasis ? o.lineWidth * 2.5 : o.lineWidth) * unit;
    ctx.beginPath();
    const dots: DrawableShape[] = [];
    for (const s of g.items) {
      const geo = s.geometry;
      if (geo.type === 'point' || extent(geo) * t.scale < o.dotBelowPx) {
        dots.push(s);
        continue;
      }
      if (geo.type === 'box') ctx.rect(geo.x, geo.y, geo.w, geo.h);
      else {
        traceRing(ctx, geo.points);
        for (const h of geo.holes ?? []) traceRing(ctx, h);
      }
    }
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
    if (dots.length) {
      ctx.beginPath();
      const r = (dots.length > 2000 ? 1.5 : o.pointRadius) * unit;
      for (const s of dots) {
        const geo = s.geometry;
        const [cx, cy] = geo.type === 'point' ? [geo.x, geo.y] : geo.type === 'box' ? [geo.x + geo.w / 2, geo.y + geo.h / 2] : [geo.points[0], geo.points[1]];
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
  ctx.setLineDash([]);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return count;
}
