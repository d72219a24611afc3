// The gather step's promises, over generated team rounds: a base project with 2–3 annotators, each
// annotator's edits in their own copy (creates, updates, deletes, statuses set and cleared), the
// coordinator's own edits to the base meanwhile, and each annotator's return. Every edit goes through
// the same stamping and audit lines as the app's store. Fixed seed, bounded runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEntriesFor, stampChanges } from '../model/audit';
import { canonicalJson } from '../model/canonical';
import { created, deleted, updated, type RecordChange } from '../model/changes';
import { statusId } from '../model/ids';
import type { ProjectData } from '../model/projectData';
import type { Annotation, ImageStatus, WorkState } from '../model/types';
import type { SharedDocument } from '../formats/shared/schema';
import { sampleProjectData } from '../formats/testData';
import { gatherReturn, type GatherReport } from './gather';
import { makeReturn } from './packages';
import { applyChanges, dataFromState, stateFromData, type TeamState } from './state';

const SEED = 20260301;
const RUNS = 100;
const COORD = 'coordinator';
const FIRST_GATHER = '2026-03-01T00:00:00.000Z';
const SECOND_GATHER = '2026-03-02T00:00:00.000Z';
const CLASSES = ['polyp', 'cancer', 'other-lesion'];
const STATES: WorkState[] = ['todo', 'in-progress', 'done'];

function t(n: number): string {
  return new Date(Date.parse('2026-02-01T09:00:00.000Z') + n * 1000).toISOString();
}

interface Op {
  who: number;
  kind: number;
  pick: number;
  v: number;
}

interface Scenario {
  annotators: number;
  images: number;
  ops: Op[];
  /** After which op (index into `ops`) each annotator also sent an earlier return; -1: none. */
  staleAfter: number[];
}

const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    annotators: fc.integer({ min: 2, max: 3 }),
    images: fc.integer({ min: 1, max: 3 }),
    // Picks are mostly small, so the coordinator and the annotators often meet on the same records.
    ops: fc.array(fc.record({ who: fc.nat({ max: 30 }), kind: fc.nat({ max: 4 }), pick: fc.oneof(fc.nat({ max: 2 }), fc.nat({ max: 50 })), v: fc.nat({ max: 1000 }) }), { maxLength: 40, size: 'max' }),
    stale: fc.array(fc.integer({ min: -1, max: 39 }), { minLength: 3, maxLength: 3 }),
  })
  .map(({ annotators, images, ops, stale }) => ({ annotators, images, ops, staleAfter: stale.slice(0, annotators) }));

const reader = (k: number) => `reader-${k}`;

function edit(s: TeamState, actor: string, at: string, changes: RecordChange[]): void {
  const stamped = stampChanges(changes, actor);
  const trail = auditEntriesFor(stamped, { projectId: s.project.id, actor, at });
  applyChanges(s, [...stamped, ...trail.map((e) => created('audit', e))]);
}

function own<T extends { annotatorId: string }>(m: Map<string, T>, who: string): T[] {
  return [...m.values()].filter((r) => r.annotatorId === who);
}

function setStatus(s: TeamState, actor: string, at: string, imageId: string, annotatorId: string, v: number): void {
  const id = statusId(imageId, annotatorId);
  const before = s.statuses.get(id);
  const after: ImageStatus = { ...(before ?? { id, projectId: s.project.id, imageId, annotatorId, state: 'todo', noFinding: false }), state: STATES[v % 3], noFinding: v % 2 === 0, updatedAt: at };
  edit(s, actor, at, [before ? updated('status', before, after) : created('status', after)]);
}

function relabel(s: TeamState, actor: string, at: string, a: Annotation, v: number, i: number): void {
  const g = a.geometry?.type === 'box' ? { ...a.geometry, x: a.geometry.x + (v % 7) + 1 } : a.geometry;
  edit(s, actor, at, [updated('annotation', a, { ...a, note: `${actor} ${i}`, geometry: g, uncertain: v % 2 === 0, updatedAt: at })]);
}

interface Round {
  /** The coordinator's project after their own edits: what the returns are gathered into. */
  base: ProjectData;
  /** Each annotator's copy at the end. */
  copies: TeamState[];
  returns: { name: string; annotator: string; doc: SharedDocument }[];
  /** Earlier returns of the same annotators (sent part-way through their work). */
  stale: { name: string; annotator: string; doc: SharedDocument }[];
}

