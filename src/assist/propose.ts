import { ringCentroid } from '../model/geometry';
import type { PolygonGeometry } from '../model/types';
import { areaLimits, finishRing } from './finish';
import { thresholdMask } from './mask';
import { segmentNuclei, traceNuclei } from './nuclei';
import { haematoxylinDensity } from './stain';
import { otsuThreshold } from './threshold';
import { nucleusOptions, type ImageRect, type NucleusOptions, type PixelRegion } from './types';

/**
 * Every nucleus whose outline's centroid lies in `rect` (level-0 px), detected in `pixels`:
 * haematoxylin by colour deconvolution, Otsu's threshold over the buffer (never below
 * `minStain`), holes filled, touching nuclei split by a watershed on the distance transform,
 * each outline traced at its own half-stain level, then the size filter. Give pixels reaching
 * a nucleus's width beyond the rect (see `proposalPadding`): nuclei cut by the buffer's edge
 * are dropped, not guessed. Sorted top to bottom, then left to right.
 */
export function proposeNuclei(pixels: PixelRegion, rect: ImageRect, options: Partial<NucleusOptions> = {}): PolygonGeometry[] {
  const opts = nucleusOptions(options);
  const { width, height, downsample: ds } = pixels;
  const h = haematoxylinDensity(pixels.data, width * height);
  const threshold = Math.max(otsuThreshold(h), opts.minStain);
  const seg = segmentNuclei(thresholdMask(h, threshold), width, height, opts);
  const limits = areaLimits(opts, ds);
  const found: { geometry: PolygonGeometry; cx: number; cy: number }[] = [];
  for (const n of traceNuclei({ width, height, rgba: pixels.data, h }, seg, opts)) {
    if (n.touchesEdge || n.area < limits.min || n.area > limits.max) continue;
    const geometry = finishRing(n.ring, pixels);
    const [cx, cy] = ringCentroid(geometry.points);
    if (cx < rect.x || cy < rect.y || cx >= rect.x + rect.w || cy >= rect.y + rect.h) continue;
    found.push({ geometry, cx, cy });
  }
  found.sort((a, b) => a.cy - b.cy || a.cx - b.cx);
  return found.map((f) => f.geometry);
}

/**
 * Level-0 pixels to fetch around a proposal rect so that nuclei on its border come whole, with
 * the background rings around them: the largest nucleus's radius plus a few buffer pixels.
 */
export function proposalPadding(downsample = 1, options: Partial<NucleusOptions> = {}): number {
  const opts = nucleusOptions(options);
  return Math.ceil(Math.sqrt(opts.maxAreaUm2 / Math.PI) / opts.mpp + (6 + Math.max(0, opts.adjust)) * downsample);
}
