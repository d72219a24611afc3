// Writes two annotators' shared-format files for the agreement workload: b redraws most of a's
// cells slightly shifted and resized, misses 5% of them and adds 5% that a did not outline.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toSharedDocument } from '../../src/formats/shared/convert';
import { hashUnit } from '../../src/synthetic/random';
import { benchCells } from '../cells';
import { filterCells } from '../cellsFormat';
import { projectFromCells } from '../cellsProject';

const n = Number(process.argv[2]);
const dir = process.argv[3];
const base = benchCells(Math.round(n * 1.05), () => {});
const u = (i: number) => hashUnit(31, base.tag[i]);
const a = filterCells(base, (i) => u(i) >= 0.05 / 1.05);
const b = filterCells(base, (i) => u(i) < 1 - 0.05 / 1.05);
// b's outlines: shifted up to 1 px, scaled 0.9–1.1 about their centre.
for (let i = 0; i < b.count; i++) {
  const s = b.start[i], e = b.start[i + 1];
  let cx = 0, cy = 0;
  for (let j = s; j < e; j += 2) {
    cx += b.coords[j];
    cy += b.coords[j + 1];
  }
  cx /= (e - s) / 2;
  cy /= (e - s) / 2;
  const k = 0.9 + 0.2 * hashUnit(32, b.tag[i]);
  const dx = 200 * (hashUnit(33, b.tag[i]) - 0.5), dy = 200 * (hashUnit(34, b.tag[i]) - 0.5);
  for (let j = s; j < e; j += 2) {
    b.coords[j] = Math.round(cx + (b.coords[j] - cx) * k + dx);
    b.coords[j + 1] = Math.round(cy + (b.coords[j + 1] - cy) * k + dy);
  }
}
const now = '2025-01-01T00:00:00.000Z';
for (const [name, cells] of [['a', a], ['b', b]] as const) {
  const data = projectFromCells(cells, { name: `Agreement ${name}`, now, annotator: { id: `rater-${name}`, displayName: `Rater ${name}` }, idPrefix: `${name}-` });
  writeFileSync(join(dir, `agree-${name}-${n}.json`), JSON.stringify(toSharedDocument(data, { exportedAt: now })) + '\n');
}
console.log(JSON.stringify({ a: a.count, b: b.count }));
