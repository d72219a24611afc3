// `granula info` and `granula region` end to end: the real command in a child process, on an
// Aperio .svs made at test time, against OpenSlide; the PNG is decoded by PIL, not by us.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSvs, makeTiff } from '../slides/makeSlides';
import { meanAbsDiff, openslideReference, pngPixels, type RegionArgs } from '../slides/reference';

const dir = mkdtempSync(join(tmpdir(), 'granula-cli-slides-'));

function granula(...args: string[]) {
  return spawnSync('node', ['bin/granula.mjs', ...args], { encoding: 'utf8' });
}

describe('granula info and region on an Aperio .svs', { timeout: 30_000 }, () => {
  const regions: RegionArgs[] = [
    [0, 2800, 2000, 300, 250],
    [2, 400, 400, 200, 150],
  ];
  let svs: string;
  let reference: ReturnType<typeof openslideReference>;

  beforeAll(() => {
    svs = makeSvs(dir, { compression: 'jpeg', mpp: 0.252, appMag: 20 });
    reference = openslideReference(svs, regions);
  }, 60_000);

  it('info prints the contract JSON with what OpenSlide reports', () => {
    const r = granula('info', svs);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const { info } = reference;
    expect(out).toEqual({
      format: 'aperio-svs',
      width: info.levels[0].width,
      height: info.levels[0].height,
      levels: info.levels,
      // x and y agree: one number.
      mpp: info.mpp!.x,
      compression: 'jpeg',
      associated: expect.arrayContaining(Object.keys(info.associated)),
      objective_power: info.objectivePower,
    });
    expect(info.mpp).toEqual({ x: 0.252, y: 0.252 });
    expect(out.associated).toHaveLength(Object.keys(info.associated).length);
  });

  it("region writes OpenSlide's read_region as an RGBA PNG, across the slide's edge too", () => {
    for (const [i, [level, x, y, w, h]] of regions.entries()) {
      const png = join(dir, `region-${i}.png`);
      const r = granula('region', svs, '--x', String(x), '--y', String(y), '--w', String(w), '--h', String(h), '--level', String(level), '-o', png);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const ours = pngPixels(png);
      expect(meanAbsDiff(ours, reference.regions[i]), `region ${i}`).toBeLessThanOrEqual(2);
    }
    // The first region runs 100 px past the right and 50 px past the bottom: transparent there.
    const edge = pngPixels(join(dir, 'region-0.png'));
    expect(edge.data[(10 * 300 + 299) * 4 + 3]).toBe(0);
    expect(edge.data[(249 * 300 + 10) * 4 + 3]).toBe(0);
    expect(edge.data[(10 * 300 + 10) * 4 + 3]).toBe(255);
  });

  it('info reports mpp as null when the file does not say', () => {
    // ResolutionUnit inch (vips' default for a PNG source) is a screen's resolution, not a scanner's.
    const plain = makeTiff(dir, { compression: 'jpeg', name: 'plain.tif' });
    const noUnit = join(dir, 'inch.tif');
    const r0 = spawnSync('vips', ['tiffsave', plain, noUnit, '--tile', '--pyramid', '--compression', 'jpeg', '--resunit', 'inch']);
    expect(r0.status).toBe(0);
    const out = JSON.parse(granula('info', noUnit).stdout);
    expect(out.format).toBe('generic-tiff');
    expect(out.mpp).toBeNull();
  });
});

describe('granula info and region on bad input', { timeout: 30_000 }, () => {
  it('a file that is not a slide: one line naming it, exit 1', () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a slide');
    const r = granula('info', text);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^granula: ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a slide file Granula reads`));
  });

  it('a missing file: exit 1', () => {
    const r = granula('info', join(dir, 'nowhere.svs'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nowhere\.svs: cannot be read: ENOENT/);
  });

  it('a level the slide does not have: exit 1, no file written', () => {
    const tif = makeTiff(dir, { compression: 'lzw', name: 'levels.tif' });
    const png = join(dir, 'never.png');
    const r = granula('region', tif, '--x', '0', '--y', '0', '--w', '10', '--h', '10', '--level', '9', '-o', png);
    expect(r.status).toBe(1);
    // vips halves 3000×2200 until it fits one 256² tile: 3000, 1500, 750, 375, 187 wide — 5 levels.
    expect(r.stderr).toMatch(/--level 9 does not exist: the slide has 5 levels \(0–4\)/);
    expect(existsSync(png)).toBe(false);
  });

  it('bad usage: exit 2 with the usage', () => {
    const missing = granula('region', 'x.svs', '--x', '0', '--y', '0', '-o', 'out.png');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('granula region: missing --w, --h');
    expect(missing.stderr).toContain('usage: granula region SLIDE --x X --y Y --w W --h H [--level L] -o OUT.png');
    const notNumber = granula('region', 'x.svs', '--x', 'ten', '--y', '0', '--w', '1', '--h', '1', '-o', 'out.png');
    expect(notNumber.status).toBe(2);
    expect(notNumber.stderr).toContain('--x must be a whole number (not "ten")');
    expect(granula('info').status).toBe(2);
  });
});
