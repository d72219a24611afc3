// `granula deid` on pydicom's test files in every transfer syntax, and on input it must refuse.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFileText, newPseudonymKey } from '../../src/model/pseudonym';
import { pydicomTestFiles } from '../radiology/pydicomFiles';
import { PYTHON } from '../slides/makeSlides';

const dir = mkdtempSync(join(tmpdir(), 'granula-deid-syntaxes-'));

function granula(...args: string[]) {
  return spawnSync('node', ['bin/granula.mjs', ...args], { encoding: 'utf8' });
}

/** Transfer syntax, pixel bytes' digest and SOP Instance UID as pydicom reads them. */
function inspect(paths: string[]): { path: string; transferSyntax: string; pixels: string; sop: string }[] {
  return JSON.parse(execFileSync(PYTHON, ['tests/radiology/inspectDeid.py', ...paths], { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

describe('granula deid refuses what it cannot use, saying what and where', () => {
  it('a key file that is not one, a missing key and a missing output folder: exit 2 and the reason', () => {
    const notKey = join(dir, 'not-a-key.json');
    writeFileSync(notKey, '{"format": "something else"}');
    const ct = join(pydicomTestFiles(), 'CT_small.dcm');
    const bad = granula('deid', ct, '-o', join(dir, 'never'), '--key', notKey);
    expect([bad.status, bad.stderr.trim()]).toEqual([2, `granula deid: ${notKey}: is not a Granula key file`]);
    expect(granula('deid', ct, '-o', join(dir, 'never')).stderr).toContain('granula deid: missing --key KEYFILE');
    expect(granula('deid', ct, '--key', notKey).stderr).toContain('granula deid: missing -o OUTDIR');
    expect(readdirSync(dir)).not.toContain('never');
  });
});

describe('granula deid keeps every transfer syntax and its pixel bytes', { timeout: 60_000 }, () => {
  // The MR_small variants are one instance in five transfer syntaxes (one SOP Instance UID): a run
  // each, since one run refuses a second copy of an instance.
  const runs = [
    ['MR_small_implicit.dcm', 'image_dfl.dcm', 'SC_rgb_jpeg_dcmtk.dcm', 'JPGExtended.dcm', 'JPEG2000.dcm', 'SC_rgb_rle.dcm'],
    ['MR_small_RLE.dcm'],
    ['MR_small_jp2klossless.dcm'],
    ['MR_small_jpeg_ls_lossless.dcm'],
  ];

  it('implicit VR, deflated, RLE, JPEG 2000, JPEG-LS, JPEG baseline and extended: same transfer syntax, same pixel bytes, new UIDs', async () => {
    const keyPath = join(dir, 'key2.json');
    writeFileSync(keyPath, await keyFileText(newPseudonymKey(), { id: 'p2', name: 'MR' }, '2026-01-01T00:00:00Z'));
    const pairs: string[][] = [];
    for (const [i, names] of runs.entries()) {
      const sources = names.map((n) => join(pydicomTestFiles(), n));
      const r = granula('deid', ...sources, '-o', join(dir, `syntaxes-${i}`), '--key', keyPath);
      expect(r.stderr.split('\n').filter((l) => l && !l.includes(': warning: '))).toEqual([]);
      expect(r.status).toBe(0);
      const written = r.stdout.trim().split('\n').map((l) => l.split(' → '));
      expect(written.map(([from]) => from)).toEqual(sources);
      pairs.push(...written);
    }
    const inspected = inspect(pairs.flat());
    expect(new Set(inspected.map((f) => f.transferSyntax)).size).toBe(8);
    for (let i = 0; i < inspected.length; i += 2) {
      const [original, deidentified] = [inspected[i], inspected[i + 1]];
      expect(deidentified.transferSyntax, original.path).toBe(original.transferSyntax);
      expect(deidentified.pixels, original.path).toBe(original.pixels);
      expect(deidentified.sop, original.path).not.toBe(original.sop);
    }
  });

  it('a second copy of one instance in a run gets an error line and is not written over the first', async () => {
    const keyPath = join(dir, 'key3.json');
    writeFileSync(keyPath, await keyFileText(newPseudonymKey(), { id: 'p3', name: 'MR' }, '2026-01-01T00:00:00Z'));
    const [first, second] = ['MR_small.dcm', 'MR_small_RLE.dcm'].map((n) => join(pydicomTestFiles(), n));
    const out = join(dir, 'copies');
    const r = granula('deid', first, second, '-o', out, '--key', keyPath);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`${second}: has the same SOP Instance UID as ${first} (a copy of the same instance?): not written`);
    expect(inspect(readdirSync(out).map((f) => join(out, f))).map((f) => f.transferSyntax)).toEqual(['1.2.840.10008.1.2.1']);
  });
});
