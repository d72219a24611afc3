// Aperio .svs with JPEG tiles against OpenSlide (the shared checks), and how little opening reads.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../cli/slideFiles';
import { describeAperioSvs } from '../../tests/slides/aperioCases';
import { makeSvs } from '../../tests/slides/makeSlides';
import { openSlide } from './open';

const dir = mkdtempSync(join(tmpdir(), 'granula-svs-lazy-'));

describeAperioSvs('jpeg');

describe('reading lazily', () => {
  it('opens a slide reading its directories only, then a tile at a time', async () => {
    const path = makeSvs(dir, { compression: 'jpeg', name: 'lazy.svs' });
    const source = await openFileSource(path);
    const slide = await openSlide([source]);
    const opened = slide.bytesRead();
    // 8 directories of ~20 entries, their descriptions and JPEG tables: a few kB of a 2 MB file.
    expect(opened).toBeLessThan(source.size / 20);
    const tile = await slide.tile(0, 3, 2);
    expect(tile?.kind).toBe('jpeg');
    const afterOne = slide.bytesRead();
    // One tile (about 10–25 kB at Q=70) plus the level's tile offset and byte count lists (12 × 9 tiles × 4 bytes each).
    expect(afterOne - opened).toBeLessThan(40_000);
    expect(afterOne - opened).toBeGreaterThan(tile!.kind === 'jpeg' ? tile!.bytes.length - 1000 : 0);
    await source.close();
  });
});
