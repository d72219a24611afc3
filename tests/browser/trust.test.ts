// Trust, in a real browser: two tabs editing, reloads and closes mid-edit, a full disk, no
// IndexedDB, hostile files and image inputs, an XSS payload, network requests, pseudonyms and
// opt-outs in every export, backup and restore in another browser profile.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { openProject, setIdentity, storedAnnotations, waitSaved, waitViewer } from './app';
import { corruptJpeg, downloadsOf, drawBox, dumpIndexedDb, pngFrom, watchForScripts } from './trustHelpers';

const base = inject('baseUrl');
const sessions: Session[] = [];
const pageErrors: string[] = [];

async function profile(): Promise<{ context: BrowserContext; page: Page }> {
  const session = await launchProfile();
  sessions.push(session);
  const page = await session.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context: session.context, page };
}

afterEach(() => {
  // Whatever a test did, the app never threw an uncaught error.
  expect(pageErrors.splice(0)).toEqual([]);
});
afterAll(async () => {
  for (const s of sessions) await s.close();
});

const figures: string[] = [];
afterAll(() => console.info(`trust figures: ${figures.join('; ')}`));

async function openFirstImage(page: Page, project: RegExp, image: string): Promise<void> {
  await openProject(page, base, project);
  await page.getByRole('link', { name: image, exact: true }).click();
  await waitViewer(page);
}

describe('two tabs on one project', () => {
  it('both tabs edit (in turn and at the same moment); after reloading both, every edit is there', async () => {
    const { context, page: a } = await profile();
    await a.goto(base);
    await openProject(a, base, /Demo: endoscopy lesion boxes/);
    const projectUrl = a.url().replace(/\/worklist$/, '');
    const b = await context.newPage();
    b.on('pageerror', (e) => pageErrors.push(e.message));
    await a.goto(`${projectUrl}/schema`);
    await b.goto(`${projectUrl}/schema`);
    await b.getByRole('button', { name: 'Add class' }).waitFor();

    // In turn: A adds a class; B sees it (and is told), then adds its own; A sees that.
    await a.getByRole('button', { name: 'Add class' }).click();
    await a.getByRole('group', { name: 'Class 4' }).getByLabel('Name (English)').fill('Serrated lesion');
    await a.getByRole('group', { name: 'Class 4' }).getByLabel('Name (English)').press('Enter');
    await waitSaved(a);
    await b.getByRole('group', { name: 'Serrated lesion' }).waitFor();
    await b.getByText('Another tab changed this project').waitFor();
    await b.getByRole('button', { name: 'Add class' }).click();
    await b.getByRole('group', { name: 'Class 5' }).getByLabel('Name (English)').fill('Flat lesion');
    await b.getByRole('group', { name: 'Class 5' }).getByLabel('Name (English)').press('Enter');
    await waitSaved(b);
    await a.getByRole('group', { name: 'Flat lesion' }).waitFor();

    // At the same moment, the same record: A renames the project while B edits its description.
    await a.goto(`${projectUrl}/settings`);
    await b.goto(`${projectUrl}/settings`);
    await a.getByLabel('Project name').fill('Endoscopy trial 2026');
    await b.getByLabel('Description').fill('Two readers, one record');
    await Promise.all([a.getByLabel('Project name').press('Enter'), b.getByLabel('Description').press('Tab')]);
    await Promise.all([waitSaved(a), waitSaved(b)]);

    await Promise.all([a.reload(), b.reload()]);
    for (const p of [a, b]) {
      await p.getByRole('heading', { name: 'Endoscopy trial 2026' }).waitFor();
      await expect(p.getByLabel('Description').inputValue()).resolves.toBe('Two readers, one record');
      await p.goto(`${projectUrl}/schema`);
      const names = await p.getByTestId('class-editor').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      expect(names).toEqual(['Polyp', 'Suspected cancer', 'Other lesion', 'Serrated lesion', 'Flat lesion']);
    }
    figures.push('two tabs: 4 edits (2 in turn, 2 at once on one record) all present after reloading both');
    await b.close();
  });
});

