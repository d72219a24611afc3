// Live sync between sites: a coordinator and annotators, each in their own browser profile, with a
// CouchDB-protocol server (pouchdb-server from node_modules) on loopback. The server keeps its
// databases on disk, so killing it mid-sync is a crash it restarts from, as CouchDB would.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchProfile, type Session } from './chromium';
import { fillOpenFromServer, fillSyncPanel, openProject, setIdentity, storedAnnotations, waitSaved } from './app';
import { CouchServer } from './couchServer';
import { databaseName } from '../../src/sync/route';

const base = inject('baseUrl');
const sessions: Session[] = [];
let server: CouchServer;
let pid = '';
const ACCOUNTS = { coord: 'pw-coord', ana: 'pw-ana', ben: 'pw-ben' } as const;
const PEOPLE = { 'dr-coord': 'coord', 'dr-ana': 'ana', 'dr-ben': 'ben' } as const;

interface Person {
  page: Page;
  context: BrowserContext;
}
let coord: Person;
let ana: Person;
let ben: Person;

async function newPerson(): Promise<Person> {
  const s = await launchProfile();
  sessions.push(s);
  const page = await s.context.newPage();
  if (process.env.SYNC_DEBUG) page.on('console', (m) => console.log('[page]', m.type(), m.text()));
  return { page, context: s.context };
}

async function teamTab(page: Page): Promise<void> {
  await page.goto(`${base}/#/project/${encodeURIComponent(pid)}/team`);
  await page.getByTestId('my-role').waitFor();
}

/** The header's sync state and its words. */
async function syncState(page: Page): Promise<string> {
  const el = page.getByTestId('sync-status');
  return (await el.count()) ? `${await el.getAttribute('data-state')}: ${await el.textContent()}` : 'none';
}

async function synced(page: Page): Promise<void> {
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor({ timeout: 60_000 });
}

/** Joins the project from the project list, as a fresh browser does. */
async function join(page: Page, user: string, password: string): Promise<void> {
  await page.goto(`${base}/#/`);
  const form = await fillOpenFromServer(page, server.url, user, password, pid);
  await form.getByRole('button', { name: 'Open from the server' }).click();
}

/** Labels the fundus image at `position` (1-based) with the keys given, through the annotate page. */
async function label(page: Page, position: number, keys: string[]): Promise<void> {
  // A hash change stays in the page, so it works offline too.
  await page.evaluate((h) => (location.hash = h), `#/project/${encodeURIComponent(pid)}/worklist`);
  await page.getByTestId('worklist-row').nth(position - 1).getByRole('link').first().click();
  await page.getByTestId('image-position').filter({ hasText: `${position} / 6` }).waitFor();
  for (const k of keys) await page.keyboard.press(k);
  await waitSaved(page);
}

