// Steps the trust tests share: reading what IndexedDB holds, downloads, dialogs, a box drawn.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { pagePoint } from './app';

/** Every row of every store, as JSON (image bytes as their size): what a reload would find. */
export async function dumpIndexedDb(page: Page): Promise<{ records: any[]; meta: any[]; blobs: { blobId: string; size: number }[] }> {
  return page.evaluate(async () => {
    const open = indexedDB.open('granula');
    const db: IDBDatabase = await new Promise((res, rej) => {
      open.onsuccess = () => res(open.result);
      open.onerror = () => rej(open.error);
    });
    const all = (store: string) =>
      new Promise<any[]>((res, rej) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    const [records, meta, blobs] = [await all('records'), await all('meta'), await all('blobs')];
    db.close();
    return { records, meta, blobs: blobs.map((b) => ({ blobId: b.blobId, size: b.data?.size ?? -1 })) };
  });
}

export async function downloadText(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path!, 'utf8');
}

/** Runs `act` and returns every file it downloads, once they stop coming. */
export async function downloadsOf(page: Page, act: () => Promise<void>, quietMs = 600): Promise<{ name: string; text: string }[]> {
  const seen: Download[] = [];
  const onDownload = (d: Download) => void seen.push(d);
  page.on('download', onDownload);
  try {
    const first = page.waitForEvent('download');
    await act();
    await first;
    let count = -1;
    while (count !== seen.length) {
      count = seen.length;
      await page.waitForTimeout(quietMs);
    }
  } finally {
    page.off('download', onDownload);
  }
  return Promise.all(seen.map(async (d) => ({ name: d.suggestedFilename(), text: await downloadText(d) })));
}

/** Records alert/confirm/prompt dialogs (and dismisses them) and CSP violations on a page. */
export async function watchForScripts(context: BrowserContext, page: Page): Promise<{ dialogs: string[]; violations: () => Promise<string[]> }> {
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { dialogs, violations: () => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []) };
}

/** Drags a box with the box tool, in image pixels. */
export async function drawBox(page: Page, x0: number, y0: number, x1: number, y1: number): Promise<void> {
  const a = await pagePoint(page, x0, y0);
  const b = await pagePoint(page, x1, y1);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 3 });
  await page.mouse.move(b.x, b.y, { steps: 3 });
  await page.mouse.up();
}

/** A PNG made by the page's own canvas. */
export async function pngFrom(page: Page, hue: number): Promise<Buffer> {
  const b64 = await page.evaluate((h) => {
    const c = document.createElement('canvas');
    c.width = 160;
    c.height = 120;
    const g = c.getContext('2d')!;
    g.fillStyle = `hsl(${h}, 60%, 55%)`;
    g.fillRect(0, 0, 160, 120);
    return c.toDataURL('image/png').split(',')[1];
  }, hue);
  return Buffer.from(b64, 'base64');
}

/** A file that starts as a JPEG (SOI, APP0 "JFIF") and then is noise: a truncated, corrupt photo. */
export function corruptJpeg(): Buffer {
  const head = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const noise = Buffer.alloc(2000);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 73 + 11) & 255;
  return Buffer.concat([head, noise]);
}
