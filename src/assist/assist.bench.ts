import { SYNTHETIC_MPP } from '../synthetic/slide';
// The outline assistant on the synthetic slide: `npx tsx src/assist/assist.bench.ts [seed]`.
// Prints JSON lines: per-click latency (pixels rendered from the synthetic slide, then outlined),
// click IoU, and region-proposal F1 / mean IoU against the true nuclei at downsample 1, 2 and 4,
// then the same proposals on degraded pixels (blur, noise, pale stain), then on painted crowds of
// touching nuclei (which the synthetic slide never has at full resolution). Times in ms.
import { matchByIou, prepareShape, summarise } from '../agreement';
import { degrade, type Degradation } from './degrade';
import { clickTargets, evaluateClicks, evaluateProposals, qualityRegions, scoreProposals } from './evaluation';
import { syntheticPixels } from './pixelSource';
import { proposalPadding, proposeNuclei } from './propose';
import { addSpecks, blobRing, crowdedBlobs, paintBlobs, type Blob } from './testImages';
import type { PixelRegion } from './types';

const seed = Number(globalThis.process?.argv[2] ?? 1);
const regions = qualityRegions(seed);
const r3 = (v: number) => Math.round(v * 1000) / 1000;
const r1 = (v: number) => Math.round(v * 10) / 10;
function percentiles(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { median: r1(s[s.length >> 1]), p95: r1(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]), max: r1(s[s.length - 1]) };
}

// Warm the JIT on other cells first: the first call of a session costs more (reported separately).
const targets = clickTargets(seed, regions, 100);
const t0 = performance.now();
evaluateClicks(seed, targets.slice(50, 51));
const firstClick = performance.now() - t0;
evaluateClicks(seed, targets.slice(51));

for (const ds of [1, 2, 4]) {
  const clicks = evaluateClicks(seed, targets.slice(0, 50), ds);
  console.log(JSON.stringify({
    case: `click to outline, downsample ${ds}`,
    clicks: clicks.length,
    total_ms: percentiles(clicks.map((c) => c.pixelMs + c.outlineMs)),
    outline_ms: percentiles(clicks.map((c) => c.outlineMs)),
    mean_iou: r3(clicks.reduce((s, c) => s + c.iou, 0) / clicks.length),
    refused: clicks.filter((c) => c.refused).length,
    ...(ds === 1 ? { first_click_ms: r1(firstClick) } : {}),
  }));
}

for (const ds of [1, 2, 4]) {
  const s = evaluateProposals(seed, regions, ds);
  console.log(JSON.stringify({
    case: `region proposals, downsample ${ds}`,
    regions: s.regions.length,
    truth: s.regions.reduce((a, r) => a + r.truth, 0),
    proposed: s.regions.reduce((a, r) => a + r.proposed, 0),
    precision: r3(s.precision), recall: r3(s.recall), f1: r3(s.f1), mean_iou: r3(s.meanIou),
    per_region: s.regions.map((r) => ({ kind: r.kind, f1: r3(r.f1), mean_iou: r3(r.meanIou) })),
    ms_per_region: percentiles(s.regions.map((r) => r.ms)),
  }));
}

const degradations: Degradation[] = [
  { kind: 'blur', sigma: 1 }, { kind: 'blur', sigma: 2 }, { kind: 'blur', sigma: 3 },
  { kind: 'noise', sd: 8 }, { kind: 'noise', sd: 16 },
  { kind: 'fade', factor: 0.5 }, { kind: 'fade', factor: 0.3 },
];
for (const d of degradations) {
  const scores = regions.map((q) => {
    const pad = proposalPadding(1, { mpp: SYNTHETIC_MPP });
    const r = q.rect;
    const pixels = degrade(syntheticPixels(seed, { x: r.x - pad, y: r.y - pad, w: r.w + 2 * pad, h: r.h + 2 * pad }, 1), d);
    return scoreProposals(seed, q, proposeNuclei(pixels, r, { mpp: SYNTHETIC_MPP }));
  });
  const s = summarise(scores.reduce((a, r) => a + r.truth, 0), scores.reduce((a, r) => a + r.proposed, 0), scores.flatMap((r) => r.ious));
  console.log(JSON.stringify({ case: 'region proposals, degraded, downsample 1', degradation: d, f1: r3(s.f1 ?? 0), mean_iou: r3(s.mean_iou ?? 0) }));
}

// The synthetic slide keeps nuclei ≥ 1.5 px apart; real tumour and lymphocyte aggregates do not.
function paintedScore(blobs: Blob[], pixels: PixelRegion) {
  const found = proposeNuclei(pixels, { x: 0, y: 0, w: pixels.width, h: pixels.height }, { mpp: SYNTHETIC_MPP });
  const pairs = matchByIou(blobs.map((b) => prepareShape({ type: 'polygon', points: blobRing(b) })), found.map((g) => prepareShape(g)), 0.5);
  const s = summarise(blobs.length, found.length, pairs.map((p) => p.iou));
  return { nuclei: blobs.length, proposed: found.length, f1: r3(s.f1 ?? 0), mean_iou: r3(s.mean_iou ?? 0) };
}
for (const overlap of [0, 1, 2, 3]) {
  for (const pitch of [16, 14, 12]) {
    const blobs = crowdedBlobs(3, 8, 8, pitch, overlap);
    const touching = blobs.filter((a, i) => blobs.some((b, j) => j !== i && Math.hypot(a.cx - b.cx, a.cy - b.cy) < a.rx + b.rx + 0.5)).length;
    console.log(JSON.stringify({ case: 'painted crowd', pitch, overlap_px: overlap, touching_nuclei: touching, ...paintedScore(blobs, paintBlobs(pitch * 9, pitch * 9, blobs)) }));
  }
}
const specked = crowdedBlobs(5, 6, 6, 24, 0).map((b) => ({ ...b, rx: b.rx + 3 }));
console.log(JSON.stringify({ case: 'painted nuclei with pale specks', ...paintedScore(specked, addSpecks(paintBlobs(24 * 7, 24 * 7, specked), specked, 7)) }));
