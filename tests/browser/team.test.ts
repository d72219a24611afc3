// The working group's loop across sites: a coordinator and two annotators, each in their own browser
// profile (three separate IndexedDBs), passing files as they would by mail or USB stick.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { openProject, setIdentity, storedAnnotations, waitSaved } from './app';

const base = inject('baseUrl');
const dir = mkdtempSync(join(tmpdir(), 'granula-team-'));
const sessions: Session[] = [];
let coord: Page;

// Class hotkeys of the fundus template: 1 normal (the "0" after it chooses nothing: only DR takes a grade), 2 glaucoma suspect, 3 DR (then grade).
const NORMAL = ['1', '0'];
const DR2 = ['3', '2'];
const GLAUCOMA = ['2'];
const PLANS: Record<string, string[][]> = {
  'Dr Ana': [NORMAL, DR2, GLAUCOMA, NORMAL],
  'Dr Ben': [NORMAL, DR2, NORMAL, NORMAL],
};

async function newPage(): Promise<Page> {
  const s = await launchProfile();
  sessions.push(s);
  return s.context.newPage();
}

/** Clicks what starts a download and keeps the file; returns its path and suggested name. */
async function download(page: Page, click: () => Promise<void>): Promise<{ path: string; name: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return { path, name: d.suggestedFilename() };
}

async function teamTab(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Team', exact: true }).click();
  await page.getByTestId('my-role').waitFor();
}

const packages: Record<string, string> = {};
const returns: Record<string, string> = {};

