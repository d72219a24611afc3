import { describe, expect, it, vi } from 'vitest';
import { created, updated } from '../model/changes';
import type { Annotator } from '../model/types';
import { Autosaver, type SaveStatus } from './autosave';

const ann = (name: string): Annotator => ({ id: 'a1', projectId: 'p', displayName: name });

describe('Autosaver', () => {
  it('writes within a second, once per record with its latest value', async () => {
    vi.useFakeTimers();
    const writes: unknown[][] = [];
    const statuses: SaveStatus[] = [];
    const saver = new Autosaver({ write: async (_p, c) => void writes.push(c) }, (s) => statuses.push(s));
    saver.enqueue('p', [created('annotator', ann('A'))]);
    saver.enqueue('p', [updated('annotator', ann('A'), ann('B'))]);
    expect(statuses.at(-1)).toMatchObject({ state: 'saving', pending: 1 });
    await vi.advanceTimersByTimeAsync(999);
    vi.useRealTimers();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toEqual([{ kind: 'annotator', id: 'a1', before: undefined, after: ann('B') }]);
    expect(statuses.at(-1)).toMatchObject({ state: 'saved', pending: 0 });
  });

  it('keeps every change in memory when a write fails, says why, and saves them on retry', async () => {
    let fail = true;
    const stored: unknown[] = [];
    const statuses: SaveStatus[] = [];
    const quota = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    const saver = new Autosaver(
      { write: async (_p, c) => { if (fail) throw quota; stored.push(...c); } },
      (s) => statuses.push(s),
    );
    saver.enqueue('p', [created('annotator', ann('A'))]);
    await saver.flush();
    expect(statuses.at(-1)).toMatchObject({ state: 'error', pending: 1, error: { kind: 'quota' } });
    expect(stored).toEqual([]);
    fail = false;
    await saver.retry();
    expect(stored).toHaveLength(1);
    expect(statuses.at(-1)).toMatchObject({ state: 'saved', pending: 0 });
  });

  it('reports storage as unavailable and holds edits when there is no database', () => {
    const statuses: SaveStatus[] = [];
    const saver = new Autosaver(null, (s) => statuses.push(s));
    saver.setTarget(null, 'IndexedDB is not available in this browser window');
    saver.enqueue('p', [created('annotator', ann('A'))]);
    expect(saver.pendingCount).toBe(1);
    expect(statuses.at(-1)).toMatchObject({ state: 'error', error: { kind: 'unavailable' } });
  });

  it('a page going away while a write is still in progress writes that batch again with the urgent write', async () => {
    // The first (merging) write never finishes: the page died between its read and its puts.
    const urgentWrites: unknown[][] = [];
    const saver = new Autosaver(
      { write: (_p, c, o) => (o?.urgent ? (urgentWrites.push(c), Promise.resolve()) : new Promise<void>(() => {})) },
      () => {},
    );
    saver.enqueue('p', [created('annotator', ann('A'))]);
    void saver.flush();
    saver.enqueue('p', [created('annotator', { ...ann('B'), id: 'a2' })]);
    // The urgent write is issued at once (the page may not run another task); it is not awaited here
    // because its acknowledgement waits, in order, for the write that never finishes.
    void saver.flush({ urgent: true });
    await Promise.resolve();
    const ids = urgentWrites.flat().map((c) => (c as { id: string }).id).sort();
    expect(ids).toEqual(['a1', 'a2']);
  });
});
