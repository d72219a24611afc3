import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { shapeIou } from '../agreement';
import { blobRing, paintBlobs } from '../assist/testImages';
import { decodePlainTiff } from './imageFile';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'granula-nuclei-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const lines: string[] = [];
  return main(['nuclei', ...args], { out: (l) => lines.push(l), err: (l) => lines.push(l) }).then((code) => ({ code, text: lines.join('\n') }));
}

// Three separate painted nuclei, 6–9 px across at 0.5 µm/px (12–36 µm²: nucleus-sized).
const blobs = [{ cx: 20, cy: 20, rx: 8 }, { cx: 60, cy: 25, rx: 7, ry: 5 }, { cx: 35, cy: 60, rx: 6 }];
const painted = paintBlobs(90, 80, blobs);
const png = join(dir, 'blobs.png');
writeFileSync(png, encode({ width: painted.width, height: painted.height, data: new Uint8Array(painted.data.buffer), channels: 4 }));

describe('granula nuclei', () => {
  it('writes one GeoJSON Polygon per nucleus of a PNG, in image pixels', async () => {
    const out = join(dir, 'out.geojson');
    const { code, text } = await run([png, '--mpp', '0.5', '-o', out]);
    expect(code, text).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(3);
    for (const b of blobs) {
      const truth = { type: 'polygon' as const, points: blobRing(b) };
      const best = Math.max(...fc.features.map((f: { geometry: { coordinates: number[][][] } }) => shapeIou({ type: 'polygon', points: f.geometry.coordinates[0].slice(0, -1).flat() }, truth)));
      expect(best).toBeGreaterThan(0.8);
    }
  });

  it('keeps to --region: nuclei whose centre lies in it', async () => {
    const out = join(dir, 'region.geojson');
    expect((await run([png, '--mpp', '0.5', '--region', '0,0,45,40', '-o', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).features).toHaveLength(1);
  });

  it('refuses to run without --mpp, and says why', async () => {
    const r = await run([png, '-o', join(dir, 'x.geojson')]);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/--mpp is required/);
  });

  it('names a file that is no image', async () => {
    const bad = join(dir, 'notes.png');
    writeFileSync(bad, 'hello');
    const r = await run([bad, '--mpp', '0.5', '-o', join(dir, 'y.geojson')]);
    expect(r.code).toBe(1);
    expect(r.text).toBe(`${bad}: not a PNG, JPEG or TIFF file`);
  });
});

describe('plain TIFF', () => {
  it('reads an uncompressed little-endian RGB strip TIFF as written by the TIFF 6.0 baseline', () => {
    // 2 × 1 RGB image: red, blue. Header (8) + IFD with 8 entries at offset 8, pixel data after it.
    const entries: [number, number, number, number][] = [
      [256, 3, 1, 2], [257, 3, 1, 1], [258, 3, 1, 8], [259, 3, 1, 1], [262, 3, 1, 2], [273, 4, 1, 0], [277, 3, 1, 3], [279, 4, 1, 6],
    ];
    const ifdSize = 2 + 12 * entries.length + 4;
    const dataAt = 8 + ifdSize;
    entries[5][3] = dataAt;
    const buf = new Uint8Array(dataAt + 6);
    const v = new DataView(buf.buffer);
    buf.set([0x49, 0x49]);
    v.setUint16(2, 42, true);
    v.setUint32(4, 8, true);
    v.setUint16(8, entries.length, true);
    entries.forEach(([tag, type, count, value], k) => {
      const e = 10 + 12 * k;
      v.setUint16(e, tag, true);
      v.setUint16(e + 2, type, true);
      v.setUint32(e + 4, count, true);
      if (type === 3) v.setUint16(e + 8, value, true);
      else v.setUint32(e + 8, value, true);
    });
    buf.set([255, 0, 0, 0, 0, 255], dataAt);
    const img = decodePlainTiff(buf, 't.tif');
    expect([img.width, img.height]).toEqual([2, 1]);
    expect([...img.data]).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
  });
});
