import { TileCancelled } from './slideClient';

/** Paints one synthetic tile as a bitmap; the signal cancels a tile that scrolled out of view. */
export interface SyntheticTilePainter {
  paint(seed: number, level: number, x: number, y: number, signal: AbortSignal): Promise<ImageBitmap>;
}

/** Messages between the page and a painter worker (bitmaps are transferred). */
export type SyntheticTileRequest = { type: 'paint'; id: number; seed: number; level: number; x: number; y: number } | { type: 'cancel'; id: number };
export type SyntheticTileResponse = { type: 'bitmap'; id: number; bitmap: ImageBitmap } | { type: 'cancelled'; id: number } | { type: 'error'; id: number; message: string };

interface Painter {
  worker: Worker;
  pending: Map<number, { resolve: (b: ImageBitmap) => void; reject: (e: Error) => void }>;
}

/**
 * Painter workers for the page, started on first use. One worker on a two-core machine (the main
 * thread keeps a core for drawing frames), two where there are more cores; each tile goes to the
 * worker with the fewest tiles waiting.
 */
class WorkerPainters implements SyntheticTilePainter {
  private nextId = 1;
  private painters: Painter[] = [];

  private start(): Painter {
    const painter: Painter = { worker: new Worker(new URL('./syntheticTileWorker.ts', import.meta.url), { type: 'module' }), pending: new Map() };
    painter.worker.addEventListener('message', (e: MessageEvent<SyntheticTileResponse>) => {
      const r = e.data;
      const p = painter.pending.get(r.id);
      if (!p) {
        // Painted after it was cancelled: free the bitmap now rather than at garbage collection.
        if (r.type === 'bitmap') r.bitmap.close();
        return;
      }
      painter.pending.delete(r.id);
      if (r.type === 'bitmap') p.resolve(r.bitmap);
      else if (r.type === 'cancelled') p.reject(new TileCancelled());
      else p.reject(new Error(r.message));
    });
    return painter;
  }

  private least(): Painter {
    if (!this.painters.length) {
      const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
      this.painters = Array.from({ length: Math.min(2, Math.max(1, cores - 1)) }, () => this.start());
    }
    return this.painters.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  paint(seed: number, level: number, x: number, y: number, signal: AbortSignal): Promise<ImageBitmap> {
    if (signal.aborted) return Promise.reject(new TileCancelled());
    const id = this.nextId++;
    // Inside the executor: a page that cannot start a worker gets a failed tile, not a throw into OpenSeadragon.
    return new Promise((resolve, reject) => {
      const painter = this.least();
      painter.pending.set(id, { resolve, reject });
      signal.addEventListener(
        'abort',
        () => {
          if (!painter.pending.delete(id)) return;
          painter.worker.postMessage({ type: 'cancel', id } satisfies SyntheticTileRequest);
          reject(new TileCancelled());
        },
        { once: true },
      );
      painter.worker.postMessage({ type: 'paint', id, seed, level, x, y } satisfies SyntheticTileRequest);
    });
  }
}

let shared: SyntheticTilePainter | null = null;
/** The page's painter workers. */
export function syntheticTilePainter(): SyntheticTilePainter {
  shared ??= new WorkerPainters();
  return shared;
}
