// One export workload in its own process (run with --expose-gc): builds the project in memory,
// then times writing it to a file and samples the heap while it writes.
//   exportRun.ts COUNT shared|geojson DIR [stream|string]
// `stream` (default) uses the chunked writers; `string` the whole-text writeAny (the old way).
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { geoJsonFileChunks } from '../../src/formats/geojson/stream';
import { sharedDocumentChunks } from '../../src/formats/shared/stream';
import { writeAny } from '../../src/formats/writeAny';
import { writeChunks } from '../../src/cli/convert';
import { benchCells } from '../cells';
import { projectFromCells } from '../cellsProject';

const n = Number(process.argv[2]);
const format = process.argv[3] as 'shared' | 'geojson';
const dir = process.argv[4];
const mode = process.argv[5] ?? 'stream';
const now = '2025-01-01T00:00:00.000Z';
const data = projectFromCells(benchCells(n, () => {}), { name: `Export ${n}`, now, annotator: { id: 'bench', displayName: 'Bench' } });
(globalThis as { gc?: () => void }).gc?.();
const mem = () => process.memoryUsage();
const before = mem();
let heapPeak = before.heapUsed, rssPeak = before.rss;
const sample = () => {
  const m = mem();
  if (m.heapUsed > heapPeak) heapPeak = m.heapUsed;
  if (m.rss > rssPeak) rssPeak = m.rss;
};
const out = join(dir, `export-${n}.${format}.json`);

/** The chunks as the writer makes them, sampling memory every 64 on their way to the file. */
function* sampled(chunks: Iterable<Uint8Array>): Generator<Uint8Array> {
  let k = 0;
  for (const chunk of chunks) {
    yield chunk;
    if ((++k & 63) === 0) sample();
  }
}

const t0 = performance.now();
if (mode === 'string') {
  const { files } = writeAny(data, format, { exportedAt: now });
  sample();
  const stream = createWriteStream(out);
  for (const f of files) stream.write(f.text);
  stream.end();
  await once(stream, 'finish');
} else if (format === 'shared') {
  // `granula convert --to shared` writes with this same function.
  await writeChunks(out, sampled(sharedDocumentChunks(data, { exportedAt: now })));
} else {
  const { files } = geoJsonFileChunks(data, { exportedAt: now });
  // One image: one file (a project with several writes one file per image the same way).
  for (const f of files) await writeChunks(files.length === 1 ? out : join(dir, f.name), sampled(f.chunks()));
}
const ms = performance.now() - t0;
sample();
const MB = 2 ** 20;
console.log(JSON.stringify({ ms, bytes: statSync(out).size, heapBeforeMB: before.heapUsed / MB, heapPeakMB: heapPeak / MB, rssBeforeMB: before.rss / MB, rssPeakMB: rssPeak / MB }));
