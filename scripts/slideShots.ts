// The README's screenshots of a slide opened from disk: the worklist with its scale, the viewer with the scale bar.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { makeSvs } from '../tests/slides/makeSlides';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function slideShots(base: string, out: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'granula-slide-shots-'));
  const ctx = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  try {
    const svs = makeSvs(dir, { name: 'case-17.svs' });
    // The plain file input (as in Firefox): Playwright can hand it a file; the system picker it cannot.
    await ctx.addInitScript(() => {
      delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
    });
    const page = await ctx.newPage();
    await page.goto(`${base}/#/settings`);
    await page.getByLabel('Your name (as annotator)').fill('Dr Sato');
    await page.getByRole('button', { name: 'Use this name' }).click();
    await page.goto(`${base}/#/`);
    await page.getByRole('link', { name: /Demo: pathology/ }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByText(/Add slide files/).click();
    await (await chooser).setFiles(svs);
    await page.getByRole('link', { name: 'case-17' }).waitFor();
    await page.screenshot({ path: `${out}/slide-worklist.png` });
    await page.getByRole('link', { name: 'case-17' }).click();
    await page.waitForFunction(() => !!window.granulaViewer && window.granulaViewer.viewer.world.getItemCount() > 0);
    await page.evaluate(() => {
      const vp = window.granulaViewer!.viewer.viewport;
      vp.zoomTo(vp.imageToViewportZoom(1.5), undefined, true);
      vp.panTo(vp.imageToViewportCoordinates(1500, 1100), true);
    });
    await page.waitForTimeout(500);
    await page.waitForFunction(() => window.granulaViewer!.viewer.world.getItemAt(0).getFullyLoaded());
    await page.screenshot({ path: `${out}/slide-annotate.png` });
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
