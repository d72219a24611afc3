import { whenAborted } from '../model/workerCalls';

/**
 * One long task in a Web Worker of its own (an import, an export): started with one message,
 * followed by `progress` messages, ended by `done`; aborting `signal` sends `cancel`, and the
 * worker answers `done` once it has undone what it started. Both sides of that protocol are here.
 */
export type TaskReply<P, R> = { type: 'progress'; progress: P } | { type: 'done'; result: R };
export type TaskRequest<Q> = { type: 'start'; request: Q } | { type: 'cancel' };

/** The page's side: runs the task and resolves with its result (or `failed` if the worker dies). */
export function runWorkerTask<Q, P, R>(worker: Worker, request: Q, opts: { onProgress?: (p: P) => void; signal?: AbortSignal; failed: (message: string) => R }): Promise<R> {
  return new Promise<R>((resolve) => {
    // The worker answers a cancel with `done` once it has undone what it started.
    const detach = whenAborted(opts.signal, () => worker.postMessage({ type: 'cancel' } satisfies TaskRequest<Q>));
    const end = (result: R) => {
      detach();
      worker.terminate();
      resolve(result);
    };
    worker.onmessage = (e: MessageEvent<TaskReply<P, R>>) => (e.data.type === 'progress' ? opts.onProgress?.(e.data.progress) : end(e.data.result));
    worker.onerror = (e) => end(opts.failed(e.message));
    worker.postMessage({ type: 'start', request } satisfies TaskRequest<Q>);
  });
}

/** The worker's side: `run` gets the request, a signal the page's cancel aborts, and a progress reporter. */
export function serveWorkerTask<Q, P, R>(run: (request: Q, signal: AbortSignal, progress: (p: P) => void) => Promise<R>, failed: (message: string) => R): void {
  // The project compiles against the DOM lib; the WebWorker lib would clash with it, so type only what is used.
  const scope = self as unknown as { postMessage(r: TaskReply<P, R>): void; onmessage: ((e: MessageEvent<TaskRequest<Q>>) => void) | null };
  const abort = new AbortController();
  scope.onmessage = (e) => {
    if (e.data.type === 'cancel') return abort.abort();
    const progress = (p: P) => scope.postMessage({ type: 'progress', progress: p });
    run(e.data.request, abort.signal, progress).then(
      (result) => scope.postMessage({ type: 'done', result }),
      (err: unknown) => scope.postMessage({ type: 'done', result: failed(err instanceof Error ? err.message : String(err)) }),
    );
  };
}
