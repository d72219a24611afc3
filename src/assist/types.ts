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

/** Settings shared by click-to-outline and region proposals; every field has a default. */
export interface NucleusOptions {
  /** Microns per level-0 pixel, to turn the size limits into pixels. Default 0.5 (a 20× scan). */
  mpp: number;
  /** Smallest and largest nucleus kept, in µm². Defaults 8 and 500. */
  minAreaUm2: number;
  maxAreaUm2: number;
  /**
   * Haematoxylin optical density below which nothing counts as a nucleus, whatever Otsu says:
   * keeps a window of bare stroma or glass from being split into noise. Default 0.15.
   */
  minStain: number;
  /**
   * Two touching blobs stay apart when the narrower one's centre lies this many buffer pixels
   * deeper (distance to the edge) than the neck joining them. Default 1.
   */
  splitDepth: number;
  /** Grow (+) or shrink (−) the outline by this many buffer pixels (wheel steps). Default 0. */
  adjust: number;
}

export const DEFAULT_NUCLEUS_OPTIONS: NucleusOptions = {
  mpp: 0.5,
  minAreaUm2: 8,
  maxAreaUm2: 500,
  minStain: 0.15,
  splitDepth: 1,
  adjust: 0,
};

export function nucleusOptions(partial: Partial<NucleusOptions> = {}): NucleusOptions {
  const o = { ...DEFAULT_NUCLEUS_OPTIONS };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (o as Record<string, number>)[k] = v;
  return o;
}
