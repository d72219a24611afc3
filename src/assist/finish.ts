import type { PolygonGeometry } from '../model/types';
import { ringToImage, simplifyRing, smoothRing } from './ring';
import type { NucleusOptions, PixelRegion } from './types';

/** Taubin passes on the marching-squares ring: irons out the stain's pixel noise, keeps the size. */
const SMOOTH_PASSES = 2;
/** Douglas–Peucker tolerance in buffer pixels: well under the edge's own uncertainty. */
const SIMPLIFY_TOLERANCE = 0.2;

/** A traced ring in buffer pixels → the polygon the model stores (level-0 pixels, smoothed, simplified). */
export function finishRing(ring: readonly number[], region: Pick<PixelRegion, 'x' | 'y' | 'downsample'>): PolygonGeometry {
  return { type: 'polygon', points: ringToImage(simplifyRing(smoothRing(ring, SMOOTH_PASSES), SIMPLIFY_TOLERANCE), region) };
}

/** Nucleus size limits in buffer pixels² for a region at downsample `ds`. */
export function areaLimits(opts: NucleusOptions, ds: number): { min: number; max: number } {
  const px = (um2: number) => um2 / (opts.mpp * opts.mpp) / (ds * ds);
  return { min: px(opts.minAreaUm2), max: px(opts.maxAreaUm2) };
}
