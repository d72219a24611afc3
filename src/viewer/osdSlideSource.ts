import OpenSeadragon from 'openseadragon';
import type { SlideInfo } from '../slides/types';

/**
 * A local slide file as an OpenSeadragon 6 tile source whose levels are the file's own levels:
 * OpenSeadragon level k is the slide's level (n − 1 − k), at the file's tile size and its true
 * scale (a level 4× or 4.0016× smaller, not a power of two as OpenSeadragon assumes by default),
 * so every tile on screen is exactly one stored tile: read once, decoded once, never resampled.
 *
 * As with the synthetic slide, OpenSeadragon copies this object's properties onto a TileSource;
 * `getTileUrl` is only a cache key, and `downloadTileStart` asks the slide worker for the tile.
 */

/** What a tile request needs: the page's slide client, or a fake in tests. */
export interface SlideTiles {
  tile(slideId: number, level: number, col: number, row: number, signal?: AbortSignal): Promise<ImageBitmap | null>;
  bytesRead(slideId: number): Promise<number>;
}

interface TileJob {
  postData: unknown;
  userData: Record<string, unknown>;
  finish(data: unknown, request: null, dataType: string): void;
  fail(message: string, request: null): void;
}

interface Address {
  level: number;
  col: number;
  row: number;
}

export function slideTileSource(tiles: SlideTiles, slideId: number, info: SlideInfo) {
  const n = info.levels.length;
  const levelOf = (osdLevel: number) => info.levels[n - 1 - osdLevel];
  const grid = (osdLevel: number) => {
    const l = levelOf(osdLevel);
    return { x: Math.ceil(l.width / l.tileWidth), y: Math.ceil(l.height / l.tileHeight) };
  };
  return {
    width: info.width,
    height: info.height,
    tileSize: info.levels[0].tileWidth,
    tileOverlap: 0,
    minLevel: 0,
    maxLevel: n - 1,
    getTileWidth: (osdLevel: number) => levelOf(osdLevel).tileWidth,
    getTileHeight: (osdLevel: number) => levelOf(osdLevel).tileHeight,
    /** The level's true width ratio: OpenSeadragon places tiles by it. */
    getLevelScale: (osdLevel: number) => (osdLevel >= 0 && osdLevel < n ? levelOf(osdLevel).width / info.width : 0),
    getNumTiles(osdLevel: number) {
      const g = grid(osdLevel);
      return new OpenSeadragon.Point(g.x, g.y);
    },
    getTileUrl: (osdLevel: number, x: number, y: number) => `slide://${slideId}/${n - 1 - osdLevel}/${x}_${y}`,
    getTilePostData: (osdLevel: number, x: number, y: number): Address => ({ level: n - 1 - osdLevel, col: x, row: y }),
    tileExists(osdLevel: number, x: number, y: number) {
      const g = grid(osdLevel);
      return osdLevel >= 0 && osdLevel < n && x >= 0 && y >= 0 && x < g.x && y < g.y;
    },
    hasTransparency: () => false,
    /** Bytes of the file read so far (header, tile tables, tiles): for the benchmark. */
    bytesRead: () => tiles.bytesRead(slideId),
    downloadTileStart(job: TileJob) {
      const a = job.postData as Address;
      const abort = new AbortController();
      job.userData.abort = abort;
      tiles.tile(slideId, a.level, a.col, a.row, abort.signal).then(
        (bitmap) => (bitmap ? job.finish(bitmap, null, 'imageBitmap') : job.fail(`no tile at level ${a.level} (${a.col}, ${a.row})`, null)),
        (e: Error) => {
          if (!abort.signal.aborted) job.fail(`tile level ${a.level} (${a.col}, ${a.row}): ${e.message}`, null);
        },
      );
    },
    downloadTileAbort(job: TileJob) {
      (job.userData.abort as AbortController | undefined)?.abort();
    },
  };
}
