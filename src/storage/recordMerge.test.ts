import { describe, expect, it } from 'vitest';
import { templateSchema } from '../model/templates';
import type { LabelClass, Project } from '../model/types';
import { canonicalJson, mergeRecord } from './recordMerge';

const T = '2026-02-01T00:00:00.000Z';
const schema = templateSchema('endoscopy-lesions', 'sch', T);
const cls = (id: string, en: string): LabelClass => ({ id, name: { en, ja: en }, color: '#123456', attributes: [] });
const project: Project = { id: 'p', name: 'Colon', description: '', schemaId: 'sch', reviewMode: false, optOut: [], exportLog: [], createdAt: T, updatedAt: T };

describe('three-way merge of one record (two tabs edited it before seeing each other)', () => {
  it('keeps a class added in each tab, in both tabs’ order', () => {
    const ours = { ...schema, classes: [...schema.classes, cls('serrated', 'Serrated')] };
    const theirs = { ...schema, classes: [...schema.classes, cls('adenoma', 'Adenoma')] };
    const merged = mergeRecord(schema, ours, theirs)!;
    expect(merged.classes.map((c) => c.id)).toEqual([...schema.classes.map((c) => c.id), 'adenoma', 'serrated']);
  });

  it('keeps a rename in one tab and a recolour of the same class in the other', () => {
    const [first, ...rest] = schema.classes;
    const ours = { ...schema, classes: [{ ...first, name: { ...first.name, en: 'Polyp (any)' } }, ...rest] };
    const theirs = { ...schema, classes: [{ ...first, color: '#000000' }, ...rest] };
    const merged = mergeRecord(schema, ours, theirs)!;
    expect(merged.classes[0]).toMatchObject({ name: { en: 'Polyp (any)' }, color: '#000000' });
  });

  it('our removal of a class wins over their untouched copy; their new class stays', () => {
    const ours = { ...schema, classes: schema.classes.slice(1) };
    const theirs = { ...schema, classes: [...schema.classes, cls('x', 'X')] };
    expect(mergeRecord(schema, ours, theirs)!.classes.map((c) => c.id)).toEqual([...schema.classes.slice(1).map((c) => c.id), 'x']);
  });

  it('their removal stays removed unless we edited that element', () => {
    const theirs = { ...schema, classes: schema.classes.slice(1) };
    const oursUntouched = { ...schema, name: { ...schema.name, en: 'renamed' } };
    expect(mergeRecord(schema, oursUntouched, theirs)!.classes).toHaveLength(schema.classes.length - 1);
    const oursEdited = { ...schema, classes: [{ ...schema.classes[0], color: '#abcdef' }, ...schema.classes.slice(1)] };
    expect(mergeRecord(schema, oursEdited, theirs)!.classes[0].color).toBe('#abcdef');
  });

  it('merges project fields, opt-out keys and export log entries from both tabs', () => {
    const ours = { ...project, name: 'Colon 2026', optOut: ['pk-a'], exportLog: [{ at: '1', format: 'coco', images: 1, annotations: 2, excludedImages: 0 }] };
    const theirs = { ...project, description: 'polyps', optOut: ['pk-b'], exportLog: [{ at: '2', format: 'csv', images: 1, annotations: 2, excludedImages: 0 }] };
    const merged = mergeRecord(project, ours, theirs)!;
    expect(merged).toMatchObject({ name: 'Colon 2026', description: 'polyps' });
    expect(merged.optOut.sort()).toEqual(['pk-a', 'pk-b']);
    expect(merged.exportLog.map((e) => e.at).sort()).toEqual(['1', '2']);
  });

  it('keeps coordinates whole: the later write of one outline wins, never a mix of two', () => {
    const base = { geometry: { type: 'polygon', points: [0, 0, 10, 0, 10, 10] } };
    const ours = { geometry: { type: 'polygon', points: [0, 0, 20, 0, 20, 20] } };
    const theirs = { geometry: { type: 'polygon', points: [1, 1, 10, 0, 10, 10, 0, 10] } };
    expect(mergeRecord(base, ours, theirs)).toEqual(ours);
  });

  it('both tabs created the same record (same deterministic id): lists are united, our fields win', () => {
    const ours = { ...schema, version: 2, classes: [...schema.classes, cls('a', 'A')] };
    const theirs = { ...schema, version: 2, classes: [...schema.classes, cls('b', 'B')] };
    expect(mergeRecord(undefined, ours, theirs)!.classes.map((c) => c.id).slice(-2).sort()).toEqual(['a', 'b']);
  });

  it('our delete wins; our edit of a record they deleted brings it back', () => {
    expect(mergeRecord(project, undefined, { ...project, name: 'x' })).toBeUndefined();
    expect(mergeRecord(project, { ...project, name: 'kept' }, undefined)).toMatchObject({ name: 'kept' });
  });

  it('canonical JSON ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [1, { z: 1, y: 2 }] } })).toBe('{"a":{"c":[1,{"y":2,"z":1}]},"b":1}');
  });
});
