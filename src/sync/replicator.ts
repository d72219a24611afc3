/**
 * Live replication of one open project with a CouchDB-protocol server. Loaded only when a project
 * is connected (a dynamic import), so PouchDB is not in the main bundle.
 *
 * How the app's store and PouchDB relate: the app's IndexedDB store stays the one source of truth
 * for the screen and the one write path (storage/writes through the autosaver). For each server
 * database this browser replicates, a local PouchDB database is the mirror that the replication
 * protocol needs (revisions, checkpoints, conflicts). One pump per database, never two at once:
 *   1. what replication brought into the mirror since last time is applied to the app (checked by
 *      route.accepts; a revision this browser wrote itself is skipped), through the host's `apply`,
 *      which commits it like any edit, so it is saved by the one write path;
 *   2. then what the app holds is written into the mirror where it differs (route.outgoing), and
 *      replication carries it to the server.
 * A crash between the app's write and the mirror's loses nothing: step 2 compares everything on
 * every start. Records travel one document each (measured in docs/SYNC.md).
 */
import { recordId, type RecordChange, type RecordKind, type RecordTypes } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import type { Annotator, MergeConflict, TeamRole } from '../model/types';
import { sameValue } from '../model/canonical';
import { accepts, conflictOf, databaseName, docId, imageFileId, isBatchId, isHome, outgoing, parseDocId, planBatches, sendsAlone, sharedConflictDetail, writesDoc, type RecordDoc, type SharedConflict } from './route';
import { newId } from '../model/ids';
import { classify, type SyncProblem } from './problems';
import type { Database, PouchStatic, SyncEvents } from 'pouchdb-browser';

type Pouch = Database<RecordDoc>;
type PouchCtor = PouchStatic;

let pouchCtor: Promise<PouchCtor> | null = null;
function loadPouch(): Promise<PouchCtor> {
  pouchCtor ??= import('pouchdb-browser').then((m) => m.default);
  return pouchCtor;
}

/** Every request to the server carries the session cookie, and nothing else that names the user. */
function remoteDb(PouchDB: PouchCtor, url: string, name: string): Pouch {
  return new PouchDB<RecordDoc>(`${url}/${name}`, {
    skip_setup: true,
    fetch: (u: string | Request, opts?: RequestInit) => PouchDB.fetch(u, { ...opts, credentials: 'include' }),
  });
}

export interface SyncStatus {
  state: 'connecting' | 'synced' | 'waiting' | 'offline' | 'error';
  /** Changes written here that the server has not acknowledged yet. */
  waiting: number;
  problem?: SyncProblem;
  /** The database or record a problem is about. */
  detail?: string;
}

/** What the engine needs of the app. */
export interface SyncHost {
  projectId: string;
  me: string;
  role: () => TeamRole;
  /** The open project now, whole (built at start and after changes to shared records). */
  data: () => ProjectData;
  /** One record of the open project. */
  record: (kind: RecordKind, id: string) => RecordTypes[RecordKind] | undefined;
  annotators: () => Annotator[];
  /** Whose databases to replicate (the coordinator: everyone's; anyone else: their own). */
  people: () => string[];
  /** Applies records that came from the server, through the app's one write path. */
  apply: (changes: RecordChange[]) => void;
  /** Adds CouchDB conflicts to the team loop's conflict list (a no-op for one already listed). */
  raiseConflicts: (conflicts: MergeConflict[]) => void;
  /** Shared records CouchDB kept one version of: each losing version goes into the audit trail. */
  sharedConflicts: (conflicts: SharedConflict[]) => void;
  /** Records refused because of whose database they were in. */
  refused: (owner: string, reasons: string[]) => void;
  status: (s: SyncStatus) => void;
  /** A per-browser id written on every revision, so the pump knows its own writes. */
  origin: string;
  /** An image file stored here, to send with its record. */
  fileOf: (blobId: string) => Promise<{ mime: string; data: Blob } | undefined>;
  /** Stores image files that came with records (before the records are applied). */
  storeFiles: (files: SyncedFile[]) => Promise<void>;
}

