/**
 * Regions of a slide as OpenSlide's read_region gives them: the top-left in level-0 pixels, the
 * size in pixels of the chosen level, straight RGBA, transparent where the level has no pixels.
 * Whatever reader made the Slide (TIFF family, DICOM), the pixels are stitched here from its tiles.
 */
import type { EncodedTile, RgbaImage, Slide, SlideInfo, TileDecoders } from './types';

/** Tiles decoded at once while stitching a region: enough to overlap reads with decoding, few enough to bound memory. */
const PARALLEL_TILES = 8;

/** A tile's pixels, whatever its encoding; JPEG 2000 stored as YCbCr (Aperio 33003) is turned into RGB as OpenSlide does. */
export async function decodeTile(tile: EncodedTile, decoders: TileDecoders): Promise<RgbaImage> {
  if (tile.kind === 'rgba') return tile.image;
  if (tile.kind === 'jpeg') return decoders.jpeg(tile.bytes);
  const image = await decoders.jpeg2000(tile.bytes);
  if (tile.ycbcr) ycbcrToRgb(image.data);
  return image;
}

/** JFIF's YCbCr → RGB (ITU-R BT.601, full range), in place on RGBA pixels. */
function ycbcrToRgb(data: Uint8ClampedArray): void {
  for (let i = 0; i < data.length; i += 4) {
    const y = data[i];
    const cb = data[i + 1] - 128;
    const cr = data[i + 2] - 128;
    data[i] = Math.round(y + 1.402 * cr);
    data[i + 1] = Math.round(y - 0.344136 * cb - 0.714136 * cr);
    data[i + 2] = Math.round(y + 1.772 * cb);
  }
}

/** Copies the visible `width`×`height` part of `tile` into `out` with its top-left at (x, y) of `out`, clipped to `out`. */
export function pasteTile(out: RgbaImage, tile: RgbaImage, x: number, y: number, width: number, height: number): void {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(out.width, x + Math.min(width, tile.width));
  const y1 = Math.min(out.height, y + Math.min(height, tile.height));
  if (x1 <= x0) return;
  for (let row = y0; row < y1; row++) {
    const from = ((row - y) * tile.width + (x0 - x)) * 4;
    out.data.set(tile.data.subarray(from, from + (x1 - x0) * 4), (row * out.width + x0) * 4);
  }
}

/**
 * The `w`×`h` pixels of `level` whose top-left is level-0 pixel (x, y). Where x / downsample is not
 * a whole number OpenSlide resamples the tiles by a fraction of a pixel; here the region starts at
 * the nearest level pixel instead (never more than half a level pixel away).
 */
export async function readRegion(slide: Slide, decoders: TileDecoders, level: number, x: number, y: number, w: number, h: number): Promise<RgbaImage> {
  const info = slide.info.levels[level];
  if (!info) throw new RangeError(`level ${level} does not exist (the slide has ${slide.info.levels.length}: 0–${slide.info.levels.length - 1})`);
  if (!(w > 0 && h > 0) || !Number.isInteger(w) || !Number.isInteger(h)) throw new RangeError(`the region's size must be whole pixels above 0 (got ${w}×${h})`);
  const out: RgbaImage = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
  const lx = Math.round(x / info.downsample);
  const ly = Math.round(y / info.downsample);
  const { tileWidth: tw, tileHeight: th } = info;
  const col0 = Math.max(0, Math.floor(lx / tw));
  const row0 = Math.max(0, Math.floor(ly / th));
  const col1 = Math.min(Math.ceil(info.width / tw), Math.ceil((lx + w) / tw));
  const row1 = Math.min(Math.ceil(info.height / th), Math.ceil((ly + h) / th));
  const cells: [number, number][] = [];
  for (let row = row0; row < row1; row++) for (let col = col0; col < col1; col++) cells.push([col, row]);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cells.length) {
      const [col, row] = cells[next++];
      const tile = await slide.tile(level, col, row);
      if (tile) pasteTile(out, await decodeTile(tile, decoders), col * tw - lx, row * th - ly, tile.visibleWidth, tile.visibleHeight);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_TILES, cells.length) }, worker));
  return out;
}

/** OpenSlide's get_best_level_for_downsample: the last level whose downsample is at most `downsample`. */
export function bestLevelForDownsample(info: Pick<SlideInfo, 'levels'>, downsample: number): number {
  if (downsample < info.levels[0].downsample) return 0;
  for (let i = 1; i < info.levels.length; i++) if (downsample < info.levels[i].downsample) return i - 1;
  return info.levels.length - 1;
}
