import { checkFlatRing, isRecord } from '../interchange/checks';
import { MAX_MASK_PIXELS, traceMask, type Mask } from '../interchange/mask';
import type { Report } from '../interchange/result';

/**
 * COCO's run-length masks, as pycocotools writes them: `{"size": [height, width], "counts": …}`.
 * The runs go down the columns (column-major, as the image is stored in Fortran order), starting
 * with a run of 0s. `counts` is a list of run lengths (uncompressed, as COCO's crowd regions are
 * written) or a string (compressed, as `mask.encode` writes it).
 */
export interface CocoRle {
  height: number;
  width: number;
  counts: number[];
}

const MAX_RUNS = 10_000_000;

/**
 * pycocotools' `rleFrString`: each count is written in 5-bit groups, least significant first, as
 * characters from "0" (48); a group with bit 0x20 set is followed by another; the last group's bit
 * 0x10 is the sign. From the fourth count on, the number written is the difference to the count two
 * places before.
 */
export function decodeCounts(s: string): number[] | string {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) return `ends in the middle of a run (at character ${p})`;
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) return `character ${p} ("${s[p]}") is not one pycocotools writes`;
      if (k >= 7) return `run ${counts.length} is longer than any mask`;
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && (c & 0x10) !== 0) x -= 2 ** (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
    if (counts.length > MAX_RUNS) return `has more than ${MAX_RUNS} runs`;
  }
  return counts;
}

/** Checks an RLE segmentation at `path`; every run must be a whole number and they must cover the image exactly. */
export function readRle(seg: Record<string, unknown>, path: string, report: Report): CocoRle | undefined {
  const size = seg.size;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isSafeInteger(v) && (v as number) > 0)) {
    return void report.problem(`${path}.size`, 'must be [height, width], whole numbers above zero');
  }
  const [height, width] = size as [number, number];
  let counts: number[];
  if (typeof seg.counts === 'string') {
    const decoded = decodeCounts(seg.counts);
    if (typeof decoded === 'string') return void report.problem(`${path}.counts`, decoded);
    counts = decoded;
  } else if (Array.isArray(seg.counts)) {
    if (seg.counts.length > MAX_RUNS) return void report.problem(`${path}.counts`, `has more than ${MAX_RUNS} runs`);
    const bad = seg.counts.findIndex((v) => !Number.isSafeInteger(v) || (v as number) < 0);
    if (bad >= 0) return void report.problem(`${path}.counts[${bad}]`, 'must be a whole number, 0 or more');
    counts = seg.counts as number[];
  } else return void report.problem(`${path}.counts`, 'must be a list of run lengths or an RLE string');
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] < 0) return void report.problem(`${path}.counts`, `run ${i} is negative`);
    total += counts[i];
  }
  if (total !== height * width) return void report.problem(`${path}.counts`, `the runs cover ${total} pixels, not height × width = ${height * width}`);
  return { height, width, counts };
}

/** The mask in the smallest window that holds its pixels, or undefined when no pixel is set. */
export function rleMask(rle: CocoRle, path: string, report: Report): Mask | undefined {
  const { height: h, counts } = rle;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  let at = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (i % 2 === 1 && n > 0) {
      const x0 = Math.floor(at / h), x1 = Math.floor((at + n - 1) / h);
      minX = Math.min(minX, x0);
      maxX = Math.max(maxX, x1);
      // A run within one column spans its rows; a run over several columns spans them all.
      if (x0 === x1) {
        minY = Math.min(minY, at % h);
        maxY = Math.max(maxY, (at + n - 1) % h);
      } else {
        minY = 0;
        maxY = h - 1;
      }
    }
    at += n;
  }
  if (minX === Infinity) return undefined;
  const width = maxX - minX + 1, height = maxY - minY + 1;
  if (width * height > MAX_MASK_PIXELS) return void report.problem(path, `the mask spans ${width} × ${height} pixels, more than Granula traces (${MAX_MASK_PIXELS})`);
  const bits = new Uint8Array(width * height);
  at = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (i % 2 === 1)
      for (let j = at; j < at + n; j++) {
        const x = Math.floor(j / h), y = j % h;
        bits[(y - minY) * width + (x - minX)] = 1;
      }
    at += n;
  }
  return { left: minX, top: minY, width, height, bits };
}

/** An RLE segmentation → polygons (outline, then holes) along its pixel edges; undefined after a problem. */
export function rlePolygons(seg: unknown, path: string, report: Report): { polygons: number[][][]; size: [number, number] } | undefined {
  if (!isRecord(seg)) return void report.problem(path, 'must be an RLE object {size, counts}');
  const rle = readRle(seg, path, report);
  if (!rle) return undefined;
  const mask = rleMask(rle, path, report);
  if (report.failed) return undefined;
  if (!mask) return void report.problem(path, 'the mask has no pixels set');
  const polygons = traceMask(mask);
  // Traced rings are valid by construction; a very jagged mask can still be too long an outline.
  for (const ring of polygons.flat()) if (!checkFlatRing(ring, path, report)) return undefined;
  return { polygons, size: [rle.height, rle.width] };
}
