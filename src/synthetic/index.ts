/** The synthetic H&E slide: pure generator (cells, tiles) and, separately, its OpenSeadragon source. */
export { syntheticCellsForDemo, syntheticCellsInRect, type CellRect, type SyntheticCell, type SyntheticCellClass } from './cells';
export { tissueCentre as syntheticTissueCentre } from './fields';
export { renderSyntheticTile, type RenderedTile } from './render';
export {
  levelSize as syntheticLevelSize,
  SYNTHETIC_HEIGHT,
  SYNTHETIC_MAX_LEVEL,
  SYNTHETIC_MPP,
  SYNTHETIC_TILE_SIZE,
  SYNTHETIC_WIDTH,
} from './slide';
