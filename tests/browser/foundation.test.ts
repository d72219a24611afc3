import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';

const base = inject('baseUrl');
let session: Session;
let page: Page;

beforeAll(async () => {
  session = await launchProfile();
  page = await session.context.newPage();
});
afterAll(async () => {
  await session?.close();
});

async function waitSaved(p: Page) {
  await p.getByTestId('save-status').and(p.locator('[data-state="saved"]')).waitFor();
}

describe('foundation journey', () => {
  it('opens with the demo project ready', async () => {
    await page.goto(base);
    const demo = page.getByRole('link', { name: /Demo: pathology cell outlines/ });
    await demo.waitFor();
    await expect(demo.count()).resolves.toBe(1);
  });

  it('creates a project from a template, adds a class, and finds it after a reload', async () => {
    await page.getByLabel('Project name').fill('Colon polyps 2026');
    await page.getByLabel('Schema template').selectOption('endoscopy-lesions');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Colon polyps 2026' }).waitFor();
    await page.getByRole('link', { name: 'Label schema' }).click();
    await page.getByRole('button', { name: 'Add class' }).click();
    const added = page.getByRole('group', { name: 'Class 4' });
    await added.getByLabel('Name (English)').fill('Serrated lesion');
    await added.getByLabel('Name (English)').press('Enter');
    await page.getByRole('group', { name: 'Serrated lesion' }).waitFor();
    await waitSaved(page);

    await page.reload();
    await page.getByRole('group', { name: 'Serrated lesion' }).waitFor();
    const names = await page.getByTestId('class-editor').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names).toEqual(['Polyp', 'Suspected cancer', 'Other lesion', 'Serrated lesion']);
  });

  it('keeps the annotator identity per browser profile', async () => {
    await page.getByTestId('identity').click();
    await page.getByLabel('Your name (as annotator)').fill('Dr Sato');
    await page.getByRole('button', { name: 'Use this name' }).click();
    await page.reload();
    await expect(page.getByTestId('identity').textContent()).resolves.toBe('Annotating as Dr Sato');
  });
});
