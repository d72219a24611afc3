import { describe, expect, it, vi } from 'vitest';
import { distanceToRing, ringContainsPoint } from '../model/hit';
import { syntheticCellsInRect } from './cells';
import { slideFields, tissueAt, tissueCentre, tumourAt, TUMOUR_THRESHOLD } from './fields';
import { MAX_DOWNSAMPLE_WITH_POLYGONS, renderSyntheticTile } from './render';
import { levelDownsample, levelSize, levelTileCount, SYNTHETIC_HEIGHT, SYNTHETIC_MAX_LEVEL, SYNTHETIC_WIDTH, tileExists, tilePixelSize } from './slide';

const SEED = 3;
const TOP = SYNTHETIC_MAX_LEVEL;
const centre = tissueCentre(SEED);
const centreCol = Math.floor(centre.x / 256);
const centreRow = Math.floor(centre.y / 256);

/** Somewhere well inside tumour, where nuclei crowd. */
const tumour = (() => {
  const f = slideFields(SEED);
  for (let r = 0; r < 30_000; r += 500) {
    for (let a = 0; a < 2 * Math.PI; a += 0.3) {
      const x = centre.x + r * Math.cos(a), y = centre.y + r * Math.sin(a);
      if (tissueAt(f, x, y) > 0.2 && tumourAt(f, x, y) > TUMOUR_THRESHOLD + 0.03) return { x, y };
    }
  }
  throw new Error('no tumour on this slide');
})();
const tumourCol = Math.floor(tumour.x / 256);
const tumourRow = Math.floor(tumour.y / 256);

function sameBytes(a: Uint8ClampedArray, b: Uint8ClampedArray): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

/**
 * Haematoxylin optical density by colour deconvolution with Ruifrok & Johnston's H&E(-DAB) stain
 * vectors: the pipeline an outline assistant would run on these tiles.
 */
const haematoxylin = (() => {
  const m = [[0.65, 0.7, 0.29], [0.07, 0.99, 0.11], [0.27, 0.57, 0.78]].map((v) => v.map((x) => x / Math.hypot(...v)));
  const [a, b, c] = m[0], [d, e, f] = m[1], [g, h, i] = m[2];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  // First column of the inverse: how each channel's optical density contributes to H.
  const col = [(e * i - f * h) / det, -(d * i - f * g) / det, (d * h - e * g) / det];
  return (r: number, gr: number, bl: number) => col[0] * -Math.log10((r + 1) / 256) + col[1] * -Math.log10((gr + 1) / 256) + col[2] * -Math.log10((bl + 1) / 256);
})();
const NUCLEUS_THRESHOLD = 0.25;

describe('slide pyramid', () => {
  it('is 100 000 × 80 000 at full resolution, halving per level down to 1 px, as Deep Zoom', () => {
    expect(levelSize(TOP)).toEqual({ width: SYNTHETIC_WIDTH, height: SYNTHETIC_HEIGHT });
    expect(SYNTHETIC_WIDTH).toBe(100_000);
    expect(SYNTHETIC_HEIGHT).toBe(80_000);
    expect(TOP).toBe(17);
    expect(levelSize(0)).toEqual({ width: 1, height: 1 });
    expect(levelSize(TOP - 7)).toEqual({ width: Math.ceil(100_000 / 128), height: 625 });
    expect(levelTileCount(TOP)).toEqual({ cols: 391, rows: 313 });
  });

  it('cuts edge tiles to the level size and knows which tiles exist', () => {
    expect(tilePixelSize(TOP, 390, 312)).toEqual({ width: 100_000 - 390 * 256, height: 80_000 - 312 * 256 });
    expect(tileExists(TOP, 390, 312)).toBe(true);
    expect(tileExists(TOP, 391, 0)).toBe(false);
    expect(tileExists(TOP + 1, 0, 0)).toBe(false);
    expect(tileExists(0, 0, 0)).toBe(true);
  });
});

