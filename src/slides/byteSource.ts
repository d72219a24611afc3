import type { ByteSource } from './types';

/** A source that counts the bytes read through it: what opening a slide and showing a view cost. */
export class CountingSource implements ByteSource {
  count = 0;

  constructor(private readonly source: ByteSource) {}

  get name(): string {
    return this.source.name;
  }

  get size(): number {
    return this.source.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.source.read(offset, length);
    this.count += bytes.length;
    return bytes;
  }
}
