import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geometryBounds } from '../model/geometry';
import type { Geometry } from '../model/types';
import { imagePoint, imageToScreen, screenPoint, screenToImage, viewportImageBounds, type ViewTransform } from './coords';
import { DEFAULT_DRAW, ShapeLayerRenderer, type LayerOptions } from './shapeRenderer';
import { SpatialIndex } from './spatialIndex';

/** Just enough of a 2D context: records path calls and keeps what putImageData was given. */
function fakeContext(width: number, height: number) {
  const calls: string[] = [];
  let put: Uint8ClampedArray | null = null;
  const noop = () => {};
  let m = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };
  const ctx = {
    canvas: { width, height },
    globalAlpha: 1,
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    setTransform: (a: number, b: number, c: number, d: number, e: number, f: number) => {
      m = { a, b, c, d, e, f };
    },
    clearRect: () => {
      put = null;
    },
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    putImageData: (img: { data: Uint8ClampedArray }) => {
      put = img.data.slice();
    },
    beginPath: () => calls.push('beginPath'),
    save: noop,
    restore: noop,
    getTransform: () => m,
    strokeText: noop,
    fillText: (text: string, x: number, y: number) => calls.push(`fillText ${text} ${x} ${y}`),
    moveTo: noop,
    lineTo: noop,
    closePath: noop,
    rect: noop,
    arc: noop,
    fill: () => calls.push('fill'),
    stroke: () => calls.push('stroke'),
    setLineDash: noop,
    drawImage: () => calls.push('drawImage'),
    imageSmoothingEnabled: true,
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls, pixels: () => put };
}

/** A canvas factory for the overview bitmap that keeps what was painted into it. */
function fakeCanvases() {
  const made: { width: number; height: number; pixels: () => Uint8ClampedArray | null }[] = [];
  const factory = (w: number, h: number) => {
    const c = fakeContext(w, h);
    made.push({ width: w, height: h, pixels: c.pixels });
    return { width: w, height: h, getContext: () => c.ctx } as unknown as OffscreenCanvas;
  };
  return { factory, made };
}

function options(o: Partial<LayerOptions> = {}): LayerOptions {
  return { ...DEFAULT_DRAW, devicePixelRatio: 1, selected: new Set(), style: () => ({ color: '#d62728' }), maxOutlines: 50, outlineAbovePx: 24, ...o };
}

/** Does the shape's bounding box meet the viewport (a rotated rectangle in image space)? Separating axes; touching counts. */
function meets(g: Geometry, t: ViewTransform): boolean {
  const b = geometryBounds(g);
  const { width, height } = t.viewportSize;
  const view = [screenPoint(0, 0), screenPoint(width, 0), screenPoint(width, height), screenPoint(0, height)].map((p) => screenToImage(t, p));
  const box = [imagePoint(b.minX, b.minY), imagePoint(b.maxX, b.minY), imagePoint(b.maxX, b.maxY), imagePoint(b.minX, b.maxY)];
  const axes = [[1, 0], [0, 1], [view[1].x - view[0].x, view[1].y - view[0].y], [view[3].x - view[0].x, view[3].y - view[0].y]];
  for (const [ax, ay] of axes) {
    const project = (pts: { x: number; y: number }[]) => pts.map((p) => p.x * ax + p.y * ay);
    const pv = project(view), pb = project(box);
    const eps = 1e-6 * (Math.abs(ax) + Math.abs(ay)) * 1e4;
    if (Math.max(...pb) < Math.min(...pv) - eps || Math.min(...pb) > Math.max(...pv) + eps) return false;
  }
  return true;
}

const coord = fc.integer({ min: -5000, max: 5000 });
const geometryArb: fc.Arbitrary<Geometry> = fc.oneof(
  fc.record({ type: fc.constant('box' as const), x: coord, y: coord, w: fc.integer({ min: 0, max: 800 }), h: fc.integer({ min: 0, max: 800 }) }),
  fc.record({ type: fc.constant('point' as const), x: coord, y: coord }),
  fc.tuple(coord, coord, coord, coord).map(([x0, y0, x1, y1]) => ({ type: 'line' as const, points: [x0, y0, x1, y1] })),
  fc
    .tuple(coord, coord, fc.integer({ min: 1, max: 60 }))
    .map(([cx, cy, r]) => ({ type: 'polygon' as const, points: [cx - r, cy, cx, cy - r, cx + r, cy, cx, cy + r] })),
);
const viewArb: fc.Arbitrary<ViewTransform> = fc.record({
  centerImage: fc.record({ x: coord, y: coord }).map(({ x, y }) => imagePoint(x, y)),
  scale: fc.constantFrom(0.005, 0.02, 0.1, 0.5, 1, 4),
  rotation: fc.constantFrom(0, 90, 180, 270, 33),
  flip: fc.boolean(),
  viewportSize: fc.constant({ width: 320, height: 200 }),
});