beforeAll(async () => {
  coord = await newPage();
  await setIdentity(coord, base, 'Dr Coord');
  await openProject(coord, base, /Demo: fundus diagnosis/);
});
afterAll(async () => {
  for (const s of sessions) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('team loop: package → annotate blind → return → gather → agreement → adjudicate → export', () => {
  it('the coordinator names the team, assigns every image and writes one package per annotator', async () => {
    await teamTab(coord);
    await coord.getByRole('button', { name: 'Make me the coordinator' }).click();
    await coord.getByTestId('my-role').filter({ hasText: 'coordinator' }).waitFor();
    for (const name of ['Dr Ana', 'Dr Ben']) {
      await coord.getByLabel('Name', { exact: true }).fill(name);
      await coord.getByRole('button', { name: 'Add to the team' }).click();
      await coord.getByTestId('members').getByText(name).waitFor();
    }
    await coord.getByLabel('Every image to every annotator').check();
    await coord.getByRole('button', { name: 'Apply assignment' }).click();
    await coord.getByTestId('assignment-summary').filter({ hasText: 'Dr Ana: 6 images' }).waitFor();
    for (const name of ['Dr Ana', 'Dr Ben']) {
      const f = await download(coord, () => coord.getByRole('button', { name: `Export package for ${name}` }).click());
      expect(f.name).toMatch(/^granula-package_Demo_ fundus diagnosis/);
      packages[name] = f.path;
      const pkg = JSON.parse(readFileSync(f.path, 'utf8'));
      // Blind: nobody's labels travel; the image files do.
      expect(pkg.package.annotatorId).toBe(name.toLowerCase().replace(' ', '-'));
      expect(pkg.annotations).toEqual([]);
      expect(pkg.images).toHaveLength(6);
      expect(pkg.files).toHaveLength(6);
    }
  });

  for (const name of ['Dr Ana', 'Dr Ben']) {
    it(`${name} opens the package in her own browser, labels blind and sends the work back`, async () => {
      const page = await newPage();
      await page.goto(`${base}/#/`);
      // No name chosen yet: the package names whom it is for.
      await page.locator('input[type=file]').first().setInputFiles(packages[name]);
      await page.getByTestId('package-opened').waitFor();
      await page.getByTestId('identity').filter({ hasText: name }).waitFor();
      await page.getByTestId('package-opened').getByRole('link', { name: 'Open' }).click();
      await page.getByRole('link', { name: 'Worklist' }).waitFor();
      // An annotator gets no agreement, export, schema editing or worklist editing.
      await page.getByTestId('worklist-row').first().waitFor();
      await expect(page.getByRole('link', { name: 'Agreement' }).count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Export' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: /^Remove: / }).count()).resolves.toBe(0);
      await page.getByRole('link', { name: 'Label schema' }).click();
      await page.getByRole('note').filter({ hasText: 'Only the coordinator changes the label schema' }).waitFor();
      await page.getByRole('link', { name: 'Worklist' }).click();
      await page.getByRole('link', { name: 'Next unfinished' }).click();
      const plan = PLANS[name];
      for (let i = 0; i < plan.length; i++) {
        await page.getByTestId('image-position').filter({ hasText: `${i + 1} / 6` }).waitFor();
        for (const k of plan[i]) await page.keyboard.press(k);
        await page.keyboard.press('Enter');
        await page.getByTestId('image-position').filter({ hasText: `${i + 2} / 6` }).waitFor();
      }
      await waitSaved(page);
      await page.goto(page.url().replace(/\/annotate\/.*$/, '/team'));
      await page.getByTestId('my-progress').filter({ hasText: '4 of 6 done' }).waitFor();
      const f = await download(page, () => page.getByRole('button', { name: 'Send my work back' }).click());
      expect(f.name).toMatch(new RegExp(`^granula-return_Demo_ fundus diagnosis.*_${name.toLowerCase().replace(' ', '-')}_\\d{4}-\\d{2}-\\d{2}\\.json$`));
      returns[name] = f.path;
      const ret = JSON.parse(readFileSync(f.path, 'utf8'));
      expect(ret.annotations).toHaveLength(4);
      expect(new Set(ret.annotations.map((a: { annotatorId: string }) => a.annotatorId))).toEqual(new Set([ret.return.annotatorId]));
    });
  }

  it('the coordinator gathers both returns; the same return again changes nothing; a foreign return is refused whole', async () => {
    await teamTab(coord);
    const input = coord.getByTestId('gather').locator('input[type=file]');
    await input.setInputFiles([returns['Dr Ana'], returns['Dr Ben']]);
    const report = coord.getByTestId('gather-report');
    await report.locator('tbody tr').nth(1).waitFor();
    const rows = await report.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toContain('dr-ana');
    expect(rows[1]).toContain('dr-ben');
    await waitSaved(coord);
    const gathered = (await storedAnnotations(coord)).filter((a) => a.annotatorId === 'dr-ana' || a.annotatorId === 'dr-ben');
    expect(gathered).toHaveLength(8);

    await input.setInputFiles([returns['Dr Ana']]);
    // The new report has one row: wait for the old one's second row to go, or the old numbers are read.
    await report.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
    await report.locator('tbody tr').first().filter({ hasText: 'dr-ana' }).waitFor();
    const again = (await report.locator('tbody tr').first().locator('td').allInnerTexts()).slice(2, 5);
    expect(again).toEqual(['0', '0', '0']);

    const foreign = JSON.parse(readFileSync(returns['Dr Ben'], 'utf8'));
    foreign.project.id = 'prj_somebody_else';
    const foreignPath = join(dir, 'foreign-return.json');
    writeFileSync(foreignPath, JSON.stringify(foreign));
    const truncatedPath = join(dir, 'truncated-return.json');
    writeFileSync(truncatedPath, readFileSync(returns['Dr Ben'], 'utf8').slice(0, 300));
    await input.setInputFiles([foreignPath, truncatedPath]);
    await coord.getByRole('alert').filter({ hasText: 'foreign-return.json' }).getByText(/project\.id: is project "prj_somebody_else"/).waitFor();
    await coord.getByRole('alert').filter({ hasText: 'truncated-return.json' }).getByText(/\(file\): is not JSON/).waitFor();
    expect((await storedAnnotations(coord)).filter((a) => a.annotatorId === 'dr-ana' || a.annotatorId === 'dr-ben')).toHaveLength(8);
  });

  it('agreement across sites, adjudication and export hold both annotators and the consensus', async () => {
    await coord.getByRole('link', { name: 'Agreement' }).click();
    await coord.getByRole('button', { name: 'Compute agreement' }).click();
    // Hand-computed: 3 of 4 agree (po 0.75); Ana 2 normal, 1 DR, 1 glaucoma; Ben 3 normal, 1 DR;
    // pe = 2/4·3/4 + 1/4·1/4 = 7/16; κ = (0.75 − 7/16) / (1 − 7/16) = 0.556.
    await expect(coord.getByTestId('cohen-kappa').textContent()).resolves.toBe('0.556');
    await coord.getByRole('button', { name: 'Make consensus labels (majority vote)' }).click();
    await coord.getByText('Consensus labels made for 3 images; 1 tie left for a reviewer.').waitFor();
    await coord.getByRole('link', { name: 'fundus-3.png' }).click();
    await coord.getByLabel('Choose the consensus label').selectOption('glaucoma-suspect');
    await coord.getByTestId('consensus-label').filter({ hasText: 'Glaucoma suspect' }).waitFor();
    await waitSaved(coord);
    const consensus = (await storedAnnotations(coord)).filter((a) => a.annotatorId === 'consensus');
    expect(consensus).toHaveLength(4);
    for (const c of consensus) {
      expect((c as unknown as { provenance: { acceptedBy: string; from: string[] } }).provenance).toMatchObject({ kind: 'consensus', acceptedBy: 'dr-coord', from: ['dr-ana', 'dr-ben'] });
    }

    await coord.getByRole('link', { name: 'Back to agreement' }).click();
    await coord.getByRole('link', { name: 'Export' }).click();
    const f = await download(coord, () => coord.getByRole('button', { name: 'Export', exact: true }).click());
    const doc = JSON.parse(readFileSync(f.path, 'utf8'));
    const by = (id: string) => doc.annotations.filter((a: { annotatorId: string }) => a.annotatorId === id).length;
    expect([by('dr-ana'), by('dr-ben'), by('consensus')]).toEqual([4, 4, 4]);
    const actions = new Set(doc.audit.map((e: { action: string }) => e.action));
    for (const a of ['package', 'return', 'gather', 'adjudicate', 'create']) expect(actions, a).toContain(a);

    await coord.getByRole('link', { name: 'Audit trail' }).click();
    await coord.getByTestId('audit').getByText('gathered', { exact: false }).first().waitFor();
  });
});
