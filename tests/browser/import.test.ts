// Importing a large QuPath GeoJSON export or shared-format file through the project list: streamed
// in a worker, with progress on the page, and the project opening with every cell.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { freshProjectList } from './app';
import type { Session } from './chromium';
import { sampleProjectData, withSlideOutlines } from '../../src/formats/testData';
import { writeAny } from '../../src/formats/writeAny';
import type { ProjectData } from '../../src/model/projectData';

const base = inject('baseUrl');
const sessions: Session[] = [];
const dir = mkdtempSync(join(tmpdir(), 'granula-import-'));
afterAll(async () => {
  for (const s of sessions) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const CELLS = 64_000;

/**
 * As QuPath 0.4 exports detections: a UUID, the class with its colour, a closed outline. Cell i is a
 * 7 × 5 box at (10·(i mod 1000), 10·⌊i / 1000⌋), so the shapes reach x = 9,997 and y = 10·63 + 5 = 635:
 * the image size the app must take from their extent.
 */
function qupathExport(path: string): number {
  const parts = ['{"type":"FeatureCollection","features":['];
  for (let i = 0; i < CELLS; i++) {
    const x = 10 * (i % 1000), y = 10 * Math.floor(i / 1000);
    const feature = {
      type: 'Feature',
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 7, y], [x + 7, y + 5], [x, y + 5], [x, y]]] },
      properties: { objectType: 'detection', classification: { name: i % 2 ? 'Lymphocyte' : 'Tumor', color: i % 2 ? [0, 0, 180] : [200, 0, 0] }, measurements: { 'Nucleus: Area µm^2': 35 + (i % 17) / 4, 'Nucleus: Perimeter µm': 24 + (i % 5) / 8 } },
    };
    parts.push((i ? ',\n' : '') + JSON.stringify(feature, null, 2));
  }
  parts.push(']}');
  const text = parts.join('');
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

it('imports a 20 MB QuPath GeoJSON from the project list, showing progress, and opens it with every cell', async () => {
  const file = join(dir, 'slide-7.geojson');
  const bytes = qupathExport(file);
  expect(bytes).toBeGreaterThan(20 * 1024 * 1024);
  const { page, errors } = await freshProjectList(base, sessions);
  await page.getByLabel('Import project (shared format)').setInputFiles(file);
  await page.getByTestId('import-progress').waitFor();
  await expect(page.getByRole('button', { name: 'Cancel the import' }).isVisible()).resolves.toBe(true);
  await page.getByText(`Imported "slide-7": 1 image, ${CELLS.toLocaleString('en-US')} annotations.`).waitFor({ timeout: 110_000 });
  await page.getByRole('link', { name: 'slide-7' }).click();
  const row = page.getByTestId('worklist-row');
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  expect(cells[0]).toContain('slide-7');
  expect(cells[2]).toContain('9,997 × 635');
  expect(cells[3]).toBe(String(CELLS));
  expect(errors).toEqual([]);
});

/** Rows in each store of the app's database: what a reload finds. */
function storedCounts(page: Page) {
  return page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((res, rej) => {
      const open = indexedDB.open('granula');
      open.onsuccess = () => res(open.result);
      open.onerror = () => rej(open.error);
    });
    const count = (store: string) => new Promise<number>((res) => (db.transaction(store).objectStore(store).count().onsuccess = (e) => res((e.target as IDBRequest<number>).result)));
    const n = { records: await count('records'), packs: await count('annotationPacks'), meta: await count('meta') };
    db.close();
    return n;
  });
}

it('Cancel during an import keeps nothing: no project, no stored row, after a reload too', async () => {
  const file = join(dir, 'slide-8.geojson');
  qupathExport(file);
  const { page } = await freshProjectList(base, sessions);
  // What a fresh browser holds (the demo projects), before the import.
  const before = await storedCounts(page);
  await page.getByLabel('Import project (shared format)').setInputFiles(file);
  // Cancelled while storing, once a batch (4 packs of 8,192) is stored.
  await page.waitForFunction(() => Number((/^\s*Storing: .*, ([\d,]+) records?/.exec(document.querySelector('[data-testid="import-progress"]')?.textContent ?? '')?.[1] ?? '0').replace(/,/g, '')) > 4 * 8192, null, { polling: 20 });
  await page.getByRole('button', { name: 'Cancel the import' }).click();
  await page.getByText('(import): was cancelled; nothing was kept').waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
  expect(await page.getByRole('link', { name: 'slide-8' }).count()).toBe(0);
  expect(await storedCounts(page)).toEqual(before);
});

/** A pathologist's project as another browser's Export tab writes it (the shared format): one slide with `count` more outlines. */
function sharedExport(path: string, count: number, broken?: number): ProjectData {
  const data = withSlideOutlines(sampleProjectData('pathology-cells', { images: 1, annotators: ['dr-a'] }), count, broken);
  const project = { ...data, project: { ...data.project, name: 'Slide 9 outlines' } };
  writeFileSync(path, writeAny(project, 'shared', { exportedAt: '2026-03-01T00:00:00.000Z' }).files[0].text!);
  return project;
}

it('a shared-format file goes the same streamed way: a bad outline near the end is named and nothing is kept; the mended file opens with every outline', async () => {
  const count = 40_000;
  const { page } = await freshProjectList(base, sessions);
  const before = await storedCounts(page);
  const bad = join(dir, 'slide-9-bad.granula.json');
  // The outline 7 from the end has two points; it follows the sample's own outlines in the file.
  const at = sharedExport(bad, count, count - 7).annotations.length - 7;
  await page.getByLabel('Import project (shared format)').setInputFiles(bad);
  await page.getByText(`annotations[${at}].geometry.points: ring needs at least 3 points`).waitFor({ timeout: 60_000 });
  expect(await storedCounts(page)).toEqual(before);
  const good = join(dir, 'slide-9.granula.json');
  const project = sharedExport(good, count);
  const total = project.annotations.length;
  await page.getByLabel('Import project (shared format)').setInputFiles(good);
  await page.getByText(`Imported "Slide 9 outlines": 1 image, ${total.toLocaleString('en-US')} annotations.`).waitFor({ timeout: 110_000 });
  await page.getByRole('link', { name: 'Slide 9 outlines' }).click();
  const row = page.getByTestId('worklist-row');
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  expect(cells[0]).toContain(project.images[0].name);
  expect(cells[3]).toBe(String(total));
});
