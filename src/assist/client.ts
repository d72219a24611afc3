import type { PolygonGeometry } from '../model/types';
import { WorkerCalls } from '../model/workerCalls';
import type { OutlineResult } from './outline';
import type { AssistRequest, AssistResponse, SlideRef } from './protocol';
import type { ImagePoint, ImageRect, NucleusOptions } from './types';

/** What the client needs of a Worker; a test can hand it a fake. */
export interface WorkerLike {
  postMessage(message: AssistRequest, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<AssistResponse>) => void): void;
  terminate(): void;
}

/** The assistant's worker, bundled by Vite as its own chunk. */
export function createAssistWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
}

/** Thrown (rejected) when a request was cancelled through its AbortSignal: callers usually ignore it. */
export class AssistCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

/**
 * Typed calls into the worker: each request gets an id; its answer settles the matching promise.
 * Aborting a request's signal rejects it at once with AssistCancelled and tells the worker to drop
 * it, so a newer click never waits behind an older one.
 */
export class AssistClient {
  private readonly calls = new WorkerCalls<AssistResponse>(() => new AssistCancelled());

  constructor(private readonly worker: WorkerLike = createAssistWorker()) {
    worker.addEventListener('message', (e) => void this.calls.settle(e.data));
  }

  outline(slide: SlideRef, click: ImagePoint, downsample: number, options?: Partial<NucleusOptions>, signal?: AbortSignal): Promise<OutlineResult> {
    return this.send<OutlineResult>((id) => ({ type: 'outline', id, slide, click, downsample, options }), signal);
  }

  propose(slide: SlideRef, rect: ImageRect, downsample: number, options?: Partial<NucleusOptions>, signal?: AbortSignal): Promise<PolygonGeometry[]> {
    return this.send<PolygonGeometry[]>((id) => ({ type: 'propose', id, slide, rect, downsample, options }), signal);
  }

  /**
   * Readies the worker (module load, JIT, the slide's first tiles) with a throwaway outline at
   * `at`, so the annotator's first real click is not the slow one: call it when the wand is chosen.
   */
  async warm(slide: SlideRef, at: ImagePoint, downsample: number, mpp: number): Promise<void> {
    await this.outline(slide, at, downsample, { mpp }).catch(() => undefined);
  }

  /** Stops the worker; pending requests are rejected as cancelled. */
  dispose(): void {
    this.worker.terminate();
    this.calls.cancelAll();
  }

  private async send<T>(make: (id: number) => Exclude<AssistRequest, { type: 'cancel' }>, signal?: AbortSignal): Promise<T> {
    const answer = await this.calls.call(
      (id) => {
        const req = make(id);
        // Pixels the page already has are moved, not copied: the page must not use them afterwards.
        const transfer = req.slide.kind === 'pixels' ? [req.slide.pixels.data.buffer as ArrayBuffer] : [];
        this.worker.postMessage(req, transfer);
      },
      (id) => this.worker.postMessage({ type: 'cancel', id }),
      signal,
    );
    // Errors and cancellations were rejected: what resolves is an answer with its result.
    return (answer as Extract<AssistResponse, { result: unknown }>).result as T;
  }
}
