// A pathologist opens their own Aperio .svs from disk: true scale, an outline, a reload.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { scaleBarLength } from '../../src/ui/annotate/ScaleBar';
import { dicomize } from '../slides/makeDicomWsi';
import { ihcPath, makeNdpi, makeSvs, makeTiff, PYTHON } from '../slides/makeSlides';
import { launchProfile, withoutFileHandles, type Session } from './chromium';
import { lookAt, openProject, pagePoint, setIdentity, slideColour, storedAnnotations, viewTransform, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
const dir = mkdtempSync(join(tmpdir(), 'granula-slides-'));
/** The mean RGB of a 9×9 level-0 block, as OpenSlide reads it: the reference the screen is held to. */
function openSlideMean(x: number, y: number, file: string): number[] {
  const code = `import openslide, sys\nr = openslide.OpenSlide(sys.argv[1]).read_region((${x - 4}, ${y - 4}), 0, (9, 9)).convert('RGB')\npx = list(r.getdata())\nprint(' '.join(str(sum(p[c] for p in px) / len(px)) for c in range(3)))`;
  return execFileSync(PYTHON, ['-c', code, file], { encoding: 'utf8' }).trim().split(' ').map(Number);
}

/** The tissue on screen at these level-0 points is `file`'s tissue as OpenSlide reads it (within 6 levels a channel). */
async function expectShownAsOpenSlide(p: Page, points: number[][], file: string): Promise<void> {
  for (const [x, y] of points) {
    const s = await pagePoint(p, x, y);
    const shown = await slideColour(p, s.x, s.y, 9);
    openSlideMean(x, y, file).forEach((v, k) => expect(Math.abs(shown[k] - v)).toBeLessThan(6));
  }
}

/** Chooses files through a button's plain file input, as a user does in a browser without File System Access. */
async function chooseFiles(p: Page, button: string | RegExp, files: string | string[]): Promise<void> {
  const chooser = p.waitForEvent('filechooser');
  await p.getByText(button).click();
  await (await chooser).setFiles(files);
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
  await expectShownAsOpenSlide(page, [[1100, 800], [1500, 1100], [1800, 1350]], svs);

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
    await withoutFileHandles(plain);
    const page = await plain.context.newPage();
    await setIdentity(page, base, 'Dr Slide');
    await addSlideAndOutline(page, () => chooseFiles(page, /Add slide files/, svs));
    await page.reload();
    await page.getByTestId('slide-gate').waitFor();
    // The worklist marks the slide too, before anyone opens it.
    await openProject(page, base, /Demo: pathology cell outlines/);
    await expect(page.getByTestId('worklist-row').filter({ hasText: 'case-17' }).getByTestId('slide-reach').textContent()).resolves.toBe('file not open in this browser');
    await page.getByRole('link', { name: 'case-17' }).click();
    await page.getByTestId('slide-gate').waitFor();
    await expect(page.getByTestId('slide-gate').textContent()).resolves.toContain('The slide file “case-17.svs” is not open in this browser');
    await chooseFiles(page, 'Choose case-17.svs again', svs);
    await outlineKept(page);
  });

  it('shows a JPEG 2000 .svs (Aperio 33005) as OpenSlide decodes it: the WebAssembly decoder loads under the page policy', async () => {
    const j2k = makeSvs(dir, { compression: 'jp2k', name: 'case-18.svs', label: false });
    const page = await plain.context.newPage();
    await openProject(page, base, /Demo: pathology cell outlines/);
    await chooseFiles(page, /Add slide files/, j2k);
    await page.getByRole('link', { name: 'case-18' }).click();
    await waitViewer(page);
    await lookAt(page, 1500, 1100, 1);
    await tilesLoaded(page);
    await expectShownAsOpenSlide(page, [[1100, 800], [1800, 1350]], j2k);
    await page.close();
  });

  it('opens a DICOM WSI series (the instances chosen together) as one slide, tiles as OpenSlide reads the source', async () => {
    // A pyramid by libvips, made DICOM WSI by Orthanc's dicomizer (JPEG frames copied as they are).
    const tiff = makeTiff(dir, { name: 'dicom-source.tif', width: 3000, height: 2200 });
    const folder = dicomize(tiff, join(dir, 'case-19'));
    const files = readdirSync(folder).map((f) => join(folder, f));
    const page = await plain.context.newPage();
    await openProject(page, base, /Demo: pathology cell outlines/);
    const before = await page.getByTestId('worklist-row').count();
    await chooseFiles(page, /Add slide files/, files);
    // One slide for all the instances: one new row, the full level's size.
    const row = page.getByTestId('worklist-row').nth(before);
    await row.waitFor();
    await expect(page.getByTestId('worklist-row').count()).resolves.toBe(before + 1);
    await expect(row.textContent()).resolves.toContain('3,000 × 2,200');
    await row.getByRole('link').first().click();
    await waitViewer(page);
    await lookAt(page, 1500, 1100, 1);
    await tilesLoaded(page);
    await expectShownAsOpenSlide(page, [[1100, 800], [1800, 1350]], tiff);
    await page.close();
  });

  it('refuses an NDPI file with a message that names a conversion', async () => {
    const page = await plain.context.newPage();
    await openProject(page, base, /Demo: pathology cell outlines/);
    const ndpi = makeNdpi(dir);
    await chooseFiles(page, /Add slide files/, ndpi);
    await expect(page.getByRole('alert').filter({ hasText: 'scan.ndpi' }).textContent()).resolves.toMatch(/NDPI.*vips/);
    await page.close();
  });

  it('adds a Deep Zoom slide from a tile server on this computer; a server without CORS and a host the page policy blocks are each named, with the fix', async () => {
    // A Deep Zoom pyramid as libvips writes it, served from 127.0.0.1 with and without CORS.
    execFileSync('vips', ['dzsave', ihcPath(), join(dir, 'ihc')]);
    const serve = (cors: boolean): Promise<{ server: Server; url: string }> =>
      new Promise((res) => {
        const server = createServer((req, out) => {
          const path = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
          if (cors) out.setHeader('Access-Control-Allow-Origin', '*');
          try {
            out.end(readFileSync(path));
          } catch {
            out.statusCode = 404;
            out.end();
          }
        }).listen(0, '127.0.0.1', () => res({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/ihc.dzi` }));
      });
    const withCors = await serve(true);
    const withoutCors = await serve(false);
    const page = await plain.context.newPage();
    try {
      await openProject(page, base, /Demo: pathology cell outlines/);
      const url = page.getByLabel(/Add whole-slide image by URL/);
      const add = async (address: string) => {
        await url.fill(address);
        await page.getByRole('button', { name: 'Add', exact: true }).click();
      };
      await add(withoutCors.url);
      await expect(page.getByRole('alert').filter({ hasText: 'Could not read that URL' }).textContent()).resolves.toContain(
        `the server at ${new URL(withoutCors.url).origin} answered but does not let ${base} read its tiles: it must send the header Access-Control-Allow-Origin`,
      );
      // .invalid never resolves, and the page's policy stops plain http to other hosts before any request.
      await add('http://tiles.invalid:8080/slide.dzi');
      await page.getByRole('alert').filter({ hasText: "this page's security policy does not allow http://tiles.invalid:8080" }).waitFor();
      await add(withCors.url);
      const row = page.getByTestId('worklist-row').filter({ hasText: 'ihc.dzi' });
      await row.waitFor();
      await expect(row.textContent()).resolves.toContain('512 × 512 · no scale');
      // A URL says nothing of scale: the user enters it, and the viewer's scale bar follows.
      await row.getByRole('button', { name: 'Set µm/pixel: ihc.dzi' }).click();
      await page.getByLabel('µm per pixel of ihc.dzi').fill('0,5');
      await row.getByRole('button', { name: 'Apply' }).click();
      await expect(row.textContent()).resolves.toContain('512 × 512 · 0.5 µm/pixel');
      await row.getByRole('link', { name: 'ihc.dzi' }).click();
      await waitViewer(page);
      await tilesLoaded(page);
      const t = await viewTransform(page);
      await expect(page.getByTestId('scale-bar').getAttribute('aria-label')).resolves.toBe(`Scale ${scaleBarLength(0.5, t.scale).microns} µm`);
    } finally {
      await page.close();
      withCors.server.close();
      withoutCors.server.close();
    }
  });
});
