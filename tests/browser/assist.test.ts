import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shapeIou } from '../../src/agreement';
import { syntheticCellsInRect } from '../../src/synthetic/cells';
import { tissueCentre } from '../../src/synthetic/fields';
import { launchProfile, type Session } from './chromium';
import { lookAt, openProject, pagePoint, proposeIn, setIdentity, storedAnnotations, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
let session: Session;
let page: Page;
const centre = tissueCentre(1);
const wandTimes: number[] = [];

beforeAll(async () => {
  session = await launchProfile();
  page = await session.context.newPage();
  await setIdentity(page, base, 'Dr Wand');
  await openProject(page, base, /Demo: pathology cell outlines/);
  await page.getByRole('link', { name: /Synthetic H&E slide/ }).click();
  await waitViewer(page);
});
afterAll(async () => {
  console.log(`assist: ${wandTimes.map((t) => t.toFixed(0)).join(', ')} ms per cell with the wand (click, proposal shown, Enter)`);
  await session?.close();
});

const count = async () => Number((await page.getByTestId('shape-count').textContent())!.match(/\d+/)![0]);

describe('assisted annotation on the synthetic slide', () => {
  it('outlines nuclei with one click each and accepts them with Enter', async () => {
    const cells = syntheticCellsInRect(1, { x: centre.x - 100, y: centre.y - 100, w: 200, h: 200 }).slice(0, 3);
    await lookAt(page, centre.x, centre.y, 2);
    await page.keyboard.press('w');
    await page.keyboard.press('1');
    for (const cell of cells) {
      const before = await count();
      const p = await pagePoint(page, cell.cx, cell.cy);
      const start = Date.now();
      await page.mouse.click(p.x, p.y);
      await page.getByRole('button', { name: /Reject/ }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('shape-count').filter({ hasText: String(before + 1) }).waitFor();
      wandTimes.push(Date.now() - start);
    }
    await waitSaved(page);
    const made = (await storedAnnotations(page)).filter((a) => (a as { provenance?: { kind: string } }).provenance?.kind === 'assistant');
    expect(made).toHaveLength(3);
    for (const cell of cells) {
      const best = Math.max(...made.map((a) => shapeIou(a.geometry, { type: 'polygon', points: cell.points })));
      expect(best).toBeGreaterThan(0.8);
    }
    expect(made.every((a) => (a as { provenance?: { acceptedBy?: string } }).provenance?.acceptedBy === 'dr-wand')).toBe(true);
  });

  it('drops a proposal with Esc, saving nothing', async () => {
    const before = await count();
    const cell = syntheticCellsInRect(1, { x: centre.x + 200, y: centre.y, w: 100, h: 100 })[0];
    await lookAt(page, cell.cx, cell.cy, 2);
    const p = await pagePoint(page, cell.cx, cell.cy);
    await page.mouse.click(p.x, p.y);
    await page.getByRole('button', { name: /Reject/ }).waitFor();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: /Reject/ }).count()).resolves.toBe(0);
    expect(await count()).toBe(before);
  });

  it('proposes every nucleus in a drawn region as suggestions, and accepts them all', async () => {
    const region = { x: centre.x - 400, y: centre.y + 300, w: 200, h: 160 };
    const truth = syntheticCellsInRect(1, region).filter((c) => c.cx >= region.x && c.cx < region.x + region.w && c.cy >= region.y && c.cy < region.y + region.h);
    await lookAt(page, region.x + region.w / 2, region.y + region.h / 2, 2);
    const proposed = await proposeIn(page, region);
    expect(Math.abs(proposed - truth.length)).toBeLessThanOrEqual(Math.max(1, Math.round(truth.length * 0.1)));
    // Suggestions are not annotations until accepted.
    const before = (await storedAnnotations(page)).length;
    await page.keyboard.press('a');
    await expect(page.getByTestId('suggestion-count').count()).resolves.toBe(0);
    await waitSaved(page);
    const after = await storedAnnotations(page);
    expect(after.length - before).toBe(proposed);
    const inRegion = after.filter((x) => x.geometry?.type === 'polygon' && x.geometry.points[0] >= region.x - 20 && x.geometry.points[0] <= region.x + region.w + 20 && x.geometry.points[1] >= region.y - 20 && x.geometry.points[1] <= region.y + region.h + 20);
    let matched = 0;
    for (const cell of truth) if (inRegion.some((x) => shapeIou(x.geometry, { type: 'polygon', points: cell.points }) >= 0.5)) matched++;
    expect(matched / truth.length).toBeGreaterThanOrEqual(0.9);
  });
});
