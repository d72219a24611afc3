import { munkres } from 'munkres';

/** A pair that may be matched; lower cost is better. */
export interface CandidateEdge {
  a: number;
  b: number;
  cost: number;
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/**
 * One-to-one assignment minimising total cost over the candidate edges, where leaving a node
 * unmatched costs `unmatchedCost` per assigned slot (see callers for how that encodes their goal).
 * Shapes only compete with shapes they overlap, so the edges fall apart into small connected groups:
 * each group is solved on its own with the Hungarian method (`munkres`), which is exact and keeps
 * the work far from the (a × b)³ a single matrix over all shapes would cost.
 */
export function optimalAssignment(aCount: number, bCount: number, edges: readonly CandidateEdge[], unmatchedCost: (groupSize: number) => number): CandidateEdge[] {
  const parent = new Int32Array(aCount + bCount);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  for (const e of edges) {
    const ra = find(parent, e.a), rb = find(parent, aCount + e.b);
    if (ra !== rb) parent[ra] = rb;
  }
  const groups = new Map<number, CandidateEdge[]>();
  for (const e of edges) {
    const root = find(parent, e.a);
    const g = groups.get(root);
    if (g) g.push(e);
    else groups.set(root, [e]);
  }
  const chosen: CandidateEdge[] = [];
  for (const group of groups.values()) {
    if (group.length === 1) {
      chosen.push(group[0]);
      continue;
    }
    const rows = new Map<number, number>(), cols = new Map<number, number>();
    for (const e of group) {
      if (!rows.has(e.a)) rows.set(e.a, rows.size);
      if (!cols.has(e.b)) cols.set(e.b, cols.size);
    }
    const missing = unmatchedCost(Math.min(rows.size, cols.size));
    const cost = Array.from({ length: rows.size }, () => new Array<number>(cols.size).fill(missing));
    const edgeAt = new Map<number, CandidateEdge>();
    for (const e of group) {
      const r = rows.get(e.a)!, c = cols.get(e.b)!;
      if (e.cost < cost[r][c]) {
        cost[r][c] = e.cost;
        edgeAt.set(r * cols.size + c, e);
      }
    }
    for (const [r, c] of munkres(cost)) {
      const e = edgeAt.get(r * cols.size + c);
      if (e) chosen.push(e);
    }
  }
  return chosen;
}
