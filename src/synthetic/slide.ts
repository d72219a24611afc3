/** Size and pyramid of the synthetic slide, laid out as OpenSeadragon lays out a Deep Zoom image. */

export const SYNTHETIC_WIDTH = 100_000;
export const SYNTHETIC_HEIGHT = 80_000;
export const SYNTHETIC_TILE_SIZE = 256;
/** Microns per level-0 pixel (a 20× scan): nuclei of radius 5–14 px are then 5–14 µm across, as real ones. */
export const SYNTHETIC_MPP = 0.5;
/** Deep Zoom: level maxLevel is full resolution, each level below halves it, level 0 is 1×1 px. */
export const SYNTHETIC_MAX_LEVEL = Math.ceil(Math.log2(Math.max(SYNTHETIC_WIDTH, SYNTHETIC_HEIGHT)));

export interface LevelSize {
  width: number;
  height: number;
}

/** Level-0 pixels per pixel at `level`. */
export function levelDownsample(level: number): number {
  return 2 ** (SYNTHETIC_MAX_LEVEL - level);
}

export function levelSize(level: number): LevelSize {
  const d = levelDownsample(level);
  return { width: Math.ceil(SYNTHETIC_WIDTH / d), height: Math.ceil(SYNTHETIC_HEIGHT / d) };
}

export function levelTileCount(level: number): { cols: number; rows: number } {
  const s = levelSize(level);
  return { cols: Math.ceil(s.width / SYNTHETIC_TILE_SIZE), rows: Math.ceil(s.height / SYNTHETIC_TILE_SIZE) };
}

/** Pixel size of one tile: edge tiles are cut to the level's size. */
export function tilePixelSize(level: number, col: number, row: number): LevelSize {
  const s = levelSize(level);
  return {
    width: Math.max(0, Math.min(SYNTHETIC_TILE_SIZE, s.width - col * SYNTHETIC_TILE_SIZE)),
    height: Math.max(0, Math.min(SYNTHETIC_TILE_SIZE, s.height - row * SYNTHETIC_TILE_SIZE)),
  };
}

export function tileExists(level: number, col: number, row: number): boolean {
  if (!Number.isInteger(level) || level < 0 || level > SYNTHETIC_MAX_LEVEL) return false;
  const { cols, rows } = levelTileCount(level);
  return Number.isInteger(col) && Number.isInteger(row) && col >= 0 && row >= 0 && col < cols && row < rows;
}
