// Which records go to which person's database, and which a browser takes back: the blind rule and
// the return rule of the team loop, as pure functions (a server-side validate_doc_update cannot be
// relied on with every CouchDB-protocol server).
import { describe, expect, it } from 'vitest';
import { sampleProjectData } from '../formats/testData';
import type { ProjectData } from '../model/projectData';
import type { TeamRole } from '../model/types';
import { makeReturn, makeWorkPackage } from '../team/packages';
import { accepts, BATCH, cutBatches, databaseName, docId, homeOwner, outgoingPlan, parseDocId, planBatches, sharedConflictDetail, writesDoc, type KindedValue } from './route';
import { classify, serverAddress } from './problems';

const A = 'reader-a';
const B = 'reader-b';
const COORD = 'coordinator';

function team(): ProjectData {
  const d = sampleProjectData('endoscopy-lesions', { annotators: [A, B] });
  for (const a of d.annotators) a.role = 'annotator';
  d.annotators.push({ id: COORD, projectId: d.project.id, displayName: 'Coordinator', role: 'coordinator' });
  d.audit.push({ id: 'aud_coord', projectId: d.project.id, at: d.project.createdAt, actor: COORD, action: 'update', targets: [], detail: 'coordinator line' });
  d.audit.push({ id: 'aud_a', projectId: d.project.id, at: d.project.createdAt, actor: A, action: 'create', recordKind: 'annotation', targets: [], detail: 'a line' });
  return d;
}

/** What `owner`'s database receives, whole: outgoingPlan's records and the annotations it takes. */
function outgoing(data: ProjectData, me: string, role: TeamRole, owner: string): Map<string, KindedValue> {
  const plan = outgoingPlan(data, me, role, owner);
  for (const value of data.annotations) if (plan.takes(value)) plan.records.set(docId('annotation', value.id), { kind: 'annotation', value });
  return plan.records;
}

const kindsOf = (m: Map<string, { kind: string }>) => [...m.values()].map((r) => r.kind);

describe('what each person’s database receives', () => {
  it('an annotator’s database: exactly what their work package holds, plus their own work; nobody else’s labels', () => {
    const d = team();
    expect(d.annotations.some((a) => a.annotatorId === B)).toBe(true);
    const toA = outgoing(d, COORD, 'coordinator', A);
    const pkg = makeWorkPackage(d, A, { issuedBy: COORD, at: d.project.createdAt });
    // The same images and schema versions as the file a coordinator would hand out.
    expect([...toA.values()].filter((r) => r.kind === 'image').map((r) => r.value.id).sort()).toEqual(pkg.images.map((i) => i.id).sort());
    expect(kindsOf(toA).filter((k) => k === 'schema')).toHaveLength(pkg.schemaVersions.length + 1);
    const labels = [...toA.values()].flatMap((r) => (r.kind === 'annotation' || r.kind === 'status' ? [r.value.annotatorId] : []));
    expect(labels.length).toBe(d.annotations.filter((a) => a.annotatorId === A).length + d.statuses.filter((s) => s.annotatorId === A).length);
    expect(new Set(labels)).toEqual(new Set([A]));
    // Audit: only their own lines; the project without conflicts, opt-out list or other assignments.
    expect([...toA.values()].flatMap((r) => (r.kind === 'audit' ? [r.value.id] : []))).toEqual(['aud_a']);
    const project = toA.get(docId('project', d.project.id))!.value as ProjectData['project'];
    expect(project.optOut).toEqual([]);
    expect(project.conflicts).toBeUndefined();
    expect(project.assignments?.map((x) => x.annotatorId)).toEqual([A]);
  });

  it('an annotator writes only their own work, into their own database; the same records a return carries', () => {
    const d = team();
    expect(outgoing(d, A, 'annotator', B).size).toBe(0);
    const mine = outgoing(d, A, 'annotator', A);
    const ret = makeReturn(d, A, d.project.createdAt);
    expect([...mine.values()].filter((r) => r.kind === 'annotation').map((r) => r.value.id).sort()).toEqual(ret.annotations.map((a) => a.id).sort());
    expect([...mine.values()].filter((r) => r.kind === 'audit').map((r) => r.value.id)).toEqual(ret.audit.map((e) => e.id));
    expect(kindsOf(mine)).not.toContain('project');
    expect(kindsOf(mine)).not.toContain('image');
  });

  it('the coordinator’s own database holds the whole project but others’ work, which lives in theirs', () => {
    const d = team();
    const own = outgoing(d, COORD, 'coordinator', COORD);
    expect(kindsOf(own).filter((k) => k === 'image')).toHaveLength(d.images.length);
    expect([...own.values()].some((r) => r.kind === 'annotation')).toBe(false);
    expect([...own.values()].flatMap((r) => (r.kind === 'audit' ? [r.value.id] : []))).toEqual(['aud_coord']);
  });
});

