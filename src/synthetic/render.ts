import { placedCellsInRect, type PlacedCell } from './cells';
import { inflammationAt, INFLAMMATION_THRESHOLD, slideFields, tissueAt, tumourAt, TUMOUR_THRESHOLD, type SlideFields } from './fields';
import { levelDownsample, SYNTHETIC_TILE_SIZE, tilePixelSize } from './slide';
import { stromaTexture, STROMA_TEXTURE_MASK, STROMA_TEXTURE_SIZE } from './texture';

export interface RenderedTile {
  width: number;
  height: number;
  /** RGBA, row-major, 4 bytes a pixel. */
  data: Uint8ClampedArray;
}

/**
 * Up to this downsample nuclei are painted as their true polygons; beyond it a tile spans too
 * many buckets to enumerate, and nuclei become a density speckle.
 */
export const MAX_DOWNSAMPLE_WITH_POLYGONS = 4;
/** Fields are sampled on this grid (tile pixels) and interpolated: they vary over thousands of px. */
const FIELD_GRID = 16;
/** Sub-scanlines per pixel row when filling nuclei: with exact horizontal coverage, a ≤1 px soft edge. */
const SUBROWS = 4;

const BACKGROUND = [243, 241, 245];
/** Eosin: pale and deep ends of the stroma texture, and the denser pink of tumour cytoplasm. */
const STROMA_PALE = [241, 200, 220];
const STROMA_DEEP = [221, 138, 182];
const TUMOUR_CYTOPLASM = [214, 146, 196];
/** Haematoxylin, per class: dark blue-purple; lymphocytes darkest, tumour nuclei a little paler. */
const NUCLEUS_RGB: Record<PlacedCell['classId'], [number, number, number]> = {
  'tumor-cell': [96, 66, 152],
  lymphocyte: [58, 38, 112],
  'stromal-cell': [84, 58, 140],
};
/**
 * Fraction of tissue area covered by nuclei, per region, as measured on the generated cells: the
 * zoomed-out speckle reproduces it so the tone does not jump where polygons give way to speckle.
 */
const NUCLEAR_FRACTION = { tumour: 0.19, inflamed: 0.12, stroma: 0.02 };
/** A speckle pixel is this much nucleus; hit rate × this = the fraction above. */
const SPECKLE_COVER = 0.7;

interface FieldGrid {
  cols: number;
  tissue: Float32Array;
  tumour: Float32Array;
  inflamed: Float32Array;
}

function sampleFields(f: SlideFields, x0: number, y0: number, ds: number, width: number, height: number): FieldGrid {
  const cols = Math.ceil(width / FIELD_GRID) + 1;
  const rows = Math.ceil(height / FIELD_GRID) + 1;
  const tissue = new Float32Array(cols * rows);
  const tumour = new Float32Array(cols * rows);
  const inflamed = new Float32Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = x0 + c * FIELD_GRID * ds;
      const y = y0 + r * FIELD_GRID * ds;
      const i = r * cols + c;
      tissue[i] = tissueAt(f, x, y);
      tumour[i] = tumourAt(f, x, y);
      inflamed[i] = inflammationAt(f, x, y);
    }
  }
  return { cols, tissue, tumour, inflamed };
}

