import { afterEach, describe, expect, it } from 'vitest';
import { created, deleted, updated, type RecordChange } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import type { Annotator } from '../model/types';
import { Autosaver, type SaveStatus } from './autosave';
import { openGranulaDb } from './db';
import { loadProject, loadStoredProject, readRecords } from './repository';
import { bigProject, cell, expectSameProject, PACK_FOLD, PACK_SIZE, storeImport, useSmallPacks, withChanges } from './testProjects';
import { planFold, runFold, writeChangesBlind, writeChangesMerging, type FoldResult } from './writes';

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

/** Plans and runs a fold as the app does after opening a project (there in a worker). */
async function foldIntoPacks(db: Awaited<ReturnType<typeof openGranulaDb>>, projectId: string, annotations: Parameters<typeof planFold>[0], threshold: number): Promise<FoldResult> {
  const plan = planFold(annotations, threshold);
  return plan ? runFold(db, projectId, plan) : { packs: 0, rows: 0 };
}

const slideOf = (data: ProjectData) => data.annotations.filter((a) => a.imageId === 'slide');

/** bigProject stored as the app stores an import, in a fresh database. */
async function storedBigProject(name: string) {
  const db = await openGranulaDb(name);
  const data = bigProject();
  await storeImport(db, data);
  return { db, data, slide: slideOf(data) };
}

const expectLoadsAs = async (db: Awaited<ReturnType<typeof openGranulaDb>>, expected: ProjectData) => expectSameProject((await loadProject(db, 'prj_big'))!, expected);