describe('ShapeLayerRenderer', () => {
  it('draws every shape whose bounds meet the view, as an outline or as pixels, at any zoom and rotation', () => {
    fc.assert(
      fc.property(fc.array(geometryArb, { minLength: 1, maxLength: 150 }), viewArb, fc.integer({ min: 0, max: 200 }), (geometries, t, maxOutlines) => {
        const index = new SpatialIndex(geometries.map((geometry, i) => ({ id: `s${i}`, geometry, tag: i % 3 })));
        const drawn = new Set<string>();
        const { ctx } = fakeContext(320, 200);
        const stats = new ShapeLayerRenderer().draw(ctx, t, index, options({ maxOutlines, collect: (id) => drawn.add(id) }));
        geometries.forEach((g, i) => {
          if (meets(g, t)) expect(drawn.has(`s${i}`)).toBe(true);
        });
        expect(stats.shapes).toBe(drawn.size);
      }),
      { seed: 20251126, numRuns: 300 },
    );
  });

  it('paints a tiny shape reaching into view from outside at the canvas edge (never culled away)', () => {
    // A 2 px cell whose centre lies just left of the view; only its right edge is in view.
    const t: ViewTransform = { centerImage: imagePoint(500, 500), scale: 0.1, rotation: 0, viewportSize: { width: 100, height: 100 } };
    const left = viewportImageBounds(t).minX;
    const index = new SpatialIndex([{ id: 'cell', geometry: { type: 'polygon', points: [left - 15, 500, left + 1, 500, left + 1, 501] } }]);
    const { ctx, pixels } = fakeContext(100, 100);
    new ShapeLayerRenderer().draw(ctx, t, index, options());
    const px = pixels()!;
    expect(px).not.toBeNull();
    // Row 50, column 0: the dot, clamped onto the canvas.
    expect(px[(50 * 100 + 0) * 4 + 3]).toBeGreaterThan(0);
  });

  it('outlines everything when few shapes are in view, and paints small ones as pixels when many are', () => {
    const cells = Array.from({ length: 400 }, (_, i) => ({ id: `c${i}`, geometry: { type: 'polygon' as const, points: [i * 30, 0, i * 30 + 20, 0, i * 30 + 20, 20, i * 30, 20] } }));
    const region = { id: 'region', geometry: { type: 'polygon' as const, points: [0, -100, 12000, -100, 12000, 400, 0, 400] } };
    const index = new SpatialIndex([...cells, region]);
    const zoomedIn: ViewTransform = { centerImage: imagePoint(100, 10), scale: 2, rotation: 0, viewportSize: { width: 400, height: 300 } };
    const a = new ShapeLayerRenderer().draw(fakeContext(400, 300).ctx, zoomedIn, index, options({ maxOutlines: 100 }));
    expect(a.pixels).toBe(0);
    expect(a.outlines).toBe(a.shapes);
    const overview: ViewTransform = { centerImage: imagePoint(6000, 150), scale: 0.03, rotation: 0, viewportSize: { width: 400, height: 300 } };
    const b = new ShapeLayerRenderer().draw(fakeContext(400, 300).ctx, overview, index, options({ maxOutlines: 100 }));
    expect(b.shapes).toBe(401);
    // The region is big on screen and stays an outline; the cells (0.6 px) become pixels.
    expect(b.outlines).toBe(1);
    expect(b.pixels).toBe(400);
  });

  it('writes each length line\'s label beside its second end, in screen pixels, whatever the zoom', () => {
    const index = new SpatialIndex([
      { id: 'ruler', geometry: { type: 'line', points: [10, 10, 50, 10] } },
      { id: 'cell', geometry: { type: 'polygon', points: [0, 20, 30, 20, 30, 40] } },
    ]);
    const t: ViewTransform = { centerImage: imagePoint(30, 20), scale: 2, rotation: 0, viewportSize: { width: 200, height: 200 } };
    const { ctx, calls } = fakeContext(200, 200);
    new ShapeLayerRenderer().draw(ctx, t, index, options({ lineLabel: (g) => `${g.points[2] - g.points[0]} px` }));
    const end = imageToScreen(t, imagePoint(50, 10));
    // One label, for the line only: 6 px right of its end and 4 px above.
    expect(calls.filter((c) => c.startsWith('fillText'))).toEqual([`fillText 40 px ${end.x + 6} ${end.y - 4}`]);
  });

  it('skips the hidden shape and outlines selected ones on top, however small', () => {
    const index = new SpatialIndex([
      { id: 'a', geometry: { type: 'polygon', points: [0, 0, 10, 0, 10, 10] } },
      { id: 'b', geometry: { type: 'polygon', points: [20, 0, 30, 0, 30, 10] } },
      { id: 'c', geometry: { type: 'polygon', points: [40, 0, 50, 0, 50, 10] } },
    ]);
    const t: ViewTransform = { centerImage: imagePoint(25, 5), scale: 0.05, rotation: 0, viewportSize: { width: 200, height: 200 } };
    const drawn: string[] = [];
    const stats = new ShapeLayerRenderer().draw(fakeContext(200, 200).ctx, t, index, options({ maxOutlines: 0, selected: new Set(['a']), hidden: 'b', collect: (id) => drawn.push(id) }));
    expect(drawn.sort()).toEqual(['a', 'c']);
    expect(stats.outlines).toBe(1);
    expect(stats.pixels).toBe(1);
  });
});

