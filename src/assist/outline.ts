import type { PolygonGeometry } from '../model/types';
import { areaLimits, finishRing } from './finish';
import { holeAt } from './mask';
import { segmentNuclei, traceNucleus } from './nuclei';
import { nucleusOptions, type ImagePoint, type ImageRect, type NucleusOptions, type PixelRegion } from './types';

export type OutlineResult =
  | {
      geometry: PolygonGeometry;
      /** Level-0 pixels². */
      area: number;
      /** Nuclear-stain OD of the nucleus above the tissue around it: how sure the edge is. */
      contrast: number;
    }
  | { refused: string };

/** A click this close (level-0 px) to a nucleus still finds it: hands are not pixel-exact. */
const CLICK_SLACK = 4;

/**
 * The level-0 square to hand `outlineAtClick` around a click: room for the largest nucleus
 * whichever part of it was clicked, and for the tissue around it.
 */
export function clickWindow(click: ImagePoint, downsample: number, options: Partial<NucleusOptions>): ImageRect {
  const opts = nucleusOptions(options);
  const diameter = (2 * Math.sqrt(opts.maxAreaUm2 / Math.PI)) / opts.mpp;
  const half = Math.ceil(diameter + (6 + Math.max(0, opts.adjust)) * downsample);
  return { x: Math.floor(click.x - half), y: Math.floor(click.y - half), w: 2 * half, h: 2 * half };
}

/**
 * The outline of the nucleus under `click` (level-0 px), from `pixels` around it (see
 * `clickWindow`). Every nucleus in the window is segmented (`segmentNuclei`), not only the
 * clicked one, so a touching neighbour is split off rather than swallowed. `opts.adjust` widens
 * (+) or narrows (−) it by whole buffer pixels. A click on background, or on something too small
 * or too large to be a nucleus, is refused with a short reason the UI can show.
 */
export function outlineAtClick(pixels: PixelRegion, click: ImagePoint, options: Partial<NucleusOptions>): OutlineResult {
  const opts = nucleusOptions(options);
  const { width, height, downsample: ds } = pixels;
  const sx = Math.floor((click.x - pixels.x) / ds), sy = Math.floor((click.y - pixels.y) / ds);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return { refused: 'the click is outside the loaded pixels' };
  const seg = segmentNuclei(pixels, opts);
  const slack = Math.max(1, Math.round(CLICK_SLACK / ds));
  const label = nearestLabel(seg.labels, width, height, sx, sy, slack);
  const limits = areaLimits(opts, ds);
  if (label === 0) {
    // Stained, but opened away: a speck thinner than any nucleus.
    if (nearestLabel(seg.stained, width, height, sx, sy, slack)) return { refused: 'too small for a nucleus' };
    // Inside a stained ring: a sheet whose middle is no darker than the tissue around it.
    const hole = holeAt(seg.labels, width, height, sy * width + sx);
    const area = hole ? [...hole.around].reduce((a, l) => a + seg.boxes[l].area, hole.area) : 0;
    return { refused: area > limits.max ? 'too large for a nucleus' : 'no stained nucleus under the click' };
  }
  const box = seg.boxes[label];
  if (box.area < limits.min) return { refused: 'too small for a nucleus' };
  if (box.area > limits.max || box.touchesEdge) return { refused: 'too large for a nucleus' };
  const traced = traceNucleus(seg, label, opts.adjust);
  if (!traced) return { refused: opts.adjust < 0 ? 'narrowed to nothing' : 'no outline found' };
  return { geometry: finishRing(traced.ring, pixels), area: traced.area * ds * ds, contrast: box.contrast };
}

/** The label under the click, else the nearest labelled pixel's within `slack` (0 if none). */
function nearestLabel(labels: ArrayLike<number>, width: number, height: number, sx: number, sy: number, slack: number): number {
  let best = 0, bestD = Infinity;
  for (let y = Math.max(0, sy - slack); y <= Math.min(height - 1, sy + slack); y++) {
    for (let x = Math.max(0, sx - slack); x <= Math.min(width - 1, sx + slack); x++) {
      const l = labels[y * width + x];
      const d = (x - sx) ** 2 + (y - sy) ** 2;
      if (l !== 0 && d <= slack * slack && d < bestD) (best = l), (bestD = d);
    }
  }
  return best;
}
