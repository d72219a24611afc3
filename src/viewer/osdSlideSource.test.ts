// @vitest-environment jsdom
import OpenSeadragon from 'openseadragon';
import { describe, expect, it, vi } from 'vitest';
import type { SlideInfo } from '../slides/types';
import { slideTileSource, type SlideTiles } from './osdSlideSource';

/** An Aperio-like pyramid whose reduced levels are not exact powers of two (46000 / 4 = 11500, stored as 11499). */
const info: SlideInfo = {
  format: 'aperio-svs',
  width: 46000,
  height: 32914,
  levels: [
    { width: 46000, height: 32914, downsample: 1, tileWidth: 256, tileHeight: 256 },
    { width: 11499, height: 8228, downsample: 4.0003, tileWidth: 256, tileHeight: 256 },
    { width: 2874, height: 2057, downsample: 16.0053, tileWidth: 240, tileHeight: 240 },
  ],
  compression: 'jpeg',
  associated: [],
};

function source(tiles: Partial<SlideTiles> = {}) {
  const t: SlideTiles = { tile: vi.fn(async () => null), bytesRead: async () => 0, ...tiles };
  // What OpenSeadragon's viewer does with a plain object that has getTileUrl: a TileSource carrying its properties.
  const ts = new OpenSeadragon.TileSource(slideTileSource(t, 7, info) as unknown as OpenSeadragon.TileSourceOptions);
  Object.assign(ts, slideTileSource(t, 7, info));
  return { ts, t };
}

describe('a slide file as an OpenSeadragon tile source', () => {
  it("has the file's own levels, smallest first, at their true scale and tile size", () => {
    const { ts } = source();
    expect([ts.minLevel, ts.maxLevel]).toEqual([0, 2]);
    expect([0, 1, 2].map((l) => ts.getLevelScale(l))).toEqual([2874 / 46000, 11499 / 46000, 1]);
    expect([0, 1, 2].map((l) => [ts.getTileWidth(l), ts.getTileHeight(l)])).toEqual([[240, 240], [256, 256], [256, 256]]);
    // ceil(2874 / 240) × ceil(2057 / 240); ceil(11499 / 256) × ceil(8228 / 256); ceil(46000 / 256) × ceil(32914 / 256)
    expect([0, 1, 2].map((l) => { const n = ts.getNumTiles(l); return [n.x, n.y]; })).toEqual([[12, 9], [45, 33], [180, 129]]);
  });

  it('places an edge tile where the level ends: OpenSeadragon level 1 is the file level 1', () => {
    const { ts } = source();
    // The last column of file level 1 starts at 44 × 256 = 11264 level px and is 11499 − 11264 = 235 wide.
    const b = ts.getTileBounds(1, 44, 0);
    expect(b.x).toBeCloseTo(11264 / 11499, 12);
    expect(b.width).toBeCloseTo(235 / 11499, 12);
    expect(ts.tileExists(1, 44, 32)).toBe(true);
    expect(ts.tileExists(1, 45, 0)).toBe(false);
  });

  it('asks the slide worker for the file level, column and row, and drops a tile that scrolled away', async () => {
    let resolveTile: (b: ImageBitmap | null) => void = () => {};
    const tile = vi.fn((_s: number, _l: number, _c: number, _r: number, signal?: AbortSignal) => new Promise<ImageBitmap | null>((res, rej) => {
      resolveTile = res;
      signal?.addEventListener('abort', () => rej(new Error('cancelled')));
    }));
    const { ts } = source({ tile });
    const job = { postData: (ts as unknown as { getTilePostData: (l: number, x: number, y: number) => unknown }).getTilePostData(0, 3, 2), userData: {}, finish: vi.fn(), fail: vi.fn() };
    const s = ts as unknown as { downloadTileStart(j: typeof job): void; downloadTileAbort(j: typeof job): void };
    s.downloadTileStart(job);
    expect(tile).toHaveBeenCalledWith(7, 2, 3, 2, expect.any(AbortSignal));
    const bitmap = { width: 240, height: 240 } as ImageBitmap;
    resolveTile(bitmap);
    await Promise.resolve();
    await Promise.resolve();
    expect(job.finish).toHaveBeenCalledWith(bitmap, null, 'imageBitmap');

    const gone = { ...job, userData: {}, finish: vi.fn(), fail: vi.fn() };
    s.downloadTileStart(gone);
    s.downloadTileAbort(gone);
    await new Promise((r) => setTimeout(r, 0));
    expect(gone.finish).not.toHaveBeenCalled();
    expect(gone.fail).not.toHaveBeenCalled();
  });
});
