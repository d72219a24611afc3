// A pathologist opens their own Aperio .svs from disk: true scale, an outline, a reload.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { scaleBarLength } from '../../src/ui/annotate/ScaleBar';
import { makeNdpi, makeSvs, PYTHON } from '../slides/makeSlides';
import { launchProfile, type Session } from './chromium';
import { lookAt, openProject, pagePoint, setIdentity, storedAnnotations, viewTransform, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
const dir = mkdtempSync(join(tmpdir(), 'granula-slides-'));
/** The mean RGB of a 9×9 level-0 block, as OpenSlide reads it: the reference the screen is held to. */
function openSlideMean(x: number, y: number, file = svs): number[] {
  const code = `import openslide, sys\nr = openslide.OpenSlide(sys.argv[1]).read_region((${x - 4}, ${y - 4}), 0, (9, 9)).convert('RGB')\npx = list(r.getdata())\nprint(' '.join(str(sum(p[c] for p in px) / len(px)) for c in range(3)))`;
  return execFileSync(PYTHON, ['-c', code, file], { encoding: 'utf8' }).trim().split(' ').map(Number);
}

/** The mean RGB the viewer shows in a 9×9 screen block around a page point. */
async function screenMean(p: Page, x: number, y: number): Promise<number[]> {
  const box = (await p.getByTestId('viewer').boundingBox())!;
  return p.evaluate(
    ([sx, sy]) => {
      const c = (window.granulaViewer!.viewer.drawer as unknown as { canvas: HTMLCanvasElement }).canvas;
      const dpr = c.width / c.clientWidth;
      const d = c.getContext('2d')!.getImageData(Math.round(sx * dpr) - 4, Math.round(sy * dpr) - 4, 9, 9).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) sum[k] += d[i + k];
      return sum.map((s) => s / 81);
    },
    [x - box.x, y - box.y] as const,
  );
}

async function tilesLoaded(p: Page): Promise<void> {
  await p.waitForFunction(() => {
    const item = window.granulaViewer?.viewer.world.getItemAt(0);
    return !!item && item.getFullyLoaded();
  });
}

const outline = [1400, 1000, 1600, 980, 1640, 1180, 1460, 1220];

async function addSlideAndOutline(page: Page, pick: () => Promise<void>): Promise<void> {
  await openProject(page, base, /Demo: pathology cell outlines/);
  await pick();
  const row = page.getByTestId('worklist-row').filter({ hasText: 'case-17' });
  await row.waitFor();
  // The scale comes from the file: Aperio's MPP = 0.2520.
  await expect(row.textContent()).resolves.toMatch(/3,000 × 2,200 · 0\.252 µm\/pixel/);
  await row.getByRole('link', { name: 'case-17' }).click();
  await waitViewer(page);
  await lookAt(page, 1500, 1100, 1);
  await tilesLoaded(page);

  // The scale bar says what the screen shows: its length in µm is its width on screen over the
  // zoom, times the file's µm per pixel.
  const t = await viewTransform(page);
  const expected = scaleBarLength(0.252, t.scale);
  await expect(page.getByTestId('scale-bar').getAttribute('aria-label')).resolves.toBe(`Scale ${expected.microns} µm`);
  const barWidth = await page.locator('.scale-bar-line').evaluate((el) => el.getBoundingClientRect().width);
  expect((barWidth / t.scale) * 0.252).toBeCloseTo(expected.microns, 0);

  // The tissue on screen is the file's tissue, colours included (RGB vs YCbCr JPEG read right).
  for (const [x, y] of [[1100, 800], [1500, 1100], [1800, 1350]]) {
    const s = await pagePoint(page, x, y);
    const shown = await screenMean(page, s.x, s.y);
    openSlideMean(x, y).forEach((v, k) => expect(Math.abs(shown[k] - v)).toBeLessThan(6));
  }

  await page.keyboard.press('p');
  await page.keyboard.press('1');
  for (let i = 0; i < outline.length; i += 2) {
    const s = await pagePoint(page, outline[i], outline[i + 1]);
    await page.mouse.click(s.x, s.y);
  }
  await page.keyboard.press('Enter');
  await page.getByTestId('shape-count').filter({ hasText: '1' }).waitFor();
  await waitSaved(page);
}

async function outlineKept(page: Page): Promise<void> {
  await waitViewer(page);
  await expect(page.getByTestId('scale-bar')).toBeDefined();
  await page.getByTestId('scale-bar').waitFor();
  const mine = (await storedAnnotations(page)).filter((a) => a.geometry.type === 'polygon' && a.geometry.points.length === outline.length);
  expect(mine.map((a) => a.geometry.points.map((v: number) => Math.round(v)))).toEqual([outline]);
  await expect(page.getByTestId('shape-count').textContent()).resolves.toMatch(/\b1\b/);
}

let chromeLike: Session;
let plain: Session;

