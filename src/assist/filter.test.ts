import { describe, expect, it } from 'vitest';
import { gaussianBlur, gaussianKernel, openMask } from './filter';

describe('gaussianBlur', () => {
  it('spreads an impulse into the sampled Gaussian: weight at offset (i, j) ∝ exp(−(i² + j²)/2σ²)', () => {
    const src = new Float32Array(21 * 21);
    src[10 * 21 + 10] = 1;
    const out = gaussianBlur(src, 21, 21, 1.5);
    const k = gaussianKernel(1.5);
    // Separable: the 2-D weight is the product of the 1-D ones (radius ⌈3σ⌉ = 5).
    expect(out[10 * 21 + 10]).toBeCloseTo(k[5] * k[5], 6);
    expect(out[12 * 21 + 11] / out[10 * 21 + 10]).toBeCloseTo(Math.exp(-(1 + 4) / (2 * 1.5 * 1.5)), 5);
  });

  it('keeps a flat field flat and, wide (box approximation), keeps its variance near σ² and its sum', () => {
    const flat = gaussianBlur(new Float32Array(50 * 40).fill(3), 50, 40, 8);
    for (const v of flat) expect(v).toBeCloseTo(3, 4);
    const n = 201, src = new Float32Array(n * n);
    src[100 * n + 100] = 1;
    const out = gaussianBlur(src, n, n, 10);
    let sum = 0, varX = 0;
    for (let p = 0; p < out.length; p++) (sum += out[p]), (varX += out[p] * ((p % n) - 100) ** 2);
    expect(sum).toBeCloseTo(1, 4);
    expect(Math.sqrt(varX / sum)).toBeGreaterThan(9.5);
    expect(Math.sqrt(varX / sum)).toBeLessThan(10.5);
  });
});

describe('openMask', () => {
  it('cuts a 1-px spur and a 2-px bridge off discs of radius 6, keeps the discs', () => {
    const w = 40, h = 30, m = new Uint8Array(w * h);
    const disc = (cx: number, cy: number) => { for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= 36) m[y * w + x] = 1; };
    disc(9, 15);
    disc(30, 15);
    for (let x = 15; x <= 24; x++) m[15 * w + x] = m[16 * w + x] = 1; // bridge, 2 px thick
    for (let y = 4; y < 9; y++) m[y * w + 9] = 1; // spur, 1 px wide, off the top of the first disc (away from the buffer's edge)
    const o = openMask(m, w, h, 2);
    expect(o[15 * w + 20]).toBe(0);
    expect(o[5 * w + 9]).toBe(0);
    expect(o[15 * w + 9]).toBe(1);
    expect(o[15 * w + 30]).toBe(1);
    // A disc of radius 6 survives an opening by radius 2 but for its rim pixels.
    let kept = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < 20; x++) if ((x - 9) ** 2 + (y - 15) ** 2 <= 25) kept += o[y * w + x];
    expect(kept).toBe(81);
  });
});
