// Times matching two raters' cell outlines on one image: `npx tsx src/agreement/matchShapes.bench.ts [cells] [jitter] [pitch]`.
// jitter > 0 roughens the outlines so most are not convex and take the general intersection path.
import { compareRaterShapes } from './shapeAgreement';
import { syntheticCells } from './syntheticCells';

const count = Number(globalThis.process?.argv[2] ?? 100_000);
const jitter = Number(globalThis.process?.argv[3] ?? 0);
const pitch = Number(globalThis.process?.argv[4] ?? 24);
const shapes = syntheticCells(count, jitter, 1, pitch);
const t0 = performance.now();
const { report } = compareRaterShapes(shapes, 'a', 'b');
const ms = performance.now() - t0;
console.log(JSON.stringify({ cells_per_rater: count, jitter, pitch, ms: Math.round(ms), ...report }));
