import { afterEach, describe, expect, it } from 'vitest';
import { created, updated } from '../model/changes';
import type { Annotator } from '../model/types';
import { Autosaver, type SaveStatus } from './autosave';
import { openGranulaDb } from './db';
import { writeChangesMerging } from './writes';

const ann = (id: string, name = id): Annotator => ({ id, projectId: 'p', displayName: name });
const realPut = IDBObjectStore.prototype.put;

/** As Chromium does when the disk is full: the n-th put of a transaction throws QuotaExceededError. */
function failPutsAfter(n: number): void {
  let count = 0;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (++count > n) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return realPut.apply(this, args);
  } as IDBObjectStore['put'];
}

afterEach(() => {
  IDBObjectStore.prototype.put = realPut;
});

async function storedAnnotators(db: Awaited<ReturnType<typeof openGranulaDb>>) {
  return (await db.getAll('records')).map((r) => r.value);
}

describe('a write that fails part-way stores nothing of its batch', () => {
  it('quota error on the second record: the first is not stored either, and the old values stay', async () => {
    const db = await openGranulaDb('merge-write-quota');
    await writeChangesMerging(db, 'p', [created('annotator', ann('a', 'Sato'))]);
    failPutsAfter(1);
    const batch = [updated('annotator', ann('a', 'Sato'), ann('a', 'Dr Sato')), created('annotator', ann('b', 'Tanaka'))];
    await expect(writeChangesMerging(db, 'p', batch)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    IDBObjectStore.prototype.put = realPut;
    expect(await storedAnnotators(db)).toEqual([ann('a', 'Sato')]);
    db.close();
  });

  it('the autosaver says the storage is full, keeps both edits, and stores them on retry', async () => {
    const db = await openGranulaDb('merge-write-autosave');
    const statuses: SaveStatus[] = [];
    const saver = new Autosaver({ write: (p, c) => writeChangesMerging(db, p, c) }, (s) => statuses.push(s));
    failPutsAfter(1);
    saver.enqueue('p', [created('annotator', ann('a')), created('annotator', ann('b'))]);
    await saver.flush();
    expect(statuses.at(-1)).toMatchObject({ state: 'error', pending: 2, error: { kind: 'quota' } });
    expect(await storedAnnotators(db)).toEqual([]);
    // An edit made while the disk is full joins the kept ones.
    saver.enqueue('p', [updated('annotator', ann('a'), ann('a', 'renamed'))]);
    IDBObjectStore.prototype.put = realPut;
    await saver.retry();
    expect(statuses.at(-1)).toMatchObject({ state: 'saved', pending: 0 });
    expect(await storedAnnotators(db)).toEqual([ann('a', 'renamed'), ann('b')]);
    db.close();
  });
});

describe('Autosaver and other tabs', () => {
  it('reports the merged value when another tab wrote the record first', async () => {
    const db = await openGranulaDb('merge-write-report');
    await writeChangesMerging(db, 'p', [created('annotator', { ...ann('a'), role: 'pathologist' } as Annotator)]);
    const merged: unknown[] = [];
    const saver = new Autosaver({ write: (p, c) => writeChangesMerging(db, p, c) }, () => {}, () => {}, 250, (_p, m) => merged.push(...m));
    // This tab never saw the role another tab set; it renames the annotator.
    saver.enqueue('p', [updated('annotator', ann('a'), ann('a', 'Dr A'))]);
    expect(saver.localChange('p', 'annotator', 'a')).toMatchObject({ after: ann('a', 'Dr A') });
    await saver.flush();
    expect(saver.localChange('p', 'annotator', 'a')).toBeUndefined();
    expect(merged).toEqual([{ kind: 'annotator', id: 'a', before: ann('a', 'Dr A'), after: { ...ann('a', 'Dr A'), role: 'pathologist' } }]);
    db.close();
  });

  it('an urgent flush (page closing) does not wait for a write in progress, and the newer value is stored last', async () => {
    const db = await openGranulaDb('merge-write-urgent');
    const saver = new Autosaver({ write: (p, c) => writeChangesMerging(db, p, c) }, () => {});
    saver.enqueue('p', [created('annotator', ann('a', 'one'))]);
    const first = saver.flush();
    saver.enqueue('p', [updated('annotator', ann('a', 'one'), ann('a', 'two'))]);
    const urgent = saver.flush({ urgent: true });
    await Promise.all([first, urgent]);
    expect(await storedAnnotators(db)).toEqual([ann('a', 'two')]);
    db.close();
  });
});
