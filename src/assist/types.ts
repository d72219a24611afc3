import type { StainChoice } from './stain';

/**
 * What the outline assistant works on and returns. Pixels come as one RGBA buffer cut from one
 * pyramid level; everything handed back is in level-0 image pixels, as the model stores geometry.
 */

/** An RGBA buffer from one pyramid level, placed on the slide. */
export interface PixelRegion {
  width: number;
  height: number;
  /** RGBA, row-major, 4 bytes a pixel (as ImageData and renderSyntheticTile give it). */
  data: Uint8ClampedArray;
  /** Level-0 pixel of the buffer's top-left corner: buffer pixel (i, j) covers [x + i·ds, x + (i+1)·ds). */
  x: number;
  y: number;
  /** Level-0 pixels per buffer pixel: 1 at full resolution, 2, 4, … on coarser levels. */
  downsample: number;
}

/** A point in level-0 image pixels. */
export interface ImagePoint {
  x: number;
  y: number;
}

/** A rectangle in level-0 image pixels. */
export interface ImageRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Settings shared by click-to-outline and region proposals. Every length is in µm, turned into
 * pixels with `mpp`, so one setting serves 20× and 40× scans alike. Only `mpp` has no default:
 * a nucleus's size in pixels cannot be guessed, and a wrong guess proposes specks or misses nuclei.
 */
export interface NucleusOptions {
  /** Microns per level-0 pixel. Required. */
  mpp: number;
  /** Which stains the image carries (default 'auto': estimated from the pixels). */
  stain: StainChoice;
  /** Smallest and largest nucleus kept, in µm². Defaults 8 and 500. */
  minAreaUm2: number;
  maxAreaUm2: number;
  /** Gaussian blur (σ, µm) of the nuclear stain before thresholding: irons out chromatin texture. Default 0.5. */
  smoothUm: number;
  /**
   * The stain is measured against its own blur at this σ (µm): a nucleus is what is darker than
   * the tissue around it, so a dark stroma or a pale region shifts the threshold with it. Default 8.
   */
  backgroundUm: number;
  /** Opening by a disc of this radius (µm): cuts spurs and thin bridges between nuclei. Default 1. */
  openUm: number;
  /**
   * Two touching blobs stay apart when the narrower one's centre lies this much deeper (distance
   * to the edge, µm) than the neck joining them. Default 0.5.
   */
  splitDepthUm: number;
  /** Local stain contrast (OD) below which nothing counts as a nucleus, whatever Otsu says. Default 0.05. */
  minContrast: number;
  /** Grow (+) or shrink (−) the outline by this many buffer pixels (wheel steps). Default 0. */
  adjust: number;
}

export const DEFAULT_NUCLEUS_OPTIONS: Omit<NucleusOptions, 'mpp'> = {
  stain: 'auto',
  minAreaUm2: 8,
  maxAreaUm2: 500,
  smoothUm: 0.5,
  backgroundUm: 8,
  openUm: 1,
  splitDepthUm: 0.5,
  minContrast: 0.05,
  adjust: 0,
};

/** Options with defaults filled in; a missing or non-positive `mpp` is refused. */
export function nucleusOptions(partial: Partial<NucleusOptions>): NucleusOptions {
  const o: Record<string, unknown> = { ...DEFAULT_NUCLEUS_OPTIONS };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) o[k] = v;
  if (!(typeof o.mpp === 'number' && Number.isFinite(o.mpp) && o.mpp > 0)) {
    throw new RangeError(`the image's µm per pixel is needed to tell nuclei from specks, got ${String(o.mpp)}`);
  }
  return o as unknown as NucleusOptions;
}
