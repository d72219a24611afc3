// `granula agree` end to end: the real command in a child process, on fixtures in tests/fixtures/agree/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FIXTURES = 'tests/fixtures/agree';
const SHARED = join(FIXTURES, 'two-endoscopists.json');
const CSV = join(FIXTURES, 'dr-grades.csv');
const dir = mkdtempSync(join(tmpdir(), 'granula-agree-'));

function agree(...args: string[]) {
  return spawnSync('node', ['bin/granula.mjs', 'agree', ...args], { encoding: 'utf8' });
}

describe('granula agree on a shared-format file with two endoscopists', { timeout: 30_000 }, () => {
  it('prints the contract JSON with hand-checked values', () => {
    const r = agree(SHARED, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // Labels, rows Sato × columns Tanaka: [[2, 1], [1, 2]]: p_o = 2/3, p_e = 1/2, κ = 1/3.
    // Krippendorff nominal: o = [[4, 2], [2, 4]], n = 12, α = 1 − 11 · 4 / (2 · 6 · 6) = 7/18.
    expect(out.labels.raters).toEqual(['dr-sato', 'dr-tanaka']);
    expect(out.labels.items).toBe(6);
    expect(out.labels.cohen_kappa).toBeCloseTo(1 / 3, 10);
    expect(out.labels.fleiss_kappa).toBeCloseTo(1 / 3, 10);
    expect(out.labels.krippendorff_alpha.nominal).toBeCloseTo(7 / 18, 10);
    // Class ids are not numbers, so the schema's class order ranks them.
    expect(out.labels.weighted_kappa.linear).toBeCloseTo(1 / 3, 10);
    // Shapes: frame1 boxes IoU 9/11, frame3 squares IoU 0.6, frame2 apart, frame4 only Tanaka.
    expect(out.shapes).toEqual({
      iou_threshold: 0.5,
      pairs: [{ a: 'dr-sato', b: 'dr-tanaka', a_count: 3, b_count: 4, matched: 2, precision: 0.5, recall: 2 / 3, f1: 4 / 7, mean_iou: expect.closeTo((9 / 11 + 0.6) / 2, 10), mean_dice: expect.closeTo((0.9 + 0.75) / 2, 10) }],
    });
  });

  it('takes --iou: at 0.7 only the frame1 boxes match', () => {
    const out = JSON.parse(agree('--iou', '0.7', SHARED, '--json').stdout);
    expect(out.shapes.iou_threshold).toBe(0.7);
    expect(out.shapes.pairs[0].matched).toBe(1);
    expect(JSON.parse(agree('--iou=0.6', '--json', SHARED).stdout).shapes.pairs[0].matched).toBe(2);
  });

  it('prints a readable table without --json', () => {
    const r = agree(SHARED);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Image labels: 6 images, raters dr-sato, dr-tanaka');
    expect(r.stdout).toMatch(/Cohen's kappa\s+0\.333/);
    expect(r.stdout).toMatch(/dr-sato\s+dr-tanaka\s+3\s+4\s+2\s+0\.500\s+0\.667\s+0\.571\s+0\.709\s+0\.825/);
  });

  it('merges files: the same study split into one file per annotator gives the same result', () => {
    const doc = JSON.parse(readFileSync(SHARED, 'utf8'));
    const files = ['dr-sato', 'dr-tanaka'].map((rater) => {
      const file = join(dir, `${rater}.json`);
      writeFileSync(file, JSON.stringify({ ...doc, annotations: doc.annotations.filter((a: { annotatorId: string }) => a.annotatorId === rater) }));
      return file;
    });
    const merged = JSON.parse(agree('--json', ...files).stdout);
    expect(merged).toEqual(JSON.parse(agree('--json', SHARED).stdout));
    // The first file's annotator is the reference.
    expect(JSON.parse(agree('--json', files[1], files[0]).stdout).shapes.pairs[0]).toMatchObject({ a: 'dr-tanaka', b: 'dr-sato', precision: 2 / 3, recall: 0.5 });
  });
});

describe('granula agree on bad input', { timeout: 30_000 }, () => {
  it('names the file and the path of each problem, and exits 1', () => {
    const doc = JSON.parse(readFileSync(SHARED, 'utf8'));
    doc.annotations[6].geometry.w = -5;
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = agree(SHARED, bad, join(dir, 'missing.json'));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}: annotations[6].geometry.w: box needs a width above zero`);
    expect(r.stderr).toContain(`${join(dir, 'missing.json')}: cannot read: ENOENT`);
  });

  it('refuses a bad --iou, an unknown option and no files with usage, exit 2', () => {
    for (const args of [['--iou', '0', SHARED], ['--iou', 'half', SHARED], ['--iou'], ['--fast', SHARED], []]) {
      const r = agree(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('usage: granula agree FILE... [--iou 0.5] [--json]');
    }
  });
});

describe('granula agree on CSV image labels (image,annotator,label)', { timeout: 30_000 }, () => {
  it('reads grades, treats an empty label as missing, and ignores other columns', () => {
    const r = agree(CSV, '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // fundus1–5 as in the hand-checked kappa example (src/agreement/cohen.test.ts); fundus6 has one rating.
    expect(out.labels.raters).toEqual(['dr-a', 'dr-b']);
    expect(out.labels.items).toBe(6);
    expect(out.labels.cohen_kappa).toBeCloseTo(7 / 17, 10);
    expect(out.labels.weighted_kappa.linear).toBeCloseTo(6 / 11, 10);
    expect(out.labels.weighted_kappa.quadratic).toBeCloseTo(0.6875, 10);
    expect(out.labels.fleiss_kappa).toBeNull(); // fundus6 has one rating, the others two
    expect(out.shapes.pairs).toEqual([]);
  });
});

describe('granula agree on COCO files, one annotator per file', { timeout: 30_000 }, () => {
  it('names each annotator by the file stem, the first file the reference', () => {
    const r = agree('--json', join(FIXTURES, 'coco', 'sato.json'), join(FIXTURES, 'coco', 'tanaka.json'));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.labels.items).toBe(0);
    // frame1: IoU 9/11; frame2: hyperplastic boxes 5 px apart, IoU 45/55; Tanaka's extra adenoma unmatched.
    expect(out.shapes.pairs).toEqual([
      { a: 'sato', b: 'tanaka', a_count: 2, b_count: 3, matched: 2, precision: 2 / 3, recall: 1, f1: 0.8, mean_iou: expect.closeTo(9 / 11, 10), mean_dice: expect.closeTo(0.9, 10) },
    ]);
  });
});
