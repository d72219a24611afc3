import { ringSignedArea } from '../model/geometry';
import { isoLines } from './contour';
import { distanceTransform } from './distance';
import { gaussianBlur, openMask } from './filter';
import { fillHolesWithin, fillSmallHoles, thresholdMask } from './mask';
import { morphologySteps } from './morphology';
import { haematoxylinDensity, haematoxylinOf, haematoxylinWeights, stainModel, type StainModel, type Vec3 } from './stain';
import { otsuThreshold } from './threshold';
import { overlayNuclei, walledBasins } from './vesicular';
import { growLabels, splitByDistance } from './watershed';
import type { NucleusOptions, PixelRegion } from './types';

/**
 * The shared middle of click-to-outline and region proposals, on one buffer:
 * 1. the nuclear stain per pixel by colour deconvolution (vectors estimated from the buffer);
 * 2. blurred a little (chromatin texture would break a nucleus into pieces), minus its own wide
 *    blur: a nucleus is what is darker than the tissue around it;
 * 3. Otsu's threshold of that contrast, specks filled, opened by a disc (no spurs, no bridges);
 * 4. touching nuclei split by an h-maxima watershed on the distance transform;
 * 4b. vesicular nuclei (pale centre, dark membrane: pieces or merges after 3–4) taken from the
 *    watershed of the stain itself, where each is a basin walled by its membrane (`vesicular.ts`);
 * 5. per nucleus, the outline is drawn where its blurred stain is half-way between its own core
 *    and the background right around it — a threshold local to each nucleus, which is where a
 *    partly covered edge pixel is half nucleus. Step 2 only finds and separates nuclei: in a crowd
 *    the wide blur is raised by the nuclei themselves, and its mask's edge lies inside theirs.
 *    Other nuclei's pixels count as background, so an outline stops where the split put it.
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
  /** Nuclear-stain OD where the outline runs: half-way in colour between core and background. */
  edge: number;
  /** Nuclear-stain OD of the background around the object (the whole edge level when none is sampled). */
  background: number;
}

export interface Segmentation {
  width: number;
  height: number;
  /** Object label per pixel, 0 = none. */
  labels: Int32Array;
  /** Each object's label grown a few pixels into the background around it: where its outline may run. */
  zones: Int32Array;
  /** The stain mask before it was opened: what a click on something too small for a nucleus hits. */
  stained: Uint8Array;
  /** Blurred nuclear-stain OD per pixel: the field outlines follow. */
  stain: Float32Array;
  count: number;
  /** Index = label; entry 0 unused. */
  boxes: NucleusBox[];
  stains: StainModel;
}

/** Pale specks up to this area (µm²) inside a stained blob are filled before the split, so they do not dent the distance map. */
const SPECK_UM2 = 5;
/** The background colour is sampled in these rings (buffer px) around a nucleus: past its partly covered edge pixel, still close by. */
const BACKGROUND_RINGS = [2, 4] as const;
/** Core pixels lie at least this deep (buffer px), so edge pixels do not pale the nucleus colour. */
const CORE_DEPTH = 2;

export function segmentNuclei(pixels: PixelRegion, opts: NucleusOptions): Segmentation {
  const { width, height, data } = pixels;
  const n = width * height;
  const px = (um: number) => um / (opts.mpp * pixels.downsample);
  const stains = stainModel(data, n, opts.stain);
  // Haematoxylin alone marks nuclei, in IHC too: DAB also lies on membranes and cytoplasm, and
  // counted with it, the brown rims of a gland's cells were outlined as nuclei (ihc.png).
  const weights = haematoxylinWeights(stains.vectors);
  const stain = haematoxylinDensity(data, n, weights);
  const smooth = gaussianBlur(stain, width, height, px(opts.smoothUm));
  const around = gaussianBlur(stain, width, height, px(opts.backgroundUm));
  const contrast = new Float32Array(n);
  for (let p = 0; p < n; p++) contrast[p] = smooth[p] - around[p];
  const threshold = Math.max(otsuThreshold(contrast), opts.minContrast);
  let mask = thresholdMask(contrast, threshold);
  fillSmallHoles(mask, width, height, px(px(SPECK_UM2)));
  const stained = mask;
  mask = openMask(mask, width, height, px(opts.openUm));
  // Depth is measured as if a nucleus's pale centre were stained: a vesicular nucleus is a ring,
  // as shallow as the neck to its neighbour, and would merge with it. The centre itself stays
  // out of the split (the gap enclosed where nuclei touch must not bridge them) and is given
  // back to its nucleus after.
  const dist = distanceTransform(fillSmallHoles(mask.slice(), width, height, px(px(opts.maxAreaUm2))), width, height);
  const solid = splitByDistance(mask, dist, width, height, px(opts.splitDepthUm));
  fillHolesWithin(solid.labels, width, height);
  const { labels, count } = overlayNuclei(solid, walledBasins(stain, stained, width, height, px, px(px(opts.minAreaUm2))));

  const boxes: NucleusBox[] = [];
  for (let l = 0; l <= count; l++) boxes.push({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, area: 0, touchesEdge: false, contrast: 0, edge: 0, background: 0 });
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
  const zones = edgeLevels(pixels, labels, mask, dist, count, boxes, weights);
  return { width, height, labels, zones, stained, stain: smooth, count, boxes, stains };
}

