import { expect, it } from 'vitest';
import { BatchIndex } from './batchIndex';

// The index must answer as a Map of the same entries would, past its first growth (1,024 slots),
// with a digest above 2^32 kept exactly (53 bits) and a re-set entry replaced, not added.
it('answers as a Map of the same entries, across growth and re-sets', () => {
  const index = new BatchIndex();
  const plain = new Map<string, { digest: number; home: string; batch: string }>();
  for (let i = 0; i < 3000; i++) {
    const e = { digest: 2 ** 52 + i * 7919, home: `dr-${i % 3}`, batch: `batch:${Math.floor(i / 500)}` };
    index.set(`ann_${i}`, e);
    plain.set(`ann_${i}`, e);
  }
  const moved = { digest: 12345, home: 'dr-9', batch: 'batch:x' };
  index.set('ann_7', moved);
  plain.set('ann_7', moved);
  expect(index.size).toBe(3000);
  expect(index.get('ann_7')).toEqual(moved);
  expect(index.get('ann_2999')).toEqual({ digest: 2 ** 52 + 2999 * 7919, home: 'dr-2', batch: 'batch:5' });
  expect(index.has('ann_3000')).toBe(false);
  expect(index.get('ann_3000')).toBeUndefined();
  expect(new Map(index)).toEqual(plain);
});

// A reload reads the saved form back: the same entries, every batch known (an empty one too), and
// nothing to save again until a batch is added.
it('comes back from its saved form as it was', () => {
  const index = new BatchIndex();
  index.addBatch('batch:a', [
    { id: 'ann_1', digest: 2 ** 50 + 1, home: 'dr-a' },
    { id: 'ann_2', digest: 7, home: 'dr-b' },
  ]);
  index.addBatch('batch:empty', []);
  index.addBatch('batch:b', [{ id: 'ann_3', digest: 9, home: 'dr-a' }]);
  expect(index.changed).toBe(true);
  const saved = structuredClone(index.saved());
  expect(saved).toEqual({ people: ['dr-a', 'dr-b'], batches: [['batch:a', ['ann_1', 'ann_2'], [2 ** 50 + 1, 7], [0, 1]], ['batch:empty', [], [], []], ['batch:b', ['ann_3'], [9], [0]]] });
  const back = new BatchIndex();
  back.load(saved);
  expect(new Map(back)).toEqual(new Map(index));
  expect(['batch:a', 'batch:empty', 'batch:b', 'batch:c'].map((b) => back.hasBatch(b))).toEqual([true, true, true, false]);
  expect(back.batchCount).toBe(3);
  expect(back.changed).toBe(false);
});
