/** Colours for classes a foreign file names without one (the Tableau 10 palette, distinct on H&E and fundus). */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function rgbToHex(r: number, g: number, b: number): string {
  return '#' + [r, g, b].map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0')).join('');
}

/** QuPath 0.2 wrote colours as one signed 32-bit ARGB integer (`colorRGB`). */
export function packedRgbToHex(packed: number): string {
  return rgbToHex((packed >> 16) & 255, (packed >> 8) & 255, packed & 255);
}
