import { clickWindow, outlineAtClick } from './outline';
import { syntheticPixels } from './pixelSource';
import { proposalPadding, proposeNuclei } from './propose';
import { fetchTiledPixels, type FetchOptions } from './tiledSource';
import type { AssistRequest, AssistResponse, SlideRef } from './protocol';
import type { ImageRect, PixelRegion } from './types';

/**
 * The worker's logic, apart from the worker so that tests can drive it: requests in, responses
 * out through `post`. Pixel work is synchronous; cancelling reaches a request while it waits
 * for its turn or for tiles, not in the middle of the pixel work (a few ms to a few tens).
 */
export function createAssistHandler(post: (r: AssistResponse) => void, fetchOptions: Omit<FetchOptions, 'signal'> = {}) {
  const cancelled = new Set<number>();
  const aborts = new Map<number, AbortController>();

  async function pixelsFor(slide: SlideRef, rect: ImageRect, ds: number, signal: AbortSignal): Promise<PixelRegion> {
    switch (slide.kind) {
      case 'synthetic':
        return syntheticPixels(slide.seed, rect, ds);
      case 'tiled':
        return fetchTiledPixels(slide.layout, rect, ds, { ...fetchOptions, signal });
      case 'pixels':
        return slide.pixels;
    }
  }

  async function run(req: Exclude<AssistRequest, { type: 'cancel' }>): Promise<void> {
    const abort = new AbortController();
    aborts.set(req.id, abort);
    try {
      // Let a cancel already queued behind this request arrive before any work starts.
      await new Promise((r) => setTimeout(r, 0));
      if (cancelled.has(req.id)) return post({ type: 'cancelled', id: req.id });
      const t0 = performance.now();
      if (req.type === 'outline') {
        const pixels = await pixelsFor(req.slide, clickWindow(req.click, req.downsample, req.options ?? {}), req.downsample, abort.signal);
        if (cancelled.has(req.id)) return post({ type: 'cancelled', id: req.id });
        const result = outlineAtClick(pixels, req.click, req.options ?? {});
        post({ type: 'outline', id: req.id, result, ms: performance.now() - t0 });
      } else {
        const pad = proposalPadding(req.downsample, req.options ?? {});
        const r = req.rect;
        const pixels = await pixelsFor(req.slide, { x: r.x - pad, y: r.y - pad, w: r.w + 2 * pad, h: r.h + 2 * pad }, req.downsample, abort.signal);
        if (cancelled.has(req.id)) return post({ type: 'cancelled', id: req.id });
        const result = proposeNuclei(pixels, r, req.options ?? {});
        post({ type: 'propose', id: req.id, result, ms: performance.now() - t0 });
      }
    } catch (e) {
      if (cancelled.has(req.id)) post({ type: 'cancelled', id: req.id });
      else post({ type: 'error', id: req.id, message: e instanceof Error ? e.message : String(e) });
    } finally {
      aborts.delete(req.id);
      cancelled.delete(req.id);
    }
  }

  return function handle(req: AssistRequest): Promise<void> {
    if (req.type === 'cancel') {
      // Only requests still in flight can be cancelled: remembering others would leak.
      if (aborts.has(req.id)) {
        cancelled.add(req.id);
        aborts.get(req.id)!.abort();
      }
      return Promise.resolve();
    }
    return run(req);
  };
}
