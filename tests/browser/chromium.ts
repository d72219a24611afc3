// Launches Debian's Chromium (it cannot download its own browser here) with a fresh profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Session {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** A persistent context, so IndexedDB survives reloads and a second tab shares it. */
export async function launchProfile(): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'granula-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every page of this profile is a browser without the File System Access API (Firefox, Safari): files come from plain inputs. */
export async function withoutFileHandles(session: Session): Promise<void> {
  await session.context.addInitScript(() => {
    delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
    delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker;
  });
}