function playRound(sc: Scenario): Round {
  const start = sampleProjectData('endoscopy-lesions', { annotators: Array.from({ length: sc.annotators }, (_, k) => reader(k)), images: sc.images });
  for (const a of start.annotators) a.role = 'annotator';
  start.annotators.push({ id: COORD, projectId: start.project.id, displayName: 'Coordinator', role: 'coordinator' });
  const coordinator = stateFromData(structuredClone(start));
  const copies = Array.from({ length: sc.annotators }, () => stateFromData(structuredClone(start)));
  const schema = start.schemas[0];
  const stale: Round['stale'] = [];
  sc.ops.forEach((op, i) => {
    const at = t(i + 1);
    const image = `img_${(op.pick % sc.images) + 1}`;
    const who = op.who % (sc.annotators + 1);
    if (who === sc.annotators) {
      // The coordinator corrects annotators' labels and statuses, and labels on their own; never deletes.
      const s = coordinator;
      if (op.kind === 0) {
        const a: Annotation = { id: `ann_${COORD}_${i}`, projectId: s.project.id, imageId: image, classId: CLASSES[op.v % 3], attributes: {}, geometry: { type: 'box', x: op.v, y: 10, w: 20, h: 20 }, annotatorId: COORD, schemaId: schema.id, schemaVersion: schema.version, createdAt: at, updatedAt: at };
        edit(s, COORD, at, [created('annotation', a)]);
      } else if (op.kind === 3) {
        setStatus(s, COORD, at, image, reader(op.v % sc.annotators), op.v);
      } else {
        const theirs = op.kind === 4 ? [...s.annotations.values()] : own(s.annotations, reader(op.v % sc.annotators));
        if (theirs.length) relabel(s, COORD, at, theirs[op.pick % theirs.length], op.v, i);
      }
    } else {
      const me = reader(who);
      const s = copies[who];
      const mine = own(s.annotations, me);
      if (op.kind === 0) {
        const a: Annotation = { id: `ann_${who}_${i}`, projectId: s.project.id, imageId: image, classId: CLASSES[op.v % 3], attributes: {}, geometry: { type: 'box', x: op.v, y: 5, w: 30, h: 40 }, annotatorId: me, schemaId: schema.id, schemaVersion: schema.version, createdAt: at, updatedAt: at };
        edit(s, me, at, [created('annotation', a)]);
      } else if (op.kind === 1) {
        if (mine.length) relabel(s, me, at, mine[op.pick % mine.length], op.v, i);
      } else if (op.kind === 2) {
        if (mine.length) edit(s, me, at, [deleted('annotation', mine[op.pick % mine.length])]);
      } else if (op.kind === 3) {
        setStatus(s, me, at, image, me, op.v);
      } else {
        const st = s.statuses.get(statusId(image, me));
        if (st) edit(s, me, at, [deleted('status', st)]);
      }
    }
    sc.staleAfter.forEach((after, k) => {
      if (after === i) stale.push({ name: `early-${k}.json`, annotator: reader(k), doc: makeReturn(dataFromState(copies[k]), reader(k), t(i + 1)) });
    });
  });
  const end = t(sc.ops.length + 1);
  const returns = copies.map((c, k) => ({ name: `return-${k}.json`, annotator: reader(k), doc: makeReturn(dataFromState(c), reader(k), end) }));
  return { base: dataFromState(coordinator), copies, returns, stale };
}

