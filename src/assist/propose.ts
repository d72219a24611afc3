import { ringCentroid } from '../model/geometry';
import type { PolygonGeometry } from '../model/types';
import { areaLimits, finishRing } from './finish';
import { segmentNuclei, traceNucleus } from './nuclei';
import { nucleusOptions, type ImageRect, type NucleusOptions, type PixelRegion } from './types';

/**
 * Every nucleus whose outline's centroid lies in `rect` (level-0 px), detected in `pixels` (see
 * `segmentNuclei`), within the size limits. Give pixels reaching a nucleus's width beyond the
 * rect (see `proposalPadding`): nuclei cut by the buffer's edge are dropped, not guessed. Sorted
 * top to bottom, then left to right.
 */
export function proposeNuclei(pixels: PixelRegion, rect: ImageRect, options: Partial<NucleusOptions>): PolygonGeometry[] {
  const opts = nucleusOptions(options);
  const seg = segmentNuclei(pixels, opts);
  const limits = areaLimits(opts, pixels.downsample);
  const found: { geometry: PolygonGeometry; cx: number; cy: number }[] = [];
  for (let l = 1; l <= seg.count; l++) {
    const b = seg.boxes[l];
    if (b.touchesEdge || b.area < limits.min || b.area > limits.max) continue;
    const traced = traceNucleus(seg, l, opts.adjust);
    if (!traced) continue;
    const geometry = finishRing(traced.ring, pixels);
    const [cx, cy] = ringCentroid(geometry.points);
    if (cx < rect.x || cy < rect.y || cx >= rect.x + rect.w || cy >= rect.y + rect.h) continue;
    found.push({ geometry, cx, cy });
  }
  found.sort((a, b) => a.cy - b.cy || a.cx - b.cx);
  return found.map((f) => f.geometry);
}

/**
 * Level-0 pixels to fetch around a proposal rect so that nuclei on its border come whole, and
 * the tissue around them sets their contrast: the largest nucleus's radius plus a few buffer pixels.
 */
export function proposalPadding(downsample: number, options: Partial<NucleusOptions>): number {
  const opts = nucleusOptions(options);
  return Math.ceil(Math.sqrt(opts.maxAreaUm2 / Math.PI) / opts.mpp + (6 + Math.max(0, opts.adjust)) * downsample);
}
