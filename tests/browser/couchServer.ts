// A CouchDB-protocol server for the sync tests: pouchdb-server from node_modules, in memory, on
// loopback, with an admin (admin party off), CORS for the app's origin, and cookie sessions. The
// configuration file (and with it the cookie secret) stays in a temporary folder, so a server
// killed and started again on the same port still honours the browsers' sessions.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve('node_modules/pouchdb-server/bin/pouchdb-server');
export const ADMIN = { user: 'admin', password: 'admin-secret' };

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export class CouchServer {
  private proc: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly storage: 'memory' | 'disk',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `disk`: databases in the temporary folder (LevelDB), so a killed server restarts with its data. */
  static async start(opts: { storage: 'memory' | 'disk' }): Promise<CouchServer> {
    const dir = mkdtempSync(join(tmpdir(), 'granula-couch-'));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        admins: { [ADMIN.user]: ADMIN.password },
        couch_httpd_auth: { secret: 'test-cookie-secret', timeout: 3600 },
        httpd: { enable_cors: true },
        cors: { origins: '*', credentials: true, methods: 'GET, PUT, POST, HEAD, DELETE', headers: 'accept, authorization, content-type, origin, referer' },
        log: { file: join(dir, 'log.txt'), level: process.env.COUCH_LOG ?? 'warning' },
      }),
    );
    const server = new CouchServer(await freePort(), dir, opts.storage);
    await server.run();
    return server;
  }

  /** Starts the process (again, after a kill: on disk it finds its databases as CouchDB would). */
  async run(): Promise<void> {
    const proc = spawn(process.execPath, [BIN, ...(this.storage === 'memory' ? ['--in-memory'] : ['--dir', this.dir]), '--host', '127.0.0.1', '--port', String(this.port), '--no-stdout-logs'], { cwd: this.dir, stdio: 'ignore' });
    this.proc = proc;
    for (let i = 0; i < 200; i++) {
      if (proc.exitCode !== null) throw new Error(`pouchdb-server exited with ${proc.exitCode}`);
      try {
        if ((await fetch(this.url)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('pouchdb-server did not start');
  }

  /** Kills the process at once (SIGKILL: no goodbye to the clients). */
  async kill(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((res) => {
      p.once('exit', () => res());
      p.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A request as the server admin. */
  async admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const r = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, json: await r.json().catch(() => null) };
  }

  async addUser(name: string, password: string): Promise<void> {
    const r = await this.admin('PUT', `/_users/org.couchdb.user:${name}`, { name, password, roles: [], type: 'user' });
    if (r.status >= 300) throw new Error(`user ${name}: ${JSON.stringify(r.json)}`);
  }

  /** A database that only `members` (and the admin) may read and write: what docs/SYNC.md sets up. */
  async addDatabase(name: string, members: string[]): Promise<void> {
    const made = await this.admin('PUT', `/${encodeURIComponent(name)}`);
    if (made.status >= 300 && made.status !== 412) throw new Error(`database ${name}: ${JSON.stringify(made.json)}`);
    const sec = await this.admin('PUT', `/${encodeURIComponent(name)}/_security`, { admins: { names: [], roles: [] }, members: { names: members, roles: [] } });
    if (sec.status >= 300) throw new Error(`security of ${name}: ${JSON.stringify(sec.json)}`);
  }

  /** Every live document of a database, as the admin reads it. */
  async docs(name: string): Promise<any[]> {
    const r = await this.admin('GET', `/${encodeURIComponent(name)}/_all_docs?include_docs=true`);
    return (r.json?.rows ?? []).map((row: { doc: unknown }) => row.doc);
  }
}
