// The team loop end to end on small hand-built projects: the coordinator hands out work packages,
// annotators open them and label, their returns (and a reviewer's consensus) are gathered back.
// Edits go through the same stamping and audit lines the app's store makes.
import { describe, expect, it } from 'vitest';
import { auditEntriesFor, stampChanges } from '../model/audit';
import { created, deleted, type RecordChange } from '../model/changes';
import { statusId } from '../model/ids';
import type { ProjectData } from '../model/projectData';
import { CONSENSUS_ANNOTATOR, type Annotation, type ImageRecord, type ImageStatus } from '../model/types';
import { toSharedDocument } from '../formats/shared/convert';
import type { SharedDocument } from '../formats/shared/schema';
import { validateSharedDocument } from '../formats/shared/validate';
import { sampleProjectData } from '../formats/testData';
import { assignKofN } from './assign';
import { gatherReturn, type GatherOutcome } from './gather';
import { applyPackage, makeReturn, makeWorkPackage } from './packages';
import { applyChanges, dataFromState, stateFromData } from './state';

const A = 'reader-a';
const B = 'reader-b';
const COORD = 'coordinator';
const REV = 'reviewer-r';
const SCHEMA = 'sch_endoscopy-lesions';
const PID = 'prj_endoscopy-lesions';

/** n seconds after the sample's own time (2026-02-01T09:00Z): every edit here is later than it. */
function t(n: number): string {
  return new Date(Date.parse('2026-02-01T09:00:00.000Z') + n * 1000).toISOString();
}

/**
 * Three endoscopy frames labelled by A and B, a coordinator and a reviewer. The patient of img_3
 * (P102) declined secondary use. A is assigned img_1 and img_3, B img_2 and img_3, the reviewer img_2.
 */
function teamProject(): ProjectData {
  const d = sampleProjectData('endoscopy-lesions', { annotators: [A, B], images: 3 });
  for (const a of d.annotators) a.role = 'annotator';
  d.annotators.push({ id: COORD, projectId: PID, displayName: 'Coordinator', role: 'coordinator' });
  d.annotators.push({ id: REV, projectId: PID, displayName: 'Reviewer', role: 'reviewer' });
  d.project.optOut = ['P102'];
  d.project.assignments = [
    { annotatorId: A, imageIds: ['img_1', 'img_3'] },
    { annotatorId: B, imageIds: ['img_2', 'img_3'] },
    { annotatorId: REV, imageIds: ['img_2'] },
  ];
  return d;
}

