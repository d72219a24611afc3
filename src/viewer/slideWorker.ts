/**
 * The slide worker: opens local slide files with the same readers as the CLI (src/slides) and
 * answers tiles as bitmaps, so reading and decoding never run on the page's main thread. One
 * worker serves every open slide; files stay where they are and are read a byte range at a time.
 */
import { blobSource } from '../slides/blobSource';
import { openSlide } from '../slides/open';
import type { Slide } from '../slides/types';
import { webDecoders } from '../slides/webDecoders';
import { rgbaBitmap, tileBitmap } from './slideDecoders';
import type { SlideRequest, SlideResponse } from './slideProtocol';

// The project compiles against the DOM lib; the WebWorker lib would clash with it, so type only what is used.
const scope = self as unknown as {
  postMessage(r: SlideResponse, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<SlideRequest>) => void) | null;
};

const slides = new Map<number, Slide>();
const cancelled = new Set<number>();
let nextSlide = 1;

function slideOf(id: number): Slide {
  const s = slides.get(id);
  if (!s) throw new Error('the slide is not open');
  return s;
}

async function handle(req: SlideRequest): Promise<void> {
  if (req.type === 'cancel') {
    cancelled.add(req.id);
    return;
  }
  try {
    switch (req.type) {
      case 'open': {
        const slide = await openSlide(req.files.map((f) => blobSource(f, f.name)));
        const slideId = nextSlide++;
        slides.set(slideId, slide);
        scope.postMessage({ type: 'opened', id: req.id, slideId, info: slide.info });
        return;
      }
      case 'tile': {
        // A tile that scrolled out of view before its turn is not read at all.
        if (cancelled.delete(req.id)) return scope.postMessage({ type: 'cancelled', id: req.id });
        const tile = await slideOf(req.slideId).tile(req.level, req.col, req.row);
        const bitmap = tile ? await tileBitmap(tile) : null;
        if (cancelled.delete(req.id)) {
          bitmap?.close();
          return scope.postMessage({ type: 'cancelled', id: req.id });
        }
        scope.postMessage({ type: 'bitmap', id: req.id, bitmap }, bitmap ? [bitmap] : []);
        return;
      }
      case 'associated': {
        const bitmap = await rgbaBitmap(await slideOf(req.slideId).associated(req.name, webDecoders));
        scope.postMessage({ type: 'bitmap', id: req.id, bitmap }, [bitmap]);
        return;
      }
      case 'bytesRead':
        scope.postMessage({ type: 'bytesRead', id: req.id, bytes: slideOf(req.slideId).bytesRead() });
        return;
      case 'close':
        slides.delete(req.slideId);
        scope.postMessage({ type: 'closed', id: req.id });
        return;
    }
  } catch (e) {
    cancelled.delete(req.id);
    scope.postMessage({ type: 'error', id: req.id, message: (e as Error).message });
  }
}

scope.onmessage = (e) => void handle(e.data);
