/**
 * Windowing: modality values (Hounsfield units for CT) to grey levels, by DICOM's linear VOI LUT
 * function (PS3.3 C.11.2.1.2.1), and the window presets radiologists use on CT.
 */
import type { RadiologyInstance, Window } from './instance';

/** Window presets for CT, centre and width in HU (Radiopaedia, "Windowing (CT)"). */
export const CT_PRESETS = {
  lung: { center: -600, width: 1500 },
  mediastinum: { center: 50, width: 350 },
  bone: { center: 400, width: 1800 },
  brain: { center: 40, width: 80 },
} as const satisfies Record<string, Window>;
export type PresetName = keyof typeof CT_PRESETS;
export const PRESET_NAMES = Object.keys(CT_PRESETS) as PresetName[];

/**
 * The grey level (0–255) of value x under a window: PS3.3 C.11.2.1.2.1, "linear":
 * below c − 0.5 − (w − 1)/2 black, above c − 0.5 + (w − 1)/2 white, a straight line between.
 */
export function windowLevel(x: number, w: Window): number {
  const c = w.center - 0.5;
  const half = (w.width - 1) / 2;
  if (w.width <= 1) return x <= c ? 0 : 255;
  if (x <= c - half) return 0;
  if (x > c + half) return 255;
  return ((x - c) / (w.width - 1) + 0.5) * 255;
}

/** A slice's modality values as RGBA under a window; MONOCHROME1 is shown inverted, as it is meant to be. */
export function windowToRgba(values: Float32Array, w: Window, photometric: string, out = new Uint8ClampedArray(values.length * 4)): Uint8ClampedArray {
  const invert = photometric === 'MONOCHROME1';
  // A table over the window's span is cheaper than the formula per pixel for a 512 × 512 slice.
  const lo = Math.floor(w.center - 0.5 - (w.width - 1) / 2);
  const hi = Math.ceil(w.center - 0.5 + (w.width - 1) / 2);
  const span = hi - lo + 1;
  const table = span > 0 && span <= 1 << 16 ? Uint8ClampedArray.from({ length: span }, (_, k) => windowLevel(lo + k, w)) : null;
  for (let i = 0, j = 0; i < values.length; i++, j += 4) {
    const x = values[i];
    let g: number;
    if (x <= lo) g = windowLevel(x, w);
    else if (x >= hi) g = windowLevel(x, w);
    else if (table && Number.isInteger(x)) g = table[x - lo];
    else g = windowLevel(x, w);
    g = Math.round(g);
    if (invert) g = 255 - g;
    out[j] = out[j + 1] = out[j + 2] = g;
    out[j + 3] = 255;
  }
  return out;
}

/** The window a series opens with: the header's first, else the span of the slice's values. */
export function defaultWindow(instance: RadiologyInstance, values: Float32Array): Window {
  if (instance.windows.length) return instance.windows[0];
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return { center: 0, width: 1 };
  return { center: (min + max) / 2 + 0.5, width: Math.max(1, max - min + 1) };
}

/**
 * A drag on the image changes the window as on a radiology workstation: right widens (more
 * contrast lost, more range seen), down raises the centre (the image darkens). One screen pixel
 * moves the width or centre by a 256th of the width at the start of the drag, at least 1.
 */
export function draggedWindow(start: Window, dx: number, dy: number): Window {
  const step = Math.max(1, start.width / 256);
  return { center: Math.round(start.center + dy * step), width: Math.max(1, Math.round(start.width + dx * step)) };
}
