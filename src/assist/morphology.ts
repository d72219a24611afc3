/**
 * Grey-level dilation and erosion of a small field by whole pixels: how the wheel widens or
 * narrows an outline. Dilation never lowers a value, so the iso-line can only move outwards, and
 * each step moves it by about one pixel. Steps alternate a cross and a square so that several
 * steps grow an octagon, not a diamond or a box.
 */
export function morphologySteps(field: Float32Array, width: number, height: number, steps: number): Float32Array {
  let cur = field;
  const grow = steps > 0;
  for (let s = 0; s < Math.abs(steps); s++) cur = step(cur, width, height, grow, s % 2 === 1);
  return cur;
}

function step(src: Float32Array, width: number, height: number, grow: boolean, square: boolean): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = src[y * width + x];
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if (!square && dx !== 0 && dy !== 0) continue;
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const w = src[ny * width + nx];
          if (grow ? w > v : w < v) v = w;
        }
      }
      out[y * width + x] = v;
    }
  }
  return out;
}
