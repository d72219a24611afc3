// `npm run bench:nuclei -- DIR`: "Find nuclei" on real tiles with expert outlines, through the very
// command `granula nuclei` runs (decode, detect, write the GeoJSON), one tile at a time. DIR holds
// manifest.csv (name, …, mpp, …), images/<name>.png and annotations/<name>.geojson (one Polygon
// Feature per nucleus, image pixels) — the layout of the MoNuSeg tiles the project measures on,
// which are not in this repository (their licence forbids it). Prints, per tile and pooled:
// F1 of one-to-one matches at IoU ≥ 0.5, SQ (mean IoU of the matched), PQ = F1 × SQ, and the
// command's wall time. Not part of `npm test`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchByIou, prepareShape, summarise } from '../src/agreement';
import { main } from '../src/cli/main';

const dir = process.argv[2];
const stain = process.argv[3] ?? 'auto';
if (!dir) {
  console.error('usage: npm run bench:nuclei -- DIR [auto|he|hdab]   (DIR: manifest.csv, images/, annotations/)');
  process.exit(2);
}
/** Tiles whose manifest gives no mpp were scanned at 40×, as the set's README says. */
const MPP_40X = 0.25;

const [header, ...lines] = readFileSync(join(dir, 'manifest.csv'), 'utf8').trim().split('\n');
const cols = header.split(',');
const tiles = lines.map((l) => {
  const v = l.split(',');
  const mpp = Number(v[cols.indexOf('mpp')]);
  return { name: v[cols.indexOf('name')], mpp: mpp > 0 ? mpp : MPP_40X, mppGiven: mpp > 0 };
});

type Ring = number[][];
const polygonPoints = (ring: Ring) => ring.slice(0, -1).flat();
const r3 = (v: number) => Math.round(v * 1000) / 1000;
const out = mkdtempSync(join(tmpdir(), 'granula-nuclei-'));
const quiet = { out: () => {}, err: (l: string) => console.error(l) };
let truthAll = 0, foundAll = 0, msAll = 0;
const iousAll: number[] = [];
const rows: Record<string, unknown>[] = [];
try {
  // One untimed run first: the first call of a process pays for compiling the code.
  await main(['nuclei', join(dir, 'images', `${tiles[0].name}.png`), '--mpp', String(tiles[0].mpp), '-o', join(out, 'warm.geojson')], quiet);
  for (const t of tiles) {
    const file = join(out, `${t.name}.geojson`);
    const t0 = performance.now();
    const code = await main(['nuclei', join(dir, 'images', `${t.name}.png`), '--mpp', String(t.mpp), '--stain', stain, '-o', file], quiet);
    const ms = performance.now() - t0;
    if (code !== 0) throw new Error(`granula nuclei failed on ${t.name} (exit ${code})`);
    const found = JSON.parse(readFileSync(file, 'utf8')).features.map((f: { geometry: { coordinates: Ring[] } }) => prepareShape({ type: 'polygon', points: polygonPoints(f.geometry.coordinates[0]) }));
    const truth = JSON.parse(readFileSync(join(dir, 'annotations', `${t.name}.geojson`), 'utf8')).features.map((f: { geometry: { coordinates: Ring[] } }) => prepareShape({ type: 'polygon', points: polygonPoints(f.geometry.coordinates[0]) }));
    const ious = matchByIou(truth, found, 0.5).map((p) => p.iou ?? 0);
    const s = summarise(truth.length, found.length, ious);
    truthAll += truth.length;
    foundAll += found.length;
    msAll += ms;
    iousAll.push(...ious);
    const f1 = s.f1 ?? 0, sq = s.mean_iou ?? 0;
    rows.push({ tile: t.name, mpp: t.mpp, ...(t.mppGiven ? {} : { mpp_assumed: true }), truth: truth.length, found: found.length, precision: r3(s.precision ?? 0), recall: r3(s.recall ?? 0), f1: r3(f1), sq: r3(sq), pq: r3(f1 * sq), ms: Math.round(ms) });
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
for (const r of rows) console.log(JSON.stringify(r));
const s = summarise(truthAll, foundAll, iousAll);
const f1 = s.f1 ?? 0, sq = s.mean_iou ?? 0;
console.log(JSON.stringify({ pooled: true, stain, tiles: rows.length, truth: truthAll, found: foundAll, precision: r3(s.precision ?? 0), recall: r3(s.recall ?? 0), f1: r3(f1), sq: r3(sq), pq: r3(f1 * sq), ms_per_tile: Math.round(msAll / rows.length) }));
