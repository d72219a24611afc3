import type { PolygonGeometry } from '../model/types';
import { areaLimits, finishRing } from './finish';
import { thresholdMask } from './mask';
import { segmentNuclei, traceNuclei } from './nuclei';
import { haematoxylinDensity } from './stain';
import { otsuThreshold } from './threshold';
import { nucleusOptions, type ImagePoint, type ImageRect, type NucleusOptions, type PixelRegion } from './types';

export type OutlineResult =
  | {
      geometry: PolygonGeometry;
      /** Level-0 pixels². */
      area: number;
      /** Haematoxylin OD of the nucleus core minus its surroundings: how sure the edge is. */
      contrast: number;
    }
  | { refused: string };

/** A click this close (level-0 px) to a nucleus still finds it: hands are not pixel-exact. */
const CLICK_SLACK = 4;

/**
 * The level-0 square to hand `outlineAtClick` around a click: room for the largest nucleus
 * whichever part of it was clicked, and for the background rings around it.
 */
export function clickWindow(click: ImagePoint, downsample = 1, options: Partial<NucleusOptions> = {}): ImageRect {
  const opts = nucleusOptions(options);
  const diameter = (2 * Math.sqrt(opts.maxAreaUm2 / Math.PI)) / opts.mpp;
  const half = Math.ceil(diameter + (6 + Math.max(0, opts.adjust)) * downsample);
  return { x: Math.floor(click.x - half), y: Math.floor(click.y - half), w: 2 * half, h: 2 * half };
}

/**
 * The outline of the nucleus under `click` (level-0 px), from `pixels` around it (see
 * `clickWindow`): Otsu's threshold on haematoxylin in the buffer (never below `minStain`), the
 * stained region holding the click, holes filled, split from touching neighbours by the watershed,
 * traced at its own half-stain level, smoothed and simplified. `opts.adjust` widens (+) or
 * narrows (−) it by whole buffer pixels. A click on background, or on something too small or too
 * large to be a nucleus, is refused with a short reason the UI can show.
 */
export function outlineAtClick(pixels: PixelRegion, click: ImagePoint, options: Partial<NucleusOptions> = {}): OutlineResult {
  const opts = nucleusOptions(options);
  const { width, height, downsample: ds } = pixels;
  const sx = Math.floor((click.x - pixels.x) / ds), sy = Math.floor((click.y - pixels.y) / ds);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return { refused: 'the click is outside the loaded pixels' };
  const h = haematoxylinDensity(pixels.data, width * height);
  const threshold = Math.max(otsuThreshold(h), opts.minStain);
  const seed = nearestStained(h, width, height, sx, sy, threshold, Math.max(1, Math.round(CLICK_SLACK / ds)));
  if (seed < 0) return { refused: 'no stained nucleus under the click' };

  // Every stained blob in the window is segmented, not only the clicked one: the background
  // sampled around the clicked nucleus must not be a neighbour, nor its outline run into one.
  const seg = segmentNuclei(thresholdMask(h, threshold), width, height, opts);
  const label = seg.labels[seed];
  let pixelsInNucleus = 0;
  for (let p = 0; p < seg.labels.length; p++) if (seg.labels[p] === label && seg.ring[p] === 0) pixelsInNucleus++;
  const limits = areaLimits(opts, ds);
  if (pixelsInNucleus < limits.min) return { refused: 'too small for a nucleus' };
  if (pixelsInNucleus > limits.max) return { refused: 'too large for a nucleus' };

  const [traced] = traceNuclei({ width, height, rgba: pixels.data, h }, seg, opts, [label]);
  if (!traced) return { refused: opts.adjust < 0 ? 'narrowed to nothing' : 'no outline found' };
  if (traced.touchesEdge) return { refused: 'too large for a nucleus' };
  const geometry = finishRing(traced.ring, pixels);
  return { geometry, area: traced.area * ds * ds, contrast: traced.contrast };
}

/** The click's pixel if stained, else the nearest stained pixel within `slack` (the darker on a tie); −1 if none. */
function nearestStained(h: Float32Array, width: number, height: number, sx: number, sy: number, threshold: number, slack: number): number {
  let best = -1, bestD = Infinity;
  for (let y = Math.max(0, sy - slack); y <= Math.min(height - 1, sy + slack); y++) {
    for (let x = Math.max(0, sx - slack); x <= Math.min(width - 1, sx + slack); x++) {
      const p = y * width + x;
      const d = (x - sx) ** 2 + (y - sy) ** 2;
      if (h[p] < threshold || d > slack * slack) continue;
      if (d < bestD || (d === bestD && h[p] > h[best])) (best = p), (bestD = d);
    }
  }
  return best;
}
