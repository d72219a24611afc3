import { WorkerCalls } from '../model/workerCalls';
import type { SlideInfo } from '../slides/types';
import type { SlideRequest, SlideResponse } from './slideProtocol';

type Ask = SlideRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** An open slide in the slide worker. */
export interface OpenedSlide {
  slideId: number;
  info: SlideInfo;
}

/** Thrown when a tile request was aborted (it scrolled out of view): OpenSeadragon drops it. */
export class TileCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

/** Typed calls into the slide worker; one worker for the page, started on first use. */
export class SlideClient {
  private readonly calls = new WorkerCalls<SlideResponse>(() => new TileCancelled());
  private worker: Worker | null = null;

  private send(ask: Ask, signal?: AbortSignal): Promise<SlideResponse> {
    return this.calls.call(
      (id) => (this.worker ??= this.start()).postMessage({ ...ask, id } as SlideRequest),
      (id) => this.worker!.postMessage({ type: 'cancel', id } satisfies SlideRequest),
      signal,
    );
  }

  private start(): Worker {
    const w = new Worker(new URL('./slideWorker.ts', import.meta.url), { type: 'module' });
    w.addEventListener('message', (e: MessageEvent<SlideResponse>) => {
      const r = e.data;
      // Answered after it was aborted: free the bitmap now rather than at garbage collection.
      if (!this.calls.settle(r) && r.type === 'bitmap') r.bitmap?.close();
    });
    return w;
  }

  async open(files: File[]): Promise<OpenedSlide> {
    const r = await this.send({ type: 'open', files });
    if (r.type !== 'opened') throw new Error(`unexpected answer ${r.type}`);
    return { slideId: r.slideId, info: r.info };
  }

  async tile(slideId: number, level: number, col: number, row: number, signal?: AbortSignal): Promise<ImageBitmap | null> {
    const r = await this.send({ type: 'tile', slideId, level, col, row }, signal);
    return r.type === 'bitmap' ? r.bitmap : null;
  }

  async associated(slideId: number, name: string): Promise<ImageBitmap> {
    const r = await this.send({ type: 'associated', slideId, name });
    if (r.type !== 'bitmap' || !r.bitmap) throw new Error(`the slide has no ${name} image`);
    return r.bitmap;
  }

  async bytesRead(slideId: number): Promise<number> {
    const r = await this.send({ type: 'bytesRead', slideId });
    return r.type === 'bytesRead' ? r.bytes : 0;
  }

  async close(slideId: number): Promise<void> {
    await this.send({ type: 'close', slideId }).catch(() => undefined);
  }
}

let shared: SlideClient | null = null;
export function slideClient(): SlideClient {
  shared ??= new SlideClient();
  return shared;
}
