import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { pagePoint, setIdentity, storedAnnotations, storedStatuses, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
let session: Session;
let page: Page;

/** PNG frames made by the browser's own canvas, as a scope's still export would be. */
async function framePng(p: Page, hue: number): Promise<Buffer> {
  const b64 = await p.evaluate((h) => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d')!;
    g.fillStyle = `hsl(${h}, 60%, 55%)`;
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#f5c0b0';
    g.beginPath();
    g.arc(160, 120, 40, 0, Math.PI * 2);
    g.fill();
    return c.toDataURL('image/png').split(',')[1];
  }, hue);
  return Buffer.from(b64, 'base64');
}

beforeAll(async () => {
  session = await launchProfile();
  page = await session.context.newPage();
  await setIdentity(page, base, 'Dr Endo');
});
afterAll(async () => {
  await session?.close();
});

describe('endoscopist journey: lesion boxes with attributes', () => {
  it('creates an endoscopy project and loads two frames from files', async () => {
    await page.goto(`${base}/#/`);
    await page.getByLabel('Project name').fill('Colonoscopy study');
    await page.getByLabel('Schema template').selectOption('endoscopy-lesions');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Colonoscopy study' }).waitFor();
    await page.getByLabel('Add JPEG/PNG files').setInputFiles([
      { name: 'frame-001.png', mimeType: 'image/png', buffer: await framePng(page, 5) },
      { name: 'frame-002.png', mimeType: 'image/png', buffer: await framePng(page, 20) },
    ]);
    await page.getByTestId('worklist-row').nth(1).waitFor();
    await expect(page.getByTestId('worklist-row').allTextContents()).resolves.toEqual([
      expect.stringContaining('frame-001.png'),
      expect.stringContaining('frame-002.png'),
    ]);
  });

  it('boxes a lesion with the box tool (the default) and sets its Paris class', async () => {
    await page.getByRole('link', { name: 'frame-001.png' }).click();
    await waitViewer(page);
    await expect(page.getByRole('button', { name: /^Box/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    const a = await pagePoint(page, 120, 80);
    const b = await pagePoint(page, 200, 160);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 3 });
    await page.mouse.move(b.x, b.y, { steps: 3 });
    await page.mouse.up();
    const panel = page.getByTestId('attributes-panel');
    await panel.waitFor();
    // "Done" before the required Paris classification is refused, naming what and where.
    await page.keyboard.press('d');
    await expect(page.getByTestId('message').textContent()).resolves.toContain('Paris classification is required (box 1)');
    await expect(page.getByTestId('annotate-status').textContent()).resolves.toBe('In progress');
    await panel.getByLabel('Paris classification *').selectOption('0-Is');
    await panel.getByLabel('NICE type').selectOption('2');
    await waitSaved(page);
    const [box] = await storedAnnotations(page);
    expect(box).toMatchObject({ classId: 'polyp', attributes: { paris: '0-Is', nice: '2' }, geometry: { type: 'box' } });
    expect(box.geometry.x).toBeCloseTo(120, 0);
    expect(box.geometry.y).toBeCloseTo(80, 0);
    expect(box.geometry.w).toBeCloseTo(80, 0);
    expect(box.geometry.h).toBeCloseTo(80, 0);
  });

  it('refuses a box of zero width with a message, and saves nothing', async () => {
    const a = await pagePoint(page, 250, 50);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(a.x, a.y + 40, { steps: 3 });
    await page.mouse.up();
    await expect(page.getByTestId('message').textContent()).resolves.toMatch(/Not saved: box needs a width above zero/);
    expect(await storedAnnotations(page)).toHaveLength(1);
  });

  it('goes to the next frame with a key and marks it "no lesion", apart from "not yet looked at"', async () => {
    await page.keyboard.press('PageDown');
    await page.getByRole('heading', { name: 'frame-002.png' }).waitFor();
    await waitViewer(page);
    await page.keyboard.press('x');
    await page.getByTestId('annotate-status').filter({ hasText: 'No lesion' }).waitFor();
    await waitSaved(page);
    const statuses = await storedStatuses(page);
    expect(statuses.map((s) => [s.state, s.noFinding]).sort()).toEqual([
      ['done', true],
      ['in-progress', false],
    ]);
  });

  it('finds the box, its Paris class and the "no lesion" mark after a reload', async () => {
    await page.reload();
    await waitViewer(page);
    await page.getByRole('link', { name: /Worklist/ }).click();
    await page.getByTestId('image-status').nth(1).waitFor();
    const rows = await page.getByTestId('image-status').allTextContents();
    expect(rows).toEqual(['In progress', 'Done · No lesion']);
    const [box] = await storedAnnotations(page);
    expect(box.attributes).toEqual({ paris: '0-Is', nice: '2' });
  });
});