/**
 * Each object's edge level (`NucleusBox.edge`): the nuclear stain of the colour half-way between
 * its core and the background in rings just outside it — half-way in colour, not in OD, as an
 * edge pixel's colour is the cover-weighted mean of the two. The core is stained pixels only, not
 * a vesicular nucleus's pale centre. A nucleus packed in by others has
 * no background ring: half its core's stain is then the best guess.
 */
function edgeLevels(pixels: PixelRegion, labels: Int32Array, mask: Uint8Array, dist: Float32Array, count: number, boxes: NucleusBox[], w: Vec3): Int32Array {
  const { width, height, data } = pixels;
  const grown = labels.slice();
  const ring = growLabels(grown, width, height, BACKGROUND_RINGS[1]);
  const maxDist = new Float32Array(count + 1);
  for (let p = 0; p < labels.length; p++) if (labels[p] && dist[p] > maxDist[labels[p]]) maxDist[labels[p]] = dist[p];
  const core = new Float64Array(4 * (count + 1)), back = new Float64Array(4 * (count + 1));
  for (let p = 0; p < grown.length; p++) {
    const l = grown[p];
    if (l === 0) continue;
    const acc = ring[p] === 0 ? (mask[p] && dist[p] >= Math.min(CORE_DEPTH, maxDist[l]) ? core : null) : ring[p] >= BACKGROUND_RINGS[0] ? back : null;
    if (!acc) continue;
    for (let c = 0; c < 3; c++) acc[4 * l + c] += data[4 * p + c];
    acc[4 * l + 3]++;
  }
  const mean = (acc: Float64Array, l: number) => [0, 1, 2].map((c) => acc[4 * l + c] / acc[4 * l + 3]);
  for (let l = 1; l <= count; l++) {
    if (core[4 * l + 3] === 0) continue;
    const c = mean(core, l);
    if (back[4 * l + 3] === 0) {
      boxes[l].edge = boxes[l].background = haematoxylinOf(c[0], c[1], c[2], w) / 2;
      continue;
    }
    const b = mean(back, l);
    boxes[l].background = haematoxylinOf(b[0], b[1], b[2], w);
    boxes[l].edge = haematoxylinOf((c[0] + b[0]) / 2, (c[1] + b[1]) / 2, (c[2] + b[2]) / 2, w);
  }
  return grown;
}

/**
 * The outline of object `label`, widened (+) or narrowed (−) by `adjust` buffer pixels: the
 * iso-line of the stain at its edge level, in buffer pixel-centre coordinates, clockwise on
 * screen, with its area (buffer px²). Null when narrowed away.
 */
export function traceNucleus(seg: Segmentation, label: number, adjust = 0): { ring: number[]; area: number } | null {
  const b = seg.boxes[label];
  const pad = BACKGROUND_RINGS[1] + Math.max(0, Math.ceil(adjust)) + 1;
  const x0 = b.minX - pad, y0 = b.minY - pad;
  const bw = b.maxX - b.minX + 1 + 2 * pad, bh = b.maxY - b.minY + 1 + 2 * pad;
  // Pixels off the buffer read as background; other objects' pixels no darker than the background.
  let field: Float32Array = new Float32Array(bw * bh).fill(b.background);
  for (let y = Math.max(0, y0); y < Math.min(seg.height, y0 + bh); y++) {
    for (let x = Math.max(0, x0); x < Math.min(seg.width, x0 + bw); x++) {
      const p = y * seg.width + x;
      field[(y - y0) * bw + x - x0] = seg.zones[p] === label ? seg.stain[p] : Math.min(seg.stain[p], b.background);
    }
  }
  if (adjust !== 0) field = morphologySteps(field, bw, bh, Math.round(adjust));
  let best: number[] | null = null, bestArea = 0;
  for (const r of isoLines(field, bw, bh, b.edge)) {
    const a = ringSignedArea(r);
    if (a > bestArea) (bestArea = a), (best = r);
  }
  if (!best) return null;
  for (let k = 0; k < best.length; k += 2) (best[k] += x0), (best[k + 1] += y0);
  return { ring: best, area: bestArea };
}
