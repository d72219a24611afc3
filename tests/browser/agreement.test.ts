import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { openProject, pagePoint, setIdentity, storedAnnotations, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
let session: Session;
let page: Page;

// Five photos, two ophthalmologists; they differ on photo 4 only.
const DR_A = ['1', '2', '3', '3', '4'];
const DR_B = ['1', '2', '3', '4', '4'];

async function labelFundus(keys: string[]) {
  await openProject(page, base, /Demo: fundus diagnosis/);
  await page.getByRole('link', { name: 'fundus-1.png' }).click();
  await waitViewer(page);
  for (let i = 0; i < keys.length; i++) {
    await page.getByTestId('image-position').filter({ hasText: `${i + 1} / 6` }).waitFor();
    await page.keyboard.press(keys[i]);
    await page.keyboard.press('Enter');
  }
  await page.getByTestId('image-position').filter({ hasText: '6 / 6' }).waitFor();
  await waitSaved(page);
}

async function drag(p: Page, from: [number, number], to: [number, number]) {
  const a = await pagePoint(p, ...from);
  const b = await pagePoint(p, ...to);
  await p.mouse.move(a.x, a.y);
  await p.mouse.down();
  await p.mouse.move(b.x, b.y, { steps: 4 });
  await p.mouse.up();
}

async function boxFrames(boxes: [[number, number], [number, number]][]) {
  await openProject(page, base, /Demo: endoscopy lesion boxes/);
  await page.getByRole('link', { name: 'colonoscopy-frame-1.png' }).click();
  for (let i = 0; i < boxes.length; i++) {
    await page.getByRole('heading', { name: `colonoscopy-frame-${i + 1}.png` }).waitFor();
    await waitViewer(page);
    await drag(page, ...boxes[i]);
    await page.getByTestId('shape-count').filter({ hasText: '1' }).waitFor();
    await page.keyboard.press('PageDown');
  }
  await waitSaved(page);
}

beforeAll(async () => {
  session = await launchProfile();
  page = await session.context.newPage();
});
afterAll(async () => {
  await session?.close();
});

describe('agreement between two annotators, review and consensus', () => {
  it('two ophthalmologists label the same five photos without seeing each other', async () => {
    await setIdentity(page, base, 'Dr A');
    await labelFundus(DR_A);
    await setIdentity(page, base, 'Dr B');
    await openProject(page, base, /Demo: fundus diagnosis/);
    await page.getByRole('link', { name: 'fundus-4.png' }).click();
    await waitViewer(page);
    // Blind annotation: Dr A's label is not shown to Dr B.
    await expect(page.getByRole('button', { name: /Diabetic retinopathy/, pressed: true }).count()).resolves.toBe(0);
    await labelFundus(DR_B);
  });

  it("shows Cohen's kappa on the agreement page, computed in a worker", async () => {
    await page.getByRole('link', { name: /Worklist/ }).click();
    await page.getByRole('link', { name: 'Agreement' }).click();
    await page.getByRole('button', { name: 'Compute agreement' }).click();
    // Hand-computed: p_o = 4/5; marginals A (n, g, dr, dr, amd), B (n, g, dr, amd, amd): p_e = 0.24; κ = 0.56/0.76.
    await expect(page.getByTestId('cohen-kappa').textContent()).resolves.toBe('0.737');
    await expect(page.getByTestId('kappa-heatmap').getByLabel('Dr A × Dr B: 0.737').count()).resolves.toBe(1);
    const ranked = await page.getByTestId('ranked-images').locator('tbody tr td:first-child').allTextContents();
    expect(ranked[0]).toBe('fundus-4.png');
    await expect(page.getByTestId('confusion').locator('td.off').allTextContents()).resolves.toEqual(['1']);
    // Five photos were rated by both; five are too few for a confidence interval, and the page says so.
    await expect(page.getByTestId('images-compared').textContent()).resolves.toBe('5');
    await expect(page.getByTestId('too-few-images').textContent()).resolves.toContain('Too few images: 5 rated by two or more annotators.');
    // Diagnoses have no order: no weighted kappa, and the reason beside it.
    await expect(page.getByRole('row', { name: /Weighted κ, linear/ }).textContent()).resolves.toContain('the classes have no order');
  });

  it('makes consensus labels by majority and leaves the tie to a reviewer, who settles it', async () => {
    await page.getByRole('button', { name: 'Make consensus labels (majority vote)' }).click();
    await page.getByText('Consensus labels made for 4 images; 1 tie left for a reviewer.').waitFor();
    await page.getByRole('link', { name: 'fundus-4.png' }).click();
    await page.getByLabel('Choose the consensus label').selectOption('amd');
    await page.getByTestId('consensus-label').filter({ hasText: 'Age-related macular degeneration' }).waitFor();
    await waitSaved(page);
    const consensus = (await storedAnnotations(page)).filter((a) => a.annotatorId === 'consensus');
    expect(consensus.map((a) => a.classId).sort()).toEqual(['amd', 'amd', 'diabetic-retinopathy', 'glaucoma-suspect', 'normal']);
  });

  it('exports the consensus to COCO with the other annotators', async () => {
    await page.getByRole('link', { name: 'Back to agreement' }).click();
    await page.getByRole('link', { name: 'Export' }).click();
    await page.getByLabel('Format').selectOption('coco');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const file = await download;
    const coco = JSON.parse(await (await file.createReadStream()).toArray().then((b) => Buffer.concat(b).toString('utf8')));
    expect(coco.images).toHaveLength(6);
    const byAnnotator = new Map<string, number>();
    for (const a of coco.annotations) {
      expect(Number.isInteger(a.id) && Number.isInteger(a.image_id) && Number.isInteger(a.category_id)).toBe(true);
      const who = a.attributes?.granula?.annotatorId ?? '?';
      byAnnotator.set(who, (byAnnotator.get(who) ?? 0) + 1);
    }
    expect(Object.fromEntries(byAnnotator)).toEqual({ 'dr-a': 5, 'dr-b': 5, consensus: 5 });
    await page.getByTestId('export-log').filter({ hasText: 'coco · 6 images · 15 annotations' }).waitFor();
  });

  it('measures box agreement (F1) between two endoscopists and highlights the unmatched boxes in review', async () => {
    await setIdentity(page, base, 'Dr A');
    await boxFrames([
      [[100, 100], [300, 260]],
      [[200, 150], [320, 250]],
    ]);
    await setIdentity(page, base, 'Dr B');
    await boxFrames([
      [[104, 98], [298, 262]],
      [[420, 300], [520, 400]],
    ]);
    await page.getByRole('link', { name: /Worklist/ }).click();
    await page.getByRole('link', { name: 'Agreement' }).click();
    await page.getByRole('button', { name: 'Compute agreement' }).click();
    // One of two boxes each matches (IoU ≈ 0.95): precision = recall = F1 = 0.5.
    await expect(page.getByTestId('pair-f1').textContent()).resolves.toBe('0.500');
    const ranked = await page.getByTestId('ranked-images').locator('tbody tr td:first-child').allTextContents();
    expect(ranked[0]).toBe('colonoscopy-frame-2.png');
    await page.getByTestId('ranked-images').getByRole('link', { name: 'Review' }).first().click();
    await page.getByTestId('review-legend').waitFor();
    await expect(page.getByTestId('review-legend').textContent()).resolves.toContain('Dr A: 1 · Unmatched shapes 1');
  });

  it('accepts a consensus box for the frame both annotators agree on', async () => {
    await page.getByRole('link', { name: 'Back to agreement' }).click();
    await page.getByRole('button', { name: 'Compute agreement' }).click();
    await page.getByTestId('pair-f1').waitFor();
    await page.getByTestId('ranked-images').getByRole('link', { name: 'Review' }).nth(1).click();
    await page.getByRole('button', { name: 'Accept #1' }).click();
    await page.getByTestId('consensus-count').filter({ hasText: '1' }).waitFor();
    await waitSaved(page);
    const boxes = (await storedAnnotations(page)).filter((a) => a.annotatorId === 'consensus' && a.geometry);
    expect(boxes).toHaveLength(1);
    expect(boxes[0].imageId).toBe('demo-frame-1');
  });
});
