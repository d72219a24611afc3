// Writes the export workload's input: a shared-format file of COUNT cell outlines on one slide,
// as `granula convert` reads it. The export rows then time `granula convert` on it, one process each.
//   exportInput.ts COUNT DIR   (prints the file's path)
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeChunks } from '../../src/cli/convert';
import { sharedDocumentChunks } from '../../src/formats/shared/stream';
import { benchCells } from '../cells';
import { projectFromCells } from '../cellsProject';

const n = Number(process.argv[2]);
const dir = process.argv[3];
const path = join(dir, `export-input-${n}.granula.json`);
// The cells are the same on every run (fixed seed): a file written before is the same file.
if (!existsSync(path)) {
  const now = '2025-01-01T00:00:00.000Z';
  const data = projectFromCells(benchCells(n, () => {}), { name: `Export ${n}`, now, annotator: { id: 'bench', displayName: 'Bench' } });
  await writeChunks(`${path}.part`, sharedDocumentChunks(data, { exportedAt: now }));
  await rename(`${path}.part`, path);
}
console.log(path);