export interface SyncedFile {
  blobId: string;
  mime: string;
  data: Blob;
}

const FILE = 'file';

/** The files attached to image documents not yet stored here. */
async function attachedFiles(db: Pouch, docs: readonly RecordDoc[], have: (blobId: string) => boolean): Promise<SyncedFile[]> {
  const out: SyncedFile[] = [];
  for (const d of docs) {
    const blobId = d.kind === 'batch' ? null : imageFileId(d.kind, d.value);
    const att = d._attachments?.[FILE];
    if (!blobId || !att || have(blobId)) continue;
    const data = await db.getAttachment(d._id, FILE).catch(() => null);
    if (data) out.push({ blobId, mime: att.content_type, data });
  }
  return out;
}

interface Mirrored {
  rev: string;
  value: RecordTypes[RecordKind] | undefined;
  /** Losing revisions (the coordinator resolves them). */
  conflicts?: string[];
  /** The image file attached to this revision. */
  file?: boolean;
  /** The document is deleted (a record document: the batch's copy, if any, shows again). */
  deleted?: boolean;
  /** An annotation deleted while a batch holds it. */
  gone?: boolean;
}

/** A mirror entry from a document's current revision. */
function mirrored(doc: RecordDoc & { _rev: string; _conflicts?: string[] }, deleted: boolean): Mirrored {
  return { rev: doc._rev, value: deleted || doc.gone ? undefined : doc.value, conflicts: doc._conflicts, file: !!doc._attachments?.[FILE], ...(deleted ? { deleted } : {}), ...(doc.gone && !deleted ? { gone: true } : {}) };
}

interface Channel {
  owner: string;
  name: string;
  local: Pouch;
  remote: Pouch;
  replication: SyncEvents<RecordDoc> | null;
  mirror: Map<string, Mirrored>;
  /** Annotations in the database's batch documents, by id. */
  batched: Map<string, RecordTypes['annotation']>;
  appliedSeq: string | number;
  running: Promise<void>;
  again: boolean;
  waiting: Set<string>;
  problem: { problem: SyncProblem; detail?: string } | null;
  offline: boolean;
  /** A pump is queued or running: what the app holds may not be in the mirror yet. */
  busy: boolean;
  /** What to compare with the mirror next: the records changed since, or everything. */
  dirty: Set<string> | 'full';
}

const APPLIED = '_local/granula-applied';
/** The documents written here that the server has not acknowledged, kept across a reload. */
const WAITING = '_local/granula-waiting';

/** Signs in: CouchDB's cookie session, so no password is kept by the app. */
export async function signIn(url: string, user: string, password: string): Promise<{ ok: true } | { ok: false; problem: SyncProblem }> {
  try {
    const r = await fetch(`${url}/_session`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: user, password }) });
    if (r.ok) return { ok: true };
    return { ok: false, problem: classify({ status: r.status }, false) };
  } catch (e) {
    return { ok: false, problem: classify(e, false) };
  }
}

/**
 * Who the browser's session cookie signs in as (after a reload): a name, null when signed out, or
 * 'unreachable' when the server cannot be asked (offline: syncing starts anyway and waits).
 */
export async function sessionUser(url: string): Promise<string | null | 'unreachable'> {
  try {
    const r = await fetch(`${url}/_session`, { credentials: 'include' });
    if (!r.ok) return null;
    const j = (await r.json()) as { userCtx?: { name?: string | null } };
    return j.userCtx?.name ?? null;
  } catch {
    return 'unreachable';
  }
}

export async function signOut(url: string): Promise<void> {
  await fetch(`${url}/_session`, { method: 'DELETE', credentials: 'include' }).catch(() => undefined);
}

/**
 * A fresh browser joins a project: its own database is read once from the server, and the project
 * it holds is returned (to be stored through the one write path), or the problem.
 */
