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

/** Where a sparse DICOM level has no tile the scanner saw only glass: white (OpenSlide leaves it transparent; viewers draw that on white). */
function glassTile(slide: Slide, level: number, col: number, row: number): Promise<ImageBitmap> {
  const l = slide.info.levels[level];
  const w = Math.max(1, Math.min(l.tileWidth, l.width - col * l.tileWidth));
  const h = Math.max(1, Math.min(l.tileHeight, l.height - row * l.tileHeight));
  return createImageBitmap(new ImageData(new Uint8ClampedArray(w * h * 4).fill(255), w, h));
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
        const slide = slideOf(req.slideId);
        const tile = await slide.tile(req.level, req.col, req.row);
        const bitmap = tile ? await tileBitmap(tile) : await glassTile(slide, req.level, req.col, req.row);
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
