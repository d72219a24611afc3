// @vitest-environment jsdom
import OpenSeadragon from 'openseadragon';
import { describe, expect, it, vi } from 'vitest';
import { syntheticTileSource, type SyntheticTileContext, type SyntheticTileJob } from './osdSyntheticSource';
import { renderSyntheticTile } from '../synthetic/render';

/** jsdom has no canvas: a stand-in context that records what is put on it. */
function fakeCanvasFactory() {
  const painted: { width: number; height: number; data: Uint8ClampedArray }[] = [];
  const factory = (width: number, height: number) => ({
    getContext: (): SyntheticTileContext => ({
      createImageData: ((w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) })) as SyntheticTileContext['createImageData'],
      putImageData: ((image: ImageData) => {
        painted.push({ width, height, data: image.data });
      }) as SyntheticTileContext['putImageData'],
    }),
  });
  return { factory, painted };
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

  it('keeps its own tile loading once OpenSeadragon has wrapped it, and paints tiles without a request', async () => {
    const { factory, painted } = fakeCanvasFactory();
    const options = syntheticTileSource(5, factory);
    const source = asOsdTileSource(options);
    const post = source.getTilePostData(17, 200, 150);
    expect(post).toEqual({ level: 17, x: 200, y: 150 });
    const job = fakeJob(post);
    source.downloadTileStart(job as unknown as OpenSeadragon.ImageJob);
    // Deferred: nothing painted within the call.
    expect(job.finish).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(job.finish).toHaveBeenCalledTimes(1));
    const [context, request, dataType] = job.finish.mock.calls[0];
    expect(request).toBeNull();
    expect(dataType).toBe('context2d');
    expect(context).toBeTruthy();
    expect(painted).toHaveLength(1);
    expect(painted[0].width).toBe(256);
    expect(Array.from(painted[0].data.subarray(0, 4096))).toEqual(Array.from(renderSyntheticTile(5, 17, 200, 150).data.subarray(0, 4096)));
    expect(job.fail).not.toHaveBeenCalled();
  });

  it('cancels a tile aborted before it was painted', async () => {
    const { factory, painted } = fakeCanvasFactory();
    const source = syntheticTileSource(5, factory);
    const job = fakeJob({ level: 17, x: 1, y: 1 });
    source.downloadTileStart(job);
    source.downloadTileAbort(job);
    await new Promise((r) => setTimeout(r, 20));
    expect(job.finish).not.toHaveBeenCalled();
    expect(painted).toHaveLength(0);
  });

  it('fails, rather than hangs, for a tile outside the pyramid', () => {
    const job = fakeJob({ level: 17, x: 391, y: 0 });
    syntheticTileSource(5, fakeCanvasFactory().factory).downloadTileStart(job);
    expect(job.fail).toHaveBeenCalledTimes(1);
    expect(job.finish).not.toHaveBeenCalled();
  });
});
