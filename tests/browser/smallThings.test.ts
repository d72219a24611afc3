// Small things users hit: the end of a worklist, messages that outlive their place, the navigator
// over the frame's corner, a dropdown wider than its panel.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { openProject, pagePoint, setIdentity, waitViewer } from './app';
import { drawBox } from './trustHelpers';

const base = inject('baseUrl');
let session: Session;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  session = await launchProfile();
  page = await session.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setIdentity(page, base, 'Dr Small');
});
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});
afterAll(async () => {
  await session?.close();
});

async function openImage(project: RegExp, image: string): Promise<void> {
  await openProject(page, base, project);
  await page.getByRole('link', { name: image, exact: true }).click();
  await waitViewer(page);
}

/** Whether OpenSeadragon's navigator (the overview in a corner) can be seen. */
const navigatorShown = () => page.locator('.navigator').isVisible();

describe('the end of the worklist', () => {
  it('on the last photo, Enter says all is done and offers the worklist; Enter again goes there', async () => {
    await openImage(/Demo: fundus diagnosis/, 'fundus-1.png');
    for (let i = 1; i <= 6; i++) {
      await page.getByTestId('image-position').filter({ hasText: `${i} / 6` }).waitFor();
      await page.keyboard.press('2'); // glaucoma suspect
      await page.keyboard.press('Enter');
    }
    const done = page.getByTestId('all-done');
    await done.waitFor();
    await expect(done.textContent()).resolves.toContain('All 6 images are done.');
    await expect(done.getAttribute('role')).resolves.toBe('status');
    await expect(page.getByTestId('image-position').textContent()).resolves.toBe('6 / 6');
    const link = done.getByRole('link', { name: /Back to the worklist/ });
    await expect(link.isVisible()).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('worklist-counts').filter({ hasText: '0 to do · 0 in progress · 6 done' }).waitFor();
  });
});

describe('messages belong to where they were said', () => {
  it('a refusal on one frame is gone on the next frame, and after a language switch', async () => {
    await openImage(/Demo: endoscopy lesion boxes/, 'colonoscopy-frame-1.png');
    const refuseZeroWidth = async () => {
      const a = await pagePoint(page, 250, 50);
      await page.mouse.move(a.x, a.y);
      await page.mouse.down();
      await page.mouse.move(a.x, a.y + 40, { steps: 3 });
      await page.mouse.up();
      await page.getByTestId('message').filter({ hasText: 'box needs a width above zero' }).waitFor();
    };
    await refuseZeroWidth();
    await page.keyboard.press('PageDown');
    await page.getByRole('heading', { name: 'colonoscopy-frame-2.png' }).waitFor();
    await waitViewer(page);
    await expect(page.getByTestId('message').count()).resolves.toBe(0);
    await page.keyboard.press('PageUp');
    await page.getByRole('heading', { name: 'colonoscopy-frame-1.png' }).waitFor();
    await waitViewer(page);
    await expect(page.getByTestId('message').count()).resolves.toBe(0);

    await refuseZeroWidth();
    await page.getByRole('button', { name: 'Language' }).click();
    await page.getByRole('button', { name: '言語' }).waitFor();
    await expect(page.getByTestId('message').count()).resolves.toBe(0);
    await page.getByRole('button', { name: '言語' }).click();
    await page.getByRole('button', { name: 'Language' }).waitFor();
  });
});

describe('an endoscopy frame in full view', () => {
  it('has no navigator over its corner while the whole frame fits; zoomed in, the navigator is there', async () => {
    await openImage(/Demo: endoscopy lesion boxes/, 'colonoscopy-frame-3.png');
    await page.keyboard.press('0');
    await page.waitForTimeout(700); // the home animation
    expect(await navigatorShown()).toBe(false);
    // The frame's bottom-right corner is the frame (the viewer), not an overview drawn over it.
    const corner = await pagePoint(page, 630, 470);
    const over = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('.navigator') !== null, [corner.x, corner.y] as const);
    expect(over).toBe(false);

    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.locator('.navigator').waitFor({ state: 'visible' });
    await page.keyboard.press('0');
    await page.locator('.navigator').waitFor({ state: 'hidden' });
  });

  it('keeps the NICE dropdown inside the side panel', async () => {
    await page.keyboard.press('1'); // polyp: Paris, NICE and size
    await drawBox(page, 100, 100, 220, 200);
    const nice = page.getByTestId('attributes-panel').getByLabel('NICE type');
    await nice.waitFor();
    const fits = await nice.evaluate((select) => {
      const side = select.closest('.annotate-side')!;
      const s = select.getBoundingClientRect();
      const p = side.getBoundingClientRect();
      return { inside: s.left >= p.left && s.right <= p.right, scrolls: side.scrollWidth > side.clientWidth, select: s.right, panel: p.right };
    });
    expect(fits).toMatchObject({ inside: true, scrolls: false });
  });
});
