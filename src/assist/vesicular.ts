import { distanceTransform } from './distance';
import { gaussianBlur } from './filter';
import { growLabels, splitByHeight, type Labels } from './watershed';

/**
 * Vesicular nuclei: a dark membrane around a pale centre. The stain threshold keeps only the
 * membrane and clumps of chromatin, so such a nucleus comes out as a few crescents, or as one
 * blob with its neighbour's membrane where the two touch (on the MoNuSeg tiles this is most of
 * the misses: pieces and merges in tumour nuclei). Seen as a relief of stain, though, each one is
 * a basin — pale inside, walled by its membrane — and the membrane two touching nuclei share is a
 * ridge between two basins. So: a watershed of the blurred haematoxylin (its h-minima), and a
 * basin is a nucleus when it has a nucleus's size and stained pixels along nearly all its rim.
 * Cytoplasm between nuclei is a basin too, but open to the pale tissue on some side.
 */

/** Blur (σ, µm) of the stain before the watershed: chromatin grains are not basins, a nucleus's centre is. */
const RELIEF_UM = 0.75;
/** A basin counts only when its floor lies this far (haematoxylin OD) below where it spills over. */
const BASIN_DEPTH_OD = 0.05;
/** Pixels are flooded in steps of this OD (the watershed's resolution). */
const FLOOD_STEP_OD = 0.001;
/** At least this share of a basin's rim pixels must be stained: walled in all round. */
const WALLED_FRACTION = 0.95;
/** A basin's outline runs along the membrane's darkest line; the nucleus reaches this much (µm) past it. */
const MEMBRANE_UM = 1.5;
/** The pale centre of a nucleus, without its membrane, is at most this large (µm²); larger basins are lumina or fat. */
const MAX_BASIN_UM2 = 120;
/** An added nucleus may take at most this share of its pixels from nuclei that stay. */
const SHARED_FRACTION = 0.5;
/**
 * A centre is pale: a basin more than this share stained is not one. (Where solid nuclei touch,
 * the basin of the gap between them runs up to their centres, through their stained bodies.)
 */
const MAX_STAINED_INSIDE = 0.7;

/**
 * Walled basins of the haematoxylin relief, each grown by the membrane's width: one label per
 * vesicular nucleus found (0 elsewhere). `stain` is the haematoxylin OD per pixel, `stained` the
 * thresholded stain mask; `umToPx` turns µm into buffer pixels; `minArea` is the smallest
 * nucleus (buffer px², grown). Basins on the buffer's edge are left out: they may be cut off.
 */
