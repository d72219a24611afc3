import type { AgreementRequest, AgreementResult } from './computeAgreement';
import type { WorkerReply } from './agreement.worker';

export interface AgreementJob {
  result: Promise<AgreementResult>;
  cancel: () => void;
}

/** Starts the computation in a Web Worker; `cancel` stops it at once. */
export function runAgreement(req: AgreementRequest, onProgress: (done: number, total: number) => void): AgreementJob {
  const worker = new Worker(new URL('./agreement.worker.ts', import.meta.url), { type: 'module' });
  let reject: (e: Error) => void = () => {};
  const result = new Promise<AgreementResult>((res, rej) => {
    reject = rej;
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress(m.done, m.total);
      else if (m.type === 'result') {
        res(m.result);
        worker.terminate();
      } else {
        rej(new Error(m.message));
        worker.terminate();
      }
    };
    worker.onerror = (e) => {
      rej(new Error(e.message || 'the agreement worker failed'));
      worker.terminate();
    };
  });
  worker.postMessage(req);
  return {
    result,
    cancel: () => {
      worker.terminate();
      reject(new Error('cancelled'));
    },
  };
}
