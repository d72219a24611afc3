import { describe, expect, it } from 'vitest';
import { CT_PRESETS, draggedWindow, windowLevel, windowToRgba } from './window';

describe('CT windowing (PS3.3 C.11.2.1.2.1, linear)', () => {
  it('maps the window ends and centre as the formula of the standard gives them, worked by hand', () => {
    // Mediastinum c = 50, w = 350: black at or below 50 − 0.5 − 174.5 = −125, white above 224.
    const w = CT_PRESETS.mediastinum;
    expect(windowLevel(-125, w)).toBe(0);
    expect(windowLevel(-1000, w)).toBe(0);
    expect(windowLevel(224.5, w)).toBe(255);
    // x = 49.5 is the midpoint: ((49.5 − 49.5)/349 + 0.5) · 255 = 127.5.
    expect(windowLevel(49.5, w)).toBeCloseTo(127.5, 10);
    // x = 0: ((0 − 49.5)/349 + 0.5) · 255 = 91.333…
    expect(windowLevel(0, w)).toBeCloseTo((-49.5 / 349 + 0.5) * 255, 10);
  });

  it('shows air, fat, soft tissue and bone as a radiologist expects under the lung and bone presets', () => {
    const hu = Float32Array.from([-1000, -100, 40, 1000]);
    const grey = (w: { center: number; width: number }) => [...windowToRgba(hu, w, 'MONOCHROME2')].filter((_, i) => i % 4 === 0);
    // Lung c −600 w 1500: air −1000 is dark but not black: ((−1000 + 600.5)/1499 + 0.5) · 255 = 59.5.
    expect(grey(CT_PRESETS.lung)).toEqual([Math.round(((-1000 + 600.5) / 1499 + 0.5) * 255), Math.round(((-100 + 600.5) / 1499 + 0.5) * 255), Math.round(((40 + 600.5) / 1499 + 0.5) * 255), 255]);
    // Bone c 400 w 1800: soft tissue is dark grey, cortical bone 1000 HU bright.
    expect(grey(CT_PRESETS.bone)).toEqual([0, Math.round(((-100 - 399.5) / 1799 + 0.5) * 255), Math.round(((40 - 399.5) / 1799 + 0.5) * 255), Math.round(((1000 - 399.5) / 1799 + 0.5) * 255)]);
  });

  it('inverts MONOCHROME1 and keeps alpha opaque', () => {
    const rgba = windowToRgba(Float32Array.from([0, 255]), { center: 128, width: 256 }, 'MONOCHROME1');
    expect([...rgba]).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
  });

  it('widens the window on a drag to the right and raises the centre on a drag down', () => {
    expect(draggedWindow({ center: 40, width: 512 }, 10, -5)).toEqual({ center: 30, width: 532 });
    expect(draggedWindow({ center: 40, width: 80 }, -200, 0)).toEqual({ center: 40, width: 1 });
  });
});
