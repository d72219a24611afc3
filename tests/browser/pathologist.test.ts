import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shapeIou } from '../../src/agreement';
import { ringCentroid } from '../../src/model/geometry';
import { syntheticCellsInRect } from '../../src/synthetic/cells';
import { SYNTHETIC_MPP } from '../../src/synthetic/slide';
import { tissueCentre } from '../../src/synthetic/fields';
import { launchProfile, type Session } from './chromium';
import { lookAt, openProject, pagePoint, setIdentity, slideColour, storedAnnotations, viewTransform, waitSaved, waitViewer } from './app';

const base = inject('baseUrl');
let session: Session;
let page: Page;

const centre = tissueCentre(1);
// Three well-separated true nuclei near the middle of the tissue, and the region around them.
const cells = syntheticCellsInRect(1, { x: centre.x - 150, y: centre.y - 150, w: 300, h: 300 })
  .filter((c) => c.points.length >= 24)
  .sort((a, b) => Math.hypot(a.cx - centre.x, a.cy - centre.y) - Math.hypot(b.cx - centre.x, b.cy - centre.y))
  .slice(0, 3);

const timings: number[] = [];

beforeAll(async () => {
  session = await launchProfile();
  page = await session.context.newPage();
  await setIdentity(page, base, 'Dr Pathologist');
  await openProject(page, base, /Demo: pathology cell outlines/);
  await page.getByRole('link', { name: /Synthetic H&E slide/ }).click();
  await waitViewer(page);
});
afterAll(async () => {
  console.log(`pathologist: ${timings.map((t) => t.toFixed(0)).join(', ')} ms per cell outline (scripted clicks + Enter, app side)`);
  await session?.close();
});

async function clickImagePoints(p: Page, pts: number[]) {
  for (let i = 0; i < pts.length; i += 2) {
    const s = await pagePoint(p, pts[i], pts[i + 1]);
    await p.mouse.click(s.x, s.y);
  }
}

/** Is the overlay canvas painted within a pixel of this page point? */
async function overlayPaintedNear(p: Page, x: number, y: number): Promise<boolean> {
  const box = (await p.getByTestId('viewer').boundingBox())!;
  return p.evaluate(
    ([sx, sy]) => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="shape-layer"]')!;
      const dpr = c.width / c.clientWidth;
      const d = c.getContext('2d')!.getImageData(Math.round(sx * dpr) - 1, Math.round(sy * dpr) - 1, 3, 3).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
      return false;
    },
    [x - box.x, y - box.y] as const,
  );
}

describe('pathologist journey: cell outlines on a whole-slide image', () => {
  it('outlines three cells with the polygon tool in continuous mode', async () => {
    expect(cells).toHaveLength(3);
    await lookAt(page, cells[0].cx, cells[0].cy, 4);
    await page.keyboard.press('p');
    await page.keyboard.press('1');
    for (const cell of cells) {
      await lookAt(page, cell.cx, cell.cy, 4);
      // Every other vertex of the true outline: about as many clicks as a pathologist makes.
      const pts = cell.points.filter((_, i) => i % 4 < 2);
      const start = Date.now();
      await clickImagePoints(page, pts);
      await page.keyboard.press('Enter');
      await page.getByTestId('shape-count').filter({ hasText: String(cells.indexOf(cell) + 1) }).waitFor();
      timings.push(Date.now() - start);
    }
    await waitSaved(page);
    const saved = (await storedAnnotations(page)).filter((a) => a.classId === 'tumor-cell');
    expect(saved).toHaveLength(3);
    for (const cell of cells) {
      const best = Math.max(...saved.map((a) => shapeIou(a.geometry, { type: 'polygon', points: cell.points })));
      expect(best).toBeGreaterThan(0.8);
    }
  });

  it('draws a tumour region around them under the region class', async () => {
    await lookAt(page, centre.x, centre.y, 1);
    await page.keyboard.press('5');
    const r = 140;
    await clickImagePoints(page, [centre.x - r, centre.y - r, centre.x + r, centre.y - r, centre.x + r, centre.y + r, centre.x - r, centre.y + r]);
    await page.keyboard.press('Enter');
    await waitSaved(page);
    const regions = (await storedAnnotations(page)).filter((a) => a.classId === 'tumor-region');
    expect(regions).toHaveLength(1);
    expect(regions[0].geometry.points).toEqual([centre.x - r, centre.y - r, centre.x + r, centre.y - r, centre.x + r, centre.y + r, centre.x - r, centre.y + r].map((v) => expect.closeTo(v, 0)));
  });

  it('measures the region across in µm (Measure length, L), by the slide\'s µm per pixel', async () => {
    await lookAt(page, centre.x, centre.y, 1);
    await page.keyboard.press('l');
    const r = 140;
    const a = await pagePoint(page, centre.x - r, centre.y);
    const b = await pagePoint(page, centre.x + r, centre.y);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
    await waitSaved(page);
    const line = (await storedAnnotations(page)).find((x) => x.geometry?.type === 'line')!;
    const [x0, y0, x1, y1] = line.geometry.points;
    expect(Math.hypot(x1 - x0, y1 - y0)).toBeCloseTo(2 * r, 0);
    // Selected once drawn: the inspector gives px × µm per px (the synthetic slide's 0.5 µm), about 140 µm.
    await page.getByTestId('line-length').filter({ hasText: `Length: ${(Math.hypot(x1 - x0, y1 - y0) * SYNTHETIC_MPP).toFixed(1)} µm` }).waitFor();
  });

  it('keeps the outlines on the same cells at every zoom and rotation (within 1 screen pixel)', async () => {
    const saved = (await storedAnnotations(page)).filter((a) => a.classId === 'tumor-cell');
    for (const rotation of [0, 90, 180, 270]) {
      for (const scale of [0.6, 2, 8]) {
        for (const a of saved) {
          const [cx, cy] = ringCentroid(a.geometry.points);
          await lookAt(page, cx, cy, scale, rotation);
          const t = await viewTransform(page);
          expect(t.rotation).toBe(rotation);
          // Granula's transform and OpenSeadragon's own agree on where the vertex is.
          const [vx, vy] = a.geometry.points;
          const ours = await pagePoint(page, vx, vy);
          const osd = await page.evaluate(([x, y]) => window.granulaViewer!.osdImageToElement(x, y), [vx, vy] as const);
          const box = (await page.getByTestId('viewer').boundingBox())!;
          expect(Math.abs(ours.x - box.x - osd.x)).toBeLessThan(1);
          expect(Math.abs(ours.y - box.y - osd.y)).toBeLessThan(1);
          // The overlay is painted at that vertex, and the slide shows a nucleus under the centroid.
          expect(await overlayPaintedNear(page, ours.x, ours.y)).toBe(true);
          if (scale >= 2) {
            await page.waitForFunction(() => window.granulaViewer!.viewer.world.getItemAt(0).getFullyLoaded());
            const c = await pagePoint(page, cx, cy);
            const [r, , b] = await slideColour(page, c.x, c.y);
            expect(r).toBeLessThan(150);
            expect(b).toBeGreaterThan(r);
          }
        }
      }
    }
  });

  it('finds every outline exactly as it was after a reload', async () => {
    const before = await storedAnnotations(page);
    await page.reload();
    await waitViewer(page);
    await page.getByTestId('shape-count').filter({ hasText: '5' }).waitFor();
    const after = await storedAnnotations(page);
    expect(after.sort((a, b) => a.id.localeCompare(b.id))).toEqual(before.sort((a, b) => a.id.localeCompare(b.id)));
  });
});
