// `granula agree` end to end: the real command in a child process, on fixtures in tests/fixtures/agree/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parisNiceStudy } from '../../src/agreement/testProjects';
import { toSharedDocument } from '../../src/formats/shared/convert';

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
    // Class ids are not numbers and the schema does not declare its classes ordered: they are categories.
    expect(out.labels.ordered).toBe(false);
    expect(out.labels.weighted_kappa).toEqual({ linear: null, quadratic: null });
    expect(out.labels.krippendorff_alpha.ordinal).toBeNull();
    // Six images rated by both: too few for an interval (the minimum is 10).
    expect(out.labels).toMatchObject({ images_compared: 6, images_minimum: 10, too_few_images: true });
    expect(out.labels.ci95).toEqual({ cohen_kappa: null, weighted_kappa: { linear: null, quadratic: null }, fleiss_kappa: null, krippendorff_alpha: { nominal: null, ordinal: null, interval: null } });
    expect(out.attributes).toEqual([]);
    expect(out.bootstrap).toEqual({ resamples: 1000, seed: 1 });
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
    expect(r.stdout).toMatch(/Cohen's kappa\s+0\.333\s+\(too few images\)/);
    expect(r.stdout).toContain('warning: too few images (6; at least 10 are needed for a confidence interval)');
    expect(r.stdout).toMatch(/weighted kappa, linear\s+n\/a\s+\(the classes have no order\)/);
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

describe('granula agree: order, intervals and attributes', { timeout: 30_000 }, () => {
  it('ranks the classes when the schema declares them ordered', () => {
    const doc = JSON.parse(readFileSync(SHARED, 'utf8'));
    doc.schema.ordered = true;
    const file = join(dir, 'ordered.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = JSON.parse(agree('--json', file).stdout);
    // Two classes a step apart: every weighting gives the unweighted κ, 1/3 (hand-checked above).
    expect(out.labels.ordered).toBe(true);
    expect(out.labels.weighted_kappa.linear).toBeCloseTo(1 / 3, 10);
    expect(out.labels.weighted_kappa.quadratic).toBeCloseTo(1 / 3, 10);
  });

  it('gives no ordinal alpha for diagnoses read from CSV', () => {
    const file = join(dir, 'diagnoses.csv');
    const rows = ['image,annotator,label'];
    // The hand-checked pair of src/agreement/cohen.test.ts with names for 1, 2, 3: κ = 7/17.
    ['Normal', 'Glaucoma', 'AMD', 'Normal', 'Glaucoma'].forEach((l, i) => rows.push(`im${i}.png,dr-a,${l}`));
    ['Normal', 'AMD', 'AMD', 'Glaucoma', 'Glaucoma'].forEach((l, i) => rows.push(`im${i}.png,dr-b,${l}`));
    writeFileSync(file, rows.join('\n'));
    const out = JSON.parse(agree('--json', file).stdout);
    expect(out.labels.cohen_kappa).toBeCloseTo(7 / 17, 10);
    expect(out.labels.ordered).toBe(false);
    expect(out.labels.krippendorff_alpha.ordinal).toBeNull();
    expect(out.labels.krippendorff_alpha.interval).toBeNull();
    expect(out.labels.weighted_kappa).toEqual({ linear: null, quadratic: null });
  });

  it('gives an interval from ten images up, the same on every run', () => {
    const file = join(dir, 'twelve.csv');
    const rows = ['image,annotator,label'];
    // Rows dr-a, columns dr-b: [[5, 1], [1, 5]]: p_o = 10/12, p_e = 1/2, κ = 2/3 (hand-checked).
    const a = ['y', 'y', 'y', 'y', 'y', 'y', 'n', 'n', 'n', 'n', 'n', 'n'];
    const b = ['y', 'y', 'y', 'y', 'y', 'n', 'y', 'n', 'n', 'n', 'n', 'n'];
    a.forEach((l, i) => rows.push(`im${i}.png,dr-a,${l}`, `im${i}.png,dr-b,${b[i]}`));
    writeFileSync(file, rows.join('\n'));
    const first = JSON.parse(agree('--json', file).stdout);
    expect(first.labels.cohen_kappa).toBeCloseTo(2 / 3, 10);
    expect(first.labels).toMatchObject({ images_compared: 12, too_few_images: false });
    const [lo, hi] = first.labels.ci95.cohen_kappa;
    expect(lo).toBeLessThan(2 / 3);
    expect(hi).toBeGreaterThan(2 / 3);
    expect(hi).toBeLessThanOrEqual(1);
    expect(JSON.parse(agree('--json', file).stdout).labels.ci95).toEqual(first.labels.ci95);
    expect(agree(file).stdout).toMatch(/Cohen's kappa\s+0\.667\s+\[-?\d\.\d{3}, \d\.\d{3}\]/);
  });

  it("gives Paris and NICE agreement on matched boxes in an attributes block", () => {
    const file = join(dir, 'paris-nice.json');
    writeFileSync(file, JSON.stringify(toSharedDocument(parisNiceStudy(), { exportedAt: '2026-01-01T00:00:00.000Z' })));
    const r = agree('--json', file);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // Hand derivations in src/agreement/attributes.test.ts: Paris κ = 35/47 over 12 pairs, NICE κ = 3/4 over 8.
    expect(out.attributes).toHaveLength(2);
    expect(out.attributes[0]).toMatchObject({ class: 'polyp', attribute: 'paris', raters: ['dr-a', 'dr-b'], pairs: 12, too_few_images: false });
    expect(out.attributes[0].cohen_kappa).toBeCloseTo(35 / 47, 10);
    expect(out.attributes[0].ci95.cohen_kappa).toHaveLength(2);
    expect(out.attributes[1]).toMatchObject({ class: 'polyp', attribute: 'nice', pairs: 8, too_few_images: true, ci95: { cohen_kappa: null } });
    expect(out.attributes[1].cohen_kappa).toBeCloseTo(0.75, 10);
    expect(agree(file).stdout).toMatch(/polyp\s+paris\s+12\s+12\s+0\.745/);
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
