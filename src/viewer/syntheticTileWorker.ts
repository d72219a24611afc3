/**
 * The synthetic slide's painter worker: renders tiles (src/synthetic/render) into bitmaps off the
 * page's main thread, so panning over a slide with many outlines never waits on tile painting.
 *
 * Requests are queued and painted one per task: a cancel for a tile that scrolled out of view
 * arrives while earlier tiles paint, and removes it from the queue before it costs anything.
 */
import { renderSyntheticTile } from '../synthetic/render';
import type { SyntheticTileRequest, SyntheticTileResponse } from './syntheticTilePainter';

// The project compiles against the DOM lib; the WebWorker lib would clash with it, so type only what is used.
const scope = self as unknown as {
  postMessage(r: SyntheticTileResponse, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<SyntheticTileRequest>) => void) | null;
};

type PaintRequest = Extract<SyntheticTileRequest, { type: 'paint' }>;
const queue = new Map<number, PaintRequest>();
let draining = false;

/** Lets messages already sent to the worker (cancels among them) be handled before the next tile. */
const wake = new MessageChannel();
const nextTask = () =>
  new Promise<void>((resolve) => {
    wake.port1.onmessage = () => resolve();
    wake.port2.postMessage(null);
  });

async function paint({ id, seed, level, x, y }: PaintRequest): Promise<void> {
  try {
    const tile = renderSyntheticTile(seed, level, x, y);
    const bitmap = await createImageBitmap(new ImageData(tile.data as Uint8ClampedArray<ArrayBuffer>, tile.width, tile.height));
    scope.postMessage({ type: 'bitmap', id, bitmap }, [bitmap]);
  } catch (e) {
    scope.postMessage({ type: 'error', id, message: (e as Error).message });
  }
}

async function drain(): Promise<void> {
  draining = true;
  while (queue.size) {
    await nextTask();
    const next = queue.values().next();
    if (next.done) break;
    queue.delete(next.value.id);
    await paint(next.value);
  }
  draining = false;
}

scope.onmessage = ({ data: req }) => {
  if (req.type === 'cancel') {
    if (queue.delete(req.id)) scope.postMessage({ type: 'cancelled', id: req.id });
    return;
  }
  queue.set(req.id, req);
  if (!draining) void drain();
};