export async function readProject(url: string, projectId: string, me: string): Promise<{ ok: true; data: ProjectData; files: SyncedFile[] } | { ok: false; problem: SyncProblem; detail?: string }> {
  const PouchDB = await loadPouch();
  const name = databaseName(projectId, me);
  const local = new PouchDB<RecordDoc>(`granula-sync-${name}`);
  try {
    await local.replicate.from(remoteDb(PouchDB, url, name), { batch_size: 500, batches_limit: 4 });
  } catch (e) {
    return { ok: false, problem: classify(e, true), detail: name };
  }
  const all = await local.allDocs({ include_docs: true });
  const data: Partial<ProjectData> & Omit<ProjectData, 'project'> = { schemas: [], images: [], annotators: [], annotations: [], statuses: [], audit: [] };
  const lists = { schema: data.schemas, image: data.images, annotator: data.annotators, annotation: data.annotations, status: data.statuses, audit: data.audit } as Record<Exclude<RecordKind, 'project'>, unknown[]>;
  const annotations = new Map<string, RecordTypes['annotation']>();
  for (const row of all.rows) if (row.doc && isBatchId(row.id)) for (const a of row.doc.batch ?? []) annotations.set(a.id, a);
  for (const row of all.rows) {
    const doc = row.doc;
    const key = doc && parseDocId(doc._id);
    if (!doc || !key) continue;
    if (key.kind === 'annotation') {
      if (doc.gone || !doc.value) annotations.delete(key.id);
      else annotations.set(key.id, doc.value as RecordTypes['annotation']);
    } else if (!doc.value) continue;
    else if (key.kind === 'project') data.project = doc.value as RecordTypes['project'];
    else lists[key.kind].push(doc.value);
  }
  data.annotations.push(...annotations.values());
  const files = await attachedFiles(local, all.rows.flatMap((r) => (r.doc ? [r.doc] : [])), () => false);
  await local.close();
  if (!data.project) return { ok: false, problem: 'no-database', detail: name };
  data.schemas.sort((a, b) => a.version - b.version);
  data.images.sort((a, b) => a.order - b.order);
  return { ok: true, data: data as ProjectData, files };
}

export class ProjectSync {
  private channels = new Map<string, Channel>();
  private PouchDB: PouchCtor | null = null;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastStatus = '';
  private probe: ReturnType<typeof setInterval> | null = null;
  /** The server did not answer the last look: PouchDB keeps retrying, the header says offline. */
  private unreachable = false;
  /** The server has answered since start: until then the state is "connecting", never "synced". */
  private contacted = false;
  private readonly onLine = () => this.report();

  constructor(
    private readonly url: string,
    private readonly host: SyncHost,
  ) {}

  async start(): Promise<void> {
    this.PouchDB = await loadPouch();
    addEventListener('online', this.onLine);
    addEventListener('offline', this.onLine);
    this.host.status({ state: 'connecting', waiting: 0 });
    // PouchDB retries quietly while the server is away: while anything waits, look whether it answers.
    this.probe = setInterval(() => void this.look(), 3000);
    await this.refreshChannels();
  }

