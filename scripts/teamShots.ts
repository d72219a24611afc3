// The team loop's screenshots: a coordinator and two annotators, each in a browser profile of their own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function profile(): Promise<{ ctx: BrowserContext; page: Page; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'granula-team-shots-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  return { ctx, page: await ctx.newPage(), close: async () => (await ctx.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function download(page: Page, dir: string, click: () => Promise<void>): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return path;
}

const PLANS: Record<string, string[][]> = {
  'Dr Ana': [['1', '0'], ['3', '2'], ['2'], ['1', '0'], ['3', '3']],
  'Dr Ben': [['1', '0'], ['3', '2'], ['1', '0'], ['1', '0'], ['3', '4']],
};

export async function teamShots(base: string, out: string): Promise<void> {
  const files = mkdtempSync(join(tmpdir(), 'granula-team-files-'));
  const coord = await profile();
  const others: { close: () => Promise<void> }[] = [];
  const page = coord.page;
  try {
    await page.goto(`${base}/#/settings`);
    await page.getByLabel('Your name (as annotator)').fill('Dr Coord');
    await page.getByRole('button', { name: 'Use this name' }).click();
    await page.goto(`${base}/#/`);
    await page.getByRole('link', { name: /Demo: fundus/ }).click();
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.getByRole('button', { name: 'Make me the coordinator' }).click();
    for (const name of ['Dr Ana', 'Dr Ben']) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Add to the team' }).click();
      await page.getByTestId('members').getByText(name).waitFor();
    }
    await page.getByLabel('Every image to every annotator').check();
    await page.getByRole('button', { name: 'Apply assignment' }).click();
    const packages: Record<string, string> = {};
    for (const name of Object.keys(PLANS)) packages[name] = await download(page, files, () => page.getByRole('button', { name: `Export package for ${name}` }).click());

    const returns: string[] = [];
    for (const [name, plan] of Object.entries(PLANS)) {
      const a = await profile();
      others.push(a);
      await a.page.goto(`${base}/#/`);
      await a.page.locator('input[type=file]').first().setInputFiles(packages[name]);
      await a.page.getByTestId('package-opened').getByRole('link', { name: 'Open' }).click();
      await a.page.getByRole('link', { name: 'Next unfinished' }).click();
      for (let i = 0; i < plan.length; i++) {
        await a.page.getByTestId('image-position').filter({ hasText: `${i + 1} / 6` }).waitFor();
        for (const k of plan[i]) await a.page.keyboard.press(k);
        await a.page.keyboard.press('Enter');
        await a.page.getByTestId('image-position').filter({ hasText: `${i + 2} / 6` }).waitFor();
      }
      await a.page.goto(a.page.url().replace(/\/annotate\/.*$/, '/worklist'));
      await a.page.getByTestId('worklist-row').first().waitFor();
      if (name === 'Dr Ana') await a.page.screenshot({ path: `${out}/team-annotator.png` });
      returns.push(await download(a.page, files, () => a.page.getByRole('button', { name: 'Send my work back' }).click()));
    }

    await page.getByTestId('gather').locator('input[type=file]').setInputFiles(returns);
    await page.getByTestId('gather-report').locator('tbody tr').nth(1).waitFor();
    await page.getByRole('button', { name: 'Compute agreement so far' }).click();
    await page.getByTestId('agreement-so-far').locator('table').waitFor();
    const top = (name: string) => page.getByRole('heading', { name }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await top('Work packages');
    await page.screenshot({ path: `${out}/team-gather.png` });
    await top('Progress');
    await page.screenshot({ path: `${out}/team-dashboard.png` });
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByTestId('audit').waitFor();
    await page.screenshot({ path: `${out}/audit-trail.png` });
  } finally {
    for (const o of others) await o.close();
    await coord.close();
    rmSync(files, { recursive: true, force: true });
  }
}
