/** Binary masks (one byte a pixel, 1 = set) and label maps over a width × height grid. */

export function thresholdMask(values: ArrayLike<number>, threshold: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] >= threshold ? 1 : 0;
  return out;
}

/**
 * The holes of a label map: 4-connected groups of unlabelled pixels that cannot reach the border
 * through unlabelled pixels, each with the labels around it.
 */
function holes(labels: ArrayLike<number>, width: number, height: number): { pixels: number[]; around: Set<number> }[] {
  const n = width * height;
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const flood = (start: number, visit: (p: number) => void, edge: (label: number) => void) => {
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const p = stack[--top];
      visit(p);
      const x = p % width;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
        if (q < 0 || q >= n) continue;
        if (labels[q] !== 0) edge(labels[q]);
        else if (!seen[q]) (seen[q] = 1), (stack[top++] = q);
      }
    }
  };
  const none = () => {};
  for (let x = 0; x < width; x++) {
    for (const p of [x, (height - 1) * width + x]) if (!labels[p] && !seen[p]) flood(p, none, none);
  }
  for (let y = 0; y < height; y++) {
    for (const p of [y * width, y * width + width - 1]) if (!labels[p] && !seen[p]) flood(p, none, none);
  }
  const out: { pixels: number[]; around: Set<number> }[] = [];
  for (let p = 0; p < n; p++) {
    if (labels[p] || seen[p]) continue;
    const hole = { pixels: [] as number[], around: new Set<number>() };
    flood(p, (q) => hole.pixels.push(q), (l) => hole.around.add(l));
    out.push(hole);
  }
  return out;
}

/**
 * Sets the pixels of every hole of at most `maxArea` pixels, in place. Only specks are filled
 * before nuclei are split: the gap enclosed where three nuclei touch is a hole too, and filling it
 * would erase the necks the split relies on.
 */
export function fillSmallHoles(mask: Uint8Array, width: number, height: number, maxArea: number): Uint8Array {
  for (const h of holes(mask, width, height)) if (h.pixels.length <= maxArea) for (const p of h.pixels) mask[p] = 1;
  return mask;
}

/**
 * Gives each hole enclosed by a single object to that object, in place: a pale nucleolus or a
 * vesicular nucleus's clear centre belongs to it. Gaps between several objects stay background.
 */
export function fillHolesWithin(labels: Int32Array, width: number, height: number): Int32Array {
  for (const h of holes(labels, width, height)) {
    if (h.around.size !== 1) continue;
    const [l] = h.around;
    for (const p of h.pixels) labels[p] = l;
  }
  return labels;
}

/**
 * The unlabelled region around `start` (4-connected): its area in pixels and the labels around
 * it, or null when it reaches the grid's border — whether a point lies in a hole, and of what.
 */
export function holeAt(labels: ArrayLike<number>, width: number, height: number, start: number): { area: number; around: Set<number> } | null {
  const seen = new Uint8Array(width * height);
  const stack = [start];
  const around = new Set<number>();
  seen[start] = 1;
  let area = 0;
  while (stack.length > 0) {
    const p = stack.pop()!;
    area++;
    const x = p % width, y = (p - x) / width;
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) return null;
    for (const q of [p - 1, p + 1, p - width, p + width]) {
      if (labels[q]) around.add(labels[q]);
      else if (!seen[q]) (seen[q] = 1), stack.push(q);
    }
  }
  return { area, around };
}