describe('what a browser takes from a database', () => {
  const d = team();
  const bLabel = d.annotations.find((a) => a.annotatorId === B)!;
  it('the coordinator refuses a record of anyone else in a person’s database, and says whose it is', () => {
    const v = accepts(d, COORD, 'coordinator', A, 'annotation', bLabel);
    expect(v).toEqual({ take: false, reason: `annotation of "${B}" in ${A}’s database: a person’s database may hold only their own work` });
    expect(accepts(d, COORD, 'coordinator', B, 'annotation', bLabel)).toEqual({ take: true });
  });
  it('shared records come to the coordinator from their own database only; annotators take what theirs holds', () => {
    expect(accepts(d, COORD, 'coordinator', A, 'project', d.project).take).toBe(false);
    expect(accepts(d, COORD, 'coordinator', COORD, 'project', d.project).take).toBe(true);
    expect(accepts(d, A, 'annotator', A, 'project', d.project).take).toBe(true);
    expect(accepts(d, A, 'annotator', B, 'annotation', bLabel).take).toBe(false);
  });
  it('an annotator never deletes shared records or others’ work; the coordinator keeps others’ audit lines', () => {
    expect(writesDoc(d, A, 'annotator', A, 'image', homeOwner('image', d.images[0]))).toBe(false);
    expect(writesDoc(d, A, 'annotator', A, 'annotation', homeOwner('annotation', bLabel))).toBe(false);
    expect(writesDoc(d, COORD, 'coordinator', A, 'audit', homeOwner('audit', d.audit.find((e) => e.id === 'aud_a')!))).toBe(true);
    expect(writesDoc(d, COORD, 'coordinator', A, 'audit', homeOwner('audit', d.audit.find((e) => e.id === 'aud_coord')!))).toBe(false);
  });
});

describe('batches', () => {
  it('a slide’s many outlines go in batches of at most BATCH.size; a few on an image go one document each', () => {
    const d = team();
    const one = d.annotations[0];
    const many = Array.from({ length: 2 * BATCH.size + 1 }, (_, i) => ({ ...one, id: `cell-${i}`, imageId: 'slide' }));
    const few = Array.from({ length: BATCH.min - 1 }, (_, i) => ({ ...one, id: `box-${i}`, imageId: 'frame' }));
    const plan = planBatches([...few, ...many]);
    expect(plan.batches.map((b) => b.length)).toEqual([BATCH.size, BATCH.size, 1]);
    expect(plan.single.map((a) => a.id)).toEqual(few.map((a) => a.id));
    // Every annotation exactly once.
    expect(new Set([...plan.batches.flat(), ...plan.single].map((a) => a.id)).size).toBe(many.length + few.length);
  });

  it('a slide’s outlines coming a part at a time are cut as if they came at once', () => {
    const d = team();
    const one = d.annotations[0];
    const cells = Array.from({ length: 2 * BATCH.size + 150 }, (_, i) => ({ ...one, id: `cell-${i}`, imageId: 'slide' }));
    // Parts of 700 and then the rest (the sync's pass over a million): full batches go, the rest waits.
    const first = cutBatches(cells.slice(0, 700), false, true);
    expect(first.batches.map((b) => b.length)).toEqual([BATCH.size]);
    expect(first.keep).toHaveLength(700 - BATCH.size);
    const rest = cutBatches([...first.keep, ...cells.slice(700)], true, false);
    // 1150 in all: 500, 500 and a last batch of 150 (fewer than BATCH.min, but the image began in batches).
    expect([...first.batches, ...rest.batches].map((b) => b.length)).toEqual(planBatches(cells).batches.map((b) => b.length));
    expect([...first.batches, ...rest.batches].flat().map((a) => a.id)).toEqual(cells.map((a) => a.id));
    expect(rest.single).toEqual([]);
    // The same through planBatches a part at a time, as the sync's pass calls it: two images, a few
    // frames' boxes (one document each) between the slide's two parts.
    const boxes = Array.from({ length: 5 }, (_, i) => ({ ...one, id: `box-${i}`, imageId: 'frame' }));
    const started = new Set<string>();
    const p1 = planBatches(cells.slice(0, 700), { started, more: true });
    const p2 = planBatches([...p1.keep, ...boxes, ...cells.slice(700)], { started, more: false });
    expect([...p1.batches, ...p2.batches].map((b) => b.length)).toEqual([BATCH.size, BATCH.size, 150]);
    expect([...p1.batches, ...p2.batches].flat().map((a) => a.id)).toEqual(cells.map((a) => a.id));
    expect([...p1.single, ...p2.single].map((a) => a.id)).toEqual(boxes.map((a) => a.id));
    expect(p2.keep).toEqual([]);
  });
});

