import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalJson, sameValue } from './canonical';

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
