import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../model/types';
import { packAnnotations, packedAnnotationSource, PackedStore, packFingerprint, PackReader, unpackAnnotations, type PackedSource } from './annotationPack';

const num = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e7, max: 1e7 }), fc.integer({ min: -100000, max: 100000 }), fc.constant(-0));
const ring = fc.array(num, { minLength: 6, maxLength: 40 });
const geometry = fc.oneof(
  fc.constant(null),
  ring.map((points) => ({ type: 'polygon' as const, points })),
  fc.tuple(ring, fc.array(ring, { maxLength: 3 })).map(([points, holes]) => ({ type: 'polygon' as const, points, holes })),
  fc.record({ type: fc.constant('box' as const), x: num, y: num, w: num, h: num }),
  fc.record({ type: fc.constant('point' as const), x: num, y: num }),
);
const text = fc.string({ maxLength: 12 });
const annotation: fc.Arbitrary<Annotation> = fc
  .record(
    {
      id: text,
      classId: fc.constantFrom('tumor-cell', 'lymphocyte', 'stroma'),
      attributes: fc.dictionary(text, fc.oneof(text, num, fc.boolean()), { maxKeys: 3 }),
      geometry,
      annotatorId: fc.constantFrom('a', 'b'),
      schemaId: fc.constant('sch'),
      schemaVersion: fc.integer({ min: 1, max: 3 }),
      grade: fc.integer({ min: 0, max: 4 }),
      uncertain: fc.boolean(),
      note: text,
      provenance: fc.oneof(fc.constant({ kind: 'manual' as const }), fc.constant({ kind: 'assistant' as const, acceptedBy: 'a' })),
      createdAt: fc.constantFrom('2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'),
      updatedAt: fc.constantFrom('2025-01-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'),
    },
    { requiredKeys: ['id', 'classId', 'attributes', 'geometry', 'annotatorId', 'schemaId', 'schemaVersion', 'createdAt', 'updatedAt'] },
  )
  .map((a) => ({ projectId: 'p', imageId: 'img', ...a }) as Annotation);

function roundTrip(list: Annotation[]): Annotation[] {
  // Through structured clone, as IndexedDB stores it.
  const packed = structuredClone(packAnnotations(list));
  const out: Annotation[] = [];
  unpackAnnotations(packed, 'p', 'img', (a) => out.push(a));
  return out;
}

describe('annotation packs', () => {
  it('give back every annotation exactly: values, key order, -0, holes, null geometry', () => {
    fc.assert(
      fc.property(fc.array(annotation, { maxLength: 40 }), (list) => {
        const out = roundTrip(list);
        expect(out).toEqual(list);
        out.forEach((a, i) => {
          expect(Object.keys(a)).toEqual(Object.keys(list[i]));
          if (a.geometry?.type === 'point') expect(Object.is(a.geometry.x, (list[i].geometry as { x: number }).x)).toBe(true);
        });
      }),
      { seed: 20251126, numRuns: 200 },
    );
  });

  it('keeps fields it does not know, undefined values and odd geometry whole', () => {
    const odd = [
      { id: 'x', projectId: 'p', imageId: 'img', geometry: { type: 'polygon', points: [0, 0, 1, 0, 1, 1], extra: 1 }, future: { nested: [1, { a: 2 }] }, grade: undefined },
      { id: 'y', projectId: 'p', imageId: 'img', geometry: undefined, classId: 'c' },
      { id: 'z', projectId: 'p', imageId: 'img', classId: 'c' },
    ] as unknown as Annotation[];
    const out = roundTrip(odd);
    expect(out).toEqual(odd);
    expect(Object.keys(out[0])).toEqual(['id', 'projectId', 'imageId', 'geometry', 'future', 'grade']);
    expect('geometry' in out[1] && out[1].geometry === undefined).toBe(true);
    expect('geometry' in out[2]).toBe(false);
  });

  it('never lets two annotations share an object', () => {
    const a = { id: 'a', projectId: 'p', imageId: 'img', attributes: {}, provenance: { kind: 'import' } } as unknown as Annotation;
    const b = { ...a, id: 'b', attributes: {}, provenance: { kind: 'import' } } as unknown as Annotation;
    const [x, y] = roundTrip([a, b]);
    expect(x.attributes).not.toBe(y.attributes);
    expect(x.provenance).not.toBe(y.provenance);
  });
});

