import type OpenSeadragon from 'openseadragon';
import { renderSyntheticTile } from '../synthetic/render';
import {
  SYNTHETIC_HEIGHT,
  SYNTHETIC_MAX_LEVEL,
  SYNTHETIC_MPP,
  SYNTHETIC_TILE_SIZE,
  SYNTHETIC_WIDTH,
  tileExists,
} from '../synthetic/slide';

/**
 * The synthetic slide as an OpenSeadragon 6 tile source that never touches the network.
 *
 * How: OpenSeadragon turns a plain object with `getTileUrl` into a TileSource, copying every
 * property onto it, our methods included. For each tile it then calls `downloadTileStart(job)`;
 * instead of fetching `job.src` we paint the tile into a canvas and call
 * `job.finish(context2d, null, 'context2d')`, a data type OpenSeadragon's cache converts for every
 * drawer. `getTilePostData` hands us (level, x, y) on the job, so the pseudo URL is only a cache
 * key ("synthetic://<seed>/<level>/<x>_<y>"). Painting is deferred to a macrotask so one
 * OpenSeadragon update does not block on many tiles at once, and `downloadTileAbort` cancels
 * tiles that scrolled out of view before they were painted.
 *
 * Use: `OpenSeadragon({ ..., tileSources: syntheticTileSource(seed) })` or `viewer.open(...)`.
 */

/** What the job's postData carries: where the tile is. */
export interface SyntheticTileAddress {
  level: number;
  x: number;
  y: number;
}

/** The job fields we use; OpenSeadragon's ImageJob has them all. */
export type SyntheticTileJob = Pick<OpenSeadragon.ImageJob, 'finish' | 'fail' | 'userData'> & { postData: unknown };

export interface SyntheticTileSourceOptions {
  width: number;
  height: number;
  tileSize: number;
  tileOverlap: number;
  minLevel: number;
  maxLevel: number;
  /** Microns per level-0 pixel, for the scale bar. OpenSeadragon ignores it. */
  mpp: number;
  seed: number;
  getTileUrl(level: number, x: number, y: number): string;
  getTilePostData(level: number, x: number, y: number): SyntheticTileAddress;
  tileExists(level: number, x: number, y: number): boolean;
  hasTransparency(): boolean;
  downloadTileStart(job: SyntheticTileJob): void;
  downloadTileAbort(job: SyntheticTileJob): void;
}

/** Makes the canvas a tile is painted on; tests pass a fake, browsers use the default. */
export type CanvasFactory = (width: number, height: number) => { getContext(kind: '2d'): SyntheticTileContext | null };

/** The parts of a 2D context the painter needs. */
export type SyntheticTileContext = Pick<CanvasRenderingContext2D, 'createImageData' | 'putImageData'>;

function domCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

export function syntheticTileUrl(seed: number, level: number, x: number, y: number): string {
  return `synthetic://${seed}/${level}/${x}_${y}`;
}

export function syntheticTileSource(seed: number, createCanvas: CanvasFactory = domCanvas): SyntheticTileSourceOptions {
  return {
    width: SYNTHETIC_WIDTH,
    height: SYNTHETIC_HEIGHT,
    tileSize: SYNTHETIC_TILE_SIZE,
    tileOverlap: 0,
    minLevel: 0,
    maxLevel: SYNTHETIC_MAX_LEVEL,
    mpp: SYNTHETIC_MPP,
    seed,
    getTileUrl: (level, x, y) => syntheticTileUrl(seed, level, x, y),
    getTilePostData: (level, x, y) => ({ level, x, y }),
    tileExists: (level, x, y) => tileExists(level, x, y),
    // Every tile is opaque: lets the drawer skip blending work.
    hasTransparency: () => false,
    downloadTileStart(job) {
      const address = job.postData as SyntheticTileAddress | null;
      if (!address || !tileExists(address.level, address.x, address.y)) {
        job.fail(`no synthetic tile at ${JSON.stringify(address)}`, null);
        return;
      }
      job.userData.syntheticTimer = setTimeout(() => {
        job.userData.syntheticTimer = undefined;
        try {
          job.finish(paintTile(seed, address, createCanvas), null, 'context2d');
        } catch (e) {
          job.fail(`synthetic tile failed: ${(e as Error).message}`, null);
        }
      }, 0);
    },
    downloadTileAbort(job) {
      if (job.userData.syntheticTimer !== undefined) clearTimeout(job.userData.syntheticTimer);
      job.userData.syntheticTimer = undefined;
    },
  };
}

function paintTile(seed: number, { level, x, y }: SyntheticTileAddress, createCanvas: CanvasFactory): SyntheticTileContext {
  const tile = renderSyntheticTile(seed, level, x, y);
  const context = createCanvas(tile.width, tile.height).getContext('2d');
  if (!context) throw new Error('no 2D canvas context');
  // createImageData rather than `new ImageData`: works with any 2D context, workers and fakes included.
  const image = context.createImageData(tile.width, tile.height);
  image.data.set(tile.data);
  context.putImageData(image, 0, 0);
  return context;
}