describe('renderSyntheticTile', () => {
  it('gives opaque RGBA of the tile size, edge tiles cut', () => {
    const t = renderSyntheticTile(SEED, TOP, centreCol, centreRow);
    expect([t.width, t.height, t.data.length]).toEqual([256, 256, 256 * 256 * 4]);
    let translucent = 0;
    for (let i = 3; i < t.data.length; i += 4) if (t.data[i] !== 255) translucent++;
    expect(translucent).toBe(0);
    const edge = renderSyntheticTile(SEED, TOP, 390, 312);
    expect([edge.width, edge.height]).toEqual([160, 128]);
    expect(edge.data.length).toBe(160 * 128 * 4);
  });

  it('is deterministic: same bytes again, and from a fresh module in another order', async () => {
    const a = renderSyntheticTile(SEED, TOP, centreCol, centreRow);
    renderSyntheticTile(SEED, TOP, centreCol + 1, centreRow);
    expect(sameBytes(renderSyntheticTile(SEED, TOP, centreCol, centreRow).data, a.data)).toBe(true);
    vi.resetModules();
    const fresh = await import('./render');
    fresh.renderSyntheticTile(SEED, TOP, centreCol + 1, centreRow + 1);
    expect(sameBytes(fresh.renderSyntheticTile(SEED, TOP, centreCol, centreRow).data, a.data)).toBe(true);
  });

  it('differs between seeds', () => {
    const c1 = tissueCentre(1);
    const a = renderSyntheticTile(1, TOP, Math.floor(c1.x / 256), Math.floor(c1.y / 256));
    const b = renderSyntheticTile(2, TOP, Math.floor(c1.x / 256), Math.floor(c1.y / 256));
    expect(sameBytes(a.data, b.data)).toBe(false);
  });

  it('paints bare glass near-white and tissue pink', () => {
    const glass = renderSyntheticTile(SEED, TOP, 0, 0);
    let darkest = 255;
    for (let i = 0; i < glass.data.length; i += 4) darkest = Math.min(darkest, glass.data[i], glass.data[i + 1], glass.data[i + 2]);
    expect(darkest).toBeGreaterThan(230);
    const overview = renderSyntheticTile(SEED, 8, 0, 0);
    const ds = levelDownsample(8);
    const o = (Math.floor(centre.y / ds) * overview.width + Math.floor(centre.x / ds)) * 4;
    const [r, g, b] = [overview.data[o], overview.data[o + 1], overview.data[o + 2]];
    expect(r).toBeGreaterThan(g + 20);
    expect(b).toBeGreaterThan(g);
  });

  it('paints every nucleus where its true outline is, with a soft edge of at most 1 px', () => {
    const col = tumourCol, row = tumourRow;
    const tile = renderSyntheticTile(SEED, TOP, col, row);
    const x0 = col * 256, y0 = row * 256;
    const cells = syntheticCellsInRect(SEED, { x: x0, y: y0, w: 256, h: 256 });
    expect(cells.length).toBeGreaterThan(30);

    // For each pixel centre: inside some outline, and how far from the nearest outline.
    const inside = new Uint8Array(256 * 256);
    const distance = new Float64Array(256 * 256).fill(Infinity);
    for (const c of cells) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (let i = 0; i < c.points.length; i += 2) {
        minX = Math.min(minX, c.points[i]); maxX = Math.max(maxX, c.points[i]);
        minY = Math.min(minY, c.points[i + 1]); maxY = Math.max(maxY, c.points[i + 1]);
      }
      for (let py = Math.max(0, Math.floor(minY - y0) - 3); py <= Math.min(255, Math.ceil(maxY - y0) + 3); py++) {
        for (let px = Math.max(0, Math.floor(minX - x0) - 3); px <= Math.min(255, Math.ceil(maxX - x0) + 3); px++) {
          const X = x0 + px + 0.5, Y = y0 + py + 0.5, k = py * 256 + px;
          if (ringContainsPoint(c.points, X, Y)) inside[k] = 1;
          distance[k] = Math.min(distance[k], distanceToRing(c.points, X, Y));
        }
      }
    }

    let both = 0, either = 0, wrongDeep = 0, wrongFar = 0;
    for (let k = 0; k < 256 * 256; k++) {
      const d = tile.data;
      const stained = haematoxylin(d[4 * k], d[4 * k + 1], d[4 * k + 2]) > NUCLEUS_THRESHOLD;
      if (stained && inside[k]) both++;
      if (stained || inside[k]) either++;
      // A pixel wholly inside (centre ≥ 1 px in) must read as nucleus; wholly outside must not.
      if (inside[k] && distance[k] >= 1 && !stained) wrongDeep++;
      if (!inside[k] && distance[k] >= 1 && stained) wrongFar++;
    }
    expect(wrongDeep).toBe(0);
    expect(wrongFar).toBe(0);
    expect(both / either).toBeGreaterThan(0.9);
  });

  it('paints nuclei as polygons down to the polygon limit, then as a density speckle', () => {
    const stainedFraction = (level: number) => {
      const ds = levelDownsample(level);
      const t = renderSyntheticTile(SEED, level, Math.floor(tumour.x / ds / 256), Math.floor(tumour.y / ds / 256));
      let n = 0;
      for (let k = 0; k < t.width * t.height; k++) if (haematoxylin(t.data[4 * k], t.data[4 * k + 1], t.data[4 * k + 2]) > NUCLEUS_THRESHOLD) n++;
      return n / (t.width * t.height);
    };
    const polygonLevel = TOP - Math.log2(MAX_DOWNSAMPLE_WITH_POLYGONS);
    expect(stainedFraction(TOP - 1)).toBeGreaterThan(0.03);
    expect(stainedFraction(polygonLevel - 1)).toBeGreaterThan(0.01);
  });
});
