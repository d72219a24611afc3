/**
 * The page's bookkeeping for calls into a long-lived Web Worker (slide tiles, the nucleus
 * assistant): each call gets an id, its answer (naming that id) settles it, and aborting a call's
 * signal rejects it at once and tells the worker to drop it, so a newer request never waits behind
 * an older one. One-shot tasks (an import, an export) use store/workerTask.ts, whose cancel waits
 * for the worker to undo its work; both wire their AbortSignal through `whenAborted`.
 */

/** An answer from the worker, naming its call; `error` (with a message) and `cancelled` mean the same in every protocol. */
export interface CallAnswer {
  id: number;
  type: string;
  message?: string;
}

/**
 * Runs `then` once when `signal` aborts (at once if it already has); returns what stops listening.
 * No signal: nothing to do.
 */
export function whenAborted(signal: AbortSignal | undefined, then: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    then();
    return () => {};
  }
  signal.addEventListener('abort', then, { once: true });
  return () => signal.removeEventListener('abort', then);
}

export class WorkerCalls<A extends CallAnswer> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (a: A) => void; reject: (e: Error) => void; detach: () => void }>();

  /** `cancelled` makes the error a cancelled call rejects with (callers usually ignore it). */
  constructor(private readonly cancelled: () => Error) {}

  /**
   * Sends a call (`send` gets its id) and resolves with its answer. Aborting `signal` rejects at
   * once with the cancelled error and runs `cancel(id)` (to tell the worker); an aborted signal
   * sends nothing.
   */
  call(send: (id: number) => void, cancel: (id: number) => void, signal?: AbortSignal): Promise<A> {
    if (signal?.aborted) return Promise.reject(this.cancelled());
    const id = this.nextId++;
    return new Promise<A>((resolve, reject) => {
      const detach = whenAborted(signal, () => {
        if (!this.pending.delete(id)) return;
        cancel(id);
        reject(this.cancelled());
      });
      this.pending.set(id, { resolve, reject, detach });
      send(id);
    });
  }

  /**
   * Settles the call the answer names: an error rejects with its message, a cancellation with the
   * cancelled error, anything else resolves. False when no call waits for it (it was aborted).
   */
  settle(answer: A): boolean {
    const p = this.pending.get(answer.id);
    if (!p) return false;
    this.pending.delete(answer.id);
    p.detach();
    if (answer.type === 'error') p.reject(new Error(answer.message));
    else if (answer.type === 'cancelled') p.reject(this.cancelled());
    else p.resolve(answer);
    return true;
  }

  /** Rejects every waiting call as cancelled (the worker is gone). */
  cancelAll(): void {
    for (const p of this.pending.values()) {
      p.detach();
      p.reject(this.cancelled());
    }
    this.pending.clear();
  }
}
