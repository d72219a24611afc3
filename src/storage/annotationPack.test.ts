import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../model/types';
import { packAnnotations, packFingerprint, PackReader, unpackAnnotations } from './annotationPack';

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
