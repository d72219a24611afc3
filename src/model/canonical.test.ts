import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalJson, cyrb53, digestOf, sameValue } from './canonical';

// The in-place comparison must say what comparing the two canonical JSON texts says (the reference:
// sorted keys, `undefined` keys left out, `undefined` array items as null), on random JSON-like values.
it('sameValue agrees with comparing canonical JSON', () => {
  const json = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom('a', 'b'),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('v'), { maxKeys: 3 }),
    ),
  })).v;
  fc.assert(
    fc.property(json, json, (a, b) => {
      if (a === undefined || b === undefined) return;
      expect(sameValue(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
      expect(sameValue(a, structuredClone(a))).toBe(true);
    }),
    { numRuns: 3000, seed: 7 },
  );
});

// The published examples of cyrb53 (bryc, "cyrb53: a simple but high quality 53-bit hash", seed 0).
it('cyrb53 gives the published values', () => {
  expect(cyrb53('a')).toBe(7929297801672961);
  expect(cyrb53('b')).toBe(8684336938537663);
  expect(cyrb53('revenge')).toBe(4051478007546757);
  expect(cyrb53('revenue')).toBe(8309097637345594);
});

// Sync compares a record with the digest of what a server database holds: equal values (key order
// and undefined keys aside) must give equal digests, and a moved vertex a different one.
it('digestOf is equal for values sameValue calls equal, and changes with a coordinate', () => {
  const a = { id: 'ann_1', geometry: { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 3], [0, 0]]] }, label: 'tumour', note: undefined };
  const b = { label: 'tumour', geometry: { coordinates: [[[0, 0], [4, 0], [4, 3], [0, 0]]], type: 'Polygon' }, id: 'ann_1' };
  expect(digestOf(a)).toBe(digestOf(b));
  const moved = structuredClone(b);
  moved.geometry.coordinates[0][1][0] = 5;
  expect(digestOf(moved)).not.toBe(digestOf(b));
  expect(digestOf(undefined)).not.toBe(digestOf(null));
});
