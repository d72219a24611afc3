/// <reference lib="webworker" />
import { computeAgreement, type AgreementRequest, type AgreementResult } from './computeAgreement';

export type WorkerReply =
  | { type: 'progress'; done: number; total: number; step: string }
  | { type: 'result'; result: AgreementResult }
  | { type: 'error'; message: string };

// Agreement over a whole project can take seconds: it runs here, off the main thread, and is
// cancelled by terminating the worker.
self.onmessage = (e: MessageEvent<AgreementRequest>) => {
  const post = (m: WorkerReply) => (self as unknown as Worker).postMessage(m);
  try {
    const result = computeAgreement(e.data, (done, total, step) => post({ type: 'progress', done, total, step }));
    post({ type: 'result', result });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
