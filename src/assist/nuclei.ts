import { ringSignedArea } from '../model/geometry';
import { isoLines } from './contour';
import { distanceTransform } from './distance';
import { gaussianBlur, openMask } from './filter';
import { fillHolesWithin, fillSmallHoles, thresholdMask } from './mask';
import { morphologySteps } from './morphology';
import { haematoxylinDensity, nuclearWeights, stainModel, type StainModel } from './stain';
import { otsuThreshold } from './threshold';
import { splitByDistance } from './watershed';
import type { NucleusOptions, PixelRegion } from './types';

/**
 * The shared middle of click-to-outline and region proposals, on one buffer:
 * 1. the nuclear stain per pixel by colour deconvolution (vectors estimated from the buffer);
 * 2. blurred a little (chromatin texture would break a nucleus into pieces), minus its own wide
 *    blur: a nucleus is what is darker than the tissue around it;
 * 3. Otsu's threshold of that contrast, specks filled, opened by a disc (no spurs, no bridges);
 * 4. touching nuclei split by an h-maxima watershed on the distance transform;
 * 5. per nucleus, the outline is the iso-line of its own mask, slightly blurred: smooth, sub-pixel,
 *    and stopping where the split put it.
 * Sizes are in µm, so the same settings hold at 20× and 40×.
 */

export interface NucleusBox {
  minX: number; minY: number; maxX: number; maxY: number;
  /** Buffer pixels. */
  area: number;
  /** Part of the object lies on the buffer's edge: it may be cut off. */
  touchesEdge: boolean;
  /** Mean local stain contrast (OD) over the object. */
  contrast: number;
}

export interface Segmentation {
  width: number;
  height: number;
  /** Object label per pixel, 0 = none. */
  labels: Int32Array;
  count: number;
  /** Index = label; entry 0 unused. */
  boxes: NucleusBox[];
  stains: StainModel;
}

/** Pale specks up to this area (µm²) inside a stained blob are filled before the split, so they do not dent the distance map. */
const SPECK_UM2 = 5;
/** Blur (buffer px) of a nucleus's own mask before its iso-line is taken: rounds pixel corners off. */
const OUTLINE_BLUR = 1;
/**
 * The level of that blurred mask the outline follows: ½ is the mask's own edge with its pixel
 * corners rounded (measured on real H&E: 0.5 and 0.6 fit expert outlines alike, 0.2–0.3, a grown
 * outline, worse).
 */
const OUTLINE_LEVEL = 0.5;

export function segmentNuclei(pixels: PixelRegion, opts: NucleusOptions): Segmentation {
  const { width, height, data } = pixels;
  const n = width * height;
  const px = (um: number) => um / (opts.mpp * pixels.downsample);
  const stains = stainModel(data, n, opts.stain);
  const stain = haematoxylinDensity(data, n, nuclearWeights(stains));
  const smooth = gaussianBlur(stain, width, height, px(opts.smoothUm));
  const around = gaussianBlur(stain, width, height, px(opts.backgroundUm));
  const contrast = new Float32Array(n);
  for (let p = 0; p < n; p++) contrast[p] = smooth[p] - around[p];
  const threshold = Math.max(otsuThreshold(contrast), opts.minContrast);
  let mask = thresholdMask(contrast, threshold);
  fillSmallHoles(mask, width, height, px(px(SPECK_UM2)));
  mask = openMask(mask, width, height, px(opts.openUm));
  const { labels, count } = splitByDistance(mask, distanceTransform(mask, width, height), width, height, px(opts.splitDepthUm));
  fillHolesWithin(labels, width, height);

  const boxes: NucleusBox[] = [];
  for (let l = 0; l <= count; l++) boxes.push({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, area: 0, touchesEdge: false, contrast: 0 });
  for (let p = 0; p < n; p++) {
    const l = labels[p];
    if (l === 0) continue;
    const b = boxes[l];
    const x = p % width, y = (p - x) / width;
    if (x < b.minX) b.minX = x;
    if (x > b.maxX) b.maxX = x;
    if (y < b.minY) b.minY = y;
    if (y > b.maxY) b.maxY = y;
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) b.touchesEdge = true;
    b.area++;
    b.contrast += contrast[p];
  }
  for (const b of boxes) if (b.area > 0) b.contrast /= b.area;
  return { width, height, labels, count, boxes, stains };
}

/**
 * The outline of object `label`, widened (+) or narrowed (−) by `adjust` buffer pixels: the
 * iso-line of its blurred mask, in buffer pixel-centre coordinates, clockwise on screen, with its
 * area (buffer px²). Null when narrowed away.
 */
export function traceNucleus(seg: Segmentation, label: number, adjust = 0): { ring: number[]; area: number } | null {
  const b = seg.boxes[label];
  const pad = Math.ceil(3 * OUTLINE_BLUR) + Math.max(0, Math.ceil(adjust)) + 1;
  const x0 = b.minX - pad, y0 = b.minY - pad;
  const bw = b.maxX - b.minX + 1 + 2 * pad, bh = b.maxY - b.minY + 1 + 2 * pad;
  const own = new Float32Array(bw * bh);
  for (let y = Math.max(0, y0); y < Math.min(seg.height, y0 + bh); y++) {
    for (let x = Math.max(0, x0); x < Math.min(seg.width, x0 + bw); x++) {
      if (seg.labels[y * seg.width + x] === label) own[(y - y0) * bw + x - x0] = 1;
    }
  }
  let field = gaussianBlur(own, bw, bh, OUTLINE_BLUR);
  if (adjust !== 0) field = morphologySteps(field, bw, bh, Math.round(adjust));
  let best: number[] | null = null, bestArea = 0;
  for (const r of isoLines(field, bw, bh, OUTLINE_LEVEL)) {
    const a = ringSignedArea(r);
    if (a > bestArea) (bestArea = a), (best = r);
  }
  if (!best) return null;
  for (let k = 0; k < best.length; k += 2) (best[k] += x0), (best[k + 1] += y0);
  return { ring: best, area: bestArea };
}
