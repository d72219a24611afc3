// `granula merge` end to end: the real command in a child process, on files written into a temp folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEntriesFor, stampChanges } from '../../src/model/audit';
import { created, updated, type RecordChange } from '../../src/model/changes';
import type { ProjectData } from '../../src/model/projectData';
import type { Annotation } from '../../src/model/types';
import { toSharedDocument } from '../../src/formats/shared/convert';
import { FORMAT_VERSION, type SharedDocument } from '../../src/formats/shared/schema';
import { sampleProjectData } from '../../src/formats/testData';
import { makeReturn } from '../../src/team/packages';
import { applyChanges, dataFromState, stateFromData, type TeamState } from '../../src/team/state';

const dir = mkdtempSync(join(tmpdir(), 'granula-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = 'reader-a';
const B = 'reader-b';
const NOW = '2026-02-01T09:00:00.000Z';

function granula(...args: string[]) {
  return spawnSync('node', ['bin/granula.mjs', ...args], { encoding: 'utf8' });
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function t(n: number): string {
  return new Date(Date.parse(NOW) + n * 1000).toISOString();
}

function baseData(): ProjectData {
  const d = sampleProjectData('endoscopy-lesions', { annotators: [A, B] });
  for (const a of d.annotators) a.role = 'annotator';
  d.annotators.push({ id: 'coord', projectId: d.project.id, displayName: 'Coordinator', role: 'coordinator' });
  return d;
}

/** An edit in an annotator's browser, stamped and written to the audit trail as the app does. */
function edit(s: TeamState, actor: string, at: string, changes: RecordChange[]): void {
  const stamped = stampChanges(changes, actor);
  applyChanges(s, [...stamped, ...auditEntriesFor(stamped, { projectId: s.project.id, actor, at }).map((e) => created('audit', e))]);
}

function newBox(s: TeamState, id: string, annotatorId: string, classId: string, at: string): Annotation {
  // Polyp and cancer boxes need their Paris classification: without it the merged file would not validate.
  return { id, projectId: s.project.id, imageId: 'img_1', classId, attributes: { paris: '0-Is' }, geometry: { type: 'box', x: 330, y: 250, w: 170, h: 140 }, annotatorId, schemaId: 'sch_endoscopy-lesions', schemaVersion: 1, createdAt: at, updatedAt: at };
}

/** Reader A reworded one label and drew a polyp; reader B drew a cancer. */
function returns(): { a: SharedDocument; b: SharedDocument } {
  const copyA = stateFromData(baseData());
  const first = [...copyA.annotations.values()].find((x) => x.annotatorId === A)!;
  edit(copyA, A, t(10), [updated('annotation', first, { ...first, note: 'pedunculated after all', updatedAt: t(10) })]);
  edit(copyA, A, t(11), [created('annotation', newBox(copyA, 'ann_a_new', A, 'polyp', t(11)))]);
  const copyB = stateFromData(baseData());
  edit(copyB, B, t(12), [created('annotation', newBox(copyB, 'ann_b_new', B, 'cancer', t(12)))]);
  return { a: makeReturn(dataFromState(copyA), A, t(20)), b: makeReturn(dataFromState(copyB), B, t(21)) };
}

const sortById = (xs: { id: string }[]) => [...xs].sort((x, y) => (x.id < y.id ? -1 : 1));

describe('granula merge', { timeout: 60_000 }, () => {
  const base = file('project.json', toSharedDocument(baseData(), { exportedAt: NOW }));
  const { a, b } = returns();
  const retA = file('granula-return_a.json', a);
  const retB = file('granula-return_b.json', b);

  it('merges two returns: exit 0, one report line each; OUT holds both annotators’ labels and validates', () => {
    const out = join(dir, 'merged.json');
    const r = granula('merge', base, retA, retB, '-o', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `${retA}: ${A}: 1 added, 1 updated, 0 deleted, 6 unchanged, 0 conflicts\n` + `${retB}: ${B}: 1 added, 0 updated, 0 deleted, 5 unchanged, 0 conflicts\n`,
    );
    const merged = JSON.parse(readFileSync(out, 'utf8')) as SharedDocument;
    expect(merged.format).toBe('granula-shared');
    expect(merged.project.id).toBe('prj_endoscopy-lesions');
    expect(merged.annotations.find((x) => x.id === 'ann_a_new')).toMatchObject({ annotatorId: A, classId: 'polyp', updatedBy: A });
    expect(merged.annotations.find((x) => x.id === 'ann_b_new')).toMatchObject({ annotatorId: B, classId: 'cancer', updatedBy: B });
    expect(merged.annotations.find((x) => x.note === 'pedunculated after all')).toMatchObject({ annotatorId: A });
    expect(merged.annotations).toHaveLength(12);
    // The returns' own audit lines, and one gather line per return by the default actor, named by file.
    expect(merged.audit.filter((e) => e.action === 'create' || e.action === 'update').map((e) => e.actor).sort()).toEqual([A, A, B]);
    const gathers = merged.audit.filter((e) => e.action === 'gather');
    expect(gathers.length).toBeGreaterThanOrEqual(2);
    expect(gathers.every((e) => e.actor === 'coordinator')).toBe(true);
    expect(gathers.some((e) => e.detail?.startsWith('granula-return_a.json: reader-a: '))).toBe(true);

    const v = granula('validate', out);
    expect(v.status).toBe(0);
    expect(v.stdout).toContain(`valid granula-shared v${FORMAT_VERSION}`);
    expect(v.stdout).toContain('12 annotations');
  });

  it('gives a file that granula agree reads', () => {
    const out = join(dir, 'for-agree.json');
    expect(granula('merge', base, retA, retB, '-o', out).status).toBe(0);
    const r = granula('agree', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.shapes.pairs).toEqual([expect.objectContaining({ a: A, b: B, a_count: 6, b_count: 6 })]);
  });

  it('names the gatherer with --as', () => {
    const out = join(dir, 'as.json');
    expect(granula('merge', '--as', 'dr-lead', base, retA, '-o', out).status).toBe(0);
    const merged = JSON.parse(readFileSync(out, 'utf8')) as SharedDocument;
    const gathers = merged.audit.filter((e) => e.action === 'gather');
    expect(gathers.length).toBeGreaterThan(0);
    expect(gathers.every((e) => e.actor === 'dr-lead')).toBe(true);
  });

  it('merging the same return again (OUT of the first merge as BASE) changes nothing', () => {
    const once = join(dir, 'once.json');
    const twice = join(dir, 'twice.json');
    expect(granula('merge', base, retA, retB, '-o', once).status).toBe(0);
    const r = granula('merge', once, retA, retB, '-o', twice);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `${retA}: ${A}: 0 added, 0 updated, 0 deleted, 8 unchanged, 0 conflicts\n` + `${retB}: ${B}: 0 added, 0 updated, 0 deleted, 6 unchanged, 0 conflicts\n`,
    );
    const first = JSON.parse(readFileSync(once, 'utf8')) as SharedDocument;
    const second = JSON.parse(readFileSync(twice, 'utf8')) as SharedDocument;
    expect(sortById(second.annotations)).toEqual(sortById(first.annotations));
    expect(second.imageStatus).toEqual(first.imageStatus);
    expect(second.audit.filter((e) => e.action !== 'gather')).toEqual(first.audit.filter((e) => e.action !== 'gather'));
  });

  it('counts records on images the project no longer has as skipped', () => {
    const data = baseData();
    data.images = data.images.filter((im) => im.id === 'img_1');
    data.annotations = data.annotations.filter((x) => x.imageId === 'img_1');
    data.statuses = data.statuses.filter((s) => s.imageId === 'img_1');
    const small = file('one-image.json', toSharedDocument(data, { exportedAt: NOW }));
    const r = granula('merge', small, retA, '-o', join(dir, 'small-merged.json'));
    expect(r.status).toBe(0);
    // Reader A's two labels and one status on img_2 are left out.
    expect(r.stdout).toBe(`${retA}: ${A}: 1 added, 1 updated, 0 deleted, 3 unchanged, 0 conflicts, 3 skipped\n`);
  });
});

describe('granula merge refuses', { timeout: 60_000 }, () => {
  const base = file('refuse-base.json', toSharedDocument(baseData(), { exportedAt: NOW }));
  const { a, b } = returns();
  const retB = file('refuse-b.json', b);

  it('a return of another project: exit 1, FILE: project.id: …, and OUT is not written', () => {
    const other = structuredClone(a);
    other.project.id = 'prj_elsewhere';
    const bad = file('other-project.json', other);
    const out = join(dir, 'not-written-1.json');
    const r = granula('merge', base, retB, bad, '-o', out);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${escape(bad)}: project\\.id: is project "prj_elsewhere"`, 'm'));
    expect(existsSync(out)).toBe(false);
  });

  it('a file edited into invalid JSON: exit 1, FILE: (file): is not JSON: …', () => {
    const text = JSON.stringify(a, null, 2);
    const bad = file('broken.json', text.slice(0, text.length / 2));
    const out = join(dir, 'not-written-2.json');
    const r = granula('merge', base, bad, retB, '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}: (file): is not JSON: `);
    expect(existsSync(out)).toBe(false);
  });

  it('a return claiming another annotator’s record: exit 1, the record named', () => {
    const claim = structuredClone(a);
    const bs = b.annotations[0];
    claim.annotations.push({ ...bs, annotatorId: A, note: 'mine now', updatedAt: t(30) });
    const bad = file('claims-b.json', claim);
    const out = join(dir, 'not-written-3.json');
    const r = granula('merge', base, bad, '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}: annotations[${claim.annotations.length - 1}].id: is a record of annotator "${B}"`);
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown schema version, and names every bad file in one run', () => {
    const v2 = structuredClone(a);
    v2.schemaVersions = [v2.schema];
    v2.schema = { ...v2.schema, version: 2 };
    v2.annotations[0] = { ...v2.annotations[0], schemaVersion: 2 };
    const bad = file('schema-v2.json', v2);
    const broken = file('broken-too.json', '{"format": ');
    const out = join(dir, 'not-written-4.json');
    const r = granula('merge', base, bad, broken, '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}: annotations[0].schemaVersion: schema "sch_endoscopy-lesions" version 2 is unknown to this project`);
    expect(r.stderr).toContain(`${broken}: (file): is not JSON: `);
    expect(existsSync(out)).toBe(false);
  });

  it('an invalid BASE: exit 1, one line per problem', () => {
    const doc = JSON.parse(readFileSync(base, 'utf8'));
    doc.annotations[0].geometry.w = -5;
    const badBase = file('bad-base.json', doc);
    const out = join(dir, 'not-written-5.json');
    const r = granula('merge', badBase, retB, '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${badBase}: annotations[0].geometry.w: box needs a width above zero`);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing file: exit 1', () => {
    const missing = join(dir, 'nowhere.json');
    const r = granula('merge', base, missing, '-o', join(dir, 'not-written-6.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${missing}: (file): cannot read: ENOENT`);
  });

  it('usage errors: exit 2 with the usage line', () => {
    const out = join(dir, 'never.json');
    for (const args of [[], [base], [base, retB], [base, '-o', out], [base, retB, '-o'], [base, retB, '-o', out, '--fast'], [base, retB, '-o', out, '--as', ''], [base, retB, '-o', retB]]) {
      const r = granula('merge', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: granula merge BASE RETURN... -o OUT');
    }
    expect(existsSync(out)).toBe(false);
    expect(granula('--help').stdout).toContain('granula merge BASE RETURN... -o OUT');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
