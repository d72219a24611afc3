// A pathologist's slide over live sync: its outlines travel in batch documents (500 each), and a later
// edit or deletion of one of them travels alone, reaches the other browser, and survives a reload
// without anything being sent twice. A CouchDB-protocol server (pouchdb-server) on loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fillOpenFromServer, fillSyncPanel, freshProjectList, lookAt, pagePoint, setIdentity, storedAnnotations, waitSaved, waitViewer } from './app';
import type { Session } from './chromium';
import { CouchServer } from './couchServer';
import { BATCH, databaseName } from '../../src/sync/route';
import { sampleProjectData } from '../../src/formats/testData';
import { writeAny } from '../../src/formats/writeAny';

const base = inject('baseUrl');
const sessions: Session[] = [];
const dir = mkdtempSync(join(tmpdir(), 'granula-sync-batches-'));
let server: CouchServer;
const CELLS = 1_200;
const USER = { name: 'coord', password: 'pw-coord' };

/**
 * A pathologist's slide (the synthetic one) with CELLS outlines of their own, in the shared format:
 * cell i a 20 × 20 square at (40·(i mod 40), 40·⌊i / 40⌋).
 */
function slideProject(path: string): void {
  const data = sampleProjectData('pathology-cells', { images: 1, annotators: ['dr-coord'] });
  const first = data.annotations[0];
  const annotations = Array.from({ length: CELLS }, (_, i) => {
    const x = 40 * (i % 40), y = 40 * Math.floor(i / 40);
    return { ...first, id: `ann_cell_${i}`, geometry: { type: 'polygon' as const, points: [x, y, x + 20, y, x + 20, y + 20, x, y + 20] } };
  });
  writeFileSync(path, writeAny({ ...data, project: { ...data.project, name: 'Slide B' }, annotations }, 'shared', { exportedAt: '2026-03-01T00:00:00.000Z' }).files[0].text!);
}

beforeAll(async () => {
  server = await CouchServer.start({ storage: 'memory' });
  await server.addUser(USER.name, USER.password);
});