describe('reload or close mid-edit', () => {
  it('every edit shown as saved is there after a reload, a reload mid-drawing, a reload right after an edit, and closing the tab', async () => {
    const { context, page: first } = await profile();
    let page = first;
    await setIdentity(page, base, 'Dr Reload');
    await openFirstImage(page, /Demo: endoscopy lesion boxes/, 'colonoscopy-frame-1.png');
    const frameUrl = page.url();
    let drawn = 0;
    let edits = 0;
    const drawAndClassify = async () => {
      const x = 20 + (drawn % 5) * 120;
      const y = 20 + Math.floor(drawn / 5) * 110;
      await drawBox(page, x, y, x + 70, y + 60);
      await page.getByTestId('attributes-panel').getByLabel('Paris classification *').selectOption('0-Is');
      drawn++;
      edits += 2; // the box, then its Paris class
    };
    const mine = async () => (await storedAnnotations(page)).filter((a) => a.annotatorId === 'dr-reload');
    const expectAll = async (when: string, reclassified = 0) => {
      const stored = await mine();
      expect(stored, when).toHaveLength(drawn);
      const paris = stored.map((a) => a.attributes.paris);
      expect(paris.filter((v) => v === '0-IIa'), when).toHaveLength(reclassified);
      expect(paris.filter((v) => v === '0-Is'), when).toHaveLength(drawn - reclassified);
    };

    for (let i = 0; i < 3; i++) await drawAndClassify();
    await waitSaved(page);
    await page.reload();
    await waitViewer(page);
    await expectAll('after a plain reload');

    for (let i = 0; i < 3; i++) await drawAndClassify();
    await waitSaved(page);
    // Mid-drawing: the mouse is down, a box half-dragged, when the page goes.
    const p = await page.getByTestId('viewer').boundingBox();
    await page.mouse.move(p!.x + 300, p!.y + 300);
    await page.mouse.down();
    await page.mouse.move(p!.x + 360, p!.y + 350, { steps: 3 });
    await page.reload();
    await waitViewer(page);
    await expectAll('after a reload mid-drawing (the half-drawn box is not an edit)');

    // Right after an edit, without waiting for "saved": the flush on pagehide must carry it. The
    // last edit (a Paris class) and the reload happen in one task, 0 ms apart.
    for (let i = 0; i < 3; i++) await drawAndClassify();
    const stateAtReload = await page.evaluate(() => {
      const labels = [...document.querySelectorAll('[data-testid="attributes-panel"] label')];
      const select = labels.find((l) => l.textContent!.startsWith('Paris classification'))!.querySelector('select')!;
      select.value = '0-IIa';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      const state = document.querySelector('[data-testid="save-status"]')!.getAttribute('data-state');
      location.reload();
      return state;
    });
    edits++;
    await page.waitForLoadState('load');
    await waitViewer(page);
    await expectAll('after a reload 0 ms after an edit', 1);

    // Closing the tab right after edits, without waiting for "saved", and opening the frame in a new one.
    for (let i = 0; i < 3; i++) await drawAndClassify();
    const stateAtClose = await page.getByTestId('save-status').getAttribute('data-state');
    await page.close({ runBeforeUnload: true });
    page = await context.newPage();
    await page.goto(frameUrl);
    await waitViewer(page);
    await expectAll('after closing the tab', 1);
    figures.push(`reloads: ${edits} edits (${drawn} boxes, their Paris class, one reclassified) checked across 3 reloads and a closed tab; save status at the 0 ms reload: ${stateAtReload}, at the close: ${stateAtClose}`);
  });
});

