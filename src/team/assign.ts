import type { Assignment } from '../model/types';

/** Every annotator labels every image. */
export function assignAll(imageIds: readonly string[], annotatorIds: readonly string[]): Assignment[] {
  return annotatorIds.map((annotatorId) => ({ annotatorId, imageIds: [...imageIds] }));
}

/**
 * Each image to k of the n annotators, balanced: image i goes to annotators i·k … i·k + k − 1 (mod n),
 * so every annotator gets ⌊m·k/n⌋ or ⌈m·k/n⌉ of m images and no image goes to the same one twice.
 * Deterministic: the same lists give the same plan on every machine.
 */
export function assignKofN(imageIds: readonly string[], annotatorIds: readonly string[], k: number): Assignment[] {
  const n = annotatorIds.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be a whole number from 1 to ${n}, not ${k}`);
  const lists = annotatorIds.map(() => [] as string[]);
  imageIds.forEach((img, i) => {
    for (let j = 0; j < k; j++) lists[(i * k + j) % n].push(img);
  });
  return annotatorIds.map((annotatorId, i) => ({ annotatorId, imageIds: lists[i] }));
}

/** The images one annotator is to label: their assignment, or every image when the project assigns none. */
export function assignedImages(assignments: readonly Assignment[] | undefined, annotatorId: string, allImageIds: readonly string[]): string[] {
  if (!assignments?.length) return [...allImageIds];
  return assignments.find((a) => a.annotatorId === annotatorId)?.imageIds ?? [];
}
