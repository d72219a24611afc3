import type OpenSeadragon from 'openseadragon';
import {
  SYNTHETIC_HEIGHT,
  SYNTHETIC_MAX_LEVEL,
  SYNTHETIC_MPP,
  SYNTHETIC_TILE_SIZE,
  SYNTHETIC_WIDTH,
  tileExists,
} from '../synthetic/slide';
import { syntheticTilePainter, type SyntheticTilePainter } from './syntheticTilePainter';

/**
 * The synthetic slide as an OpenSeadragon 6 tile source that never touches the network.
 *
 * How: OpenSeadragon turns a plain object with `getTileUrl` into a TileSource, copying every
 * property onto it, our methods included. For each tile it then calls `downloadTileStart(job)`;
 * instead of fetching `job.src` we ask a painter worker for the tile and call
 * `job.finish(bitmap, null, 'imageBitmap')`. Painting a tile takes milliseconds to tens of
 * milliseconds: on the main thread, a pan over a slide with a million outlines missed frames.
 * `getTilePostData` hands us (level, x, y) on the job, so the pseudo URL is only a cache key
 * ("synthetic://<seed>/<level>/<x>_<y>"), and `downloadTileAbort` cancels tiles that scrolled out of
 * view before they were painted.
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

export function syntheticTileUrl(seed: number, level: number, x: number, y: number): string {
  return `synthetic://${seed}/${level}/${x}_${y}`;
}

/** `painter`: the page's painter workers; tests pass a stand-in. */
export function syntheticTileSource(seed: number, painter: SyntheticTilePainter = syntheticTilePainter()): SyntheticTileSourceOptions {
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
      const abort = new AbortController();
      job.userData.abort = abort;
      painter.paint(seed, address.level, address.x, address.y, abort.signal).then(
        (bitmap) => {
          if (abort.signal.aborted) bitmap.close();
          else job.finish(bitmap, null, 'imageBitmap');
        },
        (e: Error) => {
          if (!abort.signal.aborted) job.fail(`synthetic tile failed: ${e.message}`, null);
        },
      );
    },
    downloadTileAbort(job) {
      (job.userData.abort as AbortController | undefined)?.abort();
    },
  };
}
