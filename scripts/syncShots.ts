// Live sync's screenshots: a coordinator and an annotator in browser profiles of their own, with a
// loopback pouchdb-server (from node_modules) started here and stopped at the end.
import { launchProfile } from '../tests/browser/chromium';
import { CouchServer } from '../tests/browser/couchServer';
import { databaseName } from '../src/sync/route';
import { setIdentity } from '../tests/browser/app';

export async function syncShots(base: string, out: string): Promise<void> {
  const server = await CouchServer.start({ storage: 'memory' });
  const coord = await launchProfile();
  const ana = await launchProfile();
  try {
    await server.addUser('coord', 'coord-pw');
    await server.addUser('ana', 'ana-pw');
    const c = await coord.context.newPage();
    await setIdentity(c, base, 'Dr Coord');
    await c.goto(`${base}/#/`);
    await c.getByRole('link', { name: /Demo: fundus/ }).click();
    await c.getByRole('link', { name: 'Team', exact: true }).click();
    await c.getByRole('button', { name: 'Make me the coordinator' }).click();
    await c.getByLabel('Name', { exact: true }).fill('Dr Ana');
    await c.getByRole('button', { name: 'Add to the team' }).click();
    await c.getByLabel('Every image to every annotator').check();
    await c.getByRole('button', { name: 'Apply assignment' }).click();
    const pid = decodeURIComponent(/#\/project\/([^/]+)/.exec(c.url())![1]);
    await server.addDatabase(databaseName(pid, 'dr-coord'), ['coord']);
    await server.addDatabase(databaseName(pid, 'dr-ana'), ['ana', 'coord']);
    const panel = c.getByTestId('sync-panel');
    await panel.getByLabel('Server address').fill(server.url);
    await panel.getByLabel('User name').fill('coord');
    await panel.getByLabel('Password').fill('coord-pw');
    await panel.getByRole('button', { name: 'Connect' }).click();
    await c.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();

    const a = await ana.context.newPage();
    await setIdentity(a, base, 'Dr Ana');
    await a.goto(`${base}/#/`);
    const form = a.locator('section', { has: a.getByRole('heading', { name: 'Open a project from a server' }) });
    await form.getByLabel('Server address').fill(server.url);
    await form.getByLabel('User name').fill('ana');
    await form.getByLabel('Password').fill('ana-pw');
    await form.getByLabel('Project id').fill(pid);
    await form.getByRole('button', { name: 'Open from the server' }).click();
    await a.getByTestId('joined').getByRole('link').click();
    await a.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
    // Offline on a ward round: two photos labelled, waiting for the server.
    await ana.context.setOffline(true);
    await a.getByRole('link', { name: 'Next unfinished' }).click();
    for (const keys of [['1', '0'], ['3', '2']]) {
      for (const k of keys) await a.keyboard.press(k);
      await a.keyboard.press('Enter');
    }
    await a.locator('[data-testid="sync-status"][data-state="offline"]').filter({ hasText: 'waiting' }).waitFor({ timeout: 60_000 });
    await a.screenshot({ path: `${out}/sync-annotator-offline.png` });
    await ana.context.setOffline(false);
    await a.locator('[data-testid="sync-status"][data-state="synced"]').waitFor({ timeout: 60_000 });
    await c.getByRole('link', { name: 'Team', exact: true }).click();
    await c.getByTestId('sync-panel').scrollIntoViewIfNeeded();
    await c.screenshot({ path: `${out}/sync-coordinator.png` });
  } finally {
    await ana.close();
    await coord.close();
    await server.stop();
  }
}