/** A validated copy, as the receiving side reads the file (JSON text, then the schema). */
function reread(doc: SharedDocument): SharedDocument {
  const v = validateSharedDocument(JSON.parse(JSON.stringify(doc)));
  if (!v.ok) throw new Error(`not a valid shared document: ${v.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return v.doc;
}

/** One edit as the app's store commits it: stamped with who made it, with its audit lines. */
function edit(data: ProjectData, actor: string, at: string, changes: RecordChange[]): ProjectData {
  const s = stateFromData(data);
  const stamped = stampChanges(changes, actor);
  const trail = auditEntriesFor(stamped, { projectId: s.project.id, actor, at });
  applyChanges(s, [...stamped, ...trail.map((e) => created('audit', e))]);
  return dataFromState(s);
}

function box(id: string, imageId: string, annotatorId: string, at: string, attributes: Annotation['attributes'] = { paris: '0-Is' }): Annotation {
  return { id, projectId: PID, imageId, classId: 'polyp', attributes, geometry: { type: 'box', x: 10, y: 20, w: 30, h: 40 }, annotatorId, schemaId: SCHEMA, schemaVersion: 1, createdAt: at, updatedAt: at };
}

function status(imageId: string, annotatorId: string, at: string): ImageStatus {
  return { id: statusId(imageId, annotatorId), projectId: PID, imageId, annotatorId, state: 'done', noFinding: false, updatedAt: at };
}

function expectGathered(out: GatherOutcome) {
  if (!out.ok) throw new Error(`refused: ${out.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return out;
}

describe('makeWorkPackage', () => {
  it('gives an annotator only their assigned images, blind, with the opted-out patient left out', () => {
    const data = teamProject();
    const doc = reread(makeWorkPackage(data, A, { issuedBy: COORD, at: t(100) }));
    // A is assigned img_1 and img_3; img_3 is P102's, who opted out: img_1 alone remains.
    expect(doc.images.map((i) => i.id)).toEqual(['img_1']);
    expect(doc.annotations).toEqual([]);
    expect(doc.imageStatus).toEqual([]);
    expect(doc.audit).toEqual([]);
    expect(doc.package).toEqual({ annotatorId: A, issuedAt: t(100), issuedBy: COORD });
    expect(doc.project.assignments).toEqual([{ annotatorId: A, imageIds: ['img_1'] }]);
    expect(doc.project.optOut).toEqual([]);
    expect(doc.project.reviewMode).toBe(false);
    // Blind: the team's coordinator and reviewer are named, the other annotator is not.
    expect(doc.annotators.map((a) => a.id).sort()).toEqual([A, COORD, REV].sort());
    const text = JSON.stringify(doc);
    for (const absent of [B, 'img_3', 'P102']) expect(text).not.toContain(absent);
  });

  it('gives a reviewer everyone’s labels on the reviewer’s images, and only those', () => {
    const data = teamProject();
    const doc = reread(makeWorkPackage(data, REV, { issuedBy: COORD, at: t(100) }));
    expect(doc.images.map((i) => i.id)).toEqual(['img_2']);
    // The second frame holds a polyp and a suspected cancer from each of A and B (testData): 4 boxes.
    expect(doc.annotations.map((a) => `${a.annotatorId}:${a.classId}`).sort()).toEqual([`${A}:cancer`, `${A}:polyp`, `${B}:cancer`, `${B}:polyp`]);
    expect(doc.annotations.every((a) => a.imageId === 'img_2')).toBe(true);
    // The sample gives A (the first rater) a status on every frame: the one on img_2 travels.
    expect(doc.imageStatus.map((s) => `${s.annotatorId}:${s.imageId}`)).toEqual([`${A}:img_2`]);
    expect(doc.annotators.map((a) => a.id)).toEqual(expect.arrayContaining([A, B, REV]));
    expect(doc.project.reviewMode).toBe(true);
  });
});

describe('applyPackage', () => {
  it('opens a package in a fresh browser under the project’s own id, and remembers the package', () => {
    const doc = reread(makeWorkPackage(teamProject(), A, { issuedBy: COORD, at: t(100) }));
    const local = applyPackage(null, doc, { actor: A, at: t(110), fileName: 'granula-package_a.json' });
    expect(local.project.id).toBe(PID);
    expect(local.project.package).toEqual({ annotatorId: A, issuedAt: t(100), issuedBy: COORD });
    expect(local.images.map((i) => i.id)).toEqual(['img_1']);
    expect(local.images.every((i) => i.projectId === PID)).toBe(true);
    expect(local.annotations).toEqual([]);
    expect(local.statuses).toEqual([]);
    expect(local.audit).toHaveLength(1);
    expect(local.audit[0]).toMatchObject({ actor: A, action: 'package', targets: ['img_1'], at: t(110) });
    // What was opened is itself a valid project.
    reread(toSharedDocument(local, { exportedAt: t(111) }));
  });

  it('a newer package adds its image and schema version and keeps every bit of the annotator’s own work', () => {
    const coordinator = teamProject();
    const first = reread(makeWorkPackage(coordinator, A, { issuedBy: COORD, at: t(100) }));
    let local = applyPackage(null, first, { actor: A, at: t(110), fileName: 'p1.json' });
    // The annotator labels img_1: two boxes, one deleted again, and a status.
    local = edit(local, A, t(120), [created('annotation', box('ann_a1', 'img_1', A, t(120))), created('status', status('img_1', A, t(120)))]);
    local = edit(local, A, t(121), [created('annotation', box('ann_a2', 'img_1', A, t(121), { paris: '0-IIa' }))]);
    local = edit(local, A, t(122), [deleted('annotation', local.annotations.find((a) => a.id === 'ann_a2')!)]);
    const ownAnnotations = structuredClone(local.annotations);
    const ownStatuses = structuredClone(local.statuses);
    const ownAudit = structuredClone(local.audit);
    expect(ownAnnotations.map((a) => a.id)).toEqual(['ann_a1']);
    // package + create (annotation, status) + create + delete = 5 lines.
    expect(ownAudit).toHaveLength(5);

    // The coordinator adds a frame for A and a schema version 2 with one more class.
    const img4: ImageRecord = { ...coordinator.images[0], id: 'img_4', name: 'frame-004.jpg', source: { kind: 'synthetic', seed: 4 }, patientKey: 'P103', order: 3 };
    coordinator.images.push(img4);
    coordinator.project.assignments![0].imageIds.push('img_4');
    const v1 = coordinator.schemas[0];
    coordinator.schemas.push({ ...v1, version: 2, classes: [...v1.classes, { id: 'adenoma', name: { en: 'Adenoma', ja: '腺腫' }, color: '#123456', attributes: [] }] });
    const second = reread(makeWorkPackage(coordinator, A, { issuedBy: COORD, at: t(200) }));

    const after = applyPackage(local, second, { actor: A, at: t(210), fileName: 'p2.json' });
    expect(after.project.id).toBe(PID);
    expect(after.annotations).toEqual(ownAnnotations);
    expect(after.statuses).toEqual(ownStatuses);
    // The trail keeps every earlier line exactly and gains one for the new package.
    expect(after.audit.slice(0, ownAudit.length)).toEqual(ownAudit);
    expect(after.audit).toHaveLength(ownAudit.length + 1);
    expect(after.audit[ownAudit.length]).toMatchObject({ action: 'package', actor: A, targets: ['img_1', 'img_4'] });
    expect(after.images.map((i) => i.id)).toEqual(['img_1', 'img_4']);
    expect(after.schemas.map((s) => s.version)).toEqual([1, 2]);
    expect(after.schemas[1].classes.map((c) => c.id)).toContain('adenoma');
    expect(after.project.package).toEqual({ annotatorId: A, issuedAt: t(200), issuedBy: COORD });
    expect(after.project.assignments).toEqual([{ annotatorId: A, imageIds: ['img_1', 'img_4'] }]);
    reread(toSharedDocument(after, { exportedAt: t(211) }));
  });
});

describe('makeReturn', () => {
  it('holds only the returning annotator’s records and audit lines', () => {
    let data = teamProject();
    data = edit(data, A, t(10), [created('annotation', box('ann_a', 'img_1', A, t(10)))]);
    data = edit(data, B, t(11), [created('annotation', box('ann_b', 'img_2', B, t(11)))]);
    data = edit(data, COORD, t(12), [created('status', status('img_2', B, t(12)))]);
    const doc = reread(makeReturn(data, A, t(20)));
    // The sample gives A 3 boxes on img_1 and 2 on each other frame (7), plus ann_a: 8; and a status per frame: 3.
    expect(doc.annotations).toHaveLength(8);
    expect(doc.annotations.every((a) => a.annotatorId === A)).toBe(true);
    expect(doc.imageStatus).toHaveLength(3);
    expect(doc.imageStatus.every((s) => s.annotatorId === A)).toBe(true);
    expect(doc.audit.map((e) => e.actor)).toEqual([A]);
    expect(doc.audit[0].targets).toEqual(['ann_a']);
    expect(doc.annotators.map((a) => a.id)).toEqual([A]);
    expect(doc.return).toEqual({ annotatorId: A, returnedAt: t(20) });
    expect(doc.project.optOut).toEqual([]);
    expect(doc.project.assignments).toBeUndefined();
  });
});

describe('returns of reviewers and annotators gathered', () => {
  /** The reviewer opens their package and accepts a consensus box on img_2, as the app does it. */
  function reviewerWithConsensus(coordinator: ProjectData): ProjectData {
    const pkg = reread(makeWorkPackage(coordinator, REV, { issuedBy: COORD, at: t(100) }));
    const local = applyPackage(null, pkg, { actor: REV, at: t(110), fileName: 'review.json' });
    const consensus: Annotation = { ...box('ann_consensus', 'img_2', CONSENSUS_ANNOTATOR, t(120)), provenance: { kind: 'consensus', acceptedBy: REV, from: [A, B], decidedAt: t(120) } };
    return edit(local, REV, t(120), [created('annotator', { id: CONSENSUS_ANNOTATOR, projectId: PID, displayName: CONSENSUS_ANNOTATOR }), created('annotation', consensus)]);
  }

  it('a reviewer’s return adds the consensus records to the coordinator’s project', () => {
    const coordinator = stateFromData(teamProject());
    const reviewer = reviewerWithConsensus(dataFromState(coordinator));
    const doc = reread(makeReturn(reviewer, REV, t(130)));
    expect(doc.annotations.map((a) => `${a.annotatorId}:${a.id}`)).toEqual([`${CONSENSUS_ANNOTATOR}:ann_consensus`]);

    const out = expectGathered(gatherReturn(coordinator, { name: 'review-return.json', value: JSON.parse(JSON.stringify(doc)) }, { actor: COORD, at: t(200) }));
    applyChanges(coordinator, out.changes);
    expect(out.report).toMatchObject({ annotator: REV, added: 1, conflicts: 0 });
    expect(coordinator.annotations.get('ann_consensus')).toMatchObject({ annotatorId: CONSENSUS_ANNOTATOR, imageId: 'img_2', provenance: { kind: 'consensus', acceptedBy: REV, from: [A, B] } });
    // The coordinator's project still exports as a valid shared document: every annotation's annotator is listed.
    const exported = validateSharedDocument(JSON.parse(JSON.stringify(toSharedDocument(dataFromState(coordinator), { exportedAt: t(201) }))));
    expect(exported.ok ? [] : exported.problems).toEqual([]);
  });

  it('refuses an annotator’s return that holds a consensus record (annotations[i].annotatorId)', () => {
    const coordinator = stateFromData(teamProject());
    const reviewer = reviewerWithConsensus(dataFromState(coordinator));
    const doc = reread(makeReturn(dataFromState(coordinator), A, t(130)));
    const { projectId: _p, ...consensus } = reviewer.annotations.find((a) => a.id === 'ann_consensus')!;
    doc.annotations.push(consensus);
    doc.annotators.push({ id: CONSENSUS_ANNOTATOR, displayName: CONSENSUS_ANNOTATOR });
    const before = structuredClone(dataFromState(coordinator));
    const out = gatherReturn(coordinator, { name: 'a-return.json', value: JSON.parse(JSON.stringify(doc)) }, { actor: COORD, at: t(200) });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.problems.map((p) => p.path)).toContain(`annotations[${doc.annotations.length - 1}].annotatorId`);
    expect(dataFromState(coordinator)).toEqual(before);
  });
});

describe('assignKofN', () => {
  it('6 images, 3 annotators, k = 2: each annotator gets 4 images, each image 2 distinct annotators', () => {
    const images = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6'];
    const plan = assignKofN(images, ['x', 'y', 'z'], 2);
    expect(plan.map((p) => p.annotatorId)).toEqual(['x', 'y', 'z']);
    // 6 images · 2 readings = 12, shared by 3 annotators: 4 each.
    for (const p of plan) expect(p.imageIds).toHaveLength(4);
    for (const img of images) {
      const readers = plan.filter((p) => p.imageIds.includes(img)).map((p) => p.annotatorId);
      expect(readers).toHaveLength(2);
      expect(new Set(readers).size).toBe(2);
    }
    for (const p of plan) expect(new Set(p.imageIds).size).toBe(p.imageIds.length);
  });

  it('refuses k = 0, k above the number of annotators, and a fractional k', () => {
    expect(() => assignKofN(['i1'], ['x', 'y', 'z'], 0)).toThrow(RangeError);
    expect(() => assignKofN(['i1'], ['x', 'y', 'z'], 4)).toThrow(RangeError);
    expect(() => assignKofN(['i1'], ['x', 'y', 'z'], 1.5)).toThrow(RangeError);
  });
});
