// Gathering returns in the app when the browser runs out of space: nothing half-merged, on screen or
// on disk, and what was stored before stays as it was.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../src/model/canonical';
import { sampleProjectData } from '../../src/formats/testData';
import { makeReturn } from '../../src/team/packages';

type App = {
  ws: typeof import('../../src/store/workspace');
  team: typeof import('../../src/store/teamActions');
  docStore: typeof import('../../src/store/docStore');
};

const started: App[] = [];
let n = 0;

async function freshBrowser(db = `gather-${++n}`): Promise<App> {
  vi.resetModules();
  const app: App = {
    ws: await import('../../src/store/workspace'),
    team: await import('../../src/store/teamActions'),
    docStore: await import('../../src/store/docStore'),
  };
  await app.ws.initWorkspace({ dbName: db, channelName: `${db}-sync` });
  started.push(app);
  return app;
}

afterEach(() => {
  for (const a of started.splice(0)) a.ws.closeWorkspace();
});

/** The coordinator's project, and a return of a third annotator who labelled every image. */
function fixtures() {
  const base = sampleProjectData('fundus-diagnosis');
  const copy = structuredClone(base);
  const at = '2026-03-01T10:00:00.000Z';
  copy.annotators.push({ id: 'dr-new', projectId: base.project.id, displayName: 'Dr New', role: 'annotator' });
  for (const im of copy.images) {
    copy.annotations.push({ ...copy.annotations[0], id: `new-${im.id}`, imageId: im.id, annotatorId: 'dr-new', createdAt: at, updatedAt: at, updatedBy: 'dr-new' });
  }
  return { base, ret: JSON.stringify(makeReturn(copy, 'dr-new', at)) };
}

async function stored(app: App, projectId: string): Promise<string> {
  const d = await app.ws.loadProjectData(projectId);
  const byId = <T extends { id: string }>(l: T[]) => [...l].sort((a, b) => a.id.localeCompare(b.id));
  return canonicalJson({ annotations: byId(d!.annotations), statuses: byId(d!.statuses), audit: byId(d!.audit), project: d!.project });
}

describe('gather in the app', () => {
  it('stores a gathered return for good', async () => {
    const app = await freshBrowser();
    const { base, ret } = fixtures();
    await app.ws.storeWholeProject(base);
    await app.ws.openProject(base.project.id);
    const [r] = await app.team.gatherFiles([{ name: 'dr-new.json', text: ret }]);
    expect(r.ok && r.report).toMatchObject({ annotator: 'dr-new', added: base.images.length, conflicts: 0 });
    // A reload: the same database, opened by a fresh copy of the app.
    app.ws.closeWorkspace();
    const again = await freshBrowser(`gather-${n}`);
    const d = await again.ws.loadProjectData(base.project.id);
    expect(d!.annotations.filter((a) => a.annotatorId === 'dr-new')).toHaveLength(base.images.length);
    expect(d!.audit.some((e) => e.action === 'gather' && e.detail?.startsWith('dr-new.json'))).toBe(true);
  });

  it('a quota failure mid-gather leaves nothing gathered and everything stored before intact', async () => {
    const app = await freshBrowser();
    const { base, ret } = fixtures();
    await app.ws.storeWholeProject(base);
    await app.ws.openProject(base.project.id);
    const before = await stored(app, base.project.id);
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++puts > 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    } as IDBObjectStore['put'];
    let results;
    try {
      results = await app.team.gatherFiles([{ name: 'dr-new.json', text: ret }]);
    } finally {
      IDBObjectStore.prototype.put = realPut;
    }
    expect(results).toHaveLength(1);
    expect(results[0].ok).toBe(false);
    if (!results[0].ok) expect(`${results[0].problems[0].path}: ${results[0].problems[0].message}`).toMatch(/^\(storage\): could not be stored .*; nothing was gathered$/);
    // On screen: not a record, not an audit line of the gather.
    const doc = app.docStore.useDocStore.getState().doc!;
    expect([...doc.annotations.values()].filter((a) => a.annotatorId === 'dr-new')).toEqual([]);
    expect([...doc.audit.values()].filter((e) => e.action === 'gather')).toEqual([]);
    // On disk, once storage works again and the tab writes what it still holds: exactly as before.
    await app.ws.retrySaves();
    expect(await stored(app, base.project.id)).toBe(before);
  });
});
