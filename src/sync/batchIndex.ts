/**
 * What a database's batch documents hold, by annotation id: the digest of each annotation, whose it
 * is, and which batch holds it. A slide has a million: one Map from id to a slot, and the rest in
 * typed arrays (people and batch ids stored once each), not an object per annotation.
 */
export interface Batched {
  digest: number;
  home: string;
  batch: string;
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

  get size(): number {
    return this.slots.size;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  get(id: string): Batched | undefined {
    const k = this.slots.get(id);
    return k === undefined ? undefined : this.at(k);
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
