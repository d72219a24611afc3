// Writes a workload's input: COUNT cell outlines on one slide, as the app's own writers write them —
// a shared-format file for the export rows (they time `granula convert` on it), or a QuPath GeoJSON
// for the import row (the app imports it through its UI).
//   exportInput.ts COUNT DIR [shared|geojson]   (prints the file's path)
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeChunks } from '../../src/cli/convert';
import { geoJsonFileChunks } from '../../src/formats/geojson/stream';
import { sharedDocumentChunks } from '../../src/formats/shared/stream';
import { benchCells } from '../cells';
import { projectFromCells } from '../cellsProject';

const n = Number(process.argv[2]);
const dir = process.argv[3];
const format = process.argv[4] === 'geojson' ? 'geojson' : 'shared';
const path = join(dir, format === 'shared' ? `export-input-${n}.granula.json` : `cells-${n}.geojson`);
// The cells are the same on every run (fixed seed): a file written before is the same file.
if (!existsSync(path)) {
  const now = '2025-01-01T00:00:00.000Z';
  const data = projectFromCells(benchCells(n, () => {}), { name: `Export ${n}`, now, annotator: { id: 'bench', displayName: 'Bench' } });
  // One slide: the GeoJSON writer makes one file for it.
  const chunks = format === 'shared' ? sharedDocumentChunks(data, { exportedAt: now }) : geoJsonFileChunks(data, { exportedAt: now }).files[0].chunks();
  await writeChunks(`${path}.part`, chunks);
  await rename(`${path}.part`, path);
}
console.log(path);
