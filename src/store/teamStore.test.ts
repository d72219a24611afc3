// The open project's store in a team: every edit is stamped with who made it and appended to the
// audit trail, undo appends rather than removes, and a reviewer's consensus records its decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../storage/repository';
import { CONSENSUS_ANNOTATOR, type Annotation, type AuditEntry, type Geometry } from '../model/types';
import { addAnnotations, addImages, updateAnnotations } from './actions';
import { acceptConsensusShapes, decideDisputed } from './consensusActions';
import { setAuditActor, useDocStore } from './docStore';
import { createProject, flushSaves, initWorkspace, openProject, workspaceDb } from './workspace';

const doc = () => useDocStore.getState().doc!;
const trail = (): AuditEntry[] => [...doc().audit.values()];
const naming = (entries: AuditEntry[], id: string) => entries.filter((e) => e.targets.includes(id));

/** A new endoscopy project, open, with one frame. */
async function openWithFrame(): Promise<string> {
  const created = await createProject('Colon polyps', 'endoscopy-lesions');
  expect(await openProject(created.project.id)).toBe(true);
  const [frame] = addImages([{ name: 'frame-1.png', modality: 'endoscopy', source: { kind: 'image-url', url: 'frame-1.png' }, width: 640, height: 480 }]);
  return frame.id;
}

const polyp = (imageId: string, annotatorId: string, attributes: Annotation['attributes'], geometry: Geometry = { type: 'box', x: 100, y: 100, w: 50, h: 40 }) => ({ imageId, classId: 'polyp', attributes, geometry, annotatorId });

beforeAll(async () => {
  await initWorkspace({ dbName: 'granula-team-store-test' });
});

afterAll(() => setAuditActor(''));

describe('audit trail through the store', () => {
  it('an added annotation is a create entry by its author; undo appends a delete entry and keeps the create; both are stored', async () => {
    const frame = await openWithFrame();
    setAuditActor('dr-a');
    const [a] = addAnnotations([polyp(frame, 'dr-a', { paris: '0-Is' })]);
    const creates = naming(trail(), a.id);
    expect(creates).toEqual([expect.objectContaining({ action: 'create', recordKind: 'annotation', actor: 'dr-a', imageId: frame, targets: [a.id] })]);
    expect(doc().annotations.get(a.id)!.updatedBy).toBe('dr-a');

    useDocStore.getState().undo();
    expect(doc().annotations.has(a.id)).toBe(false);
    const after = naming(trail(), a.id);
    expect(after).toHaveLength(2);
    expect(after).toContainEqual(creates[0]);
    expect(after).toContainEqual(expect.objectContaining({ action: 'delete', recordKind: 'annotation', actor: 'dr-a', detail: 'undo', targets: [a.id] }));

    // What a reload would find: the annotation gone, both lines of the trail there.
    await flushSaves();
    const stored = (await loadProject(workspaceDb()!, doc().project.id))!;
    expect(stored.annotations.some((x) => x.id === a.id)).toBe(false);
    expect(naming(stored.audit, a.id)).toEqual(expect.arrayContaining(after));
    expect(naming(stored.audit, a.id)).toHaveLength(2);
  });

  it('someone else’s edit of an annotator’s box is stamped with the editor and the version it started from', async () => {
    const frame = await openWithFrame();
    setAuditActor('dr-a');
    const [a] = addAnnotations([polyp(frame, 'dr-a', { paris: '0-Is' })]);
    const own = doc().annotations.get(a.id)!;
    expect(own.baseUpdatedAt).toBeUndefined();
    setAuditActor('coord');
    updateAnnotations([{ id: a.id, patch: { attributes: { paris: '0-IIa' } } }]);
    const edited = doc().annotations.get(a.id)!;
    expect(edited).toMatchObject({ annotatorId: 'dr-a', updatedBy: 'coord', baseUpdatedAt: own.updatedAt, attributes: { paris: '0-IIa' } });
    expect(naming(trail(), a.id)).toContainEqual(expect.objectContaining({ action: 'update', actor: 'coord' }));
    await flushSaves();
    const stored = (await loadProject(workspaceDb()!, doc().project.id))!;
    expect(stored.annotations.find((x) => x.id === a.id)).toMatchObject({ updatedBy: 'coord', baseUpdatedAt: own.updatedAt });
  });
});

describe('consensus of two annotators’ boxes', () => {
  it('keeps the attributes both gave alike, lists the others as disputed, and records who decided from whom', async () => {
    const frame = await openWithFrame();
    setAuditActor('dr-a');
    const [a] = addAnnotations([polyp(frame, 'dr-a', { paris: '0-Is', nice: '2', size_mm: 8 })]);
    setAuditActor('dr-b');
    const [b] = addAnnotations([polyp(frame, 'dr-b', { paris: '0-Is', nice: '1', size_mm: 8 }, { type: 'box', x: 102, y: 101, w: 50, h: 40 })]);
    setAuditActor('rev');
    acceptConsensusShapes([{ imageId: frame, classId: 'polyp', geometry: { type: 'box', x: 101, y: 100, w: 50, h: 40 }, members: [b.id, a.id] }], 'rev');

    const consensus = [...doc().annotations.values()].filter((x) => x.annotatorId === CONSENSUS_ANNOTATOR);
    expect(consensus).toHaveLength(1);
    const c = consensus[0];
    // Both said Paris 0-Is and 8 mm; NICE 2 against 1 is left for the reviewer.
    expect(c.attributes).toEqual({ paris: '0-Is', size_mm: 8 });
    expect(c.provenance).toMatchObject({ kind: 'consensus', acceptedBy: 'rev', from: ['dr-a', 'dr-b'], disputed: ['nice'] });
    expect(typeof c.provenance!.decidedAt).toBe('string');
    expect(naming(trail(), c.id)).toEqual([expect.objectContaining({ action: 'adjudicate', actor: 'rev', recordKind: 'annotation', imageId: frame })]);
    // The annotators' own boxes are untouched.
    expect(doc().annotations.get(a.id)!.attributes).toEqual({ paris: '0-Is', nice: '2', size_mm: 8 });
    expect(doc().annotations.get(b.id)!.attributes).toEqual({ paris: '0-Is', nice: '1', size_mm: 8 });
    expect(c.provenance!.fromLabels).toEqual([b.id, a.id]);

    // The reviewer settles NICE: the value is set, nothing is disputed any more, and the trail says so.
    decideDisputed(c.id, 'nice', '2', 'rev');
    const decided = doc().annotations.get(c.id)!;
    expect(decided.attributes).toEqual({ paris: '0-Is', nice: '2', size_mm: 8 });
    expect(decided.provenance!.disputed).toBeUndefined();
    expect(naming(trail(), c.id).map((e) => e.action)).toEqual(['adjudicate', 'adjudicate']);
  });
});
