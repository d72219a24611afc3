// Work packages and returns arriving through the app's one import button, in separate "browsers"
// (a fresh copy of the app's modules on its own IndexedDB database each).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleProjectData } from '../../src/formats/testData';
import type { ProjectData } from '../../src/model/projectData';
import { makeReturn, makeWorkPackage } from '../../src/team/packages';

type App = {
  ws: typeof import('../../src/store/workspace');
  io: typeof import('../../src/store/importExport');
  actions: typeof import('../../src/store/actions');
  docStore: typeof import('../../src/store/docStore');
};

const started: App[] = [];
let n = 0;

async function freshBrowser(): Promise<App> {
  vi.resetModules();
  const app: App = {
    ws: await import('../../src/store/workspace'),
    io: await import('../../src/store/importExport'),
    actions: await import('../../src/store/actions'),
    docStore: await import('../../src/store/docStore'),
  };
  await app.ws.initWorkspace({ dbName: `pkg-${++n}`, channelName: `pkg-sync-${n}` });
  started.push(app);
  return app;
}

afterEach(() => {
  for (const a of started.splice(0)) a.ws.closeWorkspace();
});

const AT = '2026-03-01T09:00:00.000Z';

/** A coordinator's project with a team: the coordinator and dr-ana, an annotator; no labels yet. */
function coordinatorProject(template: 'fundus-diagnosis' | 'endoscopy-lesions', id: string): ProjectData {
  const data = sampleProjectData(template);
  data.project = { ...data.project, id, name: `Study ${id}` };
  for (const list of [data.images, data.annotations, data.statuses] as { projectId: string }[][]) for (const r of list) r.projectId = id;
  data.annotators = [
    { id: 'dr-coord', projectId: id, displayName: 'Dr Coord', role: 'coordinator' },
    { id: 'dr-ana', projectId: id, displayName: 'Dr Ana', role: 'annotator' },
  ];
  data.annotations = [];
  data.statuses = [];
  return data;
}

function packageText(data: ProjectData, imageCount = data.images.length): string {
  const assigned = { ...data, project: { ...data.project, assignments: [{ annotatorId: 'dr-ana', imageIds: data.images.slice(0, imageCount).map((i) => i.id) }] } };
  return JSON.stringify(makeWorkPackage(assigned, 'dr-ana', { issuedBy: 'dr-coord', at: AT }));
}

describe('work packages through the import button', () => {
  it('opens under the project’s own id, and a newer package updates it without touching the annotator’s work', async () => {
    const coord = coordinatorProject('fundus-diagnosis', 'prj_study1');
    const ana = await freshBrowser();
    const first = await ana.io.importSharedText(packageText(coord, 2), 'pkg1.json');
    expect(first).toMatchObject({ ok: true, projectId: 'prj_study1', images: 2, packageFor: { id: 'dr-ana', displayName: 'Dr Ana' } });

    await ana.ws.openProject('prj_study1');
    ana.docStore.setAuditActor('dr-ana');
    const [label] = ana.actions.addAnnotations([{ imageId: coord.images[0].id, annotatorId: 'dr-ana', classId: 'normal', attributes: {}, geometry: null, grade: 0 }]);
    await ana.ws.flushSaves();

    const second = await ana.io.importSharedText(packageText(coord, 4), 'pkg2.json');
    expect(second).toMatchObject({ ok: true, projectId: 'prj_study1', images: 4 });
    const after = await ana.ws.loadProjectData('prj_study1');
    expect(after!.images).toHaveLength(4);
    expect(after!.annotations).toEqual([expect.objectContaining({ id: label.id, classId: 'normal', annotatorId: 'dr-ana' })]);
    expect(ana.ws.useWorkspace.getState().projects.map((p) => p.id)).toEqual(['prj_study1']);
  });

  it('two coordinators’ packages of different projects stay two projects', async () => {
    const ana = await freshBrowser();
    const a = coordinatorProject('fundus-diagnosis', 'prj_eye');
    const b = coordinatorProject('endoscopy-lesions', 'prj_colon');
    expect((await ana.io.importSharedText(packageText(a), 'a.json')).ok).toBe(true);
    expect((await ana.io.importSharedText(packageText(b), 'b.json')).ok).toBe(true);
    const ids = ana.ws.useWorkspace.getState().projects.map((p) => p.id).sort();
    expect(ids).toEqual(['prj_colon', 'prj_eye']);
    const eye = await ana.ws.loadProjectData('prj_eye');
    const colon = await ana.ws.loadProjectData('prj_colon');
    expect(eye!.schemas.map((s) => s.id)).toEqual(a.schemas.map((s) => s.id));
    expect(colon!.schemas.map((s) => s.id)).toEqual(b.schemas.map((s) => s.id));
  });

  it('the coordinator’s own browser refuses its own package; an annotator’s browser refuses a colleague’s return', async () => {
    const data = coordinatorProject('fundus-diagnosis', 'prj_study2');
    const coord = await freshBrowser();
    await coord.ws.storeWholeProject(data);
    const refused = await coord.io.importSharedText(packageText(data), 'pkg.json');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems[0].path).toBe('package');
    expect((await coord.ws.loadProjectData('prj_study2'))!.project.package).toBeUndefined();

    const ana = await freshBrowser();
    await ana.io.importSharedText(packageText(data), 'pkg.json');
    const ben = structuredClone(data);
    ben.annotators.push({ id: 'dr-ben', projectId: data.project.id, displayName: 'Dr Ben', role: 'annotator' });
    ben.annotations.push({ ...sampleProjectData('fundus-diagnosis').annotations[0], id: 'ben-1', projectId: data.project.id, annotatorId: 'dr-ben', imageId: data.images[0].id });
    const r = await ana.io.importSharedText(JSON.stringify(makeReturn(ben, 'dr-ben', AT)), 'ben.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(`${r.problems[0].path}: ${r.problems[0].message}`).toMatch(/^return: is dr-ben’s work; this browser holds a work package/);
    expect((await ana.ws.loadProjectData('prj_study2'))!.annotations).toEqual([]);
  });

  it('a return dropped on the coordinator’s project list is gathered into the project', async () => {
    const data = coordinatorProject('fundus-diagnosis', 'prj_study3');
    const coord = await freshBrowser();
    await coord.ws.storeWholeProject(data);
    const work = structuredClone(data);
    work.annotations.push({ ...sampleProjectData('fundus-diagnosis').annotations[0], id: 'ana-1', projectId: data.project.id, annotatorId: 'dr-ana', imageId: data.images[1].id });
    const r = await coord.io.importSharedText(JSON.stringify(makeReturn(work, 'dr-ana', AT)), 'ana.json');
    expect(r).toMatchObject({ ok: true, projectId: 'prj_study3', gathered: { annotator: 'dr-ana', added: 1, conflicts: 0 } });
    expect((await coord.ws.loadProjectData('prj_study3'))!.annotations.map((a) => a.id)).toEqual(['ana-1']);
  });
});
