import { describe, expect, it } from 'vitest';
import { distanceTransform } from './distance';
import { growLabels, splitByDistance, splitByHeight } from './watershed';

function discsMask(w: number, h: number, discs: [number, number, number][]): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = discs.some(([cx, cy, r]) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r) ? 1 : 0;
  return m;
}

function split(mask: Uint8Array, w: number, h: number, depth = 1) {
  return splitByDistance(mask, distanceTransform(mask, w, h), w, h, depth);
}

describe('splitByDistance (watershed on the distance transform)', () => {
  it('splits two overlapping discs at their neck, one label each', () => {
    const w = 40, h = 24;
    const { labels, count } = split(discsMask(w, h, [[12, 12, 8], [26, 12, 8]]), w, h);
    expect(count).toBe(2);
    expect(labels[12 * w + 12]).not.toBe(labels[12 * w + 26]);
    // The split runs through the neck, midway.
    expect(labels[12 * w + 17]).toBe(labels[12 * w + 12]);
    expect(labels[12 * w + 21]).toBe(labels[12 * w + 26]);
  });

  it('keeps one ragged blob whole, and a long spindle too', () => {
    const w = 40, h = 30;
    const ragged = discsMask(w, h, [[20, 15, 9]]);
    // Notches in the edge put ripples on the distance map.
    for (const [x, y] of [[11, 15], [29, 15], [20, 6], [20, 24], [14, 9]]) ragged[y * w + x] = 0;
    expect(split(ragged, w, h).count).toBe(1);
    const spindle = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) spindle[y * w + x] = ((x - 20) / 16) ** 2 + ((y - 15) / 3.5) ** 2 <= 1 ? 1 : 0;
    expect(split(spindle, w, h).count).toBe(1);
  });

  it('gives separate blobs separate labels, and nothing to the background', () => {
    const w = 30, h = 10;
    const { labels, count } = split(discsMask(w, h, [[5, 5, 3], [20, 5, 3]]), w, h);
    expect(count).toBe(2);
    expect(labels[0]).toBe(0);
  });

  it('merges shallow dents but not deep necks: the depth decides', () => {
    const w = 40, h = 24;
    const mask = discsMask(w, h, [[13, 12, 8], [25, 12, 8]]);
    expect(split(mask, w, h, 1).count).toBe(2);
    expect(split(mask, w, h, 10).count).toBe(1);
  });
});

describe('growLabels', () => {
  it('grows each label ring by ring into the background, numbering the rings', () => {
    const w = 9, h = 1;
    const labels = new Int32Array([0, 0, 0, 1, 0, 0, 0, 0, 2]);
    const ring = growLabels(labels, w, h, 2);
    expect(Array.from(labels)).toEqual([0, 1, 1, 1, 1, 1, 2, 2, 2]);
    expect(Array.from(ring)).toEqual([255, 2, 1, 0, 1, 2, 2, 1, 0]);
  });
});

describe('splitByHeight (h-maxima watershed on any height field)', () => {
  // Two Gaussian hills of heights 1 and 0.8 at x = 10 and 30 on a 40 × 9 grid; the saddle between
  // them is the sum of their tails at x = 20: e^(−100/32) + 0.8·e^(−100/32) ≈ 0.079.
  const w = 40, h = 9;
  const heights = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) heights[y * w + x] = Math.exp(-((x - 10) ** 2) / 32) + 0.8 * Math.exp(-((x - 30) ** 2) / 32);
  const all = new Uint8Array(w * h).fill(1);

  it('gives each hill its own label when the lower stands more than `depth` above the saddle', () => {
    const { labels, count } = splitByHeight(all, heights, w, h, 0.5, 0.001);
    expect(count).toBe(2);
    expect(labels[4 * w + 10]).not.toBe(labels[4 * w + 30]);
    expect(labels[4 * w + 15]).toBe(labels[4 * w + 10]);
    expect(labels[4 * w + 25]).toBe(labels[4 * w + 30]);
  });

  it('merges them when the lower hill rises less than `depth` above the saddle (0.8 − 0.079 < 0.75)', () => {
    expect(splitByHeight(all, heights, w, h, 0.75, 0.001).count).toBe(1);
  });
});