afterAll(async () => {
  for (const s of sessions) await s.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function synced(page: Page): Promise<void> {
  try {
    await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor({ timeout: 60_000 });
  } catch (e) {
    const status = page.getByTestId('sync-status');
    throw new Error(`not synced: ${await status.getAttribute('data-state')} (${await status.textContent()})`, { cause: e });
  }
}

/** The server's documents of the project, by kind. */
async function onServer(pid: string) {
  const docs = await server.docs(databaseName(pid, 'dr-coord'));
  return { batches: docs.filter((d) => d.kind === 'batch'), annotations: docs.filter((d) => d.kind === 'annotation') };
}

it('a slide’s outlines go in batches; one moved and one deleted travel alone to the other browser, and a reload sends nothing twice', async () => {
  const file = join(dir, 'slide-b.granula.json');
  slideProject(file);
  const { page, errors } = await freshProjectList(base, sessions);
  if (process.env.SYNC_DEBUG) page.on('console', (m) => console.log('[page]', m.type(), m.text()));
  await setIdentity(page, base, 'Dr Coord');
  await page.goto(`${base}/#/`);
  await page.getByLabel('Import project (shared format)').setInputFiles(file);
  await page.getByText(`Imported "Slide B": 1 image, ${CELLS.toLocaleString('en-US')} annotations.`).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Slide B' }).click();
  const pid = decodeURIComponent(/#\/project\/([^/]+)/.exec(page.url())![1]);
  await server.addDatabase(databaseName(pid, 'dr-coord'), [USER.name]);
  await page.goto(`${base}/#/project/${encodeURIComponent(pid)}/team`);
  await page.getByRole('button', { name: 'Make me the coordinator' }).click();
  const panel = await fillSyncPanel(page, server.url, USER.name, USER.password);
  await panel.getByRole('button', { name: 'Connect' }).click();
  await synced(page).catch(async (e) => {
    if (process.env.SYNC_DEBUG) console.log('server has', (await server.docs(databaseName(pid, 'dr-coord'))).map((d) => d._id));
    throw e;
  });

  // 1,200 outlines of one image: batches of 500, 500 and 200; not one document each.
  let there = await onServer(pid);
  expect(there.batches.map((b) => b.batch.length).sort((a: number, b: number) => b - a)).toEqual([BATCH.size, BATCH.size, CELLS - 2 * BATCH.size]);
  expect(new Set(there.batches.flatMap((b) => b.batch.map((a: { id: string }) => a.id))).size).toBe(CELLS);
  expect(there.annotations).toEqual([]);

  // The same person's second browser opens the project from the server: every outline.
  const other = await freshProjectList(base, sessions);
  await setIdentity(other.page, base, 'Dr Coord');
  await other.page.goto(`${base}/#/`);
  const form = await fillOpenFromServer(other.page, server.url, USER.name, USER.password, pid);
  await form.getByRole('button', { name: 'Open from the server' }).click();
  await other.page.getByTestId('joined').getByRole('link').click();
  await other.page.getByText(/1,200 annotations/).first().waitFor();
  await synced(other.page);

  // In the first browser: cell 41 (box 40–60 × 40–60) moved 10 px right, cell 43 (120–140) deleted.
  await page.goto(`${base}/#/project/${encodeURIComponent(pid)}/worklist`);
  await page.getByTestId('worklist-row').first().getByRole('link').first().click();
  await waitViewer(page);
  await lookAt(page, 90, 50, 4);
  await page.keyboard.press('v');
  const from = await pagePoint(page, 50, 50);
  await page.mouse.click(from.x, from.y);
  const to = await pagePoint(page, 60, 50);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await waitSaved(page);
  const gone = await pagePoint(page, 130, 50);
  await page.mouse.click(gone.x, gone.y);
  await page.keyboard.press('Delete');
  await waitSaved(page);
  await synced(page);

  // Each change travels as a document of its own; the batches stay as they were.
  await expect.poll(async () => (await onServer(pid)).annotations.length, { timeout: 30_000 }).toBe(2);
  there = await onServer(pid);
  expect(there.batches).toHaveLength(3);
  const moved = there.annotations.find((d) => !d.gone)!;
  const deleted = there.annotations.find((d) => d.gone)!;
  const minX = (g: { points: number[] }) => Math.min(...g.points.filter((_, k) => k % 2 === 0));
  const minY = (g: { points: number[] }) => Math.min(...g.points.filter((_, k) => k % 2 === 1));
  expect(moved._id).toBe('annotation:ann_cell_41');
  expect(deleted._id).toBe('annotation:ann_cell_43');
  expect(minX(moved.value.geometry)).toBeCloseTo(50, 0);
  expect(minY(moved.value.geometry)).toBeCloseTo(40, 0);
  // The batches still hold the outline as it was: the document of its own wins over them.
  const batchCopy = (id: string) => there.batches.flatMap((b) => b.batch).find((a: { id: string }) => a.id === id);
  expect(minX(batchCopy('ann_cell_41').geometry)).toBe(40);

  // The other browser: the moved outline where it was moved to, the deleted one gone.
  await expect
    .poll(async () => {
      const a = (await storedAnnotations(other.page)).find((x) => x.id === 'ann_cell_41');
      return a ? minX(a.geometry) : null;
    }, { timeout: 30_000 })
    .toBeCloseTo(50, 0);
  await other.page.goto(`${base}/#/project/${encodeURIComponent(pid)}/worklist`);
  await expect.poll(async () => (await other.page.getByTestId('worklist-row').first().locator('td').allInnerTexts())[3], { timeout: 30_000 }).toBe('1199');

  // A reload compares every outline with the server's again: nothing differs, nothing is sent.
  await page.reload();
  await synced(page);
  there = await onServer(pid);
  expect(there.batches).toHaveLength(3);
  expect(there.annotations.map((d) => d._rev.split('-')[0]).sort()).toEqual(['1', '1']);
  expect(errors).toEqual([]);
  expect(other.errors).toEqual([]);
});
