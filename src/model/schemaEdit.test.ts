import { describe, expect, it } from 'vitest';
import { nextSchemaVersion, schemaChangeImpact, schemaProblems } from './schemaEdit';
import { templateSchema } from './templates';
import type { Annotation } from './types';

const v1 = templateSchema('endoscopy-lesions', 'sch');
const ann = (id: string, classId: string, attributes: Annotation['attributes'] = {}, schemaVersion = 1): Annotation => ({
  id, projectId: 'p', imageId: 'i', classId, attributes, geometry: { type: 'box', x: 0, y: 0, w: 5, h: 5 },
  annotatorId: 'a', schemaId: 'sch', schemaVersion, createdAt: 't', updatedAt: 't',
});

describe('schema edits and existing annotations', () => {
  it('counts the annotations a class deletion would orphan, without touching them', () => {
    const annotations = [ann('1', 'polyp'), ann('2', 'polyp'), ann('3', 'cancer')];
    const edited = { ...v1, classes: v1.classes.filter((c) => c.id !== 'polyp') };
    const impact = schemaChangeImpact(v1, edited, annotations);
    expect(impact.orphanedClasses).toEqual([{ classId: 'polyp', annotations: 2 }]);
    expect(impact.affectedAnnotations).toBe(2);
    expect(annotations).toHaveLength(3);
  });

  it('counts removed enum options and attributes still in use', () => {
    const annotations = [ann('1', 'polyp', { paris: '0-Is', nice: '2' })];
    const polyp = v1.classes[0];
    const edited = {
      ...v1,
      classes: [
        { ...polyp, attributes: polyp.attributes.filter((a) => a.id !== 'nice').map((a) => (a.id === 'paris' ? { ...a, options: a.options!.filter((o) => o.id !== '0-Is') } : a)) },
        ...v1.classes.slice(1),
      ],
    };
    const impact = schemaChangeImpact(v1, edited, annotations);
    expect(impact.orphanedAttributes).toEqual([{ classId: 'polyp', attributeId: 'nice', annotations: 1 }]);
    expect(impact.orphanedOptions).toEqual([{ classId: 'polyp', attributeId: 'paris', optionId: '0-Is', annotations: 1 }]);
  });

  it('finds an added class harmless', () => {
    const edited = { ...v1, classes: [...v1.classes, { id: 'new', name: { en: 'New', ja: '新' }, color: '#000000', attributes: [] }] };
    expect(schemaChangeImpact(v1, edited, [ann('1', 'polyp')]).affectedAnnotations).toBe(0);
  });

  it('edits an unused version in place and versions a used one', () => {
    const edited = { ...v1, purpose: 'x' };
    expect(nextSchemaVersion(v1, edited, [], 'now').version).toBe(1);
    const next = nextSchemaVersion(v1, edited, [ann('1', 'polyp')], 'now');
    expect(next).toMatchObject({ version: 2, purpose: 'x', createdAt: 'now' });
  });

  it('reports duplicate ids and hotkeys with their paths', () => {
    const bad = { ...v1, classes: [v1.classes[0], { ...v1.classes[1], id: 'polyp', hotkey: '1' }] };
    expect(schemaProblems(bad)).toEqual([
      { path: 'classes[1].id', message: 'duplicate class id "polyp"' },
      { path: 'classes[1].hotkey', message: 'hotkey "1" is already used by classes[0]' },
    ]);
  });
});
