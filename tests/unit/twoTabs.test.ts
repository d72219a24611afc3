// Two tabs of one browser profile, each with its own copy of the app's modules, sharing one
// IndexedDB (fake-indexeddb) and one BroadcastChannel (Node's). What a browser test cannot time
// precisely — both tabs editing the same record before either hears of the other, a tab loading
// while the other writes — is forced here, step by step.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabelClass } from '../../src/model/types';

type Tab = {
  ws: typeof import('../../src/store/workspace');
  actions: typeof import('../../src/store/actions');
  docs: typeof import('../../src/store/docStore');
};

const opened: Tab[] = [];
let run = 0;

async function openTab(dbName: string, channelName: string): Promise<Tab> {
  vi.resetModules();
  const tab: Tab = {
    ws: await import('../../src/store/workspace'),
    actions: await import('../../src/store/actions'),
    docs: await import('../../src/store/docStore'),
  };
  await tab.ws.initWorkspace({ dbName, channelName });
  opened.push(tab);
  return tab;
}

async function twoTabsOnOneProject() {
  const names = { db: `two-tabs-${++run}`, channel: `sync-${run}` };
  const a = await openTab(names.db, names.channel);
  const b = await openTab(names.db, names.channel);
  const created = await a.ws.createProject('Colon polyps', 'endoscopy-lesions');
  const pid = created.project.id;
  expect(await a.ws.openProject(pid)).toBe(true);
  expect(await b.ws.openProject(pid)).toBe(true);
  return { a, b, pid };
}

afterEach(() => {
  for (const t of opened.splice(0)) t.ws.closeWorkspace();
});

