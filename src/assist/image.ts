import type { PolygonGeometry } from '../model/types';
import { levelWindow } from './pixelSource';
import { proposalPadding, proposeNuclei } from './propose';
import type { ImageRect, NucleusOptions, PixelRegion } from './types';

/** A whole decoded image (a PNG, JPEG or plain TIFF): RGBA, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Outside the image the buffer is white: no stain, so nothing is found there. */
const OUTSIDE = 255;

/**
 * The pixels of a level-0 rect of a whole image at downsample `ds` (1, 2, 4, …): each buffer
 * pixel is the mean of the ds × ds image pixels it covers, as a pyramid level would be.
 */
export function imagePixels(image: DecodedImage, rect: ImageRect, ds = 1): PixelRegion {
  const win = levelWindow(rect, ds);
  const data = new Uint8ClampedArray(win.width * win.height * 4).fill(OUTSIDE);
  const sum = [0, 0, 0, 0];
  for (let j = 0; j < win.height; j++) {
    for (let i = 0; i < win.width; i++) {
      sum.fill(0);
      let n = 0;
      for (let y = (win.row0 + j) * ds; y < (win.row0 + j + 1) * ds; y++) {
        if (y < 0 || y >= image.height) continue;
        for (let x = (win.col0 + i) * ds; x < (win.col0 + i + 1) * ds; x++) {
          if (x < 0 || x >= image.width) continue;
          const o = (y * image.width + x) * 4;
          for (let c = 0; c < 4; c++) sum[c] += image.data[o + c];
          n++;
        }
      }
      if (n === 0) continue;
      const o = (j * win.width + i) * 4;
      for (let c = 0; c < 4; c++) data[o + c] = Math.round(sum[c] / n);
    }
  }
  return { width: win.width, height: win.height, data, x: win.col0 * ds, y: win.row0 * ds, downsample: ds };
}

/**
 * Every nucleus of `region` (the whole image when omitted) of a decoded image, as `granula nuclei`
 * writes them: the region's pixels plus a nucleus's width around it, at full resolution.
 */
export function findNucleiInImage(image: DecodedImage, options: Partial<NucleusOptions>, region?: ImageRect): PolygonGeometry[] {
  const rect = region ?? { x: 0, y: 0, w: image.width, h: image.height };
  const pad = proposalPadding(1, options);
  return proposeNuclei(imagePixels(image, { x: rect.x - pad, y: rect.y - pad, w: rect.w + 2 * pad, h: rect.h + 2 * pad }), rect, options);
}
