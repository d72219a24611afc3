// The Export tab writes in a worker through the streaming writers: to a download, or straight into
// a file chosen in the browser's save dialog (File System Access API), with the same bytes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { readAnyFormat } from '../../src/formats/detect';
import { sampleProjectData } from '../../src/formats/testData';
import { writeAny } from '../../src/formats/writeAny';
import { freshProjectList } from './app';
import type { Session } from './chromium';

const base = inject('baseUrl');
const sessions: Session[] = [];
const dir = mkdtempSync(join(tmpdir(), 'granula-export-'));
afterAll(async () => {
  for (const s of sessions) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Annotations by id, without what belongs to a project copy (its id). */
const byId = (list: { id: string; projectId?: string }[]) => new Map(list.map(({ projectId: _p, ...a }) => [a.id, a]));

it('exports a project (shared format as a download, GeoJSON into a chosen file) with every outline the project was imported with', async () => {
  // The reference: a pathology project of two slides written in node, imported through the project list.
  const data = sampleProjectData('pathology-cells', { images: 2 });
  const src = join(dir, 'two-slides.granula.json');
  writeFileSync(src, writeAny(data, 'shared', { exportedAt: '2026-03-01T00:00:00.000Z' }).files[0].text!);
  const { page, errors } = await freshProjectList(base, sessions);
  await page.getByLabel('Import project (shared format)').setInputFiles(src);
  await page.getByText(`Imported "${data.project.name}"`).waitFor();
  await page.goto(`${base}/#/project/${encodeURIComponent(data.project.id)}/export`);

  // A download, written in the worker.
  await page.getByLabel('Format').selectOption('shared');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  expect(download.suggestedFilename()).toBe(`${data.project.name}.granula.json`);
  const back = readAnyFormat(readFileSync(path, 'utf8'), 'back.json');
  if (!back.ok) throw new Error(JSON.stringify(back.problems));
  expect(byId(back.data.annotations)).toEqual(byId(data.annotations));
  await page.getByTestId('export-report').getByText(`Exported 2 images and ${data.annotations.length} annotations.`).waitFor();

  // Into the file the save dialog gives: here a file of the origin's private file system, as the
  // dialog would give one on disk (headless Chromium shows no dialog).
  await page.evaluate(() => {
    (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async ({ suggestedName }: { suggestedName: string }) =>
      (await navigator.storage.getDirectory()).getFileHandle(suggestedName, { create: true });
  });
  await page.getByLabel('Format').selectOption('geojson');
  await page.getByLabel('Choose where to save (written straight into the file)').check();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const name = `${data.project.name}-geojson.zip`;
  await page.getByTestId('export-saved').getByText(`Saved to ${name}.`).waitFor();
  const bytes = await page.evaluate(async (n) => [...new Uint8Array(await (await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile()).arrayBuffer())], name);
  const zip = join(dir, name);
  writeFileSync(zip, new Uint8Array(bytes));
  // The archive holds one FeatureCollection per slide; each reads back with that slide's outlines.
  const { execFileSync } = await import('node:child_process');
  const listed = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
  expect(listed).toHaveLength(2);
  let outlines = 0;
  for (const entry of listed) {
    const text = execFileSync('unzip', ['-p', zip, entry], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const read = readAnyFormat(text, entry.split('/').pop()!);
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    outlines += read.data.annotations.length;
  }
  expect(outlines).toBe(data.annotations.length);
  await page.getByTestId('export-log').filter({ hasText: `geojson · 2 images · ${data.annotations.length} annotations` }).waitFor();
  expect(errors).toEqual([]);
});
