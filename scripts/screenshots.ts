// Takes the README's screenshots (1280×800) of each view with the demo projects: `npm run screenshots`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { imagePoint, imageToScreen } from '../src/viewer/coords';
import { syntheticCellsInRect } from '../src/synthetic/cells';
import { tissueCentre } from '../src/synthetic/fields';
import { slideShots } from './slideShots';
import { teamShots } from './teamShots';
import { syncShots } from './syncShots';

const OUT = 'docs/screenshots';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function at(page: Page, x: number, y: number) {
  const t = await page.evaluate(() => window.granulaViewer!.transform());
  const s = imageToScreen(t, imagePoint(x, y));
  const box = (await page.getByTestId('viewer').boundingBox())!;
  return { x: box.x + s.x, y: box.y + s.y };
}

async function look(page: Page, x: number, y: number, scale: number) {
  await page.evaluate(([x, y, s]) => {
    const vp = window.granulaViewer!.viewer.viewport;
    vp.zoomTo(vp.imageToViewportZoom(s), undefined, true);
    vp.panTo(vp.imageToViewportCoordinates(x, y), true);
  }, [x, y, scale] as const);
  await page.waitForTimeout(300);
  await page.waitForFunction(() => window.granulaViewer!.viewer.world.getItemAt(0).getFullyLoaded());
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: 4388, host: '127.0.0.1' }, logLevel: 'warn' });
  const base = 'http://127.0.0.1:4388';
  const dir = mkdtempSync(join(tmpdir(), 'granula-shots-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await ctx.newPage();
  const shot = (name: string) => page.screenshot({ path: `${OUT}/${name}.png` });
  try {
    await page.goto(`${base}/#/settings`);
    await page.getByLabel('Your name (as annotator)').fill('Dr Sato');
    await page.getByRole('button', { name: 'Use this name' }).click();
    await page.goto(`${base}/#/`);
    await page.getByRole('link', { name: /Demo: endoscopy/ }).waitFor();
    await shot('projects');

    // Pathology: outline a few true cells, zoomed in.
    await page.getByRole('link', { name: /Demo: pathology/ }).click();
    await page.getByRole('link', { name: /Synthetic H&E/ }).click();
    await page.waitForFunction(() => !!window.granulaViewer);
    const c = tissueCentre(1);
    const cells = syntheticCellsInRect(1, { x: c.x - 120, y: c.y - 90, w: 240, h: 180 }).slice(0, 14);
    await look(page, c.x, c.y, 3);
    await page.keyboard.press('p');
    for (const [i, cell] of cells.entries()) {
      await page.keyboard.press(i % 3 === 0 ? '2' : '1');
      for (let k = 0; k < cell.points.length; k += 4) {
        const p = await at(page, cell.points[k], cell.points[k + 1]);
        await page.mouse.click(p.x, p.y);
      }
      await page.keyboard.press('Enter');
    }
    await page.keyboard.press('v');
    const first = await at(page, cells[0].cx, cells[0].cy);
    await page.mouse.click(first.x, first.y);
    await page.waitForTimeout(300);
    await shot('pathology-annotate');
    await look(page, c.x, c.y, 0.012);
    await shot('pathology-slide');

    // Endoscopy: a box with its Paris class.
    await page.goto(`${base}/#/`);
    await page.getByRole('link', { name: /Demo: endoscopy/ }).click();
    await shot('worklist');
    await page.getByRole('link', { name: 'colonoscopy-frame-1.png' }).click();
    await page.waitForFunction(() => !!window.granulaViewer);
    await page.waitForTimeout(500);
    const a = await at(page, 170, 120);
    const b = await at(page, 330, 290);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('attributes-panel').getByLabel('Paris classification *').selectOption('0-Is');
    await shot('endoscopy-annotate');

    // Fundus: labels only.
    await page.goto(`${base}/#/`);
    await page.getByRole('link', { name: /Demo: fundus/ }).click();
    await page.getByRole('link', { name: 'fundus-1.png' }).click();
    await page.waitForFunction(() => !!window.granulaViewer);
    await page.keyboard.press('3');
    await page.keyboard.press('2');
    await page.waitForTimeout(400);
    await shot('fundus-annotate');
    await page.keyboard.press('?');
    await shot('help');
    await page.keyboard.press('Escape');

    // Schema editor and agreement page.
    await page.goto(`${base}/#/`);
    await page.getByRole('link', { name: /Demo: endoscopy/ }).click();
    await page.getByRole('link', { name: 'Label schema' }).click();
    await shot('schema-editor');
    await page.getByRole('link', { name: 'Agreement' }).click();
    await shot('agreement');

    // The same workbench in Japanese.
    await page.getByRole('button', { name: 'Language' }).click();
    await page.getByRole('link', { name: 'ワークリスト' }).click();
    await shot('worklist-ja');
    await page.getByRole('button', { name: '言語' }).click();

    // The team loop across three browser profiles.
    await teamShots(base, OUT);
    // Live sync with a loopback server: an annotator offline, the coordinator's Server card.
    await syncShots(base, OUT);
    // A pathologist's own slide file from disk.
    await slideShots(base, OUT);
  } finally {
    await ctx.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`screenshots written to ${OUT}/`);
}

void main();