export function walledBasins(stain: Float32Array, stained: Uint8Array, width: number, height: number, umToPx: (um: number) => number, minArea: number): Labels {
  const n = width * height;
  // Basins are found on a grid f× coarser (2× at 40×): the relief is blurred by ≥ 1.5 coarse
  // pixels, so it loses nothing a nucleus's centre needs, and the flood costs a quarter.
  const f = Math.max(1, Math.floor(umToPx(RELIEF_UM) / 1.5));
  const w = Math.ceil(width / f), h = Math.ceil(height / f), m = w * h;
  const coarse = new Float32Array(m), coarseStained = new Uint8Array(m), cover = new Uint8Array(m);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const q = Math.floor(y / f) * w + Math.floor(x / f), p = y * width + x;
      coarse[q] += stain[p];
      coarseStained[q] += stained[p];
      cover[q]++;
    }
  }
  // coarseStained counts the stained pixels of each coarse one: a rim pixel is walled when any is.
  for (let q = 0; q < m; q++) coarse[q] /= cover[q];
  const relief = gaussianBlur(coarse, w, h, umToPx(RELIEF_UM) / f);
  for (let q = 0; q < m; q++) relief[q] = -relief[q];
  const basins = splitByHeight(new Uint8Array(m).fill(1), relief, w, h, BASIN_DEPTH_OD, FLOOD_STEP_OD);
  const area = new Int32Array(basins.count + 1);
  const rim = new Int32Array(basins.count + 1);
  const walled = new Int32Array(basins.count + 1);
  const onEdge = new Uint8Array(basins.count + 1);
  const solid = new Int32Array(basins.count + 1);
  const b = basins.labels;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const q = y * w + x, l = b[q];
      area[l] += cover[q];
      solid[l] += coarseStained[q];
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) {
        onEdge[l] = 1;
        continue;
      }
      if (b[q - 1] !== l || b[q + 1] !== l || b[q - w] !== l || b[q + w] !== l) {
        // The crest of the wall may have gone to either basin: the rim pixel or the pixels
        // across from it must be stained.
        rim[l]++;
        const s = coarseStained;
        if (s[q] || (b[q - 1] !== l && s[q - 1]) || (b[q + 1] !== l && s[q + 1]) || (b[q - w] !== l && s[q - w]) || (b[q + w] !== l && s[q + w])) walled[l]++;
      }
    }
  }
  const grow = umToPx(MEMBRANE_UM);
  const maxArea = umToPx(umToPx(MAX_BASIN_UM2));
  const keep = new Int32Array(basins.count + 1);
  let count = 0;
  for (let l = 1; l <= basins.count; l++) {
    if (onEdge[l] || solid[l] > MAX_STAINED_INSIDE * area[l] || area[l] > maxArea || rim[l] === 0 || walled[l] < WALLED_FRACTION * rim[l]) continue;
    // The grown area of a round basin: it must make a nucleus-sized nucleus.
    const r = Math.sqrt(area[l] / Math.PI) + grow;
    if (Math.PI * r * r < minArea) continue;
    keep[l] = ++count;
  }
  const labels = new Int32Array(n);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) labels[y * width + x] = keep[b[Math.floor(y / f) * w + Math.floor(x / f)]];
  if (count === 0) return { labels, count };
  // Grown by the membrane's width: ring by ring into the pixels around, then cut back to the
  // pixels truly (Euclidean) within reach.
  const inside = new Uint8Array(n);
  for (let p = 0; p < n; p++) inside[p] = labels[p] ? 0 : 1;
  const reach = distanceTransform(inside, width, height);
  const grown = labels;
  growLabels(grown, width, height, Math.ceil(grow));
  for (let p = 0; p < n; p++) if (reach[p] > grow) grown[p] = 0;
  return { labels: grown, count };
}

/**
 * `found` with the nuclei of `added` laid over it. An added nucleus takes its pixels from
 * whatever was there; a found nucleus left with less than half its pixels is dropped (it was a
 * piece of the added one, or two nuclei taken for one). But an added nucleus that would take more
 * than `SHARED_FRACTION` of its pixels from found nuclei that stay is not added: it is the gap
 * enclosed where several nuclei touch, walled by them. Labels numbered 1…count again.
 */
export function overlayNuclei(found: Labels, added: Labels): Labels {
  const n = found.labels.length;
  const before = new Int32Array(found.count + 1), taken = new Int32Array(found.count + 1);
  for (let p = 0; p < n; p++) {
    before[found.labels[p]]++;
    if (added.labels[p]) taken[found.labels[p]]++;
  }
  const stays = (l: number) => l > 0 && 2 * taken[l] <= before[l];
  const size = new Int32Array(added.count + 1), fromStaying = new Int32Array(added.count + 1);
  for (let p = 0; p < n; p++) {
    const a = added.labels[p];
    if (!a) continue;
    size[a]++;
    if (stays(found.labels[p])) fromStaying[a]++;
  }
  const addedId = new Int32Array(added.count + 1);
  let addedCount = 0;
  for (let a = 1; a <= added.count; a++) if (fromStaying[a] <= SHARED_FRACTION * size[a]) addedId[a] = ++addedCount;
  // Only the nuclei really added take pixels.
  taken.fill(0);
  for (let p = 0; p < n; p++) if (addedId[added.labels[p]]) taken[found.labels[p]]++;
  const id = new Int32Array(found.count + 1);
  let count = 0;
  for (let l = 1; l <= found.count; l++) if (2 * taken[l] <= before[l]) id[l] = ++count;
  const labels = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const a = addedId[added.labels[p]];
    labels[p] = a ? count + a : id[found.labels[p]];
  }
  return { labels, count: count + addedCount };
}
