// @vitest-environment jsdom
import OpenSeadragon from 'openseadragon';
import { describe, expect, it, vi } from 'vitest';
import { syntheticTileSource, type SyntheticTileJob } from './osdSyntheticSource';
import type { SyntheticTilePainter } from './syntheticTilePainter';
import { renderSyntheticTile } from '../synthetic/render';

/**
 * jsdom has no workers or bitmaps: a painter that renders on the spot with the pure renderer the
 * worker runs, and hands the rendered tile over as the "bitmap".
 */
function fakePainter(fail?: string) {
  const painted: { level: number; x: number; y: number; signal: AbortSignal }[] = [];
  const closed: unknown[] = [];
  const painter: SyntheticTilePainter = {
    async paint(seed, level, x, y, signal) {
      painted.push({ level, x, y, signal });
      await new Promise((r) => setTimeout(r, 1));
      if (fail) throw new Error(fail);
      const tile = renderSyntheticTile(seed, level, x, y);
      return { ...tile, close: () => closed.push(tile) } as unknown as ImageBitmap;
    },
  };
  return { painter, painted, closed };
}

function fakeJob(postData: unknown) {
  const job = { postData, userData: {} as Record<string, unknown>, finish: vi.fn(), fail: vi.fn() };
  return job as typeof job & SyntheticTileJob;
}

/** What OpenSeadragon's viewer does with a plain object that has getTileUrl (Viewer#open). */
function asOsdTileSource(options: object): OpenSeadragon.TileSource {
  const source = new OpenSeadragon.TileSource(options as OpenSeadragon.TileSourceOptions);
  (source as unknown as { getTileUrl: unknown }).getTileUrl = (options as { getTileUrl: unknown }).getTileUrl;
  return source;
}

describe('syntheticTileSource', () => {
  it('describes the pyramid the way OpenSeadragon reads it', () => {
    const source = asOsdTileSource(syntheticTileSource(5));
    expect(source.dimensions.x).toBe(100_000);
    expect(source.dimensions.y).toBe(80_000);
    expect(source.maxLevel).toBe(17);
    expect(source.getTileWidth(17)).toBe(256);
    expect(source.getNumTiles(17)).toMatchObject({ x: 391, y: 313 });
    expect(source.getNumTiles(10)).toMatchObject({ x: 4, y: 3 });
    expect(source.tileExists(17, 390, 312)).toBe(true);
    expect(source.tileExists(17, 391, 312)).toBe(false);
  });

  it('names every tile by a unique pseudo URL, so OpenSeadragon caches them apart', () => {
    const s = syntheticTileSource(5);
    expect(s.getTileUrl(17, 3, 4)).toBe('synthetic://5/17/3_4');
    expect(new Set([s.getTileUrl(17, 3, 4), s.getTileUrl(17, 4, 3), s.getTileUrl(16, 3, 4), syntheticTileSource(6).getTileUrl(17, 3, 4)]).size).toBe(4);
    expect(s.mpp).toBeGreaterThan(0);
  });

  it('keeps its own tile loading once OpenSeadragon has wrapped it, and hands OpenSeadragon the painted bitmap', async () => {
    const { painter, painted } = fakePainter();
    const source = asOsdTileSource(syntheticTileSource(5, painter));
    const post = source.getTilePostData(17, 200, 150);
    expect(post).toEqual({ level: 17, x: 200, y: 150 });
    const job = fakeJob(post);
    source.downloadTileStart(job as unknown as OpenSeadragon.ImageJob);
    // Painted elsewhere: nothing is finished within the call.
    expect(job.finish).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(job.finish).toHaveBeenCalledTimes(1));
    const [bitmap, request, dataType] = job.finish.mock.calls[0];
    expect(request).toBeNull();
    expect(dataType).toBe('imageBitmap');
    expect(painted).toMatchObject([{ level: 17, x: 200, y: 150 }]);
    expect(bitmap.width).toBe(256);
    expect(Array.from((bitmap.data as Uint8ClampedArray).subarray(0, 4096))).toEqual(Array.from(renderSyntheticTile(5, 17, 200, 150).data.subarray(0, 4096)));
    expect(job.fail).not.toHaveBeenCalled();
  });

  it('cancels a tile that scrolled away before it was painted, and frees its bitmap if it arrives anyway', async () => {
    const { painter, painted, closed } = fakePainter();
    const source = syntheticTileSource(5, painter);
    const job = fakeJob({ level: 17, x: 1, y: 1 });
    source.downloadTileStart(job);
    source.downloadTileAbort(job);
    expect(painted[0].signal.aborted).toBe(true);
    await vi.waitFor(() => expect(closed).toHaveLength(1));
    expect(job.finish).not.toHaveBeenCalled();
    expect(job.fail).not.toHaveBeenCalled();
  });

  it('fails the tile with the painter\'s reason', async () => {
    const job = fakeJob({ level: 17, x: 1, y: 1 });
    syntheticTileSource(5, fakePainter('out of memory').painter).downloadTileStart(job);
    await vi.waitFor(() => expect(job.fail).toHaveBeenCalledTimes(1));
    expect(job.fail.mock.calls[0][0]).toBe('synthetic tile failed: out of memory');
    expect(job.finish).not.toHaveBeenCalled();
  });

  it('fails, rather than hangs, for a tile outside the pyramid', () => {
    const { painter, painted } = fakePainter();
    const job = fakeJob({ level: 17, x: 391, y: 0 });
    syntheticTileSource(5, painter).downloadTileStart(job);
    expect(job.fail).toHaveBeenCalledTimes(1);
    expect(job.finish).not.toHaveBeenCalled();
    expect(painted).toHaveLength(0);
  });
});
