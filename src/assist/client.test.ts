import { SYNTHETIC_MPP } from '../synthetic/slide';
import { describe, expect, it } from 'vitest';
import { clickTargets, qualityRegions } from './evaluation';
import { AssistCancelled, AssistClient, type WorkerLike } from './client';
import { createAssistHandler } from './handler';
import type { AssistRequest, AssistResponse } from './protocol';
import { blobRing, paintBlobs } from './testImages';
import { shapeIou } from '../agreement';

/** A worker in the same thread: messages go through the real handler, asynchronously as with a Worker. */
function fakeWorker() {
  const listeners: ((e: MessageEvent<AssistResponse>) => void)[] = [];
  const sent: AssistRequest[] = [];
  const replies: AssistResponse[] = [];
  const handle = createAssistHandler((r) => {
    replies.push(r);
    for (const l of listeners) l({ data: structuredClone(r) } as MessageEvent<AssistResponse>);
  });
  const worker: WorkerLike = {
    postMessage: (m) => {
      sent.push(m);
      queueMicrotask(() => void handle(structuredClone(m)));
    },
    addEventListener: (_type, l) => listeners.push(l),
    terminate: () => {},
  };
  return { worker, sent, replies };
}

describe('AssistClient ↔ worker handler', () => {
  const SEED = 1;
  const cell = clickTargets(SEED, qualityRegions(SEED), 1)[0];

  it('outlines a click on the synthetic slide, the worker rendering the pixels itself', async () => {
    const { worker, replies } = fakeWorker();
    const client = new AssistClient(worker);
    const r = await client.outline({ kind: 'synthetic', seed: SEED }, { x: cell.cx, y: cell.cy }, 1, { mpp: SYNTHETIC_MPP });
    if ('refused' in r) throw new Error(r.refused);
    expect(shapeIou(r.geometry, { type: 'polygon', points: cell.points })).toBeGreaterThan(0.8);
    expect(replies[0]).toMatchObject({ type: 'outline', id: 1 });
  });

  it('proposes nuclei in pixels the page hands over', async () => {
    const { worker } = fakeWorker();
    const client = new AssistClient(worker);
    const blob = { cx: 20, cy: 20, rx: 7 };
    const pixels = paintBlobs(40, 40, [blob]);
    const found = await client.propose({ kind: 'pixels', pixels }, { x: 0, y: 0, w: 40, h: 40 }, 1, { mpp: SYNTHETIC_MPP });
    expect(found).toHaveLength(1);
    expect(shapeIou(found[0], { type: 'polygon', points: blobRing(blob) })).toBeGreaterThan(0.9);
  });

  it('cancels: the promise rejects at once and the worker drops the request', async () => {
    const { worker, sent, replies } = fakeWorker();
    const client = new AssistClient(worker);
    const abort = new AbortController();
    const pending = client.outline({ kind: 'synthetic', seed: SEED }, { x: cell.cx, y: cell.cy }, 1, {}, abort.signal);
    abort.abort();
    await expect(pending).rejects.toBeInstanceOf(AssistCancelled);
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.map((m) => m.type)).toEqual(['outline', 'cancel']);
    expect(replies).toEqual([{ type: 'cancelled', id: 1 }]);
  });

  it('rejects with the worker’s message when the work fails', async () => {
    const { worker } = fakeWorker();
    const client = new AssistClient(worker);
    await expect(client.propose({ kind: 'synthetic', seed: SEED }, { x: 0, y: 0, w: 10, h: 10 }, 3, { mpp: SYNTHETIC_MPP })).rejects.toThrow(/power of two/);
    // No scale, no guess: the worker refuses rather than assume a magnification.
    await expect(client.propose({ kind: 'synthetic', seed: SEED }, { x: 0, y: 0, w: 10, h: 10 }, 1)).rejects.toThrow(/µm per pixel is needed/);
  });

  it('refuses a request whose signal is already aborted without bothering the worker', async () => {
    const { worker, sent } = fakeWorker();
    const client = new AssistClient(worker);
    const abort = new AbortController();
    abort.abort();
    await expect(client.outline({ kind: 'synthetic', seed: SEED }, { x: 0, y: 0 }, 1, {}, abort.signal)).rejects.toBeInstanceOf(AssistCancelled);
    expect(sent).toEqual([]);
  });
});

describe('AssistClient.warm', () => {
  it('runs a throwaway outline and never rejects', async () => {
    const { worker, sent } = fakeWorker();
    const client = new AssistClient(worker);
    await expect(client.warm({ kind: 'synthetic', seed: 1 }, { x: 10, y: 10 }, 1, 0.5)).resolves.toBeUndefined();
    await expect(client.warm({ kind: 'synthetic', seed: 1 }, { x: 10, y: 10 }, 3, 0.5)).resolves.toBeUndefined();
    expect(sent.map((m) => m.type)).toEqual(['outline', 'outline']);
  });
});
