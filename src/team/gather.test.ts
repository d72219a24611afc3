// The gather step's rules on small hand-built projects. Every edit goes through the same stamping and
// audit lines the app's store makes (stampChanges, then auditEntriesFor), so the returns are what an
// annotator's browser would send.
import { describe, expect, it } from 'vitest';
import { auditEntriesFor, stampChanges } from '../model/audit';
import { canonicalJson } from '../model/canonical';
import { created, deleted, updated, type RecordChange } from '../model/changes';
import { statusId } from '../model/ids';
import type { ProjectData } from '../model/projectData';
import type { Annotation, ImageStatus } from '../model/types';
import type { SharedDocument } from '../formats/shared/schema';
import { sampleProjectData } from '../formats/testData';
import { gatherReturn, settleConflict, type GatherOutcome } from './gather';
import { makeReturn } from './packages';
import { applyChanges, dataFromState, stateFromData, type TeamState } from './state';

const A = 'reader-a';
const B = 'reader-b';
const COORD = 'coordinator';
const GATHER_AT = '2026-03-01T00:00:00.000Z';

/** n seconds after the sample's own time (2026-02-01T09:00Z): every edit here is later than it. */
function t(n: number): string {
  return new Date(Date.parse('2026-02-01T09:00:00.000Z') + n * 1000).toISOString();
}

/** Two annotators' labels on two endoscopy frames, and a coordinator who gathers. */
function baseData(): ProjectData {
  const d = sampleProjectData('endoscopy-lesions', { annotators: [A, B] });
  for (const a of d.annotators) a.role = 'annotator';
  d.annotators.push({ id: COORD, projectId: d.project.id, displayName: 'Coordinator', role: 'coordinator' });
  return d;
}

function copyOf(data: ProjectData): TeamState {
  return stateFromData(structuredClone(data));
}

/** One edit as the app's store commits it: stamped with who made it, with its audit lines. */
function edit(s: TeamState, actor: string, at: string, changes: RecordChange[]): void {
  const stamped = stampChanges(changes, actor);
  const trail = auditEntriesFor(stamped, { projectId: s.project.id, actor, at });
  applyChanges(s, [...stamped, ...trail.map((e) => created('audit', e))]);
}

function annotationsOf(s: TeamState, annotatorId: string): Annotation[] {
  return [...s.annotations.values()].filter((a) => a.annotatorId === annotatorId);
}

function relabel(s: TeamState, actor: string, at: string, a: Annotation, note: string): Annotation {
  const after = { ...s.annotations.get(a.id)!, note, updatedAt: at };
  edit(s, actor, at, [updated('annotation', s.annotations.get(a.id)!, after)]);
  return s.annotations.get(a.id)!;
}

function returnOf(s: TeamState, annotatorId: string, at: string): SharedDocument {
  return makeReturn(dataFromState(s), annotatorId, at);
}

/** Gathers as the command line does: the file's JSON value, changes applied to the state on success. */
function gather(s: TeamState, doc: SharedDocument, name = 'return.json', at = GATHER_AT): GatherOutcome {
  const out = gatherReturn(s, { name, value: JSON.parse(JSON.stringify(doc)) }, { actor: COORD, at });
  if (out.ok) applyChanges(s, out.changes);
  return out;
}

