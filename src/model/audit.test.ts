import { describe, expect, it } from 'vitest';
import { sampleProjectData } from '../formats/testData';
import { auditEntriesFor, byTime, stampChanges } from './audit';
import { created, deleted, updated, type RecordChange } from './changes';
import type { Annotation, AuditEntry } from './types';

const T0 = '2026-02-01T09:00:00.000Z';
const T1 = '2026-02-01T10:00:00.000Z';
const T2 = '2026-02-01T11:00:00.000Z';
const T3 = '2026-02-01T12:00:00.000Z';

/** Endoscopy sample: img_1 holds ann_1..ann_3 (reader-a) and ann_4..ann_6 (reader-b); img_2 starts at ann_7. */
function sample() {
  return sampleProjectData('endoscopy-lesions');
}

const ann = (d: ReturnType<typeof sample>, id: string) => d.annotations.find((a) => a.id === id)!;

describe('auditEntriesFor', () => {
  it('makes one entry per (action, record kind, image), listing the records, and leaves out annotator and audit rows', () => {
    const d = sample();
    const [a1, a2, a3, a7, a5] = ['ann_1', 'ann_2', 'ann_3', 'ann_7', 'ann_5'].map((id) => ann(d, id));
    const changes: RecordChange[] = [
      updated('annotation', a1, { ...a1, note: 'x' }),
      updated('annotation', a2, { ...a2, note: 'y' }),
      deleted('annotation', a3),
      updated('annotation', a7, { ...a7, note: 'z' }),
      created('annotation', { ...a5, id: 'ann_new', imageId: 'img_1' }),
      updated('status', d.statuses[0], { ...d.statuses[0], state: 'in-progress' }),
      updated('schema', d.schemas[0], { ...d.schemas[0], purpose: 'changed' }),
      created('annotator', { id: 'dr-z', projectId: d.project.id, displayName: 'Z' }),
      created('audit', { id: 'aud_x', projectId: d.project.id, at: T1, actor: 'dr-z', action: 'export', targets: [] }),
    ];
    const entries = auditEntriesFor(changes, { projectId: d.project.id, actor: 'dr-a', at: T1 });
    const summary = entries.map((e) => `${e.action} ${e.recordKind} ${e.imageId ?? '-'}: ${e.targets.join(',')}`).sort();
    // Grouped by hand: two updates on img_1, a delete on img_1, an update on img_2, a create on
    // img_1, a status update on img_1, the schema (no image); the annotator and audit rows are not listed.
    expect(summary).toEqual(
      [
        'update annotation img_1: ann_1,ann_2',
        'delete annotation img_1: ann_3',
        'update annotation img_2: ann_7',
        'create annotation img_1: ann_new',
        `update status img_1: ${d.statuses[0].id}`,
        `update schema -: ${d.schemas[0].id}@1`,
      ].sort(),
    );
    for (const e of entries) expect(e).toMatchObject({ projectId: d.project.id, actor: 'dr-a', at: T1 });
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('an action given for work done on someone’s behalf makes one entry per image and kind', () => {
    const d = sample();
    const a1 = ann(d, 'ann_1');
    const changes: RecordChange[] = [created('annotation', { ...a1, id: 'ann_c' }), updated('annotation', a1, { ...a1, note: 'n' }), deleted('annotation', ann(d, 'ann_2'))];
    const entries = auditEntriesFor(changes, { projectId: d.project.id, actor: 'rev', at: T1, action: 'adjudicate', detail: 'consensus' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'adjudicate', recordKind: 'annotation', imageId: 'img_1', targets: ['ann_c', 'ann_1', 'ann_2'], detail: 'consensus' });
  });

  it('byTime orders by time, then by id within the same millisecond', () => {
    const e = (id: string, at: string) => ({ id, at }) as AuditEntry;
    expect([e('b', T1), e('a', T2), e('a', T1)].sort(byTime).map((x) => `${x.at}/${x.id}`)).toEqual([`${T1}/a`, `${T1}/b`, `${T2}/a`]);
  });
});

describe('stampChanges', () => {
  /** reader-a's box, last changed by reader-a at T1. */
  function own(): Annotation {
    return { ...sample().annotations[0], updatedAt: T1, updatedBy: 'reader-a' };
  }
  const stamped = (c: RecordChange, actor: string) => stampChanges([c], actor)[0].after as Annotation;

  it('the owner’s edit is stamped with the owner and clears any earlier base version', () => {
    const before: Annotation = { ...own(), updatedBy: 'coord', updatedAt: T2, baseUpdatedAt: T1 };
    const after = stamped(updated('annotation', before, { ...before, note: 'mine again', updatedAt: T3 }), 'reader-a');
    expect(after.updatedBy).toBe('reader-a');
    expect(after).not.toHaveProperty('baseUpdatedAt');
  });

  it('someone else’s first edit remembers the version it started from; their second edit keeps it', () => {
    const v1 = own();
    const first = stamped(updated('annotation', v1, { ...v1, note: 'coord 1', updatedAt: T2 }), 'coord');
    expect(first).toMatchObject({ updatedBy: 'coord', baseUpdatedAt: T1, updatedAt: T2 });
    const second = stamped(updated('annotation', first, { ...first, note: 'coord 2', updatedAt: T3 }), 'coord');
    // Still the annotator's T1, not the coordinator's own T2.
    expect(second).toMatchObject({ updatedBy: 'coord', baseUpdatedAt: T1, updatedAt: T3 });
  });

  it('a new record has no base version; other kinds and deletions pass unchanged; no actor stamps nothing', () => {
    const v1 = own();
    expect(stamped(created('annotation', { ...v1, id: 'ann_x', annotatorId: 'consensus' }), 'rev')).toMatchObject({ updatedBy: 'rev' });
    expect(stamped(created('annotation', { ...v1, id: 'ann_x', annotatorId: 'consensus' }), 'rev')).not.toHaveProperty('baseUpdatedAt');
    const d = sample();
    const schema = updated('schema', d.schemas[0], { ...d.schemas[0], purpose: 'p' });
    const gone = deleted('annotation', v1);
    expect(stampChanges([schema, gone], 'coord')).toEqual([schema, gone]);
    const c = updated('annotation', v1, { ...v1, note: 'n', updatedAt: T0 });
    expect(stampChanges([c], '')).toEqual([c]);
  });
});
