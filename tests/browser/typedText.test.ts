// Text typed in a field is an edit: it survives a reload or a closed tab right after the last key,
// and the header never says everything is saved while such text is not committed yet.
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { openProject, pagePoint, setIdentity, storedAnnotations, waitSaved, waitViewer } from './app';
import { drawBox } from './trustHelpers';

const base = inject('baseUrl');
const sessions: Session[] = [];
const pageErrors: string[] = [];

async function freshPage(): Promise<{ session: Session; page: Page }> {
  const session = await launchProfile();
  sessions.push(session);
  const page = await session.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { session, page };
}

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});
afterAll(async () => {
  for (const s of sessions) await s.close();
});

/** From now on, every state the save indicator shows ("state|text"), in order. */
async function watchIndicator(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __saveStates: string[] };
    const el = document.querySelector('[data-testid="save-status"]')!;
    w.__saveStates = [];
    const note = () => w.__saveStates.push(`${el.getAttribute('data-state')}|${el.textContent}`);
    new MutationObserver(note).observe(el, { attributes: true, childList: true, characterData: true, subtree: true });
  });
}

/** What the indicator showed since `watchIndicator`, and what it shows now. */
async function indicatorLog(page: Page): Promise<{ seen: string[]; now: string }> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="save-status"]')!;
    return { seen: (window as unknown as { __saveStates: string[] }).__saveStates, now: `${el.getAttribute('data-state')}|${el.textContent}` };
  });
}

const SAVED = 'saved|All changes saved';

describe('text typed in a field', () => {
  it('a comment typed into a box attribute is there after a reload 100 ms after the last key', async () => {
    const { page } = await freshPage();
    await setIdentity(page, base, 'Dr Typist');
    await openProject(page, base, /Demo: endoscopy lesion boxes/);
    await page.getByRole('link', { name: 'colonoscopy-frame-3.png', exact: true }).click();
    await waitViewer(page);
    const frameUrl = page.url();
    await page.keyboard.press('3'); // "Other lesion": its one attribute is a free-text comment
    await drawBox(page, 100, 100, 220, 200);
    const comment = page.getByTestId('attributes-panel').getByLabel('Comment');
    await comment.waitFor();
    await waitSaved(page);

    await watchIndicator(page);
    const text = 'flat, 8 mm, near fold';
    await comment.click();
    await comment.pressSequentially(text, { delay: 15 });
    await page.waitForTimeout(100);
    const log = await indicatorLog(page);
    expect(log.now).not.toBe(SAVED);
    expect(log.seen.length).toBeGreaterThan(0);
    expect(log.seen).not.toContain(SAVED);
    await page.reload();
    await waitViewer(page);

    const [box] = (await storedAnnotations(page)).filter((a) => a.annotatorId === 'dr-typist');
    expect(box.attributes).toEqual({ comment: text });
    // And on screen: select the box, its comment is in the field.
    await page.keyboard.press('v');
    const centre = await pagePoint(page, 160, 150);
    await page.mouse.click(centre.x, centre.y);
    await expect(page.getByTestId('attributes-panel').getByLabel('Comment').inputValue()).resolves.toBe(text);
    expect(page.url()).toBe(frameUrl);
  });

  it('a note typed for a fundus photo is there after closing the tab 100 ms after the last key', async () => {
    const { session, page } = await freshPage();
    await setIdentity(page, base, 'Dr Notes');
    await openProject(page, base, /Demo: fundus diagnosis/);
    await page.getByRole('link', { name: 'fundus-2.png', exact: true }).click();
    await waitViewer(page);
    const photoUrl = page.url();
    await page.keyboard.press('2'); // glaucoma suspect
    await waitSaved(page);

    await watchIndicator(page);
    await page.keyboard.press('n');
    const note = page.getByRole('textbox', { name: /Note/ });
    await expect(note.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await note.pressSequentially('cup-to-disc 0.7', { delay: 15 });
    await page.keyboard.press('Enter'); // a second line, not a confirmation
    await note.pressSequentially('recheck in 6 months', { delay: 15 });
    await page.waitForTimeout(100);
    const log = await indicatorLog(page);
    expect(log.now).not.toBe(SAVED);
    expect(log.seen).not.toContain(SAVED);
    await page.close({ runBeforeUnload: true });

    const again = await session.context.newPage();
    again.on('pageerror', (e) => pageErrors.push(e.message));
    await again.goto(photoUrl);
    await waitViewer(again);
    await expect(again.getByRole('textbox', { name: /Note/ }).inputValue()).resolves.toBe('cup-to-disc 0.7\nrecheck in 6 months');
    const labels = (await storedAnnotations(again)).filter((a) => a.annotatorId === 'dr-notes');
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({ classId: 'glaucoma-suspect', note: 'cup-to-disc 0.7\nrecheck in 6 months' });
  });
});