function expectGathered(out: GatherOutcome) {
  if (!out.ok) throw new Error(`refused: ${out.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return out;
}

function expectRefused(out: GatherOutcome, path: string, message?: RegExp) {
  expect(out.ok).toBe(false);
  if (out.ok) return;
  expect(out.problems.map((p) => p.path)).toContain(path);
  if (message) expect(out.problems.find((p) => p.path === path)!.message).toMatch(message);
}

/** The project's data without the gather step's own audit lines (one per gather, by design). */
function dataWithoutGatherLines(s: TeamState): string {
  const d = dataFromState(s);
  return canonicalJson({ ...d, audit: d.audit.filter((e) => e.action !== 'gather') });
}

function records(s: TeamState): string {
  const byId = <T extends { id: string }>(xs: Iterable<T>) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
  return canonicalJson({ annotations: byId(s.annotations.values()), statuses: byId(s.statuses.values()), conflicts: s.project.conflicts ?? [] });
}

describe('gatherReturn: one annotator’s return into the coordinator’s project', () => {
  it('adds new records, takes the annotator’s later versions, and counts the rest as unchanged', () => {
    const coordinator = copyOf(baseData());
    const copy = copyOf(baseData());
    const [first] = annotationsOf(copy, A);
    const changed = relabel(copy, A, t(10), first, 'looked again: sessile');
    const fresh: Annotation = {
      id: 'ann_new',
      projectId: copy.project.id,
      imageId: 'img_2',
      classId: 'polyp',
      attributes: { paris: '0-Ip' },
      geometry: { type: 'box', x: 50, y: 60, w: 70, h: 80 },
      annotatorId: A,
      schemaId: first.schemaId,
      schemaVersion: first.schemaVersion,
      createdAt: t(11),
      updatedAt: t(11),
    };
    edit(copy, A, t(11), [created('annotation', fresh)]);
    const doc = returnOf(copy, A, t(20));
    const ownBefore = annotationsOf(coordinator, A).length;

    const out = expectGathered(gather(coordinator, doc, 'granula-return_a.json'));
    // A had 5 annotations and 2 statuses: 1 new, 1 changed, 4 annotations + 2 statuses as they were.
    expect(out.report).toEqual({ file: 'granula-return_a.json', annotator: A, added: 1, updated: 1, deleted: 0, unchanged: 6, conflicts: 0, skipped: 0 });
    expect(annotationsOf(coordinator, A)).toHaveLength(ownBefore + 1);
    expect(coordinator.annotations.get(changed.id)).toEqual(changed);
    expect(coordinator.annotations.get('ann_new')).toEqual({ ...fresh, updatedBy: A });
    expect(annotationsOf(coordinator, B)).toEqual(annotationsOf(copyOf(baseData()), B));
    // The gather itself is in the trail, by the coordinator, naming what it added and changed.
    const gathers = [...coordinator.audit.values()].filter((e) => e.action === 'gather');
    expect(gathers.every((e) => e.actor === COORD && e.detail?.startsWith('granula-return_a.json: reader-a: 1 added, 1 updated'))).toBe(true);
    expect(gathers.flatMap((e) => e.targets).sort()).toEqual([changed.id, 'ann_new'].sort());
    expect(coordinator.project.conflicts ?? []).toEqual([]);
  });

  it('adds the returning annotator to the team when the project did not list them', () => {
    const data = baseData();
    data.annotators = data.annotators.filter((a) => a.id !== B);
    data.annotations = data.annotations.filter((a) => a.annotatorId !== B);
    const coordinator = copyOf(data);
    const copy = copyOf(baseData());
    const out = expectGathered(gather(coordinator, returnOf(copy, B, t(5))));
    expect(out.report).toMatchObject({ annotator: B, added: 5, updated: 0, unchanged: 0 });
    expect(coordinator.annotators.get(B)).toMatchObject({ id: B, role: 'annotator' });
  });

  it('refuses a return of another project with a project.id problem, and changes nothing', () => {
    const coordinator = copyOf(baseData());
    const before = dataWithoutGatherLines(coordinator);
    const copy = copyOf(baseData());
    relabel(copy, A, t(10), annotationsOf(copy, A)[0], 'edited');
    const doc = returnOf(copy, A, t(20));
    doc.project.id = 'prj_someone-elses';
    const out = gather(coordinator, doc);
    expectRefused(out, 'project.id', /prj_someone-elses.*not this project "prj_endoscopy-lesions"/);
    expect(dataWithoutGatherLines(coordinator)).toBe(before);
    expect(coordinator.audit.size).toBe(0);
  });

  it('refuses a work package handed back as if it were a return', () => {
    const coordinator = copyOf(baseData());
    const doc = returnOf(copyOf(baseData()), A, t(20));
    delete doc.return;
    doc.package = { annotatorId: A, issuedAt: t(1), issuedBy: COORD };
    expectRefused(gather(coordinator, doc), 'package');
  });

  it('refuses a return that changes another annotator’s record under its own name (annotations[i].id)', () => {
    const coordinator = copyOf(baseData());
    const before = dataWithoutGatherLines(coordinator);
    const copy = copyOf(baseData());
    relabel(copy, A, t(10), annotationsOf(copy, A)[0], 'a fine edit');
    const doc = returnOf(copy, A, t(20));
    const theirs = annotationsOf(coordinator, B)[0];
    const { projectId: _p, ...plain } = theirs;
    doc.annotations.push({ ...plain, annotatorId: A, note: 'mine now', updatedAt: t(15) });
    const out = gather(coordinator, doc);
    expectRefused(out, `annotations[${doc.annotations.length - 1}].id`, /record of annotator "reader-b"/);
    // The whole file is refused: the fine edit in it is not taken either.
    expect(dataWithoutGatherLines(coordinator)).toBe(before);
  });

  it('refuses a return that holds another annotator’s records (annotations[i].annotatorId)', () => {
    const coordinator = copyOf(baseData());
    const before = dataWithoutGatherLines(coordinator);
    const copy = copyOf(baseData());
    const doc = returnOf(copy, A, t(20));
    const { projectId: _p, ...plain } = { ...annotationsOf(copy, B)[1], note: 'overwritten', updatedAt: t(15) };
    doc.annotations.push(plain);
    doc.annotators.push({ id: B, displayName: B });
    const out = gather(coordinator, doc);
    expectRefused(out, `annotations[${doc.annotations.length - 1}].annotatorId`, /not the returning annotator "reader-a"/);
    expect(dataWithoutGatherLines(coordinator)).toBe(before);
  });

  it('refuses audit lines of someone else, and a changed copy of a line already gathered', () => {
    const coordinator = copyOf(baseData());
    const copy = copyOf(baseData());
    relabel(copy, A, t(10), annotationsOf(copy, A)[0], 'edited');
    const doc = returnOf(copy, A, t(20));
    expectGathered(gather(coordinator, doc));
    const forged = structuredClone(doc);
    forged.audit[0].targets = ['ann_9'];
    expectRefused(gather(coordinator, forged), 'audit[0]', /append-only/);
    const other = structuredClone(doc);
    other.audit.push({ ...doc.audit[0], id: 'aud_other', actor: B });
    expectRefused(gather(coordinator, other), 'audit[1].actor');
  });

  it('refuses a schema version the project does not have (annotations[i].schemaVersion)', () => {
    const coordinator = copyOf(baseData());
    const before = dataWithoutGatherLines(coordinator);
    const doc = returnOf(copyOf(baseData()), A, t(20));
    // The return is valid on its own: it carries a version 2 of the schema that the project never had.
    doc.schemaVersions = [doc.schema];
    doc.schema = { ...doc.schema, version: 2, createdAt: t(5) };
    doc.annotations[1] = { ...doc.annotations[1], schemaVersion: 2, updatedAt: t(6) };
    const out = gather(coordinator, doc);
    expectRefused(out, 'annotations[1].schemaVersion', /version 2 is unknown to this project \(it has version 1\)/);
    expect(dataWithoutGatherLines(coordinator)).toBe(before);
  });

  it('two returns of the same annotator (two browsers): the later updatedAt wins, in either order', () => {
    const laptop = copyOf(baseData());
    const desktop = copyOf(baseData());
    const [x, y] = annotationsOf(laptop, A);
    relabel(laptop, A, t(10), x, 'laptop');
    relabel(desktop, A, t(20), x, 'desktop');
    const yLaptop = relabel(laptop, A, t(30), y, 'only on the laptop');
    const fromLaptop = returnOf(laptop, A, t(40));
    const fromDesktop = returnOf(desktop, A, t(41));

    const one = copyOf(baseData());
    expectGathered(gather(one, fromLaptop, 'laptop.json'));
    const second = expectGathered(gather(one, fromDesktop, 'desktop.json'));
    expect(second.report).toMatchObject({ updated: 1, added: 0, conflicts: 0 });
    const other = copyOf(baseData());
    expectGathered(gather(other, fromDesktop, 'desktop.json'));
    const late = expectGathered(gather(other, fromLaptop, 'laptop.json'));
    expect(late.report).toMatchObject({ updated: 1, added: 0, conflicts: 0 });

    for (const s of [one, other]) {
      expect(s.annotations.get(x.id)?.note).toBe('desktop');
      expect(s.annotations.get(y.id)).toEqual(yLaptop);
    }
    expect(records(one)).toBe(records(other));
  });

  it('keeps a coordinator’s correction when the annotator did not touch the record since', () => {
    const coordinator = copyOf(baseData());
    const x = annotationsOf(coordinator, A)[0];
    const corrected = relabel(coordinator, COORD, t(10), x, 'corrected by the coordinator');
    expect(corrected).toMatchObject({ updatedBy: COORD, baseUpdatedAt: x.updatedAt });
    const out = expectGathered(gather(coordinator, returnOf(copyOf(baseData()), A, t(20))));
    expect(out.report).toMatchObject({ updated: 0, conflicts: 0, unchanged: 7 });
    expect(coordinator.annotations.get(x.id)).toEqual(corrected);
  });
});

describe('conflicts: changed on the coordinator’s side and in the return', () => {
  function conflicted() {
    const coordinator = copyOf(baseData());
    const x = annotationsOf(coordinator, A)[0];
    const ours = relabel(coordinator, COORD, t(10), x, 'coordinator says cancer');
    const copy = copyOf(baseData());
    const theirs = relabel(copy, A, t(20), x, 'annotator says polyp');
    const doc = returnOf(copy, A, t(30));
    const out = expectGathered(gather(coordinator, doc, 'return-a.json'));
    return { coordinator, x, ours, theirs, doc, out };
  }

  it('lists one conflict for the coordinator and leaves the stored record as it was', () => {
    const { coordinator, x, ours, theirs, out } = conflicted();
    expect(out.report).toMatchObject({ conflicts: 1, updated: 0, added: 0 });
    expect(coordinator.annotations.get(x.id)).toEqual(ours);
    const { projectId: _p, ...plain } = theirs;
    expect(coordinator.project.conflicts).toEqual([
      { id: expect.stringMatching(/^cfl_/), recordKind: 'annotation', recordId: x.id, imageId: x.imageId, annotatorId: A, theirs: plain, file: 'return-a.json', at: GATHER_AT },
    ]);
  });

  it('gathering the same return again lists it once', () => {
    const { coordinator, doc } = conflicted();
    const before = records(coordinator);
    const again = expectGathered(gather(coordinator, doc, 'return-a.json', '2026-03-02T00:00:00.000Z'));
    expect(again.report.conflicts).toBe(1);
    expect(coordinator.project.conflicts).toHaveLength(1);
    expect(records(coordinator)).toBe(before);
  });

  it('settle "theirs" takes the returned version; gathering the return again then changes nothing', () => {
    const { coordinator, x, theirs, doc } = conflicted();
    const [c] = coordinator.project.conflicts!;
    applyChanges(coordinator, settleConflict(coordinator, c.id, 'theirs', { actor: COORD, at: '2026-03-02T00:00:00.000Z' }));
    expect(coordinator.annotations.get(x.id)).toEqual(theirs);
    expect(coordinator.project.conflicts).toEqual([]);
    expect([...coordinator.audit.values()].some((e) => e.action === 'settle' && e.targets.includes(x.id))).toBe(true);
    const before = records(coordinator);
    const again = expectGathered(gather(coordinator, doc));
    expect(again.report).toMatchObject({ added: 0, updated: 0, deleted: 0, conflicts: 0 });
    expect(records(coordinator)).toBe(before);
  });

  it('settle "ours" keeps the coordinator’s version; gathering the same return again changes nothing', () => {
    const { coordinator, x, ours, theirs, doc } = conflicted();
    const [c] = coordinator.project.conflicts!;
    applyChanges(coordinator, settleConflict(coordinator, c.id, 'ours', { actor: COORD, at: '2026-03-02T00:00:00.000Z' }));
    expect(coordinator.annotations.get(x.id)).toEqual({ ...ours, baseUpdatedAt: theirs.updatedAt });
    expect(coordinator.project.conflicts).toEqual([]);
    const before = records(coordinator);
    const again = expectGathered(gather(coordinator, doc, 'return-a.json', '2026-03-03T00:00:00.000Z'));
    expect(again.report).toMatchObject({ added: 0, updated: 0, deleted: 0, conflicts: 0, unchanged: 7 });
    expect(records(coordinator)).toBe(before);
  });

  it('a later edit by the annotator after "ours" is a new conflict', () => {
    const { coordinator, x } = conflicted();
    const [c] = coordinator.project.conflicts!;
    applyChanges(coordinator, settleConflict(coordinator, c.id, 'ours', { actor: COORD, at: '2026-03-02T00:00:00.000Z' }));
    const copy = copyOf(baseData());
    relabel(copy, A, t(20), x, 'annotator says polyp');
    relabel(copy, A, t(50), x, 'annotator still says polyp');
    const out = expectGathered(gather(coordinator, returnOf(copy, A, t(60))));
    expect(out.report.conflicts).toBe(1);
    expect((coordinator.project.conflicts![0].theirs as Annotation).note).toBe('annotator still says polyp');
  });

  it('an annotator’s deletion of a record the coordinator changed is a conflict, not a deletion', () => {
    const coordinator = copyOf(baseData());
    const x = annotationsOf(coordinator, A)[0];
    const ours = relabel(coordinator, COORD, t(10), x, 'kept by the coordinator');
    const copy = copyOf(baseData());
    edit(copy, A, t(20), [deleted('annotation', copy.annotations.get(x.id)!)]);
    const out = expectGathered(gather(coordinator, returnOf(copy, A, t(30))));
    expect(out.report).toMatchObject({ conflicts: 1, deleted: 0 });
    expect(coordinator.annotations.get(x.id)).toEqual(ours);
    expect(coordinator.project.conflicts).toMatchObject([{ recordId: x.id, theirs: null }]);
  });

  it('a deletion conflict is not replaced by an older version from an earlier return of the same annotator', () => {
    const coordinator = copyOf(baseData());
    const x = annotationsOf(coordinator, A)[0];
    const ours = relabel(coordinator, COORD, t(10), x, 'kept by the coordinator');
    const copy = copyOf(baseData());
    relabel(copy, A, t(20), x, 'annotator edit');
    const earlier = returnOf(copy, A, t(21));
    edit(copy, A, t(30), [deleted('annotation', copy.annotations.get(x.id)!)]);
    const latest = returnOf(copy, A, t(31));

    const oneWay = copyOf(dataFromState(coordinator));
    expectGathered(gather(oneWay, earlier, 'earlier.json'));
    expectGathered(gather(oneWay, latest, 'latest.json'));
    const otherWay = copyOf(dataFromState(coordinator));
    expectGathered(gather(otherWay, latest, 'latest.json'));
    expectGathered(gather(otherWay, earlier, 'earlier.json'));
    for (const s of [oneWay, otherWay]) {
      expect(s.annotations.get(x.id)).toEqual(ours);
      expect(s.project.conflicts).toMatchObject([{ recordId: x.id, theirs: null }]);
    }
  });

  it('two browsers, one deleting and one later editing a record the coordinator changed: the later change is the conflict, in either order', () => {
    const coordinator = copyOf(baseData());
    const x = annotationsOf(coordinator, A)[0];
    relabel(coordinator, COORD, t(10), x, 'kept by the coordinator');
    const laptop = copyOf(baseData());
    edit(laptop, A, t(20), [deleted('annotation', laptop.annotations.get(x.id)!)]);
    const desktop = copyOf(baseData());
    const edited = relabel(desktop, A, t(30), x, 'edited on the desktop after the laptop deleted it');
    const fromLaptop = returnOf(laptop, A, t(40));
    const fromDesktop = returnOf(desktop, A, t(41));
    const { projectId: _p, ...plain } = edited;
    for (const order of [[fromLaptop, fromDesktop], [fromDesktop, fromLaptop]]) {
      const s = copyOf(dataFromState(coordinator));
      for (const doc of order) expectGathered(gather(s, doc));
      expect(s.project.conflicts).toMatchObject([{ recordId: x.id, theirs: plain }]);
    }
  });
});

describe('deletions travel as the annotator’s audit lines', () => {
  it('deletes the record; an older return of the same annotator gathered afterwards does not bring it back', () => {
    const copy = copyOf(baseData());
    const x = annotationsOf(copy, A)[1];
    relabel(copy, A, t(10), x, 'before it went');
    const older = returnOf(copy, A, t(15));
    edit(copy, A, t(20), [deleted('annotation', copy.annotations.get(x.id)!)]);
    const newer = returnOf(copy, A, t(25));
    const line = newer.audit.find((e) => e.action === 'delete');
    expect(line).toMatchObject({ actor: A, recordKind: 'annotation', targets: [x.id], at: t(20) });

    const coordinator = copyOf(baseData());
    const out = expectGathered(gather(coordinator, newer, 'newer.json'));
    expect(out.report).toMatchObject({ deleted: 1, added: 0 });
    expect(coordinator.annotations.has(x.id)).toBe(false);
    const late = expectGathered(gather(coordinator, older, 'older.json'));
    expect(late.report).toMatchObject({ added: 0, updated: 0, deleted: 0 });
    expect(coordinator.annotations.has(x.id)).toBe(false);

    // The other order ends the same.
    const other = copyOf(baseData());
    expectGathered(gather(other, older, 'older.json'));
    expect(other.annotations.get(x.id)?.note).toBe('before it went');
    expectGathered(gather(other, newer, 'newer.json'));
    expect(records(other)).toBe(records(coordinator));
  });

  it('a record created and deleted in the annotator’s browser never arrives', () => {
    const copy = copyOf(baseData());
    const a = { ...annotationsOf(copy, A)[0], id: 'ann_brief', createdAt: t(10), updatedAt: t(10) };
    edit(copy, A, t(10), [created('annotation', a)]);
    const early = returnOf(copy, A, t(11));
    edit(copy, A, t(12), [deleted('annotation', copy.annotations.get('ann_brief')!)]);
    const coordinator = copyOf(baseData());
    expectGathered(gather(coordinator, returnOf(copy, A, t(13))));
    expect(coordinator.annotations.has('ann_brief')).toBe(false);
    expectGathered(gather(coordinator, early));
    expect(coordinator.annotations.has('ann_brief')).toBe(false);
  });
});

describe('image statuses merge like annotations', () => {
  it('adds, updates, conflicts and deletes statuses by the same rules', () => {
    const coordinator = copyOf(baseData());
    const copyA = copyOf(baseData());
    const s1 = copyA.statuses.get(statusId('img_1', A))!;
    const s2 = copyA.statuses.get(statusId('img_2', A))!;
    // A reopens img_1; the coordinator and A both change img_2.
    edit(copyA, A, t(10), [updated('status', s1, { ...s1, state: 'in-progress', updatedAt: t(10) })]);
    edit(copyA, A, t(11), [updated('status', s2, { ...s2, noFinding: true, updatedAt: t(11) })]);
    const c2 = coordinator.statuses.get(statusId('img_2', A))!;
    edit(coordinator, COORD, t(12), [updated('status', c2, { ...c2, state: 'todo', updatedAt: t(12) })]);
    const oursS2 = coordinator.statuses.get(c2.id)!;
    // B had no statuses: looks at img_1 and finds nothing.
    const copyB = copyOf(baseData());
    const sB: ImageStatus = { id: statusId('img_1', B), projectId: copyB.project.id, imageId: 'img_1', annotatorId: B, state: 'done', noFinding: true, updatedAt: t(13) };
    edit(copyB, B, t(13), [created('status', sB)]);

    const outA = expectGathered(gather(coordinator, returnOf(copyA, A, t(20)), 'a.json'));
    expect(outA.report).toMatchObject({ added: 0, updated: 1, conflicts: 1, unchanged: 5 });
    expect(coordinator.statuses.get(s1.id)).toMatchObject({ state: 'in-progress', updatedAt: t(10), updatedBy: A });
    expect(coordinator.statuses.get(c2.id)).toEqual(oursS2);
    expect(coordinator.project.conflicts).toEqual([
      expect.objectContaining({ recordKind: 'status', recordId: c2.id, annotatorId: A, theirs: { imageId: 'img_2', annotatorId: A, state: 'done', noFinding: true, updatedAt: t(11), updatedBy: A } }),
    ]);
    const outB = expectGathered(gather(coordinator, returnOf(copyB, B, t(21)), 'b.json'));
    expect(outB.report).toMatchObject({ added: 1, updated: 0, conflicts: 0, unchanged: 5 });
    expect(coordinator.statuses.get(sB.id)).toEqual({ ...sB, updatedBy: B });

    // A clears the status of img_1 ("not yet looked at"): it goes, as a deleted annotation does.
    edit(copyA, A, t(30), [deleted('status', copyA.statuses.get(s1.id)!)]);
    const outA2 = expectGathered(gather(coordinator, returnOf(copyA, A, t(31)), 'a2.json'));
    expect(outA2.report).toMatchObject({ deleted: 1 });
    expect(coordinator.statuses.has(s1.id)).toBe(false);
  });
});

describe('the audit trail', () => {
  it('carries the return’s audit lines over once: gathering it twice adds nothing but the second gather’s own line', () => {
    const copy = copyOf(baseData());
    const [x, y] = annotationsOf(copy, A);
    relabel(copy, A, t(10), x, 'one');
    edit(copy, A, t(11), [deleted('annotation', copy.annotations.get(y.id)!)]);
    const doc = returnOf(copy, A, t(20));
    expect(doc.audit).toHaveLength(2);

    const coordinator = copyOf(baseData());
    expectGathered(gather(coordinator, doc));
    const carried = [...coordinator.audit.values()].filter((e) => e.action !== 'gather');
    expect(carried.map(({ projectId: _p, ...e }) => e)).toEqual(doc.audit);
    expect(carried.every((e) => e.projectId === coordinator.project.id)).toBe(true);
    const before = dataWithoutGatherLines(coordinator);
    const gathersBefore = [...coordinator.audit.values()].filter((e) => e.action === 'gather').length;

    const again = expectGathered(gather(coordinator, doc, 'return.json', '2026-03-02T00:00:00.000Z'));
    expect(again.report).toMatchObject({ added: 0, updated: 0, deleted: 0, conflicts: 0 });
    expect(dataWithoutGatherLines(coordinator)).toBe(before);
    const gathers = [...coordinator.audit.values()].filter((e) => e.action === 'gather');
    expect(gathers).toHaveLength(gathersBefore + 1);
    expect(gathers.at(-1)).toMatchObject({ actor: COORD, at: '2026-03-02T00:00:00.000Z', targets: [] });
  });
});

describe('the coordinator takes a gather back', () => {
  it('a gathered return undone by the coordinator comes back when gathered again (only an annotator’s own deletion keeps a record out)', () => {
    const coordinator = copyOf(baseData());
    const copy = copyOf(baseData());
    const fresh: Annotation = { ...annotationsOf(copy, A)[0], id: 'ann_again', createdAt: t(5), updatedAt: t(5) };
    edit(copy, A, t(5), [created('annotation', fresh)]);
    const doc = returnOf(copy, A, t(6));
    expect(expectGathered(gather(coordinator, doc)).report.added).toBe(1);
    // The coordinator's undo of that gather: a deletion by the coordinator, later than everything.
    edit(coordinator, COORD, t(100), [deleted('annotation', coordinator.annotations.get('ann_again')!)]);
    expect(coordinator.annotations.has('ann_again')).toBe(false);
    const again = expectGathered(gather(coordinator, doc, 'return.json', t(200)));
    expect(again.report.added).toBe(1);
    expect(coordinator.annotations.get('ann_again')).toMatchObject({ annotatorId: A, updatedAt: t(5) });
  });
});
