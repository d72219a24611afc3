import { ringSignedArea } from '../model/geometry';
import { isoLines } from './contour';
import { distanceTransform } from './distance';
import { fillHolesWithin, fillSmallHoles } from './mask';
import { morphologySteps } from './morphology';
import { haematoxylinOf, haematoxylinWeights } from './stain';
import { growLabels, splitByDistance } from './watershed';
import type { NucleusOptions } from './types';

/**
 * The shared middle of click-to-outline and region proposals: from a rough mask of stained
 * pixels to one sub-pixel outline per nucleus. The mask only finds and separates nuclei; each
 * outline is then drawn where the stain is half-way between that nucleus's own core and the
 * background right around it — a threshold local to each nucleus, which is where a partly
 * covered edge pixel is half nucleus.
 */

export interface StainImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  /** Haematoxylin OD per pixel. */
  h: Float32Array;
}

export interface Segmentation {
  /** Object label per pixel, grown a few pixels into the background around each object. */
  labels: Int32Array;
  /** 0 on an object's own pixels, k in the k-th ring grown around it, 255 beyond. */
  ring: Uint8Array;
  /** Distance to the mask's edge, inside the mask. */
  dist: Float32Array;
  count: number;
}

/** The background colour is sampled in these rings: past the partly covered edge pixel, still close by. */
const BACKGROUND_RINGS = [2, 4] as const;
/** Core pixels lie at least this deep (buffer px), so edge pixels do not pale the nucleus colour. */
const CORE_DEPTH = 2;

/** Pale specks this small (buffer px) are filled before the distance transform, so they do not dent it. */
const SPECK_AREA = 2;

/**
 * Splits the blobs of `mask` (changed in place) into nuclei, fills the holes inside each, and
 * labels the pixels around each.
 */
export function segmentNuclei(mask: Uint8Array, width: number, height: number, opts: NucleusOptions): Segmentation {
  fillSmallHoles(mask, width, height, SPECK_AREA);
  const dist = distanceTransform(mask, width, height);
  const { labels, count } = splitByDistance(mask, dist, width, height, opts.splitDepth);
  fillHolesWithin(labels, width, height);
  const ring = growLabels(labels, width, height, BACKGROUND_RINGS[1] + Math.max(0, Math.ceil(opts.adjust)));
  return { labels, ring, dist, count };
}

export interface TracedNucleus {
  label: number;
  /** Outer ring in buffer pixel-centre coordinates, clockwise on screen. */
  ring: number[];
  /** Buffer pixels². */
  area: number;
  /** The object's own pixels reach the buffer's edge: part of it may be cut off. */
  touchesEdge: boolean;
  /** Haematoxylin OD of the core minus that of the background around it. */
  contrast: number;
}

interface LabelStats {
  minX: number; minY: number; maxX: number; maxY: number;
  maxDist: number;
  touchesEdge: boolean;
  core: [number, number, number, number];
  background: [number, number, number, number];
}

function collectStats(img: StainImage, seg: Segmentation): LabelStats[] {
  const { width, height, rgba } = img;
  const stats: LabelStats[] = [];
  for (let l = 0; l <= seg.count; l++) {
    stats.push({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, maxDist: 0, touchesEdge: false, core: [0, 0, 0, 0], background: [0, 0, 0, 0] });
  }
  for (let p = 0; p < seg.labels.length; p++) {
    const l = seg.labels[p];
    if (l === 0) continue;
    const s = stats[l];
    const x = p % width, y = (p - x) / width;
    if (x < s.minX) s.minX = x;
    if (x > s.maxX) s.maxX = x;
    if (y < s.minY) s.minY = y;
    if (y > s.maxY) s.maxY = y;
    if (seg.ring[p] === 0) {
      if (seg.dist[p] > s.maxDist) s.maxDist = seg.dist[p];
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) s.touchesEdge = true;
    }
  }
  const add = (acc: number[], p: number) => {
    acc[0] += rgba[4 * p];
    acc[1] += rgba[4 * p + 1];
    acc[2] += rgba[4 * p + 2];
    acc[3]++;
  };
  for (let p = 0; p < seg.labels.length; p++) {
    const l = seg.labels[p];
    if (l === 0) continue;
    const s = stats[l];
    const r = seg.ring[p];
    if (r === 0 && seg.dist[p] >= Math.min(CORE_DEPTH, s.maxDist)) add(s.core, p);
    else if (r >= BACKGROUND_RINGS[0] && r <= BACKGROUND_RINGS[1]) add(s.background, p);
  }
  return stats;
}

/**
 * The outline of each object in `which` (all when omitted), widened or narrowed by
 * `opts.adjust` pixels. Objects whose outline vanishes (narrowed away) are left out.
 */
export function traceNuclei(img: StainImage, seg: Segmentation, opts: NucleusOptions, which?: readonly number[]): TracedNucleus[] {
  const stats = collectStats(img, seg);
  const w = haematoxylinWeights();
  const out: TracedNucleus[] = [];
  const labels = which ?? Array.from({ length: seg.count }, (_, i) => i + 1);
  const pad = Math.abs(Math.ceil(opts.adjust)) + 1;
  for (const l of labels) {
    const s = stats[l];
    if (!s || s.core[3] === 0) continue;
    const core = s.core.map((v) => v / s.core[3]);
    const coreH = haematoxylinOf(core[0], core[1], core[2], w);
    // No background sampled (a nucleus packed in by others): the mask's own edge is the best guess.
    const bg = s.background[3] > 0 ? s.background.map((v) => v / s.background[3]) : null;
    const bgH = bg ? haematoxylinOf(bg[0], bg[1], bg[2], w) : 0;
    // Half-way in colour, not in OD: an edge pixel's colour is the cover-weighted mean of the two.
    const iso = bg ? haematoxylinOf((core[0] + bg[0]) / 2, (core[1] + bg[1]) / 2, (core[2] + bg[2]) / 2, w) : coreH / 2;
    const x0 = Math.max(0, s.minX - pad), y0 = Math.max(0, s.minY - pad);
    const x1 = Math.min(img.width - 1, s.maxX + pad), y1 = Math.min(img.height - 1, s.maxY + pad);
    const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    let field: Float32Array = new Float32Array(bw * bh);
    for (let y = 0; y < bh; y++) {
      for (let x = 0; x < bw; x++) {
        const p = (y + y0) * img.width + x + x0;
        // Other nuclei's pixels count as background, so an outline stops where its zone does.
        field[y * bw + x] = seg.labels[p] === l ? img.h[p] : Math.min(img.h[p], bgH);
      }
    }
    if (opts.adjust !== 0) field = morphologySteps(field, bw, bh, Math.round(opts.adjust));
    let best: number[] | null = null, bestArea = 0;
    for (const r of isoLines(field, bw, bh, iso)) {
      const a = ringSignedArea(r);
      if (a > bestArea) (bestArea = a), (best = r);
    }
    if (!best) continue;
    for (let k = 0; k < best.length; k += 2) (best[k] += x0), (best[k + 1] += y0);
    out.push({ label: l, ring: best, area: bestArea, touchesEdge: s.touchesEdge, contrast: coreH - bgH });
  }
  return out;
}
