import polygonClipping, { type MultiPolygon, type Polygon } from 'polygon-clipping';
import type { Geometry, PolygonGeometry } from '../model/types';
import { matchByCentroid, matchByIou } from './matchShapes';
import { fromClipMultiPolygon, prepareShape, toClipPolygon, type PreparedShape } from './shapeArea';
import { DEFAULT_IOU_THRESHOLD, radiusInPixels } from './shapeAgreement';
import type { LabelRating, ShapeMatchMode, ShapeRecord } from './types';

export interface MajorityLabel {
  item: string;
  /** The label with the most votes; `null` on a tie or when nobody rated the item. */
  label: string | null;
  votes: number;
  /** Non-missing ratings of the item. */
  ratings: number;
  tie: boolean;
  /** The labels sharing the top vote count when `tie` is set, in order of first vote. */
  tied: string[];
}

/** One entry per item, in order of first appearance; a tie gives no label rather than an arbitrary pick. */
export function majorityVote(ratings: readonly LabelRating[]): MajorityLabel[] {
  const byItem = new Map<string, Map<string, number>>();
  for (const r of ratings) {
    let votes = byItem.get(r.item);
    if (!votes) byItem.set(r.item, (votes = new Map()));
    if (r.label !== null) votes.set(r.label, (votes.get(r.label) ?? 0) + 1);
  }
  return [...byItem].map(([item, votes]) => {
    let top = 0;
    let total = 0;
    for (const n of votes.values()) {
      total += n;
      top = Math.max(top, n);
    }
    const leaders = [...votes].filter(([, n]) => n === top).map(([label]) => label);
    const tie = leaders.length > 1;
    return { item, label: tie || top === 0 ? null : leaders[0], votes: top, ratings: total, tie, tied: tie ? leaders : [] };
  });
}

/** Above this many outlines the subsets to intersect (n choose n/2) get too many to enumerate. */
export const MAX_CONSENSUS_OUTLINES = 16;

function* subsets(n: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let i = start; i <= n - (k - prefix.length); i++) yield* subsets(n, k, i + 1, [...prefix, i]);
}

/**
 * The region covered by at least half of `raterCount` raters (⌈raterCount / 2⌉ of them): the union,
 * over every subset of that many outlines, of the subset's intersection. Returned as flat rings.
 * `raterCount` defaults to the number of outlines; pass the number of raters in the study when some
 * of them drew nothing here, so that their absence counts against the region.
 */
export function consensusOutline(outlines: readonly Geometry[], raterCount = outlines.length): PolygonGeometry[] {
  const shapes = outlines.filter((g) => g.type !== 'point');
  const quorum = Math.ceil(raterCount / 2);
  if (quorum < 1 || shapes.length < quorum) return [];
  if (shapes.length > MAX_CONSENSUS_OUTLINES) throw new RangeError(`consensus of more than ${MAX_CONSENSUS_OUTLINES} outlines is not supported (got ${shapes.length})`);
  const polys: Polygon[] = shapes.map(toClipPolygon);
  const parts: MultiPolygon[] = [];
  for (const subset of subsets(polys.length, quorum)) {
    const [first, ...rest] = subset.map((i) => polys[i]);
    const common = rest.length ? polygonClipping.intersection(first, ...rest) : [first];
    if (common.length) parts.push(common);
  }
  if (!parts.length) return [];
  const [head, ...tail] = parts;
  return fromClipMultiPolygon(tail.length ? polygonClipping.union(head, ...tail) : polygonClipping.union(head));
}

export interface ShapeCluster {
  image: string;
  classId: string;
  /** At most one shape per rater. */
  members: ShapeRecord[];
}

/**
 * Groups shapes that correspond across raters. Raters are taken in order; each one's shapes are
 * matched (same rule as the agreement report) against the first shape of every cluster so far on
 * the same image and class; a matched shape joins that cluster, an unmatched one starts a new one.
 */
export function shapeClusters(shapes: readonly ShapeRecord[], raters: readonly string[], mode: ShapeMatchMode = { kind: 'iou', threshold: DEFAULT_IOU_THRESHOLD }): ShapeCluster[] {
  const order = [...raters, ...new Set(shapes.map((s) => s.rater).filter((r) => !raters.includes(r)))];
  const byGroup = new Map<string, Map<string, ShapeRecord[]>>();
  for (const s of shapes) {
    if (mode.kind === 'iou' && s.geometry.type === 'point') continue;
    const key = `${s.image}\u0000${s.classId}`;
    let perRater = byGroup.get(key);
    if (!perRater) byGroup.set(key, (perRater = new Map()));
    const list = perRater.get(s.rater);
    if (list) list.push(s);
    else perRater.set(s.rater, [s]);
  }
  const out: ShapeCluster[] = [];
  for (const perRater of byGroup.values()) {
    const clusters: { anchor: PreparedShape; members: ShapeRecord[] }[] = [];
    for (const rater of order) {
      const mine = perRater.get(rater);
      if (!mine) continue;
      const prepared = mine.map((s) => prepareShape(s.geometry));
      const anchors = clusters.map((c) => c.anchor);
      const pairs = mode.kind === 'iou' ? matchByIou(anchors, prepared, mode.threshold) : matchByCentroid(anchors, prepared, radiusInPixels(mode, mine[0].image));
      const joined = new Set<number>();
      for (const p of pairs) {
        clusters[p.a].members.push(mine[p.b]);
        joined.add(p.b);
      }
      mine.forEach((s, i) => {
        if (!joined.has(i)) clusters.push({ anchor: prepared[i], members: [s] });
      });
    }
    for (const c of clusters) out.push({ image: c.members[0].image, classId: c.members[0].classId, members: c.members });
  }
  return out;
}

export interface ConsensusShape extends ShapeCluster {
  /** The region covered by at least half of all raters; empty when fewer than half drew this shape. */
  outline: PolygonGeometry[];
}

/**
 * Consensus outlines for clusters that at least two raters drew. `raterCount` (by default, how many
 * raters drew any shape) sets the quorum: half of it, rounded up.
 */
export function consensusShapes(shapes: readonly ShapeRecord[], raters: readonly string[], opts: { mode?: ShapeMatchMode; raterCount?: number } = {}): ConsensusShape[] {
  const raterCount = opts.raterCount ?? new Set(shapes.map((s) => s.rater)).size;
  return shapeClusters(shapes, raters, opts.mode)
    .filter((c) => c.members.length >= 2)
    .map((c) => ({ ...c, outline: consensusOutline(c.members.map((m) => m.geometry), raterCount) }));
}

/**
 * The attributes a consensus keeps from the labels it was decided from: a value every one of them
 * gives alike. An attribute they differ on (or some leave out) is `disputed`: left for the reviewer,
 * never guessed.
 */
export function agreedAttributes(members: readonly { attributes: Record<string, string | number | boolean> }[]): {
  attributes: Record<string, string | number | boolean>;
  disputed: string[];
} {
  const attributes: Record<string, string | number | boolean> = {};
  const disputed: string[] = [];
  if (!members.length) return { attributes, disputed };
  const keys = [...new Set(members.flatMap((m) => Object.keys(m.attributes)))].sort();
  for (const k of keys) {
    const first = members[0].attributes[k];
    if (first !== undefined && members.every((m) => m.attributes[k] === first)) attributes[k] = first;
    else disputed.push(k);
  }
  return { attributes, disputed };
}
