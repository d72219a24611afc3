import { blobSource } from '../slides/blobSource';
import { openSlide } from '../slides/open';
import { bestLevelForDownsample, readRegion } from '../slides/region';
import type { TileDecoders } from '../slides/types';
import { imagePixels, type DecodedImage } from './image';
import { clickWindow, outlineAtClick } from './outline';
import { syntheticPixels } from './pixelSource';
import { proposalPadding, proposeNuclei } from './propose';
import { fetchTiledPixels, type FetchOptions } from './tiledSource';
import type { AssistRequest, AssistResponse, SlideRef } from './protocol';
import type { ImageRect, PixelRegion } from './types';

/** The pixels of one image, however it is stored: each SlideRef kind opens one. */
export interface PixelSource {
  /** The level-0 `rect` at about downsample `ds` (the region says which it gives). */
  pixels(rect: ImageRect, ds: number, signal: AbortSignal): Promise<PixelRegion>;
}

/** What the handler needs of its surroundings: how to fetch tiles and decode files (the browser's own in the worker). */
export interface HandlerEnvironment {
  fetch?: Omit<FetchOptions, 'signal'>;
  /** A whole image file (PNG, JPEG) as RGBA. */
  decodeImage?: (blob: Blob) => Promise<DecodedImage>;
  /** Tiles of slide files (JPEG, JPEG 2000). */
  tileDecoders?: TileDecoders;
}

/** Opened files kept by key: a click after the first skips decoding the image or parsing the slide. */
const KEPT_SOURCES = 2;

/** A slide file's region from the level nearest below `ds`, at that level's own downsample. */
function slideSource(files: File[], decoders: TileDecoders): PixelSource {
  const opening = openSlide(files.map((f) => blobSource(f)));
  return {
    async pixels(rect, ds) {
      const slide = await opening;
      const level = bestLevelForDownsample(slide.info, ds);
      const lds = slide.info.levels[level].downsample;
      const img = await readRegion(slide, decoders, level, rect.x, rect.y, Math.ceil(rect.w / lds), Math.ceil(rect.h / lds));
      return { ...img, x: rect.x, y: rect.y, downsample: lds };
    },
  };
}

/**
 * The worker's logic, apart from the worker so that tests can drive it: requests in, responses
 * out through `post`. Pixel work is synchronous; cancelling reaches a request while it waits
 * for its turn or for tiles, not in the middle of the pixel work (a few ms to a few tens).
 */
export function createAssistHandler(post: (r: AssistResponse) => void, env: HandlerEnvironment = {}) {
  const cancelled = new Set<number>();
  const aborts = new Map<number, AbortController>();
  const kept = new Map<string, PixelSource>();

  function open(slide: Extract<SlideRef, { kind: 'file' | 'slide' }>): PixelSource {
    const known = kept.get(slide.key);
    if (known) return known;
    let source: PixelSource;
    if (slide.kind === 'file') {
      const { decodeImage } = env;
      if (!decodeImage) throw new Error('image files cannot be decoded here');
      const decoding = decodeImage(slide.blob);
      source = { pixels: async (rect, ds) => imagePixels(await decoding, rect, ds) };
    } else {
      if (!env.tileDecoders) throw new Error('slide files cannot be decoded here');
      source = slideSource(slide.files, env.tileDecoders);
    }
    kept.set(slide.key, source);
    if (kept.size > KEPT_SOURCES) kept.delete(kept.keys().next().value!);
    return source;
  }

  async function pixelsFor(slide: SlideRef, rect: ImageRect, ds: number, signal: AbortSignal): Promise<PixelRegion> {
    switch (slide.kind) {
      case 'synthetic':
        return syntheticPixels(slide.seed, rect, ds);
      case 'tiled':
        return fetchTiledPixels(slide.layout, rect, ds, { ...env.fetch, signal });
      case 'pixels':
        return slide.pixels;
      case 'file':
      case 'slide':
        try {
          return await open(slide).pixels(rect, ds, signal);
        } catch (e) {
          // A file that failed to open is not kept: the next click tries again.
          kept.delete(slide.key);
          throw e;
        }
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
