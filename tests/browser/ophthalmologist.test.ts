import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { openProject, setIdentity, storedAnnotations, storedStatuses, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
let session: Session;
let page: Page;
const perLabel: number[] = [];

// Key presses per photo: class hotkey, then (for diabetic retinopathy) the grade, then Enter. The DR
// grade is not offered for other classes: the "0" after "Normal" chooses nothing.
const PLAN: { keys: string[]; classId: string; grade?: number }[] = [
  { keys: ['1', '0'], classId: 'normal' },
  { keys: ['3', '2'], classId: 'diabetic-retinopathy', grade: 2 },
  { keys: ['2'], classId: 'glaucoma-suspect' },
  { keys: ['3', '4'], classId: 'diabetic-retinopathy', grade: 4 },
  { keys: ['4'], classId: 'amd' },
];

beforeAll(async () => {
  session = await launchProfile();
  page = await session.context.newPage();
  await setIdentity(page, base, 'Dr Eye');
  await openProject(page, base, /Demo: fundus diagnosis/);
});
afterAll(async () => {
  console.log(`ophthalmologist: ${perLabel.map((t) => t.toFixed(0)).join(', ')} ms per fundus label (keys only, app side)`);
  await session?.close();
});

describe('ophthalmologist journey: diagnosis labels with keys only', () => {
  it('shows no drawing tools for an image-level schema', async () => {
    await page.getByRole('link', { name: 'Next unfinished' }).click();
    await waitViewer(page);
    await expect(page.getByRole('toolbar', { name: 'Tools' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /Polygon/ }).count()).resolves.toBe(0);
  });

  it('labels five photos with the keyboard, moving on with Enter', async () => {
    for (let i = 0; i < PLAN.length; i++) {
      await page.getByTestId('image-position').filter({ hasText: `${i + 1} / 6` }).waitFor();
      const start = Date.now();
      for (const k of PLAN[i].keys) await page.keyboard.press(k);
      await page.keyboard.press('Enter');
      await page.getByTestId('image-position').filter({ hasText: `${i + 2} / 6` }).waitFor();
      perLabel.push(Date.now() - start);
    }
    await waitSaved(page);
    const labels = (await storedAnnotations(page)).filter((a) => a.annotatorId === 'dr-eye');
    const byImage = new Map(labels.map((a) => [a.imageId, a]));
    PLAN.forEach((p, i) => {
      const a = byImage.get(`demo-fundus-${i + 1}`);
      expect(a, `photo ${i + 1}`).toMatchObject({ classId: p.classId, geometry: null });
      expect(a!.grade).toBe(p.grade);
    });
    expect(labels).toHaveLength(5);
    const done = (await storedStatuses(page)).filter((s) => s.annotatorId === 'dr-eye' && s.state === 'done');
    expect(done.map((s) => s.imageId).sort()).toEqual(['demo-fundus-1', 'demo-fundus-2', 'demo-fundus-3', 'demo-fundus-4', 'demo-fundus-5']);
  });

  it('refuses to move on without a label, saying why', async () => {
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('message').textContent()).resolves.toContain('Choose a label first');
    await expect(page.getByTestId('image-position').textContent()).resolves.toBe('6 / 6');
  });

  it('finds the five labels after a reload, and the worklist counts them', async () => {
    const before = await storedAnnotations(page);
    await page.reload();
    await waitViewer(page);
    expect((await storedAnnotations(page)).sort((a, b) => a.id.localeCompare(b.id))).toEqual(before.sort((a, b) => a.id.localeCompare(b.id)));
    await page.getByRole('link', { name: /Worklist/ }).click();
    await expect(page.getByTestId('worklist-counts').textContent()).resolves.toBe('1 to do · 0 in progress · 5 done');
  });
});
