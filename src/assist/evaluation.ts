import { SYNTHETIC_MPP } from '../synthetic/slide';
import { matchByIou, prepareShape, shapeIou, summarise } from '../agreement';
import type { PolygonGeometry } from '../model/types';
import { syntheticCellsInRect, type SyntheticCell } from '../synthetic/cells';
import { inflammationAt, regionFrom, slideFields, tissueAt, tissueCentre, tumourAt, type Region } from '../synthetic/fields';
import { clickWindow, outlineAtClick } from './outline';
import { syntheticPixels } from './pixelSource';
import { proposalPadding, proposeNuclei } from './propose';
import type { ImageRect, NucleusOptions } from './types';

/**
 * Measuring the assistant against the synthetic slide's truth, for the quality tests and the
 * benchmark. Not used by the worker.
 */

export interface QualityRegion {
  kind: Region;
  rect: ImageRect;
}

/** Grid step between candidate regions (level-0 px): far enough apart to sample different tissue. */
const REGION_STEP = 1536;

/**
 * `perKind` square regions of each kind (tumour, inflamed, stroma), chosen from the seed alone:
 * candidates on a grid around the largest tissue island, nearest first, kept when the centre and
 * all four corners lie well inside tissue and in the same kind of region.
 */
export function qualityRegions(seed: number, perKind = 3, size = 256): QualityRegion[] {
  const f = slideFields(seed);
  const c = tissueCentre(seed);
  const R = 30;
  const offsets: [number, number][] = [];
  for (let j = -R; j <= R; j++) for (let i = -R; i <= R; i++) offsets.push([i, j]);
  offsets.sort((a, b) => a[0] ** 2 + a[1] ** 2 - (b[0] ** 2 + b[1] ** 2) || a[1] - b[1] || a[0] - b[0]);
  const found: QualityRegion[] = [];
  const count = (k: Region) => found.filter((r) => r.kind === k).length;
  for (const [i, j] of offsets) {
    const x = Math.round(c.x + i * REGION_STEP), y = Math.round(c.y + j * REGION_STEP);
    const probes: [number, number][] = [[x, y], [x + size, y], [x, y + size], [x + size, y + size], [x + size / 2, y + size / 2]];
    if (probes.some(([px, py]) => tissueAt(f, px, py) < 0.1)) continue;
    const kinds = new Set(probes.map(([px, py]) => regionFrom(tumourAt(f, px, py), inflammationAt(f, px, py))));
    if (kinds.size !== 1) continue;
    const kind = [...kinds][0];
    if (count(kind) >= perKind) continue;
    found.push({ kind, rect: { x, y, w: size, h: size } });
    if (found.length === 3 * perKind) break;
  }
  if (found.length < 3 * perKind) throw new Error(`seed ${seed}: found only ${found.length} quality regions`);
  return found.sort((a, b) => a.kind.localeCompare(b.kind));
}

/** The true nuclei of a region: those whose centre lies in it (as proposals are kept by centroid). */
export function truthInRect(seed: number, rect: ImageRect): SyntheticCell[] {
  return syntheticCellsInRect(seed, rect).filter((c) => c.cx >= rect.x && c.cy >= rect.y && c.cx < rect.x + rect.w && c.cy < rect.y + rect.h);
}

export interface RegionScore {
  kind: Region;
  rect: ImageRect;
  truth: number;
  proposed: number;
  matched: number;
  f1: number;
  meanIou: number;
  /** Matched pairs' IoU, for pooling. */
  ious: number[];
  /** Time to propose (pixels already in hand), ms. */
  ms: number;
}

export interface ProposalScore {
  regions: RegionScore[];
  /** Pooled over all regions: every truth nucleus and every proposal counts once. */
  precision: number;
  recall: number;
  f1: number;
  meanIou: number;
}

/** Region proposals vs truth, matched one-to-one at IoU ≥ 0.5 (as `granula agree`). */
export function scoreProposals(seed: number, region: QualityRegion, proposals: PolygonGeometry[], ms = 0): RegionScore {
  const truth = truthInRect(seed, region.rect);
  const pairs = matchByIou(truth.map((t) => prepareShape({ type: 'polygon', points: t.points })), proposals.map((g) => prepareShape(g)), 0.5);
  const ious = pairs.map((p) => p.iou ?? 0);
  const s = summarise(truth.length, proposals.length, ious);
  return { ...region, truth: truth.length, proposed: proposals.length, matched: pairs.length, f1: s.f1 ?? 1, meanIou: s.mean_iou ?? 0, ious, ms };
}

export function evaluateProposals(seed: number, regions: QualityRegion[], downsample = 1, options: Partial<NucleusOptions> = {}): ProposalScore {
  const scores = regions.map((region) => {
    const pad = proposalPadding(downsample, { mpp: SYNTHETIC_MPP, ...options });
    const r = region.rect;
    const pixels = syntheticPixels(seed, { x: r.x - pad, y: r.y - pad, w: r.w + 2 * pad, h: r.h + 2 * pad }, downsample);
    const t0 = performance.now();
    const proposals = proposeNuclei(pixels, r, { mpp: SYNTHETIC_MPP, ...options });
    return scoreProposals(seed, region, proposals, performance.now() - t0);
  });
  const truth = scores.reduce((s, r) => s + r.truth, 0), proposed = scores.reduce((s, r) => s + r.proposed, 0);
  const ious = scores.flatMap((r) => r.ious);
  const s = summarise(truth, proposed, ious);
  return { regions: scores, precision: s.precision ?? 1, recall: s.recall ?? 1, f1: s.f1 ?? 1, meanIou: s.mean_iou ?? 0 };
}

/** `count` true nuclei lying wholly inside the regions, taken in turn from each region: click targets. */
export function clickTargets(seed: number, regions: QualityRegion[], count: number): SyntheticCell[] {
  const pools = regions.map((q) => truthInRect(seed, q.rect));
  const out: SyntheticCell[] = [];
  for (let k = 0; out.length < count && pools.some((p) => k < p.length); k++) {
    for (const p of pools) if (k < p.length && out.length < count) out.push(p[k]);
  }
  return out;
}

export interface ClickScore {
  cell: SyntheticCell;
  /** 0 when refused. */
  iou: number;
  refused?: string;
  /** Fetching (rendering) the pixels, then outlining, ms. */
  pixelMs: number;
  outlineMs: number;
}

/** A click on each cell's true centre, outlined from pixels at `downsample`, scored by IoU against its truth. */
export function evaluateClicks(seed: number, cells: SyntheticCell[], downsample = 1, options: Partial<NucleusOptions> = {}): ClickScore[] {
  return cells.map((cell) => {
    const click = { x: cell.cx, y: cell.cy };
    const t0 = performance.now();
    const pixels = syntheticPixels(seed, clickWindow(click, downsample, { mpp: SYNTHETIC_MPP, ...options }), downsample);
    const t1 = performance.now();
    const r = outlineAtClick(pixels, click, { mpp: SYNTHETIC_MPP, ...options });
    const t2 = performance.now();
    const base = { cell, pixelMs: t1 - t0, outlineMs: t2 - t1 };
    if ('refused' in r) return { ...base, iou: 0, refused: r.refused };
    return { ...base, iou: shapeIou({ type: 'polygon', points: cell.points }, r.geometry) };
  });
}
