import { describe, expect, it } from 'vitest';
import { recordingSource } from '../model/testSources';
import type { AuditEntry } from '../model/types';
import { toSharedDocument } from './shared/convert';
import { validateSharedDocument } from './shared/validate';
import { sampleProjectData } from './testData';
import { excludeOptedOut } from './optOut';

describe('opt-out', () => {
  it('drops every image of an opted-out patient with its labels, and says how many', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const target = data.images[0];
    target.patientKey = 'pk-declined';
    data.project.optOut = ['pk-declined'];
    const before = data.annotations.filter((a) => a.imageId === target.id).length;
    expect(before).toBeGreaterThan(0);
    const r = excludeOptedOut(data);
    expect(r.excludedImages).toBe(1);
    expect(r.excludedAnnotations).toBe(before);
    expect(r.data.images.map((i) => i.id)).not.toContain(target.id);
    expect(r.data.annotations.some((a) => a.imageId === target.id)).toBe(false);
    expect(r.data.statuses.some((s) => s.imageId === target.id)).toBe(false);
    expect(r.data.project.optOut).toEqual([]);
  });

  it('changes nothing but the (empty) list when nobody opted out', () => {
    const data = sampleProjectData('fundus-diagnosis');
    expect(excludeOptedOut(data)).toEqual({ data, excludedImages: 0, excludedAnnotations: 0 });
  });

  it('leaves no assignment, conflict or audit line naming the excluded image or its records, and exports a valid document', () => {
    // Endoscopy sample: img_1 holds ann_1..ann_3 (reader-a) and ann_4..ann_6 (reader-b) and reader-a's
    // status img_1~reader-a; img_2 starts at ann_7. img_1's patient declines.
    const data = sampleProjectData('endoscopy-lesions');
    const pid = data.project.id;
    data.images[0].patientKey = 'pk-declined';
    data.project.optOut = ['pk-declined'];
    data.annotators.push({ id: 'coord', projectId: pid, displayName: 'Coordinator', role: 'coordinator' });
    data.project.assignments = [
      { annotatorId: 'reader-a', imageIds: ['img_1', 'img_2'] },
      { annotatorId: 'reader-b', imageIds: ['img_1'] },
    ];
    const theirs = (id: string) => {
      const { projectId: _p, ...plain } = data.annotations.find((a) => a.id === id)!;
      return { ...plain, note: 'changed in the return', updatedAt: '2026-02-02T00:00:00.000Z' };
    };
    data.project.conflicts = [
      { id: 'cfl_1', recordKind: 'annotation', recordId: 'ann_1', imageId: 'img_1', annotatorId: 'reader-a', theirs: theirs('ann_1'), file: 'a.json', at: '2026-02-03T00:00:00.000Z' },
      { id: 'cfl_2', recordKind: 'annotation', recordId: 'ann_7', imageId: 'img_2', annotatorId: 'reader-a', theirs: theirs('ann_7'), file: 'a.json', at: '2026-02-03T00:00:00.000Z' },
    ];
    const line = (id: string, e: Partial<AuditEntry>): AuditEntry => ({ id, projectId: pid, at: '2026-02-04T00:00:00.000Z', actor: 'coord', action: 'update', targets: [], ...e });
    data.audit = [
      line('aud_1', { action: 'create', recordKind: 'annotation', imageId: 'img_1', targets: ['ann_1', 'ann_2'] }),
      line('aud_2', { action: 'gather', recordKind: 'annotation', targets: ['ann_3', 'ann_7'], detail: 'a.json' }),
      line('aud_3', { action: 'package', recordKind: 'image', targets: ['img_1'] }),
      line('aud_4', { action: 'update', recordKind: 'status', targets: ['img_1~reader-a'] }),
      line('aud_5', { action: 'update', recordKind: 'annotation', imageId: 'img_2', targets: ['ann_8'] }),
    ];

    const { data: out } = excludeOptedOut(data);
    // By hand: img_1 leaves both assignments, its conflict goes, aud_1 (on img_1), aud_3 (only img_1)
    // and aud_4 (only its status) go; aud_2 keeps ann_7 alone; aud_5 stays as it was.
    expect(out.project.assignments).toEqual([
      { annotatorId: 'reader-a', imageIds: ['img_2'] },
      { annotatorId: 'reader-b', imageIds: [] },
    ]);
    expect(out.project.conflicts!.map((c) => c.id)).toEqual(['cfl_2']);
    expect(out.audit.map((e) => `${e.id}: ${e.targets.join(',')}`)).toEqual(['aud_2: ann_7', 'aud_5: ann_8']);
    // The input project is not changed.
    expect(data.audit).toHaveLength(5);
    expect(data.project.assignments![1].imageIds).toEqual(['img_1']);

    const v = validateSharedDocument(JSON.parse(JSON.stringify(toSharedDocument(out, { exportedAt: '2026-03-01T00:00:00.000Z' }))));
    expect(v.ok ? [] : v.problems).toEqual([]);
    const text = JSON.stringify(toSharedDocument(out, { exportedAt: '2026-03-01T00:00:00.000Z' }));
    for (const gone of ['img_1', 'ann_1', 'ann_2', 'ann_3', 'ann_4', 'ann_5', 'ann_6', 'img_1~reader-a', 'pk-declined']) expect(text, gone).not.toContain(`"${gone}"`);
  });

  it('works the same on annotations read from a source, reading only the excluded image\'s', () => {
    // Endoscopy sample: img_1 holds ann_1..ann_6, img_2 ann_7 on; img_1's patient declines.
    const data = sampleProjectData('endoscopy-lesions');
    data.images[0].patientKey = 'pk-declined';
    data.project.optOut = ['pk-declined'];
    data.audit = [{ id: 'aud_1', projectId: data.project.id, at: '2026-02-04T00:00:00.000Z', actor: 'reader-a', action: 'gather', recordKind: 'annotation', targets: ['ann_3', 'ann_7'] }];
    const { source, read } = recordingSource(data.annotations);
    const r = excludeOptedOut({ ...data, annotations: source });
    expect([r.excludedImages, r.excludedAnnotations]).toEqual([1, 6]);
    expect(read).toEqual(['img_1']);
    expect(r.data.audit.map((e) => e.targets)).toEqual([['ann_7']]);
    const left = [...r.data.annotations];
    expect(left.map((a) => a.id)).toEqual(data.annotations.filter((a) => a.imageId !== 'img_1').map((a) => a.id));
    expect(left[0].id).toBe('ann_7');
  });
});