describe('packed annotations as a source (what an export reads)', () => {
  const T = '2026-01-01T00:00:00.000Z';
  const cell = (id: string, imageId: string, classId = 'tumor-cell'): Annotation => ({ id, projectId: 'p', imageId, classId, attributes: {}, geometry: { type: 'polygon', points: [0, 0, 4, 0, 4, 3] }, annotatorId: 'a', schemaId: 'sch', schemaVersion: 1, createdAt: T, updatedAt: T });
  // Stored as the repository keys them: image "s1" in two packs, then image "s2" in one.
  const packs: [string, Annotation[]][] = [
    ['s1', [cell('a1', 's1'), cell('a2', 's1'), cell('a3', 's1')]],
    ['s1', [cell('a4', 's1'), cell('a5', 's1')]],
    ['s2', [cell('b1', 's2'), cell('b2', 's2')]],
  ];
  function stored(deleted: string[]): PackedSource {
    const store = new PackedStore(packs.map(([imageId, list]) => new PackReader(structuredClone(packAnnotations(list)), 'p', imageId)));
    // Ordinals: a1..a3 0-2, a4 a5 3-4, b1 b2 5-6.
    return { store, keys: ['p/s1/0', 'p/s1/1', 'p/s2/0'], images: new Map([['s1', [[0, 3], [3, 5]]], ['s2', [[5, 7]]]]), deleted };
  }
  // Edited since packing: a2 changed (its row shadows the packed copy), a4 deleted; c1 drawn on an image of rows only.
  const rows = [{ ...cell('a2', 's1'), classId: 'lymphocyte' }, cell('c1', 'small'), cell('b3', 's2')];

  it('walks packs in stored order, then rows; an edited one as its row, a deleted one not at all', () => {
    const source = packedAnnotationSource(stored(['a4']), rows);
    const walked = [...source];
    expect(walked.map((a) => `${a.id}:${a.classId}`)).toEqual(['a1:tumor-cell', 'a3:tumor-cell', 'a5:tumor-cell', 'b1:tumor-cell', 'b2:tumor-cell', 'a2:lymphocyte', 'c1:tumor-cell', 'b3:tumor-cell']);
    expect(source.count).toBe(8);
    expect(walked[0]).toEqual(cell('a1', 's1'));
  });

  it('gives one image in the order of the whole walk, and leaves images out', () => {
    const source = packedAnnotationSource(stored(['a4']), rows);
    expect([...source.forImage('s1')].map((a) => a.id)).toEqual(['a1', 'a3', 'a5', 'a2']);
    expect([...source.forImage('s2')].map((a) => a.id)).toEqual(['b1', 'b2', 'b3']);
    expect([...source.forImage('small')].map((a) => a.id)).toEqual(['c1']);
    expect([...source.forImage('nowhere')]).toEqual([]);
    const without = source.withoutImages(new Set(['s1']));
    expect([...without].map((a) => a.id)).toEqual(['b1', 'b2', 'c1', 'b3']);
    expect(without.count).toBe(4);
    expect([...without.forImage('s1')]).toEqual([]);
    expect(without.withoutImages(new Set(['s2'])).count).toBe(1);
  });

  it('walks fields with each shape only named (null and absent kept apart), the rest as the whole walk gives it', () => {
    const source = packedAnnotationSource(stored(['a4']), rows);
    const named = (g: unknown) => (g && typeof g === 'object' && 'type' in g ? { type: g.type } : g);
    // Rows are plain annotations already: given as they are.
    const whole = [...source];
    expect([...source.fields()]).toEqual([...whole.slice(0, 5).map((a) => ({ ...a, geometry: named(a.geometry) })), ...whole.slice(5)]);
    fc.assert(
      fc.property(fc.array(annotation, { maxLength: 30 }), (list) => {
        const reader = new PackReader(structuredClone(packAnnotations(list)), 'p', 'img');
        list.forEach((a, i) => {
          const f = reader.fields(i);
          // A shape the pack keeps whole (not in its columns: an odd-length ring, say) is given whole.
          expect(f).toEqual({ ...a, geometry: reader.pack.geometryType[i] === 6 ? a.geometry : named(a.geometry) });
          expect(Object.keys(f)).toEqual(Object.keys(a));
        });
      }),
      { seed: 20261130, numRuns: 50 },
    );
    const odd = [{ id: 'y', projectId: 'p', imageId: 'img', geometry: undefined, classId: 'c' }, { id: 'x', projectId: 'p', imageId: 'img', geometry: { type: 'polygon', points: [0, 0, 1, 0, 1, 1], extra: 1 } }] as unknown as Annotation[];
    const reader = new PackReader(packAnnotations(odd), 'p', 'img');
    expect('geometry' in reader.fields(0) && reader.fields(0).geometry === undefined).toBe(true);
    expect(reader.fields(1).geometry).toEqual(odd[1].geometry);
  });

  it('builds each packed annotation as a walk reaches it and keeps none (a second walk builds new ones)', () => {
    const packed = stored([]);
    const source = packedAnnotationSource(packed, []);
    const [first] = source;
    const [again] = source;
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    // Not the open project's copy either (the store keeps what it builds, for the viewer).
    expect(packed.store.annotation(0)).not.toBe(first);
    expect(source.count).toBe(7);
  });
});

// Live sync skips the packs it has compared with a server, by fingerprint: a pack stored and read
// back (structured clone) keeps its fingerprint; any change of content (a moved vertex, a class,
// one annotation more, another image) gives another.
describe('pack fingerprints', () => {
  it('are equal for the same content and differ for any change', () => {
    fc.assert(
      fc.property(fc.array(annotation, { minLength: 1, maxLength: 20 }), (list) => {
        const unique = list.map((a, i) => ({ ...a, id: `a${i}` }));
        const fp = (l: Annotation[], imageId = 'img') => packFingerprint(new PackReader(structuredClone(packAnnotations(l)), 'p', imageId));
        const base = fp(unique);
        expect(fp(unique)).toBe(base);
        const moved = structuredClone(unique);
        moved[0] = { ...moved[0], geometry: { type: 'point', x: 123456.5, y: -7 } };
        if (JSON.stringify(moved[0].geometry) !== JSON.stringify(unique[0].geometry)) expect(fp(moved)).not.toBe(base);
        const reclassed = unique.map((a, i) => (i === unique.length - 1 ? { ...a, classId: 'necrosis' } : a));
        expect(fp(reclassed)).not.toBe(base);
        expect(fp([...unique, { ...unique[0], id: 'extra' }])).not.toBe(base);
        expect(fp(unique, 'other-image')).not.toBe(base);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