/** Every document in this browser's PouchDB databases (IndexedDB `_pouch_*`), read directly. */
async function localPouchDocs(page: Page): Promise<{ db: string; value?: { annotatorId?: string }; batch?: { annotatorId: string }[] }[]> {
  return page.evaluate(async () => {
    const out: { db: string; value?: { annotatorId?: string }; batch?: { annotatorId: string }[] }[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name?.startsWith('_pouch_')) continue;
      const db: IDBDatabase = await new Promise((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      if (db.objectStoreNames.contains('by-sequence')) {
        const rows: any[] = await new Promise((res, rej) => {
          const r = db.transaction('by-sequence').objectStore('by-sequence').getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        for (const row of rows) out.push({ db: info.name!, value: row.value, batch: row.batch });
      }
      db.close();
    }
    return out;
  });
}

beforeAll(async () => {
  server = await CouchServer.start({ storage: 'disk' });
  for (const [user, pw] of Object.entries(ACCOUNTS)) await server.addUser(user, pw);
  coord = await newPerson();
  await setIdentity(coord.page, base, 'Dr Coord');
  await openProject(coord.page, base, /Demo: fundus diagnosis/);
  pid = decodeURIComponent(/#\/project\/([^/]+)/.exec(coord.page.url())![1]);
  await teamTab(coord.page);
  await coord.page.getByRole('button', { name: 'Make me the coordinator' }).click();
  for (const name of ['Dr Ana', 'Dr Ben']) {
    await coord.page.getByLabel('Name', { exact: true }).fill(name);
    await coord.page.getByRole('button', { name: 'Add to the team' }).click();
    await coord.page.getByTestId('members').getByText(name).waitFor();
  }
  await coord.page.getByLabel('Every image to every annotator').check();
  await coord.page.getByRole('button', { name: 'Apply assignment' }).click();
  await waitSaved(coord.page);
  // What the server's administrator does once per person (docs/SYNC.md): a database each, readable
  // by that person and the coordinator only.
  for (const [person, user] of Object.entries(PEOPLE)) await server.addDatabase(databaseName(pid, person), [...new Set([user, 'coord'])]);
});

afterAll(async () => {
  for (const s of sessions) await s.close();
  await server?.stop();
});

describe('live sync through a CouchDB-protocol server', () => {
  it('the coordinator connects; each annotator’s database holds their package and nobody’s labels', async () => {
    const panel = await fillSyncPanel(coord.page, server.url, 'coord', ACCOUNTS.coord);
    await panel.getByRole('button', { name: 'Connect' }).click();
    await synced(coord.page);
    if (process.env.SYNC_DEBUG) for (const p of Object.keys(PEOPLE)) console.log(p, (await server.docs(databaseName(pid, p))).map((d) => d._id));
    const anaDocs = await server.docs(databaseName(pid, 'dr-ana'));
    const kinds = anaDocs.map((d) => d.kind);
    expect(kinds.filter((k) => k === 'image')).toHaveLength(6);
    expect(kinds).toContain('project');
    expect(kinds).not.toContain('annotation');
    // The image files travel with their records.
    expect(anaDocs.filter((d) => d.kind === 'image').every((d) => d._attachments?.file?.content_type === 'image/png')).toBe(true);
    // The project as an annotator may see it: their own assignment only, no conflicts, no opt-out list.
    const project = anaDocs.find((d) => d.kind === 'project').value;
    expect(project.assignments).toEqual([{ annotatorId: 'dr-ana', imageIds: expect.any(Array) }]);
    expect(project.optOut).toEqual([]);
  });

  it('a wrong password is said in words, and nothing is opened', async () => {
    ben = await newPerson();
    await setIdentity(ben.page, base, 'Dr Ben');
    await join(ben.page, 'ben', 'not-my-password');
    await ben.page.getByRole('alert').filter({ hasText: 'Sync error: wrong user name or password' }).waitFor();
    expect(await ben.page.getByTestId('joined').count()).toBe(0);
  });

  it('two annotators join, label offline, reconnect, and everyone converges; the coordinator gets both', async () => {
    ana = await newPerson();
    await setIdentity(ana.page, base, 'Dr Ana');
    for (const [p, user] of [[ana, 'ana'], [ben, 'ben']] as const) {
      await join(p.page, user, ACCOUNTS[user]);
      await p.page.getByTestId('joined').getByRole('link').click();
      await synced(p.page);
      await p.page.getByTestId('worklist-row').nth(5).waitFor();
    }
    // Both lose the network, label two images each, and see their changes waiting.
    await ana.context.setOffline(true);
    await ben.context.setOffline(true);
    await label(ana.page, 1, ['1']);
    await label(ana.page, 2, ['3', '2']);
    await label(ben.page, 1, ['2']);
    await label(ben.page, 2, ['1']);
    for (const p of [ana, ben]) await p.page.locator('[data-testid="sync-status"][data-state="offline"]').filter({ hasText: /changes? waiting/ }).waitFor();
    await ana.context.setOffline(false);
    await ben.context.setOffline(false);
    await synced(ana.page);
    await synced(ben.page);
    // The coordinator's browser receives both, with no one touching it.
    await expect.poll(async () => (await storedAnnotations(coord.page)).filter((a) => a.annotatorId === 'dr-ana' || a.annotatorId === 'dr-ben').length, { timeout: 60_000 }).toBe(4);
    const mine = (await storedAnnotations(coord.page)).filter((a) => a.annotatorId === 'dr-ana').sort((a, b) => a.imageId.localeCompare(b.imageId));
    expect(mine.map((a) => [a.classId, a.grade])).toEqual((await storedAnnotations(ana.page)).sort((a, b) => a.imageId.localeCompare(b.imageId)).map((a) => [a.classId, a.grade]));
    // The Progress table: work that came live counts as returned, for each of them.
    await teamTab(coord.page);
    const lastRow = coord.page.getByTestId('dashboard').locator('tr').filter({ hasText: 'Last return' });
    await expect.poll(async () => (await lastRow.locator('td').allInnerTexts()).filter((x) => x.endsWith('(live sync)')).length).toBe(2);
  });

  it('blind: an annotator’s browser holds no other annotator’s annotation, in its store or its sync databases', async () => {
    const stored = await storedAnnotations(ana.page);
    expect(stored.length).toBe(2);
    expect(stored.every((a) => a.annotatorId === 'dr-ana')).toBe(true);
    const pouch = await localPouchDocs(ana.page);
    expect(pouch.length).toBeGreaterThan(0);
    expect(pouch.filter((d) => d.value?.annotatorId === 'dr-ben' || d.batch?.some((a) => a.annotatorId === 'dr-ben'))).toEqual([]);
    // The server would not give them either: Ana has no access to Ben's database.
    const denied = await ana.page.evaluate(async (url) => (await fetch(url, { credentials: 'include' })).status, `${server.url}/${databaseName(pid, 'dr-ben')}`);
    expect([401, 403]).toContain(denied);
  });

  it('the same record changed in two browsers: the server’s winner is shown, the loser is listed, and the coordinator settles it', async () => {
    const ana2 = await newPerson();
    await setIdentity(ana2.page, base, 'Dr Ana');
    await join(ana2.page, 'ana', ACCOUNTS.ana);
    await ana2.page.getByTestId('joined').getByRole('link').click();
    await synced(ana2.page);
    const first = (await storedAnnotations(ana.page)).find((a) => a.imageId === 'demo-fundus-1')!;
    await expect.poll(async () => (await storedAnnotations(ana2.page)).find((a) => a.id === first.id)?.classId).toBe(first.classId);
    // Offline, Dr Ana changes image 1 in both of her browsers, differently.
    await ana.context.setOffline(true);
    await ana2.context.setOffline(true);
    await label(ana.page, 1, ['2']);
    await label(ana2.page, 1, ['3', '1']);
    const edits = [(await storedAnnotations(ana.page)).find((a) => a.id === first.id)!, (await storedAnnotations(ana2.page)).find((a) => a.id === first.id)!];
    expect(edits[0].classId).not.toBe(edits[1].classId);
    await ana.context.setOffline(false);
    await ana2.context.setOffline(false);
    await synced(ana.page);
    await synced(ana2.page);
    // Both browsers show the same version: the server's deterministic winner.
    const shown = async (p: Person) => (await storedAnnotations(p.page)).find((a) => a.id === first.id)?.classId;
    await expect.poll(async () => (await shown(ana)) === (await shown(ana2)), { timeout: 30_000 }).toBe(true);
    const winner = await shown(ana);
    const loser = edits.map((e) => e.classId).find((c) => c !== winner)!;
    expect(edits.map((e) => e.classId)).toContain(winner);
    // The coordinator sees the conflict in the team loop's conflict view and takes the losing version.
    await teamTab(coord.page);
    const item = coord.page.getByTestId('conflicts').locator('li').filter({ hasText: first.id });
    await item.waitFor({ timeout: 60_000 });
    await expect.poll(() => shown(coord), { timeout: 30_000 }).toBe(winner);
    await item.getByRole('button', { name: 'Take theirs' }).click();
    await coord.page.getByTestId('conflicts').getByText('No conflicts.').waitFor();
    // Every browser converges on the settled version, and the server holds one version again.
    for (const p of [coord, ana, ana2]) await expect.poll(() => shown(p), { timeout: 60_000 }).toBe(loser);
    await expect.poll(async () => (await server.admin('GET', `/${databaseName(pid, 'dr-ana')}/annotation:${first.id}?conflicts=true`)).json._conflicts ?? [], { timeout: 30_000 }).toEqual([]);
    // The audit trail says what happened.
    await coord.page.getByRole('link', { name: 'Audit trail' }).click();
    await coord.page.getByText(/changed in two places/).first().waitFor();
  });

  it('a shared record changed in two places: the server keeps one version and the audit trail keeps what the other held', async () => {
    const db = databaseName(pid, 'dr-coord');
    const path = `/${db}/${encodeURIComponent(`project:${pid}`)}`;
    // Ours: the coordinator rewrites the project's description here, and it reaches the server.
    await coord.page.goto(`${base}/#/project/${encodeURIComponent(pid)}/settings`);
    const description = coord.page.getByLabel('Description');
    await description.fill('Protocol v2 (ours)');
    await description.blur();
    await waitSaved(coord.page);
    await expect.poll(async () => (await server.admin('GET', path)).json?.value?.description, { timeout: 60_000 }).toBe('Protocol v2 (ours)');
    // Theirs: the coordinator's other browser had changed it too while both were offline. Replication
    // brings its revision as CouchDB stores one: a sibling of ours on the same parent. Its hash is the
    // highest there is, so CouchDB's deterministic choice keeps it.
    const doc = (await server.admin('GET', `${path}?revs=true`)).json;
    const generation = Number(doc._rev.split('-')[0]);
    const hash = 'f'.repeat(32);
    const sibling = { ...doc, _rev: `${generation}-${hash}`, _revisions: { start: generation, ids: [hash, ...doc._revisions.ids.slice(1)] }, value: { ...doc.value, description: 'Protocol v2 (theirs)' }, origin: 'the-other-browser' };
    expect((await server.admin('POST', `/${db}/_bulk_docs`, { new_edits: false, docs: [sibling] })).status).toBeLessThan(300);
    expect((await server.admin('GET', `${path}?conflicts=true`)).json._conflicts).toEqual([doc._rev]);
    // Every browser of the coordinator shows the kept version; the audit trail has the other one.
    await expect.poll(() => description.inputValue(), { timeout: 60_000 }).toBe('Protocol v2 (theirs)');
    await coord.page.getByRole('link', { name: 'Audit trail' }).click();
    await coord.page.getByText('description: "Protocol v2 (theirs)" kept, "Protocol v2 (ours)" not kept', { exact: false }).waitFor({ timeout: 30_000 });
    // And the server holds one version again.
    await expect.poll(async () => (await server.admin('GET', `${path}?conflicts=true`)).json._conflicts ?? [], { timeout: 60_000 }).toEqual([]);
  });

  it('the server killed mid-sync: nothing is lost, a reload while it is down keeps everything, and sync resumes', async () => {
    await label(ana.page, 3, ['1']);
    await synced(ana.page);
    await server.kill();
    await label(ana.page, 4, ['2']);
    await label(ana.page, 5, ['3', '4']);
    await expect.poll(() => syncState(ana.page), { timeout: 60_000 }).toMatch(/^offline: Offline: \d+ changes waiting/);
    const before = (await storedAnnotations(ana.page)).map((a) => [a.id, a.classId, a.grade]).sort();
    expect(before).toHaveLength(5);
    await ana.page.reload();
    await ana.page.getByTestId('image-position').filter({ hasText: '5 / 6' }).waitFor();
    expect((await storedAnnotations(ana.page)).map((a) => [a.id, a.classId, a.grade]).sort()).toEqual(before);
    await expect.poll(() => syncState(ana.page), { timeout: 60_000 }).toMatch(/^offline/);
    await server.run();
    await synced(ana.page);
    const onServer = (await server.docs(databaseName(pid, 'dr-ana'))).filter((d) => d.kind === 'annotation').map((d) => [d.value.id, d.value.classId, d.value.grade]).sort();
    expect(onServer).toEqual(before);
    await expect.poll(async () => (await storedAnnotations(coord.page)).filter((a) => a.annotatorId === 'dr-ana').map((a) => [a.id, a.classId, a.grade]).sort(), { timeout: 60_000 }).toEqual(before);
  });

  it('a new team member without a database on the server: the coordinator is told which, and sync recovers once it exists', async () => {
    await teamTab(coord.page);
    await coord.page.getByLabel('Name', { exact: true }).fill('Dr Cem');
    await coord.page.getByRole('button', { name: 'Add to the team' }).click();
    const name = databaseName(pid, 'dr-cem');
    await expect.poll(() => syncState(coord.page), { timeout: 60_000 }).toBe(`error: Sync error: the server has no database ${name} for you; ask its administrator`);
    await server.addDatabase(name, ['coord']);
    await synced(coord.page);
    // Dr Cem's database now holds their package, as everyone's does: no images yet (none assigned to him).
    await expect.poll(async () => (await server.docs(name)).map((d) => d.kind).sort(), { timeout: 30_000 }).toEqual(['annotator', 'annotator', 'project', 'schema']);
    const project = (await server.docs(name)).find((d) => d.kind === 'project').value;
    expect(project.assignments).toEqual([{ annotatorId: 'dr-cem', imageIds: [] }]);
  });

  it('two tabs of one project: one syncs, the other’s edits travel through it, and it takes over when that tab closes', async () => {
    const bens = async () => (await server.docs(databaseName(pid, 'dr-ben'))).filter((d) => d.kind === 'annotation' && d.value.annotatorId === 'dr-ben').length;
    const before = await bens();
    const tab = await ben.context.newPage();
    await tab.goto(`${base}/#/project/${encodeURIComponent(pid)}/worklist`);
    await tab.getByTestId('sync-status').filter({ hasText: 'Synced (synced by another tab)' }).waitFor({ timeout: 30_000 });
    await label(tab, 3, ['2']);
    // Saved here, carried to the syncing tab (the tabs' channel) and from there to the server.
    await expect.poll(bens, { timeout: 30_000 }).toBe(before + 1);
    await ben.page.close();
    // The other tab closed: this one syncs now, and says so without "another tab".
    await tab.locator('[data-testid="sync-status"][data-state="synced"]').filter({ hasNotText: 'another tab' }).waitFor({ timeout: 30_000 });
    await label(tab, 4, ['1']);
    await expect.poll(bens, { timeout: 30_000 }).toBe(before + 2);
    ben = { page: tab, context: ben.context };
  });
});
