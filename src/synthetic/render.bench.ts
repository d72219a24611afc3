// Times synthetic tile rendering: `npx tsx src/synthetic/render.bench.ts [seed]`.
// "cold" tiles are far apart (their nuclei are generated from scratch); "pan" tiles are neighbours,
// as when the user drags the slide. Prints one JSON line per case, times in ms.
import { tissueCentre } from './fields';
import { renderSyntheticTile } from './render';
import { levelDownsample, SYNTHETIC_MAX_LEVEL } from './slide';

const seed = Number(globalThis.process?.argv[2] ?? 1);
const centre = tissueCentre(seed);

function time(level: number, tiles: [number, number][]): { median: number; p90: number; max: number } {
  const ms = tiles.map(([col, row]) => {
    const t0 = performance.now();
    renderSyntheticTile(seed, level, col, row);
    return performance.now() - t0;
  });
  ms.sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 100) / 100;
  return { median: r(ms[ms.length >> 1]), p90: r(ms[Math.floor(ms.length * 0.9)]), max: r(ms[ms.length - 1]) };
}

function grid(level: number, dx: number, dy: number, n: number, step: number): [number, number][] {
  const ds = levelDownsample(level);
  const c0 = Math.floor(centre.x / ds / 256) + dx, r0 = Math.floor(centre.y / ds / 256) + dy;
  return Array.from({ length: n * n }, (_, i) => [c0 + (i % n) * step, r0 + Math.floor(i / n) * step] as [number, number]);
}

const top = SYNTHETIC_MAX_LEVEL;
time(top, grid(top, -40, -40, 10, 5)); // warm the JIT up elsewhere on the slide
console.log(JSON.stringify({ case: 'level-0 tiles, cold', ...time(top, grid(top, -20, -20, 8, 5)) }));
console.log(JSON.stringify({ case: 'level-0 tiles, pan', ...time(top, grid(top, 30, 30, 8, 1)) }));
for (const k of [1, 2, 3, 4, 6]) {
  const level = top - k;
  console.log(JSON.stringify({ case: `downsample ${2 ** k}, pan`, ...time(level, grid(level, -2, -2, 4, 1)) }));
}