function smoothstep(e0: number, e1: number, v: number): number {
  const t = Math.min(1, Math.max(0, (v - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/**
 * One tile of the synthetic H&E slide, as raw RGBA. Pure and deterministic: the same arguments give
 * the same bytes, in any order, in Node or the browser. Levels follow the Deep Zoom pyramid in slide.ts.
 */
export function renderSyntheticTile(seed: number, level: number, col: number, row: number): RenderedTile {
  const { width, height } = tilePixelSize(level, col, row);
  const data = new Uint8ClampedArray(width * height * 4);
  if (width === 0 || height === 0) return { width, height, data };
  const ds = levelDownsample(level);
  const f = slideFields(seed);
  // Level-0 origin of the tile; pixel (i, j) covers [x0 + i·ds, x0 + (i+1)·ds).
  const x0 = col * SYNTHETIC_TILE_SIZE * ds;
  const y0 = row * SYNTHETIC_TILE_SIZE * ds;
  const grid = sampleFields(f, x0, y0, ds, width, height);
  paintTissue(data, width, height, grid, seed, x0, y0, ds);
  if (ds <= MAX_DOWNSAMPLE_WITH_POLYGONS) {
    const cells = placedCellsInRect(seed, { x: x0, y: y0, w: width * ds, h: height * ds });
    for (const cell of cells) paintNucleus(data, width, height, cell, x0, y0, ds, seed);
  }
  return { width, height, data };
}

/** A cheap per-pixel hash for grain and speckle; hash32 is stronger than pixels need. */
function pixelHash(seed: number, x: number, y: number): number {
  let h = Math.imul(x, 374761393) + Math.imul(y, 668265263) + Math.imul(seed, 1442695041);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return (h ^ (h >>> 16)) >>> 0;
}

const rowTissue = new Float32Array(SYNTHETIC_TILE_SIZE / 4 + 2);
const rowTumour = new Float32Array(SYNTHETIC_TILE_SIZE / 4 + 2);
const rowInflamed = new Float32Array(SYNTHETIC_TILE_SIZE / 4 + 2);
/** Per-column values shared by every row of a tile. */
const colX = new Int32Array(SYNTHETIC_TILE_SIZE);
const colTex1 = new Int32Array(SYNTHETIC_TILE_SIZE);
const colTex2 = new Int32Array(SYNTHETIC_TILE_SIZE);

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Opaque RGBA packed for a Uint32Array view of the tile, channels rounded and clamped. */
function packRgb(r: number, g: number, b: number): number {
  const R = r <= 0 ? 0 : r >= 255 ? 255 : (r + 0.5) | 0;
  const G = g <= 0 ? 0 : g >= 255 ? 255 : (g + 0.5) | 0;
  const B = b <= 0 ? 0 : b >= 255 ? 255 : (b + 0.5) | 0;
  return LITTLE_ENDIAN ? ((255 << 24) | (B << 16) | (G << 8) | R) >>> 0 : ((R << 24) | (G << 16) | (B << 8) | 255) >>> 0;
}

function paintTissue(data: Uint8ClampedArray, width: number, height: number, grid: FieldGrid, seed: number, x0: number, y0: number, ds: number): void {
  const pixels = new Uint32Array(data.buffer, data.byteOffset, width * height);
  const tex = stromaTexture();
  // A tissue edge a few level-0 pixels wide, never narrower than one output pixel.
  const edge = Math.max(6e-4, 1.2e-4 * ds);
  // Texture detail finer than a pixel would alias: fade it towards its mean as we zoom out.
  const texAmp = 1 / Math.sqrt(ds);
  const speckle = ds > MAX_DOWNSAMPLE_WITH_POLYGONS;
  const cols = grid.cols;
  // Narrow ramps: nuclei switch class sharply at the thresholds, and the stain should too.
  const tumourLo = TUMOUR_THRESHOLD - 0.004, tumourHi = TUMOUR_THRESHOLD + 0.004;
  const inflLo = INFLAMMATION_THRESHOLD - 0.004, inflHi = INFLAMMATION_THRESHOLD + 0.004;
  const [bgR, bgG, bgB] = BACKGROUND;
  const [paleR, paleG, paleB] = STROMA_PALE;
  const deepR = STROMA_DEEP[0] - paleR, deepG = STROMA_DEEP[1] - paleG, deepB = STROMA_DEEP[2] - paleB;
  const [cytR, cytG, cytB] = TUMOUR_CYTOPLASM;
  for (let i = 0; i < width; i++) {
    const X = Math.floor(x0 + (i + 0.5) * ds);
    colX[i] = X;
    colTex1[i] = X & STROMA_TEXTURE_MASK;
    colTex2[i] = (((X * 3) >> 2) + 59) & STROMA_TEXTURE_MASK;
  }
  for (let j = 0; j < height; j++) {
    // Interpolate the field grid down to this row once, then across it per pixel.
    const r0 = Math.floor(j / FIELD_GRID);
    const fy = j / FIELD_GRID - r0;
    for (let c = 0; c < cols; c++) {
      const a = r0 * cols + c, b = a + cols;
      rowTissue[c] = grid.tissue[a] + (grid.tissue[b] - grid.tissue[a]) * fy;
      rowTumour[c] = grid.tumour[a] + (grid.tumour[b] - grid.tumour[a]) * fy;
      rowInflamed[c] = grid.inflamed[a] + (grid.inflamed[b] - grid.inflamed[a]) * fy;
    }
    const Y = Math.floor(y0 + (j + 0.5) * ds);
    const texRow1 = (Y & STROMA_TEXTURE_MASK) * STROMA_TEXTURE_SIZE;
    const texRow2 = ((((Y * 3) >> 2) + 137) & STROMA_TEXTURE_MASK) * STROMA_TEXTURE_SIZE;
    const rowStart = j * width;
    // Across the row the fields are linear within each grid cell: step them instead of re-interpolating.
    for (let c = 0; c * FIELD_GRID < width; c++) {
      let tissue = rowTissue[c];
      let tumourV = rowTumour[c];
      let inflV = rowInflamed[c];
      const dTissue = (rowTissue[c + 1] - tissue) / FIELD_GRID;
      const dTumour = (rowTumour[c + 1] - tumourV) / FIELD_GRID;
      const dInfl = (rowInflamed[c + 1] - inflV) / FIELD_GRID;
      const iEnd = Math.min(width, (c + 1) * FIELD_GRID);
      for (let i = c * FIELD_GRID; i < iEnd; i++, tissue += dTissue, tumourV += dTumour, inflV += dInfl) {
        const h = pixelHash(seed, colX[i], Y);
        const grain = (h & 7) - 3.5;
        if (tissue <= 0) {
          const gb = grain * 0.5;
          pixels[rowStart + i] = packRgb(bgR + gb, bgG + gb, bgB + gb);
          continue;
        }
        const tumourW = tumourV <= tumourLo ? 0 : tumourV >= tumourHi ? 1 : smoothstep(tumourLo, tumourHi, tumourV);
        // Two lookups at unrelated periods hide the texture's repetition.
        const t = 0.5 + ((0.62 / 255) * tex[texRow1 + colTex1[i]] + (0.38 / 255) * tex[texRow2 + colTex2[i]] - 0.5) * texAmp;
        let r = paleR + deepR * t;
        let g = paleG + deepG * t;
        let b = paleB + deepB * t;
        if (tumourW > 0) {
          const k = tumourW * 0.8;
          r += (cytR - r) * k;
          g += (cytG - g) * k;
          b += (cytB - b) * k;
        }
        if (speckle) {
          const inflW = (1 - tumourW) * smoothstep(inflLo, inflHi, inflV);
          const fraction = tumourW * NUCLEAR_FRACTION.tumour + inflW * NUCLEAR_FRACTION.inflamed + (1 - tumourW - inflW) * NUCLEAR_FRACTION.stroma;
          // A pixel here is about one nucleus across: most pixels miss, a few are mostly nucleus.
          // Hit rate × SPECKLE_COVER is the region's nuclear fraction, so the mean tone matches
          // the polygons painted one level up.
          const u = ((h >>> 8) & 4095) / 4096;
          const cover = u * SPECKLE_COVER < fraction ? SPECKLE_COVER : 0;
          const nuc = inflW > 0.5 ? NUCLEUS_RGB.lymphocyte : NUCLEUS_RGB['tumor-cell'];
          r += (nuc[0] - r) * cover;
          g += (nuc[1] - g) * cover;
          b += (nuc[2] - b) * cover;
        }
        if (tissue < edge) {
          const a = smoothstep(0, edge, tissue);
          r = bgR + (r - bgR) * a;
          g = bgG + (g - bgG) * a;
          b = bgB + (b - bgB) * a;
        }
        pixels[rowStart + i] = packRgb(r + grain, g + grain, b + grain);
      }
    }
  }
}

const rowCoverage = new Float32Array(SYNTHETIC_TILE_SIZE + 2);
const crossings: number[] = [];
/** Vertex buffers reused across nuclei (nuclei have at most a few dozen vertices). */
let localX = new Float64Array(64);
let localY = new Float64Array(64);

/**
 * Fill one nucleus with anti-aliasing: SUBROWS sub-scanlines per row, each adding its exact
 * horizontal coverage. The half-coverage contour is the true outline, so a threshold on the stain
 * recovers it.
 */
function paintNucleus(data: Uint8ClampedArray, width: number, height: number, cell: PlacedCell, x0: number, y0: number, ds: number, seed: number): void {
  const pts = cell.points;
  const n = pts.length >> 1;
  if (localX.length < n) {
    localX = new Float64Array(n);
    localY = new Float64Array(n);
  }
  const lx = localX;
  const ly = localY;
  for (let v = 0; v < n; v++) {
    lx[v] = (pts[2 * v] - x0) / ds;
    ly[v] = (pts[2 * v + 1] - y0) / ds;
  }
  const minRow = Math.max(0, Math.floor((cell.minY - y0) / ds));
  const maxRow = Math.min(height - 1, Math.floor((cell.maxY - y0) / ds));
  const minCol = Math.max(0, Math.floor((cell.minX - x0) / ds));
  const maxCol = Math.min(width - 1, Math.floor((cell.maxX - x0) / ds));
  if (minRow > maxRow || minCol > maxCol) return;
  const base = NUCLEUS_RGB[cell.classId];
  const shade = (cell.tone - 0.5) * 22;
  const nr = base[0] + shade, ng = base[1] + shade * 0.8, nb = base[2] + shade * 0.6;
  const w = 1 / SUBROWS;
  for (let j = minRow; j <= maxRow; j++) {
    rowCoverage.fill(0, minCol, maxCol + 2);
    for (let s = 0; s < SUBROWS; s++) {
      const yy = j + (s + 0.5) * w;
      crossings.length = 0;
      for (let a = 0, b = n - 1; a < n; b = a++) {
        const ya = ly[a], yb = ly[b];
        if ((ya <= yy && yb > yy) || (yb <= yy && ya > yy)) crossings.push(lx[a] + ((yy - ya) / (yb - ya)) * (lx[b] - lx[a]));
      }
      // Insertion sort: a star-shaped nucleus crosses a scanline 2 times, rarely 4.
      for (let u = 1; u < crossings.length; u++) {
        const v = crossings[u];
        let w2 = u - 1;
        while (w2 >= 0 && crossings[w2] > v) {
          crossings[w2 + 1] = crossings[w2];
          w2--;
        }
        crossings[w2 + 1] = v;
      }
      for (let c = 0; c + 1 < crossings.length; c += 2) addSpan(crossings[c], crossings[c + 1], width, w);
    }
    const Y = Math.floor(y0 + (j + 0.5) * ds);
    for (let i = minCol; i <= maxCol; i++) {
      const cover = rowCoverage[i];
      if (cover <= 0) continue;
      const o = (j * width + i) * 4;
      // Chromatin: a little per-pixel mottling inside the nucleus.
      const mottle = ((pixelHash(seed + 2, Math.floor(x0 + (i + 0.5) * ds), Y) & 15) - 7.5) * 0.9;
      const k = Math.min(1, cover);
      data[o] = data[o] + (nr + mottle - data[o]) * k;
      data[o + 1] = data[o + 1] + (ng + mottle - data[o + 1]) * k;
      data[o + 2] = data[o + 2] + (nb + mottle - data[o + 2]) * k;
    }
  }
}

function addSpan(xa: number, xb: number, width: number, weight: number): void {
  const a = Math.max(0, xa);
  const b = Math.min(width, xb);
  if (b <= a) return;
  const ia = Math.floor(a);
  const ib = Math.floor(b);
  if (ia === ib) {
    rowCoverage[ia] += (b - a) * weight;
    return;
  }
  rowCoverage[ia] += (ia + 1 - a) * weight;
  for (let i = ia + 1; i < ib; i++) rowCoverage[i] += weight;
  if (ib < width) rowCoverage[ib] += (b - ib) * weight;
}