describe('what a reviewer’s database receives, a part at a time', () => {
  it('the review phase: everyone’s labels on the reviewer’s images, the same whether the outlines are read at once or streamed', () => {
    const d = team();
    const R = 'reviewer-r';
    d.annotators.push({ id: R, projectId: d.project.id, displayName: 'Reviewer', role: 'reviewer' });
    const pkg = makeWorkPackage(d, R, { issuedBy: COORD, at: d.project.createdAt });
    const whole = outgoing(d, COORD, 'coordinator', R);
    // The same labels as the reviewer's work package (written by the file path), A's and B's alike.
    const labels = [...whole.values()].flatMap((r) => (r.kind === 'annotation' ? [r.value.id] : []));
    expect(labels.sort()).toEqual(pkg.annotations.map((a) => a.id).sort());
    expect(new Set(pkg.annotations.map((a) => a.annotatorId))).toEqual(new Set([A, B]));
    // Streamed: the records without annotations, and the test each annotation passes.
    let reads = 0;
    const plan = outgoingPlan({ ...d, annotations: [] }, COORD, 'coordinator', R, () => (reads++, d.annotations));
    expect(reads).toBe(1);
    const streamed = new Map(plan.records);
    for (const a of d.annotations) if (plan.takes(a)) streamed.set(docId('annotation', a.id), { kind: 'annotation', value: a });
    expect(new Set(streamed.keys())).toEqual(new Set(whole.keys()));
    // Everyone who labelled is named in the reviewer's team list, as in the package.
    expect([...streamed.values()].filter((r) => r.kind === 'annotator').map((r) => r.value.id).sort()).toEqual(pkg.annotators.map((a) => a.id).sort());
  });
});

describe('names and messages', () => {
  it('database names follow CouchDB’s rule ^[a-z][a-z0-9_$()+/-]*$ and never collide', () => {
    const names = [databaseName('prj_0f3a', 'dr-sato'), databaseName('PRJ', 'Dr Sato'), databaseName('prj', '佐藤')];
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_$()+/-]*$/);
    expect(databaseName('prj', 'dr-sato')).toBe('granula-prj-dr-sato');
    expect(databaseName('p', 'a.b')).not.toBe(databaseName('p', 'a(2e)b'));
    expect(databaseName('a-b', 'c')).not.toBe(databaseName('a', 'b-c'));
    expect(databaseName('PRJ', 'a')).not.toBe(databaseName('prj', 'a'));
    expect(parseDocId(docId('schema', 'sch@2'))).toEqual({ kind: 'schema', id: 'sch@2' });
    expect(parseDocId('_design/x')).toBeNull();
  });
  it('errors in words the user can act on', () => {
    expect(classify({ status: 401, name: 'unauthorized' }, false)).toBe('wrong-password');
    expect(classify({ status: 401 }, true)).toBe('signed-out');
    expect(classify({ status: 403, name: 'forbidden' }, true)).toBe('forbidden');
    expect(classify({ status: 404 }, true)).toBe('no-database');
    expect(classify({ status: 507, reason: 'Insufficient Storage' }, true)).toBe('full');
    expect(classify(new TypeError('Failed to fetch'), true)).toBe('unreachable');
  });
  it('https, or http only for this computer', () => {
    expect(serverAddress('https://couch.example.org/')).toEqual({ ok: true, url: 'https://couch.example.org' });
    expect(serverAddress('http://127.0.0.1:5984')).toEqual({ ok: true, url: 'http://127.0.0.1:5984' });
    expect(serverAddress('http://couch.example.org')).toEqual({ ok: false, problem: 'insecure' });
    expect(serverAddress('not a url')).toEqual({ ok: false, problem: 'unreachable' });
  });
});

describe('a shared record changed in two places', () => {
  it('keeps every differing field of the losing version in the audit line, the kept value first', () => {
    const kept = { id: 'im1', name: 'Lung CT', order: 1, updatedAt: '2026-11-30T10:00:00.000Z' };
    const other = { id: 'im1', name: 'Lung CT 2', order: 1, note: 'recheck', updatedAt: '2026-11-30T10:01:00.000Z' };
    expect(sharedConflictDetail(kept, other, 'db (revision 3-x)')).toBe(
      'db (revision 3-x): changed in two places; the server kept one version; not kept: name: "Lung CT" kept, "Lung CT 2" not kept; note: (none) kept, "recheck" not kept',
    );
    expect(sharedConflictDetail(kept, null, 'db (revision 3-x)')).toBe('db (revision 3-x): changed in two places; the server kept one version; the other deleted it');
  });

  it('stays within the audit line\'s 5,000 characters however long the values', () => {
    const kept = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${String(i).padStart(2, '0')}`, 'x'.repeat(9000)]));
    const other = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${String(i).padStart(2, '0')}`, 'y'.repeat(9000)]));
    const detail = sharedConflictDetail(kept, other, 'db');
    expect(detail.length).toBeLessThanOrEqual(5000);
    // Each value is cut to 200 characters, so the first fields are there whole in their cut form.
    expect(detail).toContain(`f00: "${'x'.repeat(198)}… kept, "${'y'.repeat(198)}… not kept`);
  });
});