describe('storage full, or no IndexedDB', () => {
  it('a quota error: a clear message, the work kept and exportable, nothing stored half-written; retry saves it', async () => {
    const { context, page } = await profile();
    await context.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if ((window as unknown as { __diskFull?: boolean }).__diskFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      } as IDBObjectStore['put'];
    });
    await setIdentity(page, base, 'Dr Quota');
    await openFirstImage(page, /Demo: endoscopy lesion boxes/, 'colonoscopy-frame-2.png');
    await drawBox(page, 40, 40, 120, 120);
    await waitSaved(page);
    const before = await dumpIndexedDb(page);

    await page.evaluate(() => ((window as unknown as { __diskFull: boolean }).__diskFull = true));
    await drawBox(page, 200, 200, 300, 280); // a new box, a new annotator status: several records in one batch
    await page.getByTestId('attributes-panel').getByLabel('Paris classification *').selectOption('0-IIa');
    const banner = page.getByRole('alert').filter({ hasText: 'Storage is full' });
    await banner.waitFor();
    await expect(page.getByTestId('save-status').getAttribute('data-state')).resolves.toBe('error');
    expect((await dumpIndexedDb(page)).records).toEqual(before.records); // nothing of the failed batch

    const [exported] = await downloadsOf(page, () => banner.getByRole('button', { name: 'Export now' }).click());
    const doc = JSON.parse(exported.text);
    expect(doc.annotations.filter((a: { annotatorId: string }) => a.annotatorId === 'dr-quota')).toHaveLength(2);

    await page.evaluate(() => ((window as unknown as { __diskFull: boolean }).__diskFull = false));
    await banner.getByRole('button', { name: 'Retry saving' }).click();
    await waitSaved(page);
    await page.reload();
    await waitViewer(page);
    const boxes = (await storedAnnotations(page)).filter((a) => a.annotatorId === 'dr-quota');
    expect(boxes.map((b) => b.attributes.paris ?? null).sort()).toEqual(['0-IIa', null]);
  });

  it('no IndexedDB (e.g. a locked-down private window): a clear message, work in memory, export offered', async () => {
    const { context, page } = await profile();
    await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true }));
    await page.goto(base);
    await page.getByRole('alert').filter({ hasText: 'cannot store data' }).waitFor();
    await page.getByLabel('Project name').fill('Memory only');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Memory only' }).waitFor();
    await page.getByRole('link', { name: 'Label schema' }).click();
    await page.getByRole('button', { name: 'Add class' }).click();
    const added = page.getByTestId('class-editor').last();
    await added.getByLabel('Name (English)').fill('Kept in memory');
    await added.getByLabel('Name (English)').press('Enter');
    await page.getByRole('group', { name: 'Kept in memory' }).waitFor();
    await expect(page.getByTestId('save-status').getAttribute('data-state')).resolves.toBe('error');
    const [exported] = await downloadsOf(page, () => page.getByRole('alert').getByRole('button', { name: 'Export now' }).click());
    expect(JSON.parse(exported.text).schema.classes.map((c: { name: { en: string } }) => c.name.en)).toContain('Kept in memory');
  });
});