describe('the autosaver\'s writers on a project whose annotations are packed', () => {
  useSmallPacks();
  const later = '2026-03-03T00:00:00.000Z';
  it('merging: two tabs editing the same packed annotation keep both edits, and a reload shows them', async () => {
    const { db, data, slide } = await storedBigProject('packed-merge');
    const a = slide[3];
    // Both tabs opened the project before either edited: both start from the packed value.
    await writeChangesMerging(db, 'prj_big', [updated('annotation', a, { ...a, classId: 'stroma', updatedAt: later })]);
    const outcome = await writeChangesMerging(db, 'prj_big', [updated('annotation', a, { ...a, note: 'mitosis?', updatedAt: later })]);
    const both = { ...a, classId: 'stroma', note: 'mitosis?', updatedAt: later };
    expect(outcome.merged).toEqual([{ kind: 'annotation', id: a.id, before: { ...a, note: 'mitosis?', updatedAt: later }, after: both }]);
    await expectLoadsAs(db, withChanges(data, [updated('annotation', a, both)]));
    db.close();
  });

  it('merging: a packed annotation deleted in one tab and edited in the other comes back edited (no work disappears unseen)', async () => {
    const { db, data, slide } = await storedBigProject('packed-delete-edit');
    const a = slide[70];
    await writeChangesMerging(db, 'prj_big', [deleted('annotation', a)]);
    expect((await loadProject(db, 'prj_big'))!.annotations.some((x) => x.id === a.id)).toBe(false);
    const edited = { ...a, classId: 'stroma', updatedAt: later };
    await writeChangesMerging(db, 'prj_big', [updated('annotation', a, edited)]);
    await expectLoadsAs(db, withChanges(data, [updated('annotation', a, edited)]));
    db.close();
  });

  it('blind (page closing): deletions, edits and new shapes of a packed image survive a reload', async () => {
    const { db, data, slide } = await storedBigProject('packed-blind');
    // The closing tab knows the project has packs from having loaded it; it writes without reading.
    await loadStoredProject(db, 'prj_big');
    const changes = [deleted('annotation', slide[5]), deleted('annotation', slide[PACK_SIZE + 1]), updated('annotation', slide[6], { ...slide[6], classId: 'stroma' }), created('annotation', cell(5000, 'slide'))];
    await writeChangesBlind(db, 'prj_big', changes);
    await expectLoadsAs(db, withChanges(data, changes));
    db.close();
  });

  it('a batch that fails part-way stores none of its deletions or edits of packed annotations', async () => {
    const { db, data, slide } = await storedBigProject('packed-quota');
    failPutsAfter(1);
    const batch = [deleted('annotation', slide[1]), updated('annotation', slide[2], { ...slide[2], classId: 'stroma' })];
    await expect(writeChangesMerging(db, 'prj_big', batch)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    IDBObjectStore.prototype.put = realPut;
    await expectLoadsAs(db, data);
    db.close();
  });
});

describe('folding rows back into packs', () => {
  useSmallPacks();
  const annotationRows = async (db: Awaited<ReturnType<typeof openGranulaDb>>) => (await db.getAll('records')).filter((r) => r.kind === 'annotation').length;

  /**
   * The slide's first pack gets PACK_FOLD edits and 2 deletions, its second pack 3 edits (too few
   * to fold), and the slide PACK_FOLD new shapes. Returns what a reload must show.
   */
  async function editALot(db: Awaited<ReturnType<typeof openGranulaDb>>, data: ProjectData): Promise<ProjectData> {
    const slide = slideOf(data);
    const changes: RecordChange[] = [];
    for (let i = 0; i < PACK_FOLD; i++) changes.push(updated('annotation', slide[i], { ...slide[i], classId: 'stroma', note: `edit ${i}` }));
    changes.push(deleted('annotation', slide[PACK_FOLD]), deleted('annotation', slide[PACK_FOLD + 1]));
    for (let i = 0; i < 3; i++) changes.push(updated('annotation', slide[PACK_SIZE + i], { ...slide[PACK_SIZE + i], uncertain: true }));
    for (let i = 0; i < PACK_FOLD; i++) changes.push(created('annotation', cell(9000 + i, 'slide')));
    await writeChangesMerging(db, 'prj_big', changes);
    return withChanges(data, changes);
  }

  /** A stored bigProject edited by editALot: the database, the import and what a reload must show. */
  async function editedProject(name: string) {
    const { db, data } = await storedBigProject(name);
    const expected = await editALot(db, data);
    const expectLoadsAsEdited = () => expectLoadsAs(db, expected);
    return { db, expected, expectLoadsAsEdited };
  }

  const everything = async (db: Awaited<ReturnType<typeof openGranulaDb>>) => JSON.stringify({ records: await db.getAll('records'), packs: await db.getAll('annotationPacks') });

  it('rewrites a much-edited pack with its edits, packs the new shapes, and the project loads the same from fewer rows', async () => {
    const { db, expectLoadsAsEdited } = await editedProject('fold');
    // 6 rows of the small image, then 16 + 2 + 3 + 16 edits, deletions and new shapes.
    expect(await annotationRows(db)).toBe(6 + 37);
    const stored = (await loadStoredProject(db, 'prj_big'))!;
    const result = await foldIntoPacks(db, 'prj_big', stored.annotations, PACK_FOLD);
    // The first pack rewritten and one new pack: 18 + 16 rows folded; the second pack's 3 edits stay rows.
    expect(result).toEqual({ packs: 2, rows: 34 });
    expect(await annotationRows(db)).toBe(6 + 3);
    expect((await db.getAll('annotationPacks')).map((p) => p.pack.count)).toEqual([PACK_SIZE - 2, PACK_SIZE, 30, PACK_FOLD]);
    await expectLoadsAsEdited();
    // Nothing left worth folding: a second fold writes nothing.
    expect(await foldIntoPacks(db, 'prj_big', (await loadStoredProject(db, 'prj_big'))!.annotations, PACK_FOLD)).toEqual({ packs: 0, rows: 0 });
    db.close();
  });

  it('rewrites at most 8 packs a call, the most edited first; the next call folds the rest', async () => {
    const db = await openGranulaDb('fold-few-at-once');
    const data = bigProject(10 * PACK_SIZE);
    await storeImport(db, data);
    const slide = slideOf(data);
    // Pack p gets PACK_FOLD + p edits: packs 2 to 9 are the 8 most edited.
    const changes: RecordChange[] = [];
    for (let p = 0; p < 10; p++) for (let i = 0; i < PACK_FOLD + p; i++) changes.push(updated('annotation', slide[p * PACK_SIZE + i], { ...slide[p * PACK_SIZE + i], classId: 'stroma' }));
    await writeChangesMerging(db, 'prj_big', changes);
    const first = await foldIntoPacks(db, 'prj_big', (await loadStoredProject(db, 'prj_big'))!.annotations, PACK_FOLD);
    // Rows of packs 2..9: sum of PACK_FOLD + p for p = 2..9 = 8 * PACK_FOLD + 44.
    expect(first).toEqual({ packs: 8, rows: 8 * PACK_FOLD + 44 });
    const second = await foldIntoPacks(db, 'prj_big', (await loadStoredProject(db, 'prj_big'))!.annotations, PACK_FOLD);
    expect(second).toEqual({ packs: 2, rows: 2 * PACK_FOLD + 1 });
    await expectLoadsAs(db, withChanges(data, changes));
    db.close();
  });

  it('keeps edits written after the tab loaded the project: stored rows, not the loaded ones, are folded', async () => {
    const { db, expected } = await editedProject('fold-later-edits');
    const stored = (await loadStoredProject(db, 'prj_big'))!;
    const [edited, gone] = [expected.annotations[2], expected.annotations[3]];
    const later = [updated('annotation', edited, { ...edited, note: 'edited again after the load' }), deleted('annotation', gone)];
    await writeChangesMerging(db, 'prj_big', later);
    await foldIntoPacks(db, 'prj_big', stored.annotations, PACK_FOLD);
    await expectLoadsAs(db, withChanges(expected, later));
    db.close();
  });

  it('does nothing when another tab changed which packs exist since the load (no shape packed twice)', async () => {
    const { db, expected } = await editedProject('fold-other-tab');
    const mine = (await loadStoredProject(db, 'prj_big'))!;
    // The other tab loaded too and folded first: it added a pack of the new shapes, then edited one.
    expect((await foldIntoPacks(db, 'prj_big', (await loadStoredProject(db, 'prj_big'))!.annotations, PACK_FOLD)).packs).toBe(2);
    const shape = expected.annotations.at(-1)!;
    const again = [updated('annotation', shape, { ...shape, classId: 'stroma' })];
    await writeChangesMerging(db, 'prj_big', again);
    const before = await everything(db);
    expect(await foldIntoPacks(db, 'prj_big', mine.annotations, PACK_FOLD)).toEqual({ packs: 0, rows: 0 });
    expect(await everything(db)).toBe(before);
    await expectLoadsAs(db, withChanges(expected, again));
    db.close();
  });

  it('another tab reading an edited annotation after its row was folded gets the edit, not a deletion', async () => {
    const { db, expected } = await editedProject('fold-then-read');
    await foldIntoPacks(db, 'prj_big', (await loadStoredProject(db, 'prj_big'))!.annotations, PACK_FOLD);
    const slide = slideOf(bigProject());
    // Edited and folded; deleted and folded; new and packed; edited but still a row.
    const ids = [slide[0].id, slide[PACK_FOLD].id, cell(9000, 'slide').id, slide[PACK_SIZE].id];
    const byId = new Map(expected.annotations.map((a) => [a.id, a]));
    expect(await readRecords(db, 'prj_big', ids.map((id) => ({ kind: 'annotation', id })))).toEqual(ids.map((id) => byId.get(id)));
    db.close();
  });

  it('folds each pack all-or-nothing: when the new shapes cannot be packed, they stay rows and the project loads the same', async () => {
    const { db, expectLoadsAsEdited } = await editedProject('fold-quota');
    const stored = (await loadStoredProject(db, 'prj_big'))!;
    // The first pack's rewrite is the first put; the new shapes' pack, the second, fails.
    failPutsAfter(1);
    await expect(foldIntoPacks(db, 'prj_big', stored.annotations, PACK_FOLD)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    IDBObjectStore.prototype.put = realPut;
    expect((await db.getAll('annotationPacks')).map((p) => p.pack.count)).toEqual([PACK_SIZE - 2, PACK_SIZE, 30]);
    // The small image's 6, the second pack's 3 edits and the 16 new shapes.
    expect(await annotationRows(db)).toBe(6 + 3 + PACK_FOLD);
    await expectLoadsAsEdited();
    db.close();
  });
});
