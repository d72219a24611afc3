// The assistant on real IHC pixels added as a plain image file: scikit-image's ihc.png (DAB and
// haematoxylin), read from the Debian package at test time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shapeIou } from '../../src/agreement';
import { ringArea } from '../../src/model/geometry';
import { ringContainsPoint } from '../../src/model/hit';
import { PYTHON } from '../slides/makeSlides';
import { launchProfile, type Session } from './chromium';
import { lookAt, openProject, pagePoint, proposeIn, setIdentity, storedAnnotations, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
let session: Session;
let page: Page;

/**
 * ihc.png's path, and one haematoxylin-only (DAB-negative) stromal nucleus in it as scikit-image
 * sees it: colour deconvolution (rgb2hed), Otsu on haematoxylin, DAB below its own Otsu, a 1-px
 * opening; of the compact blobs (40–400 px², solidity > 0.9) in the stroma between the glands
 * (x 180–330, y 220–320), the most stained.
 */
const reference = JSON.parse(
  execFileSync(PYTHON, ['-c', `
import json, os, skimage
from skimage import color, filters, io, measure, morphology
path = os.path.join(os.path.dirname(skimage.__file__), 'data', 'ihc.png')
hed = color.rgb2hed(io.imread(path)[..., :3])
h, d = hed[..., 0], hed[..., 2]
mask = morphology.binary_opening((h > filters.threshold_otsu(h)) & (d < filters.threshold_otsu(d)), morphology.disk(1))
blobs = [r for r in measure.regionprops(measure.label(mask), intensity_image=h) if 40 <= r.area <= 400 and r.solidity > 0.9 and 180 <= r.centroid[1] <= 330 and 220 <= r.centroid[0] <= 320]
r = max(blobs, key=lambda r: r.mean_intensity)
print(json.dumps({'path': path, 'x': r.centroid[1] + 0.5, 'y': r.centroid[0] + 0.5, 'area': float(r.area)}))
`], { encoding: 'utf8' }),
) as { path: string; x: number; y: number; area: number };

beforeAll(async () => {
  session = await launchProfile();
  page = await session.context.newPage();
  await setIdentity(page, base, 'Dr Ihc');
  await openProject(page, base, /Demo: pathology cell outlines/);
  await page.getByLabel('Add JPEG/PNG files').setInputFiles({ name: 'ihc.png', mimeType: 'image/png', buffer: readFileSync(reference.path) });
  await page.getByRole('link', { name: 'ihc.png' }).click();
  await waitViewer(page);
});
afterAll(async () => {
  await session?.close();
});

const count = async () => Number((await page.getByTestId('shape-count').textContent())!.match(/\d+/)![0]);

describe('the assistant on an IHC image file', () => {
  it('asks for the scale, then outlines a clicked nucleus with the wand, and Enter accepts it', async () => {
    await lookAt(page, reference.x, reference.y, 3);
    await page.keyboard.press('w');
    await page.keyboard.press('1');
    // A plain image carries no scale: the panel asks for it instead of guessing.
    await page.getByLabel('µm per pixel').fill('0.5');
    await page.getByRole('button', { name: 'Set scale' }).click();
    await expect(page.getByLabel('µm per pixel').count()).resolves.toBe(0);

    const p = await pagePoint(page, reference.x, reference.y);
    await page.mouse.click(p.x, p.y);
    await page.getByRole('button', { name: /Reject/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('shape-count').filter({ hasText: '1' }).waitFor();
    await waitSaved(page);
    const [made] = await storedAnnotations(page);
    expect((made as { provenance?: { kind: string } }).provenance?.kind).toBe('assistant');
    expect(ringContainsPoint(made.geometry.points, reference.x, reference.y)).toBe(true);
    // The same nucleus as scikit-image's, give or take its pale rim.
    const area = ringArea(made.geometry.points);
    expect(area).toBeGreaterThan(0.5 * reference.area);
    expect(area).toBeLessThan(2.5 * reference.area);
  });

  it('proposes the nuclei of a drawn region but not the one already outlined, and Accept all adds no duplicate', async () => {
    const before = await storedAnnotations(page);
    const region = { x: reference.x - 60, y: reference.y - 60, w: 120, h: 120 };
    await lookAt(page, reference.x, reference.y, 3);
    const proposed = await proposeIn(page, region);
    expect(proposed).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('a');
    await page.getByTestId('shape-count').filter({ hasText: String(before.length + proposed) }).waitFor();
    await waitSaved(page);
    const after = await storedAnnotations(page);
    expect(after).toHaveLength(before.length + proposed);
    // Every stored nucleus is a different one: no pair overlaps at IoU ≥ 0.5, the wand's included.
    for (let i = 0; i < after.length; i++) {
      for (let j = i + 1; j < after.length; j++) expect(shapeIou(after[i].geometry, after[j].geometry)).toBeLessThan(0.5);
    }
    expect(await count()).toBe(after.length);
  });
});