describe('hostile input', () => {
  it('a class name, project name, image name, note and annotator of <img src=x onerror=alert(1)> are shown as text; nothing runs', async () => {
    const { context, page } = await profile();
    const watch = await watchForScripts(context, page);
    const payload = '<img src=x onerror=alert(1)>';
    const doc = JSON.parse(readFileSync('tests/fixtures/shared/v1-endoscopy.json', 'utf8'));
    doc.project.name = `XSS ${payload}`;
    doc.schema.classes[0].name = { en: payload, ja: payload };
    doc.images[0].name = '<svg onload=alert(2)>';
    doc.annotations[0].note = '<script>alert(3)</script>';
    doc.annotators[0].displayName = '<iframe src=javascript:alert(4)>';
    await setIdentity(page, base, 'Dr Xss');
    await page.goto(base);
    await page.getByLabel('Import project (shared format)').setInputFiles({ name: 'xss.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await page.getByRole('status').filter({ hasText: 'Imported' }).waitFor();
    await page.getByText(`XSS ${payload}`, { exact: true }).first().waitFor(); // the project list shows it as text
    await page.getByRole('link', { name: `XSS ${payload}` }).click();
    await page.getByRole('link', { name: '<svg onload=alert(2)>' }).waitFor();
    const projectUrl = page.url().replace(/\/worklist$/, '');
    for (const tab of ['schema', 'agreement', 'export', 'settings']) {
      await page.goto(`${projectUrl}/${tab}`);
      await page.waitForTimeout(300);
    }
    await page.goto(`${projectUrl}/worklist`);
    await page.getByRole('link', { name: '<svg onload=alert(2)>' }).click();
    await page.getByText(payload).first().waitFor(); // the class palette names the class as typed
    await page.waitForTimeout(500);
    const injected = await page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], iframe, script:not([src])').length);
    // zod probes `new Function("")` once (caught) to choose its fast path; the CSP blocks and reports
    // it. That probe is not the payload: every other violation (an inline handler run) would show.
    const violations = (await watch.violations()).filter((v) => v !== 'script-src eval');
    expect({ dialogs: watch.dialogs, injected, violations }).toEqual({ dialogs: [], injected: 0, violations: [] });
  });

  it('a corrupt JPEG, a file that is not an image, unreachable and wrong tile URLs: a message each, and the app keeps working', async () => {
    const { page } = await profile();
    await setIdentity(page, base, 'Dr Files');
    await openProject(page, base, /Demo: endoscopy lesion boxes/);
    const rows = page.getByTestId('worklist-row');
    await expect(rows.count()).resolves.toBe(4);
    await page.getByLabel('Add JPEG/PNG files').setInputFiles([
      { name: 'corrupt.jpg', mimeType: 'image/jpeg', buffer: corruptJpeg() },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') },
      { name: 'page.png', mimeType: 'image/png', buffer: Buffer.from('<html>a web page saved as .png</html>') },
    ]);
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'corrupt.jpg' }).waitFor();
    for (const name of ['corrupt.jpg', 'notes.txt', 'page.png']) await expect(alert.textContent()).resolves.toContain(`"${name}" is not a readable JPEG or PNG image.`);
    await expect(rows.count()).resolves.toBe(4);

    const tried: [string, string][] = [
      ['https://tiles.invalid/slide.dzi', 'the server could not be reached'],
      [`${base}/favicon.svg`, 'not a Deep Zoom descriptor'],
      [`${base}/no-such-slide/info.json`, 'not'],
      ['ftp://tiles.example/slide.dzi', 'only http and https'],
    ];
    const url = page.getByLabel(/Add whole-slide image by URL/);
    for (const [address, message] of tried) {
      await url.fill(address);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'Could not read that URL' }).filter({ hasText: message }).waitFor();
    }
    await expect(rows.count()).resolves.toBe(4);

    // The rest keeps working: a good file is added, opened and annotated.
    await page.getByLabel('Add JPEG/PNG files').setInputFiles({ name: 'good.png', mimeType: 'image/png', buffer: await pngFrom(page, 200) });
    await rows.nth(4).waitFor();
    await page.getByRole('link', { name: 'good.png' }).click();
    await waitViewer(page);
    await drawBox(page, 20, 20, 100, 90);
    await waitSaved(page);
    expect((await storedAnnotations(page)).filter((a) => a.annotatorId === 'dr-files')).toHaveLength(1);
    figures.push(`image inputs: 3 bad files and ${tried.length} bad tile URLs refused with a message`);
  });
});

