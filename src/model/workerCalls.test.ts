import { describe, expect, it } from 'vitest';
import { whenAborted, WorkerCalls, type CallAnswer } from './workerCalls';

class Dropped extends Error {}

/** Calls whose sends and cancels are recorded, as a worker would receive them. */
function recorded() {
  const calls = new WorkerCalls<CallAnswer & { value?: number }>(() => new Dropped('dropped'));
  const sent: string[] = [];
  const ask = (signal?: AbortSignal) =>
    calls.call(
      (id) => sent.push(`ask ${id}`),
      (id) => sent.push(`cancel ${id}`),
      signal,
    );
  return { calls, sent, ask };
}

describe('calls into a long-lived worker', () => {
  it('settles each call by the id its answer names, in whatever order the answers come', async () => {
    const { calls, sent, ask } = recorded();
    const first = ask();
    const second = ask();
    expect(sent).toEqual(['ask 1', 'ask 2']);
    expect(calls.settle({ id: 2, type: 'done', value: 20 })).toBe(true);
    expect(calls.settle({ id: 1, type: 'error', message: 'no such slide' })).toBe(true);
    await expect(second).resolves.toEqual({ id: 2, type: 'done', value: 20 });
    await expect(first).rejects.toThrow('no such slide');
    // Each call is settled once: a second answer finds nobody waiting.
    expect(calls.settle({ id: 2, type: 'done' })).toBe(false);
  });

  it('an abort rejects at once, tells the worker, and the late answer finds nobody waiting', async () => {
    const { calls, sent, ask } = recorded();
    const abort = new AbortController();
    const p = ask(abort.signal);
    abort.abort();
    await expect(p).rejects.toBeInstanceOf(Dropped);
    expect(sent).toEqual(['ask 1', 'cancel 1']);
    expect(calls.settle({ id: 1, type: 'done' })).toBe(false);
  });

  it('sends nothing for an already aborted signal; the worker\'s own "cancelled" rejects as dropped', async () => {
    const { calls, sent, ask } = recorded();
    const abort = new AbortController();
    abort.abort();
    await expect(ask(abort.signal)).rejects.toBeInstanceOf(Dropped);
    expect(sent).toEqual([]);
    const p = ask();
    calls.settle({ id: 1, type: 'cancelled' });
    await expect(p).rejects.toBeInstanceOf(Dropped);
  });

  it('an abort after the answer changes nothing; cancelAll rejects what still waits', async () => {
    const { calls, sent, ask } = recorded();
    const abort = new AbortController();
    const answered = ask(abort.signal);
    const waiting = ask();
    calls.settle({ id: 1, type: 'done', value: 1 });
    abort.abort();
    await expect(answered).resolves.toMatchObject({ value: 1 });
    expect(sent).toEqual(['ask 1', 'ask 2']);
    calls.cancelAll();
    await expect(waiting).rejects.toBeInstanceOf(Dropped);
  });

  it('whenAborted runs once, at once for an aborted signal, and not after it is detached', () => {
    const runs: string[] = [];
    const a = new AbortController();
    whenAborted(a.signal, () => runs.push('a'));
    a.abort();
    a.abort();
    const b = new AbortController();
    b.abort();
    whenAborted(b.signal, () => runs.push('b'));
    const c = new AbortController();
    whenAborted(c.signal, () => runs.push('c'))();
    c.abort();
    expect(runs).toEqual(['a', 'b']);
  });
});
