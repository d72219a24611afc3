// Export-all backup and restore: the same projects come back, proven by a canonical SHA-256 of
// every record and file taken before the backup and after the restore, in a fresh "browser"
// (a second copy of the app's modules on another IndexedDB database).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleProjectData } from '../../src/formats/testData';
import { applyPackage, makeWorkPackage } from '../../src/team/packages';

type App = {
  ws: typeof import('../../src/store/workspace');
  backup: typeof import('../../src/store/backup');
  actions: typeof import('../../src/store/actions');
};

const started: App[] = [];
let n = 0;

async function freshBrowser(): Promise<App> {
  vi.resetModules();
  const app: App = {
    ws: await import('../../src/store/workspace'),
    backup: await import('../../src/store/backup'),
    actions: await import('../../src/store/actions'),
  };
  await app.ws.initWorkspace({ dbName: `backup-${++n}`, channelName: `backup-sync-${n}` });
  started.push(app);
  return app;
}

afterEach(() => {
  for (const a of started.splice(0)) a.ws.closeWorkspace();
});

const png = (seed: number) => new Blob([new Uint8Array(64).map((_, i) => (i * seed) & 255)], { type: 'image/png' });

/** Three projects of the three kinds, image files, a second schema version, opt-outs and an export log. */
async function seed(app: App): Promise<void> {
  for (const t of ['pathology-cells', 'endoscopy-lesions', 'fundus-diagnosis'] as const) {
    const data = sampleProjectData(t);
    const blobs = data.images.map((_im, i) => ({ blobId: `${data.project.id}-file-${i}`, projectId: data.project.id, mime: 'image/png', data: png(i + 3) }));
    data.images = data.images.map((im, i) => ({ ...im, source: { kind: 'file', blobId: blobs[i].blobId, mime: 'image/png', fileName: `${im.name}.png` } }));
    data.project = { ...data.project, optOut: ['pk-aaaaaaaaaaaaaaaaaaaaaaaaaa'], exportLog: [{ at: '2026-02-01T10:00:00.000Z', format: 'coco', images: 2, annotations: 7, excludedImages: 1, reason: 'opt-out' }] };
    await app.ws.storeWholeProject(data, blobs);
  }
  // Edits made through the app after the import, saved by autosave.
  await app.ws.openProject('prj_endoscopy-lesions');
  const { useDocStore } = await import('../../src/store/docStore');
  const doc = useDocStore.getState().doc!;
  const v1 = app.actions.currentSchemaOf(doc);
  app.actions.editSchema({ ...v1, classes: v1.classes.filter((c) => c.id !== 'other-lesion') }); // annotations exist: a version 2
  app.actions.setImageStatus('img_2', 'reader-b', { state: 'done', noFinding: true });
  await app.ws.flushSaves();
}