describe('network: only the app itself', () => {
  it('working through every demo project makes no request outside the app (or blob:/data:)', async () => {
    const { context, page } = await profile();
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    await setIdentity(page, base, 'Dr Net');
    for (const [project, image] of [
      [/Demo: pathology cell outlines/, 'Synthetic H&E slide (seed 1)'],
      [/Demo: endoscopy lesion boxes/, 'colonoscopy-frame-1.png'],
      [/Demo: fundus diagnosis/, 'fundus-1.png'],
    ] as const) {
      await openProject(page, base, project);
      const projectUrl = page.url().replace(/\/worklist$/, '');
      for (const tab of ['schema', 'agreement', 'export', 'settings']) {
        await page.goto(`${projectUrl}/${tab}`);
        await page.waitForTimeout(200);
      }
      await page.goto(`${projectUrl}/worklist`);
      await page.getByRole('link', { name: image, exact: true }).click();
      await waitViewer(page);
      const viewer = (await page.getByTestId('viewer').boundingBox())!;
      await page.mouse.move(viewer.x + viewer.width / 2, viewer.y + viewer.height / 2);
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(500);
    }
    await openProject(page, base, /Demo: fundus diagnosis/);
    await page.getByRole('link', { name: 'Export', exact: true }).click();
    await downloadsOf(page, () => page.getByRole('button', { name: 'Export', exact: true }).click());
    const outside = requests.filter((u) => !u.startsWith(`${base}/`) && u !== base && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(outside).toEqual([]);
    figures.push(`network: ${requests.length} requests while working, all to ${base} or blob:/data:`);
  });
});

describe('privacy: pseudonyms, opt-outs, export log, backup and key in another browser', () => {
  let keyFile = '';
  let backupFile = '';
  let pseudonym = '';

  it('pseudonymises patient IDs on entry, leaves opted-out patients out of every export format, and logs each export', async () => {
    const { page } = await profile();
    await setIdentity(page, base, 'Dr Private');
    await openFirstImage(page, /Demo: fundus diagnosis/, 'fundus-1.png');
    for (const keys of [['1', '0'], ['2'], ['4'], ['1', '1']]) {
      for (const k of keys) await page.keyboard.press(k);
      await page.keyboard.press('Enter');
    }
    await waitSaved(page);
    await page.getByRole('link', { name: /Worklist/ }).click();

    // Patient IDs typed per image: only pseudonyms are shown and stored.
    for (const [image, clearId] of [['fundus-1.png', 'HOSP-0001'], ['fundus-2.png', 'HOSP-0002'], ['fundus-3.png', '  ＨＯＳＰ－０００１ ']]) {
      const row = page.getByTestId('worklist-row').filter({ has: page.getByRole('link', { name: image, exact: true }) });
      await row.getByRole('button', { name: `Patient ID for ${image}` }).click();
      await row.getByRole('textbox', { name: `Patient ID for ${image}` }).fill(clearId);
      await row.getByRole('button', { name: 'Pseudonymise' }).click();
      // The field closes in the same step that stores the pseudonym (demo photos already carry one).
      await row.getByRole('textbox', { name: `Patient ID for ${image}` }).waitFor({ state: 'detached' });
    }
    const keys = await page.getByTestId('patient-key').locator('code').allTextContents();
    expect(keys).toHaveLength(6);
    [pseudonym] = keys;
    expect(pseudonym).toMatch(/^pk-[a-z2-7]{26}$/);
    expect(keys[2]).toBe(pseudonym); // the same patient, typed in full-width: linked
    expect(keys[1]).not.toBe(pseudonym);
    await expect(page.locator('body').textContent()).resolves.not.toContain('HOSP-000');

    await page.getByRole('link', { name: 'Project settings' }).click();
    await page.getByLabel(/Patient IDs who declined/).fill('HOSP-0001\n\n');
    await page.getByRole('button', { name: 'Add to the opt-out list' }).click();
    await page.getByTestId('opt-out-count').filter({ hasText: 'On the list: 1 patient. Left out of every export: 2 images of theirs' }).waitFor();
    await waitSaved(page);

    await page.getByRole('link', { name: 'Export', exact: true }).click();
    const files: { name: string; text: string }[] = [];
    for (const format of ['Granula shared format (.json)', 'COCO instances (.json)', 'QuPath GeoJSON (.zip, one file per image)', 'CSV: labels, boxes, outlines, "no lesion"', 'YOLO dataset (.zip: data.yaml, labels/)']) {
      await page.getByLabel('Format').selectOption({ label: format });
      const got = await downloadsOf(page, () => page.getByRole('button', { name: 'Export', exact: true }).click());
      await page.getByTestId('export-excluded').filter({ hasText: '2 images left out' }).waitFor();
      files.push(...got);
    }
    const shared = JSON.parse(files[0].text);
    expect(shared.images.map((i: { name: string }) => i.name)).toEqual(['fundus-2.png', 'fundus-4.png', 'fundus-5.png', 'fundus-6.png']);
    expect(shared.project.optOut).toEqual([]);
    for (const f of files) {
      for (const secret of ['fundus-1.png', 'fundus-3.png', 'HOSP-0001', pseudonym]) expect(`${f.name}\n${f.text}`, `${f.name} holds ${secret}`).not.toContain(secret);
    }
    await expect(page.getByTestId('export-log').locator('li').count()).resolves.toBe(5);

    // Nothing in this browser's storage holds a clear ID either.
    const stored = JSON.stringify(await dumpIndexedDb(page));
    expect(stored).not.toContain('HOSP-000');
    expect(stored).not.toContain('ＨＯＳＰ');

    // The key leaves only on purpose, after a warning; the backup holds every project.
    await page.getByRole('link', { name: 'Project settings' }).click();
    await page.getByRole('button', { name: 'Download key…' }).click();
    const warning = page.getByRole('alertdialog', { name: 'Download key…' });
    await expect(warning.textContent()).resolves.toContain('can tell which pseudonym belongs to which patient');
    [{ text: keyFile }] = await downloadsOf(page, () => warning.getByRole('button', { name: 'Download the key' }).click());
    expect(JSON.parse(keyFile).format).toBe('granula-pseudonym-key');
    [{ text: backupFile }] = await downloadsOf(page, () => page.getByRole('button', { name: 'Download backup of all projects' }).click());
    expect(backupFile).not.toContain(JSON.parse(keyFile).key); // the key is not in the backup
    figures.push(`privacy: 5 export formats (${files.length} files) checked for 2 opted-out images, the clear ID and its pseudonym`);
  });

  it('restores the backup in another browser with the same hash, and the imported key gives the same pseudonyms', async () => {
    const { page } = await profile();
    await openProject(page, base, /Demo: pathology cell outlines/);
    await page.getByRole('link', { name: 'Project settings' }).click();
    await page.getByLabel('Restore from a backup…').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backupFile) });
    const confirm = page.getByRole('alertdialog', { name: 'Restore from a backup…' });
    await expect(confirm.textContent()).resolves.toContain('This backup holds 3 projects');
    await confirm.getByRole('button', { name: 'Restore' }).click();
    const result = page.getByTestId('restore-result');
    await result.waitFor();
    await expect(result.getAttribute('data-verified')).resolves.toBe('true');
    const backup = JSON.parse(backupFile);
    await expect(result.textContent()).resolves.toContain(backup.hash.slice(0, 16));

    const fundus = backup.projects.find((p: { project: { name: string } }) => p.project.name.startsWith('Demo: fundus')).project.id;
    await page.goto(`${base}/#/project/${fundus}/settings`);
    await page.getByRole('alert').filter({ hasText: 'this browser has no key for this project' }).waitFor();
    await page.getByLabel('Import a key file…').setInputFiles({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(keyFile) });
    await page.getByRole('alertdialog', { name: 'Import a key file…' }).getByRole('button', { name: 'Use this key' }).click();
    await page.getByTestId('key-fingerprint').filter({ hasText: JSON.parse(keyFile).fingerprint }).waitFor();

    await page.goto(`${base}/#/project/${fundus}/worklist`);
    const row = page.getByTestId('worklist-row').filter({ has: page.getByRole('link', { name: 'fundus-5.png', exact: true }) });
    await row.getByRole('button', { name: 'Patient ID for fundus-5.png' }).click();
    await row.getByRole('textbox', { name: 'Patient ID for fundus-5.png' }).fill('HOSP-0001');
    await row.getByRole('button', { name: 'Pseudonymise' }).click();
    // The demo photo already has a (demo) pseudonym: wait for the one this key makes to replace it.
    await expect.poll(() => row.getByTestId('patient-key').locator('code').first().textContent(), { timeout: 10_000 }).toBe(pseudonym);
  });
});
