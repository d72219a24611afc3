// Steps every journey shares: who you are, which project, which image.
import type { Locator, Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { imagePoint, imageToScreen, type ViewTransform } from '../../src/viewer/coords';

export async function setIdentity(page: Page, base: string, name: string): Promise<void> {
  await page.goto(`${base}/#/settings`);
  await page.getByLabel('Your name (as annotator)').fill(name);
  await page.getByRole('button', { name: 'Use this name' }).click();
  await page.getByTestId('identity').filter({ hasText: name }).waitFor();
}

/** A fresh browser profile (kept in `sessions`, to close) at the project list; its page errors go to `errors`. */
export async function freshProjectList(base: string, sessions: Session[]): Promise<{ page: Page; errors: string[] }> {
  const session = await launchProfile();
  sessions.push(session);
  const page = await session.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/#/`);
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
  return { page, errors };
}

export async function openProject(page: Page, base: string, name: RegExp | string): Promise<void> {
  await page.goto(`${base}/#/`);
  await page.getByRole('link', { name }).click();
  await page.getByRole('link', { name: 'Worklist' }).waitFor();
}

export async function waitSaved(page: Page): Promise<void> {
  await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
}

export async function waitViewer(page: Page): Promise<void> {
  await page.waitForFunction(() => !!window.granulaViewer && window.granulaViewer.viewer.world.getItemCount() > 0);
}

export async function viewTransform(page: Page): Promise<ViewTransform> {
  return page.evaluate(() => window.granulaViewer!.transform());
}

/** Where an image point is on the page (CSS px), through Granula's own transform. */
export async function pagePoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const t = await viewTransform(page);
  const s = imageToScreen(t, imagePoint(x, y));
  const box = (await page.getByTestId('viewer').boundingBox())!;
  return { x: box.x + s.x, y: box.y + s.y };
}

/** Draws a region with Find nuclei (G) and returns how many suggestions it got. */
export async function proposeIn(page: Page, region: { x: number; y: number; w: number; h: number }): Promise<number> {
  await page.keyboard.press('g');
  const a = await pagePoint(page, region.x, region.y);
  const b = await pagePoint(page, region.x + region.w, region.y + region.h);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  await page.getByTestId('suggestion-count').waitFor();
  return Number(await page.getByTestId('suggestion-count').textContent());
}

/**
 * The mean RGB the viewer shows (OpenSeadragon's own canvas, without the overlay) in a size×size
 * block of device pixels around a page point; size 1 is the pixel itself.
 */
export async function slideColour(page: Page, x: number, y: number, size = 1): Promise<number[]> {
  const box = (await page.getByTestId('viewer').boundingBox())!;
  return page.evaluate(
    ([sx, sy, n]) => {
      const c = (window.granulaViewer!.viewer.drawer as unknown as { canvas: HTMLCanvasElement }).canvas;
      const dpr = c.width / c.clientWidth;
      const half = Math.floor(n / 2);
      const d = c.getContext('2d')!.getImageData(Math.round(sx * dpr) - half, Math.round(sy * dpr) - half, n, n).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) sum[k] += d[i + k];
      return sum.map((v) => v / (n * n));
    },
    [x - box.x, y - box.y, size] as const,
  );
}

/** Centres the slide on an image point at `scale` screen px per image px, without animation. */
export async function lookAt(page: Page, x: number, y: number, scale: number, rotation = 0): Promise<void> {
  await page.evaluate(
    ([x, y, scale, rotation]) => {
      const vp = window.granulaViewer!.viewer.viewport;
      vp.setRotation(rotation, true);
      vp.zoomTo(vp.imageToViewportZoom(scale), undefined, true);
      vp.panTo(vp.imageToViewportCoordinates(x, y), true);
      window.granulaViewer!.viewer.forceRedraw();
    },
    [x, y, scale, rotation] as const,
  );
  await page.waitForFunction(([x, y]) => {
    const t = window.granulaViewer!.transform();
    return Math.abs(t.centerImage.x - x) < 0.5 && Math.abs(t.centerImage.y - y) < 0.5;
  }, [x, y] as const);
}

/** Reads the stored records of one kind straight from IndexedDB: what a reload would find. */
async function storedRecords<T>(page: Page, kind: string): Promise<T[]> {
  return page.evaluate(async (kind) => {
    const open = indexedDB.open('granula');
    const db: IDBDatabase = await new Promise((res, rej) => {
      open.onsuccess = () => res(open.result);
      open.onerror = () => rej(open.error);
    });
    const rows: any[] = await new Promise((res, rej) => {
      const r = db.transaction('records').objectStore('records').getAll();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
    return rows.filter((r) => r.kind === kind && !r.gone).map((r) => r.value);
  }, kind);
}

export function storedAnnotations(page: Page) {
  return storedRecords<{ id: string; classId: string; imageId: string; annotatorId: string; geometry: any; attributes: Record<string, unknown>; grade?: number }>(page, 'annotation');
}

export function storedStatuses(page: Page) {
  return storedRecords<{ imageId: string; annotatorId: string; state: string; noFinding: boolean }>(page, 'status');
}

/** Team → Server: the sync panel's address, user name and password filled; Connect is the caller's. */
export async function fillSyncPanel(page: Page, url: string, user: string, password: string): Promise<Locator> {
  const panel = page.getByTestId('sync-panel');
  await fillSignIn(panel, url, user, password);
  return panel;
}

/** Project list → "Open a project from a server": the form filled; its button is the caller's. */
export async function fillOpenFromServer(page: Page, url: string, user: string, password: string, projectId: string): Promise<Locator> {
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Open a project from a server' }) });
  await fillSignIn(form, url, user, password);
  await form.getByLabel('Project id').fill(projectId);
  return form;
}

async function fillSignIn(scope: Locator, url: string, user: string, password: string): Promise<void> {
  await scope.getByLabel('Server address').fill(url);
  await scope.getByLabel('User name').fill(user);
  await scope.getByLabel('Password').fill(password);
}