// An Aperio .svs as the scanner lays it out (RGB JPEG tiles, MPP 0.2520, label and macro images), of real IHC tissue.
let svs = '';
beforeAll(() => {
  svs = makeSvs(dir, { name: 'case-17.svs' });
});
afterAll(async () => {
  await chromeLike?.close();
  await plain?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a slide file from disk', () => {
  it('opens an .svs with its scale, keeps an outline, and reopens after a reload without asking (file handle kept)', async () => {
    chromeLike = await launchProfile();
    const page = await chromeLike.context.newPage();
    await setIdentity(page, base, 'Dr Slide');
    // The system file picker cannot be driven headless: stand in for it with a real
    // FileSystemFileHandle to a copy of the file in the origin's private file system.
    const bytes = readFileSync(svs).toString('base64');
    await page.evaluate(async (b64) => {
      const root = await navigator.storage.getDirectory();
      const handle = await root.getFileHandle('case-17.svs', { create: true });
      const w = await handle.createWritable();
      await w.write(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
      await w.close();
    }, bytes);
    await page.addInitScript(() => {
      (window as unknown as { showOpenFilePicker: () => Promise<unknown[]> }).showOpenFilePicker = async () => [
        await (await navigator.storage.getDirectory()).getFileHandle('case-17.svs'),
      ];
    });
    await page.reload();
    await addSlideAndOutline(page, () => page.getByRole('button', { name: /Add slide files/ }).click());
    await page.reload();
    await outlineKept(page);

    // Label and macro images: on request only, at the size OpenSlide gives them.
    const sizes = JSON.parse(execFileSync(PYTHON, ['-c', 'import openslide, sys, json\ns = openslide.OpenSlide(sys.argv[1])\nprint(json.dumps({k: list(v.size) for k, v in s.associated_images.items()}))', svs], { encoding: 'utf8' }));
    await expect(page.getByRole('img', { name: 'label' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Label and macro images' }).click();
    for (const name of ['label', 'macro']) {
      const canvas = page.getByRole('img', { name });
      await canvas.waitFor();
      await expect(canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).resolves.toEqual(sizes[name]);
    }
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('in a browser without file handles: after a reload the worklist says so and choosing the file again reopens it', async () => {
    plain = await launchProfile();
    // Every page of this profile is a browser without the File System Access API.
    await plain.context.addInitScript(() => {
      delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
      delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker;
    });
    const page = await plain.context.newPage();
    await setIdentity(page, base, 'Dr Slide');
    await addSlideAndOutline(page, async () => {
      const chooser = page.waitForEvent('filechooser');
      await page.getByText(/Add slide files/).click();
      await (await chooser).setFiles(svs);
    });
    await page.reload();
    await page.getByTestId('slide-gate').waitFor();
    // The worklist marks the slide too, before anyone opens it.
    await openProject(page, base, /Demo: pathology cell outlines/);
    await expect(page.getByTestId('worklist-row').filter({ hasText: 'case-17' }).getByTestId('slide-reach').textContent()).resolves.toBe('file not open in this browser');
    await page.getByRole('link', { name: 'case-17' }).click();
    await page.getByTestId('slide-gate').waitFor();
    await expect(page.getByTestId('slide-gate').textContent()).resolves.toContain('The slide file “case-17.svs” is not open in this browser');
    const chooser = page.waitForEvent('filechooser');
    await page.getByText('Choose case-17.svs again').click();
    await (await chooser).setFiles(svs);
    await outlineKept(page);
  });

  it('shows a JPEG 2000 .svs (Aperio 33005) as OpenSlide decodes it: the WebAssembly decoder loads under the page policy', async () => {
    const j2k = makeSvs(dir, { compression: 'jp2k', name: 'case-18.svs', label: false });
    const page = await plain.context.newPage();
    await openProject(page, base, /Demo: pathology cell outlines/);
    const chooser = page.waitForEvent('filechooser');
    await page.getByText(/Add slide files/).click();
    await (await chooser).setFiles(j2k);
    await page.getByRole('link', { name: 'case-18' }).click();
    await waitViewer(page);
    await lookAt(page, 1500, 1100, 1);
    await tilesLoaded(page);
    for (const [x, y] of [[1100, 800], [1800, 1350]]) {
      const s = await pagePoint(page, x, y);
      const shown = await screenMean(page, s.x, s.y);
      openSlideMean(x, y, j2k).forEach((v, k) => expect(Math.abs(shown[k] - v)).toBeLessThan(6));
    }
    await page.close();
  });

  it('refuses an NDPI file with a message that names a conversion', async () => {
    const page = await plain.context.newPage();
    await openProject(page, base, /Demo: pathology cell outlines/);
    const ndpi = makeNdpi(dir);
    const chooser = page.waitForEvent('filechooser');
    await page.getByText(/Add slide files/).click();
    await (await chooser).setFiles(ndpi);
    await expect(page.getByRole('alert').filter({ hasText: 'scan.ndpi' }).textContent()).resolves.toMatch(/NDPI.*vips/);
    await page.close();
  });
});