describe('ShapeLayerRenderer overview (a whole slide of cells, zoomed out)', () => {
  // 2 500 cells of 20 px over a 50 000 px square, seen whole: all sub-pixel on screen.
  const cells = Array.from({ length: 2500 }, (_, i) => {
    const x = (i % 50) * 1000 + 500, y = Math.floor(i / 50) * 1000 + 500;
    return { id: `c${i}`, geometry: { type: 'polygon' as const, points: [x, y, x + 20, y, x + 20, y + 20, x, y + 20] } };
  });
  const region = { id: 'region', geometry: { type: 'polygon' as const, points: [0, 0, 40000, 0, 40000, 30000] } };
  const whole: ViewTransform = { centerImage: imagePoint(25000, 25000), scale: 0.02, rotation: 0, viewportSize: { width: 1000, height: 1000 } };

  it('paints every small shape once into a bitmap of the whole index, then only scales it', () => {
    const index = new SpatialIndex([...cells, region]);
    const { factory, made } = fakeCanvases();
    const renderer = new ShapeLayerRenderer(factory);
    const { ctx, calls } = fakeContext(1000, 1000);
    const stats = renderer.draw(ctx, whole, index, options({ maxOutlines: 100, selected: new Set(['c7']) }));
    expect(made).toHaveLength(1);
    expect(calls).toContain('drawImage');
    expect(stats.shapes).toBe(2501);
    // The bitmap is 2^-k px per image px with k = floor(-log2(0.02)) = 5, from the shapes' extent less a margin.
    const { width, pixels } = made[0];
    const level = 1 / 32, x0 = 0 - 16 / level, y0 = 0 - 16 / level;
    const px = pixels()!;
    for (const c of cells) {
      const cx = Math.floor((c.geometry.points[0] + 10 - x0) * level), cy = Math.floor((c.geometry.points[1] + 10 - y0) * level);
      expect(px[(cy * width + cx) * 4 + 3]).toBeGreaterThan(0);
    }
    // The region (big on screen) and the selected cell are outlined on top, each frame.
    expect(stats.outlines).toBe(2);
    // The next frame, panned a little, reuses the bitmap.
    renderer.draw(ctx, { ...whole, centerImage: imagePoint(26000, 24000) }, index, options({ maxOutlines: 100 }));
    expect(made).toHaveLength(1);
    // An edit paints it again, with the edit.
    index.upsert({ id: 'new', geometry: { type: 'point', x: 100, y: 100 } });
    expect(renderer.draw(ctx, whole, index, options({ maxOutlines: 100 })).shapes).toBe(2502);
    expect(made).toHaveLength(2);
  });

  it('leaves the shape being dragged out of the bitmap', () => {
    const index = new SpatialIndex(cells);
    const { factory, made } = fakeCanvases();
    const renderer = new ShapeLayerRenderer(factory);
    const drawn = new Set<string>();
    renderer.draw(fakeContext(1000, 1000).ctx, whole, index, options({ maxOutlines: 100, hidden: 'c0', collect: (id) => drawn.add(id) }));
    const px = made[0].pixels()!;
    const level = 1 / 32, x0 = -16 / level;
    const cx = Math.floor((510 - x0) * level), cy = cx;
    expect(px[(cy * made[0].width + cx) * 4 + 3]).toBe(0);
    expect(drawn.has('c0')).toBe(false);
    expect(drawn.size).toBe(2499);
  });
});
