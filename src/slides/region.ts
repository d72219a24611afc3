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
 * The `w`×`h` pixels of `level` whose top-left is level-0 pixel (x, y), as OpenSlide's read_region
 * gives them: a negative x or y leaves whole transparent columns or rows (x / downsample, truncated),
 * and where x / downsample is not a whole number the level is sampled between its pixels
 * (bilinear, as cairo paints OpenSlide's tiles at a fractional offset).
 */
export async function readRegion(slide: Slide, decoders: TileDecoders, level: number, x: number, y: number, w: number, h: number): Promise<RgbaImage> {
  const info = slide.info.levels[level];
  if (!info) throw new RangeError(`level ${level} does not exist (the slide has ${slide.info.levels.length}: 0–${slide.info.levels.length - 1})`);
  if (!(w > 0 && h > 0) || !Number.isInteger(w) || !Number.isInteger(h)) throw new RangeError(`the region's size must be whole pixels above 0 (got ${w}×${h})`);
  const out: RgbaImage = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
  const ds = info.downsample;
  const skipX = x < 0 ? Math.min(w, Math.trunc(-x / ds)) : 0;
  const skipY = y < 0 ? Math.min(h, Math.trunc(-y / ds)) : 0;
  const fx = Math.max(0, x) / ds;
  const fy = Math.max(0, y) / ds;
  const [cw, ch] = [w - skipX, h - skipY];
  if (cw <= 0 || ch <= 0) return out;
  if (Number.isInteger(fx) && Number.isInteger(fy)) {
    pasteTile(out, await stitch(slide, decoders, level, fx, fy, cw, ch), skipX, skipY, cw, ch);
    return out;
  }
  // One more column and row than asked: each output pixel mixes the four level pixels around its sampling point.
  const [x0, y0] = [Math.floor(fx), Math.floor(fy)];
  const source = await stitch(slide, decoders, level, x0, y0, cw + 1, ch + 1);
  pasteTile(out, shiftBilinear(source, fx - x0, fy - y0, cw, ch), skipX, skipY, cw, ch);
  return out;
}

/** The level's pixels from whole-pixel (lx, ly), `w`×`h`, from the tiles that cover them; transparent outside the level. */
async function stitch(slide: Slide, decoders: TileDecoders, level: number, lx: number, ly: number, w: number, h: number): Promise<RgbaImage> {
  const info = slide.info.levels[level];
  const out: RgbaImage = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
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

/**
 * `w`×`h` pixels sampled at (i + tx, j + ty) of `source` (0 ≤ tx, ty < 1), mixing the four neighbours
 * with premultiplied alpha, so the level's edge fades into the transparent outside as OpenSlide's does.
 */
function shiftBilinear(source: RgbaImage, tx: number, ty: number, w: number, h: number): RgbaImage {
  const out: RgbaImage = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
  const s = source.data;
  const stride = source.width * 4;
  const weights = [(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty];
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const at = j * stride + i * 4;
      const corners = [at, at + 4, at + stride, at + stride + 4];
      let alpha = 0;
      for (let k = 0; k < 4; k++) alpha += weights[k] * s[corners[k] + 3];
      const d = (j * w + i) * 4;
      if (alpha <= 0) continue;
      for (let c = 0; c < 3; c++) {
        let premultiplied = 0;
        for (let k = 0; k < 4; k++) premultiplied += weights[k] * s[corners[k] + c] * s[corners[k] + 3];
        out.data[d + c] = Math.round(premultiplied / alpha);
      }
      out.data[d + 3] = Math.round(alpha);
    }
  }
  return out;
}

/** OpenSlide's get_best_level_for_downsample: the last level whose downsample is at most `downsample`. */
export function bestLevelForDownsample(info: Pick<SlideInfo, 'levels'>, downsample: number): number {
  if (downsample < info.levels[0].downsample) return 0;
  for (let i = 1; i < info.levels.length; i++) if (downsample < info.levels[i].downsample) return i - 1;
  return info.levels.length - 1;
}
