/**
 * What a database's batch documents hold, by annotation id: the digest of each annotation, whose it
 * is, and which batch holds it. A slide has a million: one Map from id to a slot, and the rest in
 * typed arrays (people and batch ids stored once each), not an object per annotation. Kept across a
 * reload in its saved form (`saved`, `load`), so the batches are not read back at every start.
 */
export interface Batched {
  digest: number;
  home: string;
  batch: string;
}

/** The saved form: the people, and per batch its id, annotation ids, digests and homes (indexes into `people`). */
export interface SavedBatches {
  people: string[];
  batches: [string, string[], number[], number[]][];
}

export class BatchIndex {
  private slots = new Map<string, number>();
  private digests = new Float64Array(1024);
  private homes = new Uint32Array(1024);
  private batchOf = new Uint32Array(1024);
  private readonly people: string[] = [];
  private readonly personIndex = new Map<string, number>();
  private readonly batches: string[] = [];
  private readonly batchIndex = new Map<string, number>();
  /** Batches were added since the index was last saved. */
  changed = false;

  get size(): number {
    return this.slots.size;
  }

  /** How many batch documents are known here. */
  get batchCount(): number {
    return this.batches.length;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Whether a batch document is known here (written here, or read). */
  hasBatch(batch: string): boolean {
    return this.batchIndex.has(batch);
  }

  get(id: string): Batched | undefined {
    const k = this.slots.get(id);
    return k === undefined ? undefined : this.at(k);
  }

  /** A batch document and the annotations it holds. */
  addBatch(batch: string, entries: Iterable<{ id: string; digest: number; home: string }>): void {
    intern(this.batches, this.batchIndex, batch);
    for (const e of entries) this.set(e.id, { digest: e.digest, home: e.home, batch });
    this.changed = true;
  }

  set(id: string, e: Batched): void {
    let k = this.slots.get(id);
    if (k === undefined) {
      k = this.slots.size;
      if (k === this.digests.length) this.grow();
      this.slots.set(id, k);
    }
    this.digests[k] = e.digest;
    this.homes[k] = intern(this.people, this.personIndex, e.home);
    this.batchOf[k] = intern(this.batches, this.batchIndex, e.batch);
  }

  *[Symbol.iterator](): Generator<[string, Batched]> {
    for (const [id, k] of this.slots) yield [id, this.at(k)];
  }

  /** The saved form, every batch known listed (an empty one too). */
  saved(): SavedBatches {
    const batches = this.batches.map((b): [string, string[], number[], number[]] => [b, [], [], []]);
    for (const [id, k] of this.slots) {
      const entry = batches[this.batchOf[k]];
      entry[1].push(id);
      entry[2].push(this.digests[k]);
      entry[3].push(this.homes[k]);
    }
    return { people: [...this.people], batches };
  }

  /** Adds what a saved form lists (as it was when saved: not a change to save again). */
  load(saved: SavedBatches): void {
    for (const [batch, ids, digests, homes] of saved.batches) this.addBatch(batch, ids.map((id, i) => ({ id, digest: digests[i], home: saved.people[homes[i]] })));
    this.changed = false;
  }

  private at(k: number): Batched {
    return { digest: this.digests[k], home: this.people[this.homes[k]], batch: this.batches[this.batchOf[k]] };
  }

  private grow(): void {
    const n = this.digests.length * 2;
    const d = new Float64Array(n), h = new Uint32Array(n), b = new Uint32Array(n);
    d.set(this.digests);
    h.set(this.homes);
    b.set(this.batchOf);
    this.digests = d;
    this.homes = h;
    this.batchOf = b;
  }
}

function intern(list: string[], index: Map<string, number>, s: string): number {
  let k = index.get(s);
  if (k === undefined) index.set(s, (k = list.push(s) - 1));
  return k;
}