async function until(check: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const cls = (id: string): LabelClass => ({ id, name: { en: id, ja: id }, color: '#112233', attributes: [] });

function addClass(tab: Tab, id: string): void {
  const doc = tab.docs.useDocStore.getState().doc!;
  const schema = tab.actions.currentSchemaOf(doc);
  tab.actions.editSchema({ ...schema, classes: [...schema.classes, cls(id)] });
}

const classIds = (tab: Tab) => tab.actions.currentSchemaOf(tab.docs.useDocStore.getState().doc!).classes.map((c) => c.id);

async function storedClassIds(tab: Tab, pid: string): Promise<string[]> {
  const { loadProject } = await import('../../src/storage/repository');
  const data = (await loadProject(tab.ws.workspaceDb()!, pid))!;
  const current = data.schemas.filter((s) => s.id === data.project.schemaId).sort((x, y) => y.version - x.version)[0];
  return current.classes.map((c) => c.id);
}

describe('two tabs on one project', () => {
  it('a saved edit in one tab appears in the other, which is told', async () => {
    const { a, b } = await twoTabsOnOneProject();
    a.actions.addImages([{ name: 'frame-1.png', modality: 'endoscopy', source: { kind: 'image-url', url: 'x' }, width: 10, height: 10 }]);
    await a.ws.flushSaves();
    await until(() => b.docs.useDocStore.getState().doc!.images.size === 1, 'the image in tab B');
    expect(b.ws.useWorkspace.getState().notice).toBe('remote-changes');
  });

  it('both tabs add a class before either hears of the other: both classes are stored and shown in both', async () => {
    const { a, b, pid } = await twoTabsOnOneProject();
    addClass(a, 'adenoma');
    addClass(b, 'serrated'); // B still holds the schema without "adenoma"
    await a.ws.flushSaves();
    await b.ws.flushSaves();
    const expected = ['polyp', 'cancer', 'other-lesion', 'adenoma', 'serrated'];
    expect(await storedClassIds(a, pid)).toEqual(expected);
    expect(classIds(b)).toEqual(expected); // B shows the merged record at once
    await until(() => classIds(a).length === 5, 'tab A to follow');
    expect(classIds(a)).toEqual(expected);
  });

  it('one tab renames the project while the other edits its description: both kept', async () => {
    const { a, b, pid } = await twoTabsOnOneProject();
    a.actions.updateProject({ name: 'Colon polyps 2026' });
    b.actions.updateProject({ description: 'Screening colonoscopies' });
    await Promise.all([a.ws.flushSaves(), b.ws.flushSaves()]);
    const { loadProject } = await import('../../src/storage/repository');
    expect((await loadProject(a.ws.workspaceDb()!, pid))!.project).toMatchObject({ name: 'Colon polyps 2026', description: 'Screening colonoscopies' });
    await until(() => a.docs.useDocStore.getState().doc!.project.description === 'Screening colonoscopies', 'A to show B’s description');
    await until(() => b.docs.useDocStore.getState().doc!.project.name === 'Colon polyps 2026', 'B to show A’s name');
  });

  it('undo in a stale tab takes back only its own edit', async () => {
    const { a, b, pid } = await twoTabsOnOneProject();
    addClass(b, 'serrated');
    await b.ws.flushSaves();
    addClass(a, 'adenoma'); // A may not have heard of "serrated" yet
    await a.ws.flushSaves();
    a.docs.useDocStore.getState().undo();
    await a.ws.flushSaves();
    expect(await storedClassIds(a, pid)).toEqual(['polyp', 'cancer', 'other-lesion', 'serrated']);
  });

  it('a tab that loads the project while the other writes still shows every write', async () => {
    for (let delay = 0; delay < 4; delay++) {
      const names = { db: `loading-${++run}`, channel: `sync-load-${run}` };
      const a = await openTab(names.db, names.channel);
      const b = await openTab(names.db, names.channel);
      const pid = (await a.ws.createProject('Fundus', 'fundus-diagnosis')).project.id;
      await a.ws.openProject(pid);
      const loading = b.ws.openProject(pid);
      for (let i = 0; i < delay; i++) await Promise.resolve();
      a.actions.addImages([{ name: `eye-${delay}.png`, modality: 'fundus', source: { kind: 'image-url', url: 'x' }, width: 10, height: 10 }]);
      await a.ws.flushSaves();
      await loading;
      await until(() => b.docs.useDocStore.getState().doc?.images.size === 1, `B to show the image written during its load (delay ${delay})`);
    }
  });

  it('a project deleted in one tab is not brought back by the other tab’s unsaved edits', async () => {
    const { a, b, pid } = await twoTabsOnOneProject();
    await a.ws.removeProject(pid);
    await until(() => b.docs.useDocStore.getState().doc === null, 'B to close the deleted project');
    await b.ws.flushSaves();
    const rows = await b.ws.workspaceDb()!.getAllFromIndex('records', 'projectId', pid);
    expect(rows).toEqual([]);
  });

  it('a slide whose cells are packed: a deletion in one tab and an edit in the other reach both, and a reload shows both', async () => {
    const names = { db: `packed-${++run}`, channel: `sync-packed-${run}` };
    // Each tab has its own modules: both get small packs (the logic is the same at 8192).
    const smallPacks = async () => Object.assign((await import('../../src/storage/db')).PACKING, { size: 64, min: 40, fold: 16 });
    const a = await openTab(names.db, names.channel);
    await smallPacks();
    const b = await openTab(names.db, names.channel);
    await smallPacks();
    const { bigProject } = await import('../../src/storage/testProjects');
    const data = bigProject();
    await a.ws.storeWholeProject(data);
    expect(await a.ws.openProject('prj_big')).toBe(true);
    expect(await b.ws.openProject('prj_big')).toBe(true);
    expect(await a.ws.workspaceDb()!.count('annotationPacks')).toBe(3);
    const slide = data.annotations.filter((x) => x.imageId === 'slide');
    a.actions.deleteAnnotations([slide[1].id]);
    b.actions.updateAnnotations([{ id: slide[2].id, patch: { classId: 'stroma' } }]);
    await Promise.all([a.ws.flushSaves(), b.ws.flushSaves()]);
    const shows = (t: Tab) => !t.docs.useDocStore.getState().doc!.annotations.has(slide[1].id) && t.docs.useDocStore.getState().doc!.annotations.get(slide[2].id)?.classId === 'stroma';
    await until(() => shows(a) && shows(b), 'both tabs to show both edits');
    const c = await openTab(names.db, names.channel);
    expect(await c.ws.openProject('prj_big')).toBe(true);
    expect(shows(c)).toBe(true);
    expect(c.docs.useDocStore.getState().doc!.annotations.size).toBe(data.annotations.length - 1);
  });

  it('property: whatever the order of edits and saves, every class and image either tab added is stored and shown', async () => {
    // Each step: which tab, what it does. Saves happen only where a step says so (or at the end).
    const step = fc.record({ tab: fc.constantFrom(0, 1), op: fc.constantFrom('class', 'image', 'save', 'status') });
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 12 }), async (steps) => {
        const { a, b, pid } = await twoTabsOnOneProject();
        const tabs = [a, b];
        const added = { classes: [] as string[], images: [] as string[] };
        for (const [i, s] of steps.entries()) {
          const t = tabs[s.tab];
          if (s.op === 'class') {
            addClass(t, `c${i}`);
            added.classes.push(`c${i}`);
          } else if (s.op === 'image') {
            t.actions.addImages([{ name: `img-${i}`, modality: 'endoscopy', source: { kind: 'image-url', url: 'x' }, width: 10, height: 10 }]);
            added.images.push(`img-${i}`);
          } else if (s.op === 'status') {
            const first = [...t.docs.useDocStore.getState().doc!.images.values()][0];
            if (first) t.actions.setImageStatus(first.id, `dr-${s.tab}`, { state: 'done' });
          } else await t.ws.flushSaves();
        }
        await a.ws.flushSaves();
        await b.ws.flushSaves();
        const stored = await storedClassIds(a, pid);
        const { loadProject } = await import('../../src/storage/repository');
        const images = (await loadProject(a.ws.workspaceDb()!, pid))!.images.map((im) => im.name);
        expect(stored).toEqual(expect.arrayContaining(added.classes));
        expect(images.sort()).toEqual([...added.images].sort());
        // Both tabs end up showing what is stored.
        for (const t of tabs) await until(() => classIds(t).length === stored.length && t.docs.useDocStore.getState().doc!.images.size === images.length, 'both tabs to show the stored project');
        checked += added.classes.length + added.images.length;
        for (const t of opened.splice(0)) t.ws.closeWorkspace();
      }),
      { seed: 20260206, numRuns: 40 },
    );
    expect(checked).toBeGreaterThan(100);
  });
});