  /** The app changed: push soon (changes made in a burst travel together). */
  changed(changes: readonly RecordChange[]): void {
    if (this.stopped) return;
    const annotators = this.host.annotators();
    const role = this.host.role();
    const full = changes.some((x) => !sendsAlone(annotators, role, x.kind));
    for (const c of this.channels.values()) {
      if (full) c.dirty = 'full';
      else if (c.dirty !== 'full') for (const x of changes) c.dirty.add(docId(x.kind, x.id));
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refreshChannels();
    }, 300);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.probe) clearInterval(this.probe);
    removeEventListener('online', this.onLine);
    removeEventListener('offline', this.onLine);
    for (const c of this.channels.values()) {
      c.replication?.cancel();
      await c.running.catch(() => undefined);
      await c.local.close().catch(() => undefined);
    }
    this.channels.clear();
  }

  /**
   * PouchDB retries quietly, whatever the failure: while anything waits, ask the server about each
   * database, so the header says why (offline, no database, no permission, signed out).
   */
  private async look(): Promise<void> {
    const list = [...this.channels.values()];
    if (this.contacted && !this.unreachable && !list.some((c) => c.waiting.size || c.busy || c.offline || c.problem)) return;
    let answered = false;
    try {
      answered = (await fetch(`${this.url}/`, { cache: 'no-store' })).ok;
    } catch {
      answered = false;
    }
    if (this.stopped) return;
    if (answered) this.contacted = true;
    this.unreachable = !answered;
    if (answered) {
      for (const c of list) {
        const r = await fetch(`${this.url}/${c.name}`, { credentials: 'include', cache: 'no-store' }).catch(() => null);
        if (!r) continue;
        if (r.ok) {
          if (c.problem && c.problem.problem !== 'full') c.problem = null;
          if (!c.replication && !this.stopped) this.replicate(c);
        } else c.problem = { problem: classify({ status: r.status }, true), detail: c.name };
      }
    }
    this.report();
  }

  /** Opens a channel per person this browser replicates (the team may have grown), and pumps each. */
  private async refreshChannels(): Promise<void> {
    if (this.stopped || !this.PouchDB) return;
    for (const owner of this.host.people()) if (!this.channels.has(owner)) await this.open(owner);
    for (const c of this.channels.values()) this.pump(c);
  }

  private async open(owner: string): Promise<void> {
    const PouchDB = this.PouchDB!;
    const name = databaseName(this.host.projectId, owner);
    const local = new PouchDB<RecordDoc>(`granula-sync-${name}`);
    const c: Channel = { owner, name, local, remote: remoteDb(PouchDB, this.url, name), replication: null, mirror: new Map(), batched: new Map(), appliedSeq: 0, running: Promise.resolve(), again: false, waiting: new Set(), problem: null, offline: false, busy: false, dirty: 'full' };
    const applied = await local.get<{ seq: string | number }>(APPLIED).catch(() => null);
    c.appliedSeq = applied?.seq ?? 0;
    const waiting = await local.get<{ ids: string[] }>(WAITING).catch(() => null);
    for (const id of waiting?.ids ?? []) c.waiting.add(id);
    const all = await local.allDocs({ include_docs: true, conflicts: true });
    for (const row of all.rows) {
      if (!row.doc) continue;
      if (isBatchId(row.id)) for (const a of row.doc.batch ?? []) c.batched.set(a.id, a);
      else c.mirror.set(row.id, mirrored(row.doc, false));
    }
    this.channels.set(owner, c);
    this.replicate(c);
  }

  private replicate(c: Channel): void {
    const rep = c.local.sync(c.remote, {
      live: true,
      retry: true,
      batch_size: 500,
      batches_limit: 4,
      back_off_function: (delay: number) => (delay === 0 ? 500 : Math.min(delay * 2, 5000)),
    });
    c.replication = rep;
    rep.on('change', (info) => {
      c.problem = null;
      c.offline = false;
      this.contacted = true;
      this.unreachable = false;
      if (info.direction === 'pull') this.pump(c);
      else {
        for (const d of info.change.docs) c.waiting.delete(d._id);
        this.saveWaiting(c);
      }
      this.report();
    });
    rep.on('paused', (err) => {
      if (err) {
        const problem = classify(err, true);
        if (problem === 'unreachable') c.offline = true;
        else c.problem = { problem, detail: c.name };
      } else {
        c.offline = false;
        c.problem = null;
        this.contacted = true;
        this.unreachable = false;
      }
      this.report();
    });
    rep.on('active', () => {
      c.offline = false;
      this.report();
    });
    rep.on('denied', (err) => {
      c.problem = { problem: classify(err, true), detail: c.name };
      this.report();
    });
    rep.on('error', (err) => {
      // Not retried by PouchDB (no permission, signed out): said in words; the next change retries.
      c.problem = { problem: classify(err, true), detail: c.name };
      c.replication = null;
      this.report();
    });
  }

  /** Runs one pump of a channel now, or once more after the one running. */
  private pump(c: Channel): void {
    if (this.stopped) return;
    if (c.again) return;
    c.again = true;
    c.busy = true;
    this.report();
    c.running = c.running.then(async () => {
      c.again = false;
      if (this.stopped) return;
      try {
        await this.applyIncoming(c);
        await this.pushOutgoing(c);
        if (!c.replication && !this.stopped && c.problem?.problem !== 'wrong-password') this.replicate(c);
      } catch (e) {
        c.problem = { problem: classify(e, true), detail: c.name };
      }
      c.busy = c.again;
      this.report();
    });
  }

  private async applyIncoming(c: Channel): Promise<void> {
    const role = this.host.role();
    const coordinator = role === 'coordinator';
    for (;;) {
      const feed = await c.local.changes({ since: c.appliedSeq, include_docs: true, conflicts: coordinator, limit: 2000 });
      if (!feed.results.length) return;
      const team = { annotators: this.host.annotators() };
      const changes: RecordChange[] = [];
      const refused: string[] = [];
      const conflicts: MergeConflict[] = [];
      const shared: SharedConflict[] = [];
      /** One incoming value against the app's: applied when it differs and is this database's to give. */
      const consider = (kind: RecordKind, id: string, there: RecordTypes[RecordKind] | undefined, label: string) => {
        const here = this.host.record(kind, id);
        if (sameValue(here, there)) return;
        const judged = there ?? here;
        if (!judged) return;
        const v = accepts(team, this.host.me, role, c.owner, kind, judged);
        if (!v.take) refused.push(`${label}: ${v.reason}`);
        else changes.push({ kind, id, before: here, after: there } as RecordChange);
      };
      for (const ch of feed.results) {
        const doc = ch.doc;
        if (!doc) continue;
        if (isBatchId(ch.id)) {
          // A batch is written once; its annotations count unless a document of their own says otherwise.
          if (ch.deleted) continue;
          for (const a of doc.batch ?? []) c.batched.set(a.id, a);
          if (doc.origin === this.host.origin) continue;
          for (const a of doc.batch ?? []) if (!c.mirror.has(docId('annotation', a.id)) || c.mirror.get(docId('annotation', a.id))!.deleted) consider('annotation', a.id, a, ch.id);
          continue;
        }
        const key = parseDocId(ch.id);
        if (!key) continue;
        const m = mirrored(doc, !!ch.deleted);
        c.mirror.set(ch.id, m);
        const mine = doc.origin === this.host.origin;
        // Audit lines are written once and never changed: two versions of one differ only in who
        // wrote it down and when.
        if (coordinator && doc._conflicts?.length && key.kind !== 'audit' && doc.value && !doc.gone) {
          for (const rev of doc._conflicts) {
            const loser = await c.local.get(ch.id, { rev }).catch(() => null);
            const other = loser && !loser._deleted && !loser.gone ? loser.value! : null;
            if (sameValue(other, doc.value)) continue;
            if (key.kind === 'annotation' || key.kind === 'status') {
              // The team loop's conflict view: the coordinator settles it.
              conflicts.push(conflictOf(key.kind, other as RecordTypes['annotation'] | null, doc.value as RecordTypes['annotation'], { id: `cfl_${ch.id}_${rev}`, database: c.name, rev, at: new Date().toISOString() }));
            } else {
              // A shared record: the winner stays and the losing revisions go at the next
              // comparison; what they held goes into the audit trail first, so nothing is dropped unseen.
              const where = `${c.name} (revision ${rev})`;
              shared.push({ kind: key.kind, id: key.id, where, detail: sharedConflictDetail(doc.value, other, where) });
            }
          }
        }
        if (mine) continue;
        consider(key.kind, key.id, this.remote(c, ch.id), ch.id);
      }
      if (changes.length) {
        const images = feed.results.flatMap((r) => (r.doc && !r.deleted && changes.some((x) => x.kind === 'image' && docId('image', x.id) === r.id) ? [r.doc] : []));
        const files = await attachedFiles(c.local, images, () => false);
        if (files.length) await this.host.storeFiles(files);
        this.host.apply(changes);
      }
      if (conflicts.length) this.host.raiseConflicts(conflicts);
      if (shared.length) this.host.sharedConflicts(shared);
      if (refused.length) this.host.refused(c.owner, refused);
      c.appliedSeq = feed.last_seq;
      await putLocal(c.local, APPLIED, { seq: c.appliedSeq });
    }
  }

  private saveWaiting(c: Channel): void {
    // Written in the pump's queue, so two saves never race for the same revision.
    c.running = c.running.then(() => putLocal(c.local, WAITING, { ids: [...c.waiting] })).catch(() => undefined);
  }

  /** What the database says of a record: its own document, else (an annotation) its batch's copy. */
  private remote(c: Channel, id: string): RecordTypes[RecordKind] | undefined {
    const m = c.mirror.get(id);
    if (m && !m.deleted) return m.value;
    return id.startsWith('annotation:') ? c.batched.get(id.slice('annotation:'.length)) : undefined;
  }

  /** A record's document saying it is gone: deleted, or (held by a batch) marked `gone`. */
  private goneDoc(c: Channel, id: string, kind: RecordKind): RecordDoc | null {
    const m = c.mirror.get(id);
    const inBatch = kind === 'annotation' && c.batched.has(id.slice('annotation:'.length));
    if (inBatch) return m?.gone ? null : { _id: id, ...(m ? { _rev: m.rev } : {}), kind, gone: true, origin: this.host.origin };
    return m && !m.deleted ? { _id: id, _rev: m.rev, _deleted: true, kind, origin: this.host.origin } : null;
  }

  /** The document for a record, its image file attached the first time (later revisions keep it). */
  private async docFor(id: string, kind: RecordKind, value: RecordTypes[RecordKind], m: Mirrored | undefined): Promise<RecordDoc> {
    const doc: RecordDoc = { _id: id, ...(m ? { _rev: m.rev } : {}), kind, value, origin: this.host.origin };
    const blobId = imageFileId(kind, value);
    if (blobId) {
      if (m?.file && imageFileId(kind, m.value) === blobId) doc._attachments = { [FILE]: { content_type: '', stub: true } };
      else {
        const f = await this.host.fileOf(blobId);
        if (f) doc._attachments = { [FILE]: { content_type: f.mime, data: f.data } };
      }
    }
    return doc;
  }

  private async pushOutgoing(c: Channel): Promise<void> {
    const dirty = c.dirty;
    c.dirty = new Set();
    const role = this.host.role();
    const me = this.host.me;
    const docs: RecordDoc[] = [];
    if (dirty !== 'full') {
      // Only the records changed since the last pump: a label drawn on a slide of 10⁵ costs one lookup.
      const annotators = this.host.annotators();
      for (const id of dirty) {
        const key = parseDocId(id);
        if (!key) continue;
        const value = this.host.record(key.kind, key.id);
        const there = this.remote(c, id);
        if (value !== undefined) {
          if ((role !== 'coordinator' && c.owner !== me) || !isHome(annotators, c.owner, key.kind, value)) continue;
          if (sameValue(there, value)) continue;
          docs.push(await this.docFor(id, key.kind, value, c.mirror.get(id)));
        } else if (there !== undefined && writesDoc({ annotators }, me, role, c.owner, key.kind, there)) {
          const gone = this.goneDoc(c, id, key.kind);
          if (gone) docs.push(gone);
        }
      }
    } else {
      const data = this.host.data();
      const want = outgoing(data, me, role, c.owner);
      const open = new Set((data.project.conflicts ?? []).map((x) => x.recordId));
      const fresh: RecordTypes['annotation'][] = [];
      for (const [id, r] of want) {
        const m = c.mirror.get(id);
        if (r.kind === 'annotation' && (!m || m.deleted) && !c.batched.has(r.value.id)) {
          fresh.push(r.value);
          continue;
        }
        const settled = role === 'coordinator' && !!m?.conflicts?.length && !open.has(r.kind === 'project' ? '' : recordId(r.kind, r.value));
        if (sameValue(this.remote(c, id), r.value) && !settled) continue;
        docs.push(await this.docFor(id, r.kind, r.value, m));
        // A settled conflict: the losing revisions go, so the server shows one version again.
        if (settled) for (const rev of m!.conflicts!) docs.push({ _id: id, _rev: rev, _deleted: true, kind: r.kind });
      }
      // Annotations the database has never had: a slide's many outlines travel in batches.
      const plan = planBatches(fresh);
      for (const batch of plan.batches) docs.push({ _id: `batch:${newId()}`, kind: 'batch', batch, origin: this.host.origin });
      for (const a of plan.single) docs.push(await this.docFor(docId('annotation', a.id), 'annotation', a, c.mirror.get(docId('annotation', a.id))));
      const have = indexed(data);
      const gone = new Set<string>();
      for (const [id, m] of c.mirror) {
        if (want.has(id) || m.value === undefined || have.has(id)) continue;
        const key = parseDocId(id);
        if (!key || !writesDoc(data, me, role, c.owner, key.kind, m.value)) continue;
        const d = this.goneDoc(c, id, key.kind);
        if (d) docs.push(d), gone.add(id);
      }
      for (const [aid, a] of c.batched) {
        const id = docId('annotation', aid);
        if (want.has(id) || have.has(id) || gone.has(id) || c.mirror.get(id)?.gone || !writesDoc(data, me, role, c.owner, 'annotation', a)) continue;
        const m = c.mirror.get(id);
        if (m && !m.deleted && m.value === undefined) continue;
        const d = this.goneDoc(c, id, 'annotation');
        if (d) docs.push(d);
      }
    }
    if (!docs.length) return;
    for (let i = 0; i < docs.length; i += 2000) {
      const part = docs.slice(i, i + 2000);
      const results = await c.local.bulkDocs(part);
      results.forEach((res, k) => {
        const d = part[k];
        if (!('ok' in res) || !res.ok || !res.rev) return;
        c.waiting.add(d._id);
        if (d.kind === 'batch') {
          for (const a of d.batch ?? []) c.batched.set(a.id, a);
          return;
        }
        const m = c.mirror.get(d._id);
        if (d._rev && m && d._rev !== m.rev) {
          // A losing revision removed.
          m.conflicts = m.conflicts?.filter((r) => r !== d._rev);
          return;
        }
        c.mirror.set(d._id, { ...mirrored({ ...d, _rev: res.rev }, !!d._deleted), conflicts: m?.conflicts });
      });
    }
    await putLocal(c.local, WAITING, { ids: [...c.waiting] });
  }

  private report(): void {
    if (this.stopped) return;
    const list = [...this.channels.values()];
    const problem = list.find((c) => c.problem)?.problem;
    const waiting = list.reduce((n, c) => n + c.waiting.size, 0);
    const busy = list.length === 0 || list.some((c) => c.busy);
    const offline = this.unreachable || (typeof navigator !== 'undefined' && navigator.onLine === false) || list.some((c) => c.offline);
    const s: SyncStatus = problem
      ? { state: 'error', waiting, problem: problem.problem, detail: problem.detail }
      : offline
        ? { state: 'offline', waiting }
        : waiting
          ? { state: 'waiting', waiting }
          : !this.contacted
            ? { state: 'connecting', waiting: 0 }
            : busy
              ? { state: 'waiting', waiting }
              : { state: 'synced', waiting: 0 };
    const key = JSON.stringify(s);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.host.status(s);
  }
}

function indexed(data: ProjectData): Map<string, RecordTypes[RecordKind]> {
  const m = new Map<string, RecordTypes[RecordKind]>();
  const add = (kind: RecordKind, list: readonly RecordTypes[RecordKind][]) => {
    for (const v of list) m.set(docId(kind, recordId(kind, v)), v);
  };
  add('project', [data.project]);
  add('schema', data.schemas);
  add('image', data.images);
  add('annotator', data.annotators);
  add('annotation', data.annotations);
  add('status', data.statuses);
  add('audit', data.audit);
  return m;
}

async function putLocal(db: Pouch, id: string, body: object): Promise<void> {
  const old = await db.get(id).catch(() => null);
  await db.put({ _id: id, ...(old ? { _rev: old._rev } : {}), ...body } as unknown as RecordDoc);
}
