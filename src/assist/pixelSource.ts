import { renderSyntheticTile, type RenderedTile } from '../synthetic/render';
import { SYNTHETIC_MAX_LEVEL, SYNTHETIC_TILE_SIZE, tileExists } from '../synthetic/slide';
import type { ImageRect, PixelRegion } from './types';

/**
 * Where the assistant's pixels come from: one RGBA buffer for a level-0 rect at a power-of-two
 * downsample, stitched from pyramid tiles. The synthetic slide renders its tiles here (pure code,
 * runs in a worker); Deep Zoom and IIIF slides fetch the very tile URLs OpenSeadragon asks for, so
 * tiles the viewer already loaded come from the HTTP cache, and decode them with createImageBitmap
 * + OffscreenCanvas (both available in workers).
 */

/** Buffer pixels of a level-0 rect at downsample `ds`: whole level pixels covering the rect. */
export function levelWindow(rect: ImageRect, ds: number): { col0: number; row0: number; width: number; height: number } {
  if (!(ds >= 1 && Number.isInteger(Math.log2(ds)))) throw new RangeError(`downsample must be a power of two ≥ 1, got ${ds}`);
  const col0 = Math.floor(rect.x / ds), row0 = Math.floor(rect.y / ds);
  return { col0, row0, width: Math.ceil((rect.x + rect.w) / ds) - col0, height: Math.ceil((rect.y + rect.h) / ds) - row0 };
}

/** Copies tile pixels into the buffer; (tx, ty) is where the tile's pixel (0, 0) falls in it. Outside parts are cut. */
function blit(dst: Uint8ClampedArray, dw: number, dh: number, src: Uint8ClampedArray, sw: number, sh: number, tx: number, ty: number): void {
  const x0 = Math.max(0, tx), x1 = Math.min(dw, tx + sw);
  if (x1 <= x0) return;
  for (let y = Math.max(0, ty); y < Math.min(dh, ty + sh); y++) {
    const s = ((y - ty) * sw + (x0 - tx)) * 4;
    dst.set(src.subarray(s, s + (x1 - x0) * 4), (y * dw + x0) * 4);
  }
}

/** A few recent tiles, so clicks near each other do not render or decode the same tile again. */
class TileMemo<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly capacity: number) {}
  get(key: string, make: () => T): T {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const v = make();
    this.map.set(key, v);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return v;
  }
}

const syntheticTiles = new TileMemo<RenderedTile>(48);

/** Outside the slide (beyond its edge) the buffer is glass: the synthetic slide's background, opaque. */
const GLASS = [243, 241, 245, 255];

/** The synthetic slide's pixels for `rect` (level-0 px) at downsample `ds` (1, 2, 4, …). */
export function syntheticPixels(seed: number, rect: ImageRect, ds = 1): PixelRegion {
  const win = levelWindow(rect, ds);
  const level = SYNTHETIC_MAX_LEVEL - Math.log2(ds);
  const data = new Uint8ClampedArray(win.width * win.height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(GLASS, i);
  const T = SYNTHETIC_TILE_SIZE;
  for (let row = Math.floor(win.row0 / T); row * T < win.row0 + win.height; row++) {
    for (let col = Math.floor(win.col0 / T); col * T < win.col0 + win.width; col++) {
      if (!tileExists(level, col, row)) continue;
      const tile = syntheticTiles.get(`${seed}/${level}/${col}/${row}`, () => renderSyntheticTile(seed, level, col, row));
      blit(data, win.width, win.height, tile.data, tile.width, tile.height, col * T - win.col0, row * T - win.row0);
    }
  }
  return { width: win.width, height: win.height, data, x: win.col0 * ds, y: win.row0 * ds, downsample: ds };
}