/** Gathers each file in order into a fresh state built from the base, as the command line does. */
function gatherAll(base: ProjectData, files: Round['returns'], at = FIRST_GATHER, into = stateFromData(structuredClone(base))): { state: TeamState; reports: GatherReport[] } {
  const reports: GatherReport[] = [];
  for (const f of files) {
    const out = gatherReturn(into, { name: f.name, value: JSON.parse(JSON.stringify(f.doc)) }, { actor: COORD, at });
    if (!out.ok) throw new Error(`${f.name} refused: ${out.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    applyChanges(into, out.changes);
    reports.push(out.report);
  }
  return { state: into, reports };
}

/** All of the project's data, without the gather step's own audit lines (one per gather, by design). */
function withoutGatherLines(s: TeamState): string {
  const d = dataFromState(s);
  return canonicalJson({ ...d, audit: d.audit.filter((e) => e.action !== 'gather') });
}

const byId = <T extends { id: string }>(xs: Iterable<T>): T[] => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** What a gather decides: the records, the conflicts (their random ids aside), the carried-over trail. */
function outcome(s: TeamState, o: { withFile: boolean }): string {
  const conflicts = (s.project.conflicts ?? []).map(({ id: _id, file, ...c }) => (o.withFile ? { ...c, file } : c)).sort((a, b) => (a.recordId < b.recordId ? -1 : 1));
  return canonicalJson({
    annotations: byId(s.annotations.values()),
    statuses: byId(s.statuses.values()),
    annotators: byId(s.annotators.values()),
    conflicts,
    audit: byId([...s.audit.values()].filter((e) => e.action !== 'gather')),
  });
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

function deletedBy(doc: SharedDocument): Set<string> {
  return new Set(doc.audit.filter((e) => e.action === 'delete').flatMap((e) => e.targets));
}

describe('gather: properties over generated team rounds', () => {
  it('(a) is idempotent: gathering all returns again yields identical data', () => {
    fc.assert(
      fc.property(scenarios, (sc) => {
        const round = playRound(sc);
        const { state } = gatherAll(round.base, round.returns);
        const once = withoutGatherLines(state);
        const { reports } = gatherAll(round.base, round.returns, SECOND_GATHER, state);
        expect(withoutGatherLines(state)).toBe(once);
        for (const r of reports) expect([r.added, r.updated, r.deleted, r.skipped]).toEqual([0, 0, 0, 0]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('(b) is order-independent: returns of different annotators in any order give the same result', () => {
    fc.assert(
      fc.property(scenarios, (sc) => {
        const round = playRound(sc);
        const [first, ...others] = permutations(round.returns).map((order) => outcome(gatherAll(round.base, order).state, { withFile: true }));
        for (const o of others) expect(o).toBe(first);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('(c) never loses a record: the coordinator’s records that no return deleted, and every returned record, are kept', () => {
    fc.assert(
      fc.property(scenarios, (sc) => {
        const round = playRound(sc);
        const { state } = gatherAll(round.base, round.returns);
        const gone = new Set(round.returns.flatMap((r) => [...deletedBy(r.doc)]));
        for (const a of round.base.annotations) if (!gone.has(a.id)) expect(state.annotations.has(a.id), a.id).toBe(true);
        for (const r of round.returns) for (const a of r.doc.annotations) expect(state.annotations.has(a.id), a.id).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('(d) decides every record as the rules say: the annotator’s latest version, unless the coordinator changed it too', () => {
    fc.assert(
      fc.property(scenarios, (sc) => {
        const round = playRound(sc);
        const { state } = gatherAll(round.base, round.returns);
        const base = stateFromData(round.base);
        const expectedConflicts = new Map<string, unknown>();
        round.copies.forEach((copy, k) => {
          const me = reader(k);
          const touched = new Set([...copy.audit.values()].filter((e) => e.actor === me).flatMap((e) => e.targets));
          for (const kind of ['annotations', 'statuses'] as const) {
            const ids = new Set([...own(copy[kind] as Map<string, Annotation | ImageStatus>, me), ...own(base[kind] as Map<string, Annotation | ImageStatus>, me)].map((r) => r.id));
            for (const id of ids) {
              const ours = base[kind].get(id);
              const final = copy[kind].get(id);
              const result = state[kind].get(id);
              if (ours && ours.updatedBy === COORD) {
                expect(result, id).toEqual(ours);
                if (touched.has(id)) {
                  let theirs: unknown = null;
                  if (final) {
                    const { projectId: _p, ...plain } = final;
                    theirs = kind === 'statuses' ? (({ id: _id, ...rest }) => rest)(plain as ImageStatus) : plain;
                  }
                  expectedConflicts.set(id, { recordKind: kind === 'annotations' ? 'annotation' : 'status', annotatorId: me, theirs });
                }
              } else {
                expect(result, id).toEqual(final);
              }
            }
          }
        });
        const conflicts = new Map((state.project.conflicts ?? []).map((c) => [c.recordId, { recordKind: c.recordKind, annotatorId: c.annotatorId, theirs: c.theirs }]));
        expect(conflicts).toEqual(expectedConflicts);
        // The coordinator's own labels are theirs alone.
        expect(own(state.annotations, COORD)).toEqual(own(base.annotations, COORD));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('(e) an earlier return of the same annotator, gathered before or after the latest, changes nothing', () => {
    fc.assert(
      fc.property(scenarios, (sc) => {
        const round = playRound(sc);
        const latest = outcome(gatherAll(round.base, round.returns).state, { withFile: false });
        const staleFirst = outcome(gatherAll(round.base, [...round.stale, ...round.returns]).state, { withFile: false });
        const staleLast = outcome(gatherAll(round.base, [...round.returns, ...round.stale]).state, { withFile: false });
        expect(staleFirst).toBe(latest);
        expect(staleLast).toBe(latest);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