describe('backup of every project and restore', () => {
  it('restores the same projects in a fresh browser: canonical hash before equals hash after', async () => {
    const home = await freshBrowser();
    await seed(home);
    const before = await home.backup.currentHash();
    const made = await home.backup.makeBackup('2026-02-06T12:00:00.000Z');
    expect(made).toMatchObject({ projects: 3, files: 8, hash: before });

    const other = await freshBrowser();
    expect(await other.backup.currentHash()).not.toBe(before);
    const restored = await other.backup.restoreBackup(made.text);
    expect(restored).toMatchObject({ ok: true, projects: 3, files: 8, verified: true, hash: before });
    expect(await other.backup.currentHash()).toBe(before);
    const stored = await other.backup.storedProjects();
    const endo = stored.find((p) => p.data.project.id === 'prj_endoscopy-lesions')!;
    expect(endo.data.schemas.map((s) => s.version)).toEqual([1, 2]);
    expect(await endo.blobs[0].data.arrayBuffer()).toEqual(await png(3).arrayBuffer());
  });

  it('restoring over the same browser replaces the projects with the backed-up state (later edits undone)', async () => {
    const app = await freshBrowser();
    await seed(app);
    const made = await app.backup.makeBackup();
    app.actions.updateProject({ name: 'renamed after the backup' });
    await app.ws.flushSaves();
    expect(await app.backup.currentHash()).not.toBe(made.hash);
    const restored = await app.backup.restoreBackup(made.text);
    expect(restored).toMatchObject({ ok: true, verified: true });
    expect(await app.backup.currentHash()).toBe(made.hash);
    const { useDocStore } = await import('../../src/store/docStore');
    expect(useDocStore.getState().doc!.project.name).toBe('Sample endoscopy-lesions'); // the open project shows the restored copy
  });

  it('refuses a damaged or edited backup, naming where, and changes nothing', async () => {
    const app = await freshBrowser();
    await seed(app);
    const made = await app.backup.makeBackup();
    const good = JSON.parse(made.text);
    const before = await app.backup.currentHash();
    const cases: [string, (b: any) => void, string][] = [
      ['a bad annotation in the second project', (b) => (b.projects[1].annotations[0].geometry = { type: 'box', x: 'NaN', y: 0, w: 1, h: 1 }), 'projects[1].annotations[0].geometry.x'],
      ['an edited count without a new hash', (b) => (b.projects[0].images[0].width = 12), 'hash: does not match'],
      ['the same project twice', (b) => b.projects.push(b.projects[0]), 'projects[3].project.id: duplicate project id'],
      ['not base64', (b) => (b.projects[0].files[0].base64 = '***'), 'projects[0].files[0].base64'],
      ['another kind of file', (b) => (b.format = 'granula-shared'), 'format: expected "granula-backup"'],
    ];
    for (const [name, mutate, expected] of cases) {
      const copy = structuredClone(good);
      mutate(copy);
      const r = await app.backup.restoreBackup(JSON.stringify(copy));
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'), name).toContain(expected);
      expect(await app.backup.currentHash(), name).toBe(before);
    }
  });

  it('a quota failure while restoring stores nothing of any project', async () => {
    const source = await freshBrowser();
    await seed(source);
    const made = await source.backup.makeBackup();
    const target = await freshBrowser();
    await target.ws.createProject('already here', 'blank');
    const before = await target.backup.currentHash();
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++puts > 20) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    } as IDBObjectStore['put'];
    try {
      const r = await target.backup.restoreBackup(made.text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems[0].message).toContain('nothing was changed');
    } finally {
      IDBObjectStore.prototype.put = realPut;
    }
    expect(await target.backup.currentHash()).toBe(before);
  });

  it('an annotator’s project opened from a work package, with its trail and an empty conflict list, restores verified', async () => {
    const home = await freshBrowser();
    const team = sampleProjectData('endoscopy-lesions');
    team.annotators.push({ id: 'coord', projectId: team.project.id, displayName: 'Coordinator', role: 'coordinator' });
    const pkg = makeWorkPackage(team, 'reader-a', { issuedBy: 'coord', at: '2026-02-05T08:00:00.000Z' });
    const opened = applyPackage(null, pkg, { actor: 'reader-a', at: '2026-02-05T09:00:00.000Z', fileName: 'granula-package.json' });
    opened.project.conflicts = [];
    await home.ws.storeWholeProject(opened);
    // The annotator labels through the app: a stamped box and its audit line, saved by autosave.
    await home.ws.openProject(opened.project.id);
    const { setAuditActor } = await import('../../src/store/docStore');
    setAuditActor('reader-a');
    try {
      home.actions.addAnnotations([{ imageId: 'img_1', classId: 'polyp', attributes: { paris: '0-Is' }, geometry: { type: 'box', x: 1, y: 2, w: 3, h: 4 }, annotatorId: 'reader-a' }]);
    } finally {
      setAuditActor('');
    }
    await home.ws.flushSaves();
    const before = await home.backup.currentHash();
    const made = await home.backup.makeBackup('2026-02-06T12:00:00.000Z');
    expect(made.hash).toBe(before);

    const other = await freshBrowser();
    const restored = await other.backup.restoreBackup(made.text);
    expect(restored).toMatchObject({ ok: true, projects: 1, verified: true, hash: before });
    const [back] = await other.backup.storedProjects();
    expect(back.data.project.package).toEqual({ annotatorId: 'reader-a', issuedAt: '2026-02-05T08:00:00.000Z', issuedBy: 'coord' });
    expect(back.data.project.conflicts).toEqual([]);
    // The package line, and the create lines of the box and of its status.
    expect(back.data.audit.map((e) => `${e.actor} ${e.action} ${e.recordKind}`).sort()).toEqual(['reader-a create annotation', 'reader-a create status', 'reader-a package image']);
    expect(back.data.annotations).toEqual([expect.objectContaining({ annotatorId: 'reader-a', updatedBy: 'reader-a' })]);
  });
});
