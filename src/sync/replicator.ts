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
import { digestOf, sameValue } from '../model/canonical';
import { accepts, conflictOf, databaseName, docId, homeOwner, imageFileId, isBatchId, isHome, outgoingPlan, parseDocId, planBatches, sendsAlone, sharedConflictDetail, writesDoc, type RecordDoc, type SharedConflict } from './route';
import { newId } from '../model/ids';
import { BatchIndex, type SavedBatches } from './batchIndex';
import { classify, type SyncProblem } from './problems';
import type { BulkResult, Database, PouchStatic, SyncEvents } from 'pouchdb-browser';

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
  /** Another tab of this browser syncs the project; this is its status (see store/syncActions). */
  elsewhere?: boolean;
}

/** What the engine needs of the app. */
export interface SyncHost {
  projectId: string;
  me: string;
  role: () => TeamRole;
  /** The open project now, but its annotations (`annotations: []`): those come from `annotations`. */
  data: () => ProjectData;
  /** The open project's annotations, each built afresh and not kept (a slide's million, one by one). */
  annotations: () => Iterable<RecordTypes['annotation']>;
  /** The same a pack at a time, each pack with its fingerprint (null: annotations stored one by one). */
  annotationGroups: () => Iterable<{ key: string | null; annotations: Iterable<RecordTypes['annotation']> }>;
  /** The fingerprint of the pack holding an annotation, or null. */
  packOf: (annotationId: string) => string | null;
  /** One record of the open project. */
  record: (kind: RecordKind, id: string) => RecordTypes[RecordKind] | undefined;
  /** Whether the open project has a record (without building it). */
  has: (kind: RecordKind, id: string) => boolean;
  annotators: () => Annotator[];
  /** Whose databases to replicate (the coordinator: everyone's; anyone else: their own). */
  people: () => string[];
  /** Applies records that came from the server, through the app's one write path. */
  apply: (changes: RecordChange[]) => void;
  /** Adds CouchDB conflicts to the team loop's conflict list (a no-op for one already listed). */
  raiseConflicts: (conflicts: MergeConflict[]) => void;
  /** Shared records CouchDB kept one version of: each losing version goes into the audit trail. */
  sharedConflicts: (conflicts: SharedConflict[]) => void;
  /** Someone's own work arrived from their database and was applied (the coordinator's Progress). */
  received: (owner: string) => void;
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

/**
 * What this browser knows of a record document in a database: never the value itself (a slide's
 * million outlines are in the app's store already), only its digest, whose home it is and what
 * CouchDB says of the revision.
 */
interface Mirrored {
  rev: string;
  /** digestOf the value this revision holds; undefined when it holds none (deleted, or `gone`). */
  digest?: number;
  /** The record's homeOwner, for the rule of who may delete it (null: a shared record). */
  home: string | null;
  /** Losing revisions (the coordinator resolves them). */
  conflicts?: string[];
  /** The image file attached to this revision: its blob id. */
  file?: string;
  /** The document is deleted (a record document: the batch's copy, if any, shows again). */
  deleted?: boolean;
  /** An annotation deleted while a batch holds it. */
  gone?: boolean;
}

/** A record document's value in its current revision (none when deleted or gone). */
function valueOf(doc: RecordDoc, deleted: boolean): RecordTypes[RecordKind] | undefined {
  return deleted || doc.gone ? undefined : doc.value;
}

/** A mirror entry from a document's current revision. */
function mirrored(doc: RecordDoc & { _rev: string; _conflicts?: string[] }, deleted: boolean): Mirrored {
  const value = valueOf(doc, deleted);
  const kind = doc.kind as RecordKind;
  const file = doc._attachments?.[FILE] ? (imageFileId(kind, value) ?? undefined) : undefined;
  return {
    rev: doc._rev,
    home: value === undefined ? null : homeOwner(kind, value),
    ...(value === undefined ? {} : { digest: digestOf(value) }),
    ...(doc._conflicts?.length ? { conflicts: doc._conflicts } : {}),
    ...(file ? { file } : {}),
    ...(deleted ? { deleted } : {}),
    ...(doc.gone && !deleted ? { gone: true } : {}),
  };
}

interface Channel {
  owner: string;
  name: string;
  local: Pouch;
  remote: Pouch;
  replication: SyncEvents<RecordDoc> | null;
  mirror: Map<string, Mirrored>;
  /** Annotations in the database's batch documents, by annotation id. */
  batched: BatchIndex;
  /**
   * Packs (by fingerprint) whose every annotation this database was found to hold as it is, under
   * the routing `routing` says: the full comparison skips them (a pack never changes).
   */
  compared: Set<string>;
  routing: number | null;
  appliedSeq: string | number;
  running: Promise<void>;
  again: boolean;
  waiting: Set<string>;
  problem: { problem: SyncProblem; detail?: string } | null;
  offline: boolean;
  /** A pump is queued or running, or (a new channel) yet to come: what the app holds may not be in the mirror yet. */
  busy: boolean;
  /** What to compare with the mirror next: the records changed since, or everything. */
  dirty: Set<string> | 'full';
}

const APPLIED = '_local/granula-applied';
/** The documents written here that the server has not acknowledged, kept across a reload. */
const WAITING = '_local/granula-waiting';
/**
 * What the batch documents known here hold (ids, digests, homes), kept across a reload: a batch is
 * written once and never changed, so a slide's million outlines are not read back at every start.
 */
const BATCHES = '_local/granula-batches';
/** The packs compared with the database, and under which routing (see Channel.compared). */
const COMPARED = '_local/granula-compared';


/** Record documents read at a time (a batch document holds up to BATCH.size outlines: fewer of those). */
const PAGE = 500;
const BATCH_PAGE = 10;
/** The replication's documents per request: 50 batches of 500 outlines are about 12 MB. */
const REPLICATION = { batch_size: 50, batches_limit: 2 };
/** Outlines gathered before they are written as batches (the last image's wait for the rest of it). */
const FRESH_FLUSH = 10_000;
/** Main-thread time a long comparison takes before it lets input and painting in. */
const SLICE_MS = 12;

/** A User Timing measure (the bench reads them: what a pump looked at and how long it took). */
function measure(name: string, start: number, detail: object): void {
  performance.measure(name, { start, end: performance.now(), detail });
}

/** Lets input and painting run (a message, not a timer: a hidden tab's timers wait a second). */
function pause(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

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
    await local.replicate.from(remoteDb(PouchDB, url, name), REPLICATION);
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
    const start = performance.now();
    const PouchDB = this.PouchDB!;
    const name = databaseName(this.host.projectId, owner);
    const local = new PouchDB<RecordDoc>(`granula-sync-${name}`);
    const c: Channel = { owner, name, local, remote: remoteDb(PouchDB, this.url, name), replication: null, mirror: new Map(), batched: new BatchIndex(), compared: new Set(), routing: null, appliedSeq: 0, running: Promise.resolve(), again: false, waiting: new Set(), problem: null, offline: false, busy: true, dirty: 'full' };
    const applied = await local.get<{ seq: string | number }>(APPLIED).catch(() => null);
    c.appliedSeq = applied?.seq ?? 0;
    const waiting = await local.get<{ ids: string[] }>(WAITING).catch(() => null);
    for (const id of waiting?.ids ?? []) c.waiting.add(id);
    const saved = await local.get<SavedBatches>(BATCHES).catch(() => null);
    if (saved) c.batched.load(saved);
    const compared = await local.get<{ routing: number; packs: string[] }>(COMPARED).catch(() => null);
    if (compared) {
      c.routing = compared.routing;
      for (const k of compared.packs) c.compared.add(k);
    }
    // Ids first (cheap), then the record documents a page at a time; batches only if not listed.
    const ids = (await local.allDocs({})).rows.map((r) => r.id);
    const records = ids.filter((id) => !isBatchId(id));
    for (let i = 0; i < records.length; i += PAGE) {
      const page = await local.allDocs({ keys: records.slice(i, i + PAGE), include_docs: true, conflicts: true });
      for (const row of page.rows) if (row.doc) c.mirror.set(row.id, mirrored(row.doc, false));
    }
    const unlisted = ids.filter((id) => isBatchId(id) && !c.batched.hasBatch(id));
    await this.learnBatches(c, unlisted);
    measure('granula-sync-open', start, { database: name, records: records.length, batches: c.batched.batchCount, unlisted: unlisted.length, outlines: c.batched.size });
    this.channels.set(owner, c);
    this.replicate(c);
  }

  /** Reads batch documents not known here and lists what they hold; `each` gets each (for the caller to apply). */
  private async learnBatches(c: Channel, ids: readonly string[], each?: (doc: RecordDoc) => void): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH_PAGE) {
      const page = await c.local.allDocs({ keys: ids.slice(i, i + BATCH_PAGE), include_docs: true });
      for (const row of page.rows) {
        if (!row.doc || c.batched.hasBatch(row.id)) continue;
        this.register(c, row.doc);
        each?.(row.doc);
      }
    }
  }

  /** Lists a batch document's annotations as the database holds them. */
  private register(c: Channel, doc: RecordDoc): void {
    c.batched.addBatch(doc._id, (doc.batch ?? []).map((a) => ({ id: a.id, digest: digestOf(a), home: a.annotatorId })));
  }

  private async saveBatches(c: Channel): Promise<void> {
    if (!c.batched.changed) return;
    c.batched.changed = false;
    await putLocal(c.local, BATCHES, c.batched.saved());
  }

  private replicate(c: Channel): void {
    const rep = c.local.sync(c.remote, {
      live: true,
      retry: true,
      ...REPLICATION,
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
        const start = performance.now();
        await this.applyIncoming(c);
        const applied = performance.now();
        const stats = await this.pushOutgoing(c);
        await this.saveBatches(c);
        // What was just written comes back on the changes feed: read past it now (a slide's batches
        // are skipped there, but the feed reads them from the local database), not at the next start.
        if (stats.written) await this.applyIncoming(c);
        measure('granula-sync-pump', start, { database: c.name, applyMs: Math.round(applied - start), ...stats });
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
      // The feed without documents: a batch known here (this browser's own, or applied) is not read again.
      const feed = await c.local.changes({ since: c.appliedSeq, limit: PAGE });
      if (!feed.results.length) return;
      const team = { annotators: this.host.annotators() };
      const changes: RecordChange[] = [];
      const refused: string[] = [];
      const conflicts: MergeConflict[] = [];
      const shared: SharedConflict[] = [];
      const images: RecordDoc[] = [];
      let unsure = false;
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
      // A batch is written once; its annotations count unless a document of their own says otherwise.
      await this.learnBatches(
        c,
        feed.results.flatMap((ch) => (isBatchId(ch.id) && !ch.deleted && !c.batched.hasBatch(ch.id) ? [ch.id] : [])),
        (doc) => {
          if (doc.origin === this.host.origin) return;
          for (const a of doc.batch ?? []) {
            if (this.unsure(c, a.id)) unsure = true;
            const m = c.mirror.get(docId('annotation', a.id));
            if (!m || m.deleted) consider('annotation', a.id, a, doc._id);
          }
        },
      );
      const rows = feed.results.filter((ch) => !isBatchId(ch.id) && parseDocId(ch.id));
      const live = rows.filter((ch) => !ch.deleted).map((ch) => ch.id);
      const docs = new Map<string, RecordDoc & { _rev: string; _conflicts?: string[] }>();
      for (let i = 0; i < live.length; i += PAGE) {
        const page = await c.local.allDocs({ keys: live.slice(i, i + PAGE), include_docs: true, conflicts: coordinator });
        for (const row of page.rows) if (row.doc) docs.set(row.id, row.doc);
      }
      for (const ch of rows) {
        const deleted = !!ch.deleted;
        const doc = deleted ? await c.local.get<RecordDoc>(ch.id, { rev: ch.changes[0].rev }).catch(() => null) : docs.get(ch.id);
        if (!doc) continue;
        const key = parseDocId(ch.id)!;
        c.mirror.set(ch.id, mirrored(doc, deleted));
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
        if (doc.origin === this.host.origin) continue;
        if (key.kind === 'annotation' && this.unsure(c, key.id)) unsure = true;
        // A record document deleted: an annotation a batch holds shows as the batch has it.
        const there = deleted && key.kind === 'annotation' && c.batched.has(key.id) ? await this.batchCopy(c, key.id) : valueOf(doc, deleted);
        consider(key.kind, key.id, there, ch.id);
        if (key.kind === 'image' && !deleted) images.push(doc);
      }
      if (changes.length) {
        const taken = new Set(changes.map((x) => docId(x.kind, x.id)));
        const files = await attachedFiles(c.local, images.filter((d) => taken.has(d._id)), () => false);
        if (files.length) await this.host.storeFiles(files);
        this.host.apply(changes);
        if (c.owner !== this.host.me) this.host.received(c.owner);
      }
      if (conflicts.length) this.host.raiseConflicts(conflicts);
      if (shared.length) this.host.sharedConflicts(shared);
      if (refused.length) this.host.refused(c.owner, refused);
      c.appliedSeq = feed.last_seq;
      if (unsure) await this.saveCompared(c);
      await this.saveBatches(c);
      await putLocal(c.local, APPLIED, { seq: c.appliedSeq });
    }
  }

  /** Another browser wrote an annotation into the database: its pack is to be compared again. */
  private unsure(c: Channel, annotationId: string): boolean {
    const k = c.compared.size ? this.host.packOf(annotationId) : null;
    return k !== null && c.compared.delete(k);
  }

  /** Keeps which packs were compared, so a reload does not skip one another browser wrote into since. */
  private async saveCompared(c: Channel): Promise<void> {
    await putLocal(c.local, COMPARED, { routing: c.routing, packs: [...c.compared] });
  }

  /** An annotation as its batch document holds it (read back: the mirror keeps digests only). */
  private async batchCopy(c: Channel, annotationId: string): Promise<RecordTypes['annotation'] | undefined> {
    const e = c.batched.get(annotationId);
    if (!e) return undefined;
    const doc = await c.local.get<RecordDoc>(e.batch).catch(() => null);
    return doc?.batch?.find((a) => a.id === annotationId);
  }

  private saveWaiting(c: Channel): void {
    // Written in the pump's queue, so two saves never race for the same revision.
    c.running = c.running.then(() => putLocal(c.local, WAITING, { ids: [...c.waiting] })).catch(() => undefined);
  }

  /** What the database holds of a record: its own document's, else (an annotation) its batch's copy. */
  private there(c: Channel, id: string): { digest: number; home: string | null } | undefined {
    const m = c.mirror.get(id);
    if (m && !m.deleted) return m.digest === undefined ? undefined : { digest: m.digest, home: m.home };
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
      if (m?.file === blobId) doc._attachments = { [FILE]: { content_type: '', stub: true } };
      else {
        const f = await this.host.fileOf(blobId);
        if (f) doc._attachments = { [FILE]: { content_type: f.mime, data: f.data } };
      }
    }
    return doc;
  }

  /** Compares and writes; says how much it looked at (for the bench, as a performance measure). */
  private async pushOutgoing(c: Channel): Promise<{ full: boolean; compared: number; skippedPacks: number; written: number }> {
    const stats = { full: c.dirty === 'full', compared: 0, skippedPacks: 0, written: 0 };
    const dirty = c.dirty;
    c.dirty = new Set();
    const role = this.host.role();
    const me = this.host.me;
    const annotators = this.host.annotators();
    let allWritten = true;
    const out = new Outbox(async (docs) => {
      stats.written += docs.length;
      if (!(await this.write(c, docs))) allWritten = false;
    });
    // Annotations the database has never had travel in batches (a slide's outlines, an import).
    let fresh: RecordTypes['annotation'][] = [];
    /** Images whose outlines have begun to go out in batches: the rest of them follows in batches. */
    const started = new Set<string>();
    const flushFresh = async (more: boolean) => {
      const plan = planBatches(fresh, { started, more });
      fresh = plan.keep;
      for (const batch of plan.batches) await out.add({ _id: `batch:${newId()}`, kind: 'batch', batch, origin: this.host.origin }, batch.length);
      for (const a of plan.single) await out.add(await this.docFor(docId('annotation', a.id), 'annotation', a, c.mirror.get(docId('annotation', a.id))));
    };
    if (dirty !== 'full') {
      // Only the records changed since the last pump: a label drawn on a slide of 10⁵ costs one lookup.
      for (const id of dirty) {
        const key = parseDocId(id);
        if (!key) continue;
        const value = this.host.record(key.kind, key.id);
        const there = this.there(c, id);
        if (value !== undefined) {
          if ((role !== 'coordinator' && c.owner !== me) || !isHome(annotators, c.owner, key.kind, value)) continue;
          if (there?.digest === digestOf(value)) continue;
          const m = c.mirror.get(id);
          if (key.kind === 'annotation' && there === undefined && (!m || m.deleted)) fresh.push(value as RecordTypes['annotation']);
          else await out.add(await this.docFor(id, key.kind, value, m));
        } else if (there !== undefined && writesDoc({ annotators }, me, role, c.owner, key.kind, there.home)) {
          const gone = this.goneDoc(c, id, key.kind);
          if (gone) await out.add(gone);
        }
      }
      if (fresh.length) await flushFresh(false);
      await out.flush();
      await putLocal(c.local, WAITING, { ids: [...c.waiting] });
      stats.compared = dirty.size;
      return stats;
    }
    const data = this.host.data();
    const plan = outgoingPlan(data, me, role, c.owner, this.host.annotations);
    const open = new Set((data.project.conflicts ?? []).map((x) => x.recordId));
    /** Whether a record differs from what the database holds (or holds a conflict now settled). */
    const send = async (id: string, kind: RecordKind, value: RecordTypes[RecordKind]) => {
      const m = c.mirror.get(id);
      const settled = role === 'coordinator' && !!m?.conflicts?.length && !open.has(kind === 'project' ? '' : recordId(kind, value));
      if (this.there(c, id)?.digest === digestOf(value) && !settled) return;
      await out.add(await this.docFor(id, kind, value, m));
      // A settled conflict: the losing revisions go, so the server shows one version again.
      if (settled) for (const rev of m!.conflicts!) await out.add({ _id: id, _rev: rev, _deleted: true, kind });
    };
    for (const [id, r] of plan.records) await send(id, r.kind, r.value);
    // Annotations one by one, never all at once; a pack compared before (unchanged since) is skipped.
    const routing = digestOf({ role, me, owner: c.owner, annotators: data.annotators.map((a) => [a.id, a.role ?? null]), assignments: data.project.assignments ?? null, optOut: data.project.optOut ?? [], images: data.images.map((i) => [i.id, i.patientKey ?? null]) });
    if (routing !== c.routing) c.compared.clear();
    const compared = new Set<string>();
    let t = performance.now();
    for (const group of this.host.annotationGroups()) {
      if (group.key !== null && c.compared.has(group.key)) {
        compared.add(group.key);
        stats.skippedPacks++;
        continue;
      }
      for (const a of group.annotations) {
        if (this.stopped) return stats;
        stats.compared++;
        if (performance.now() - t > SLICE_MS) {
          await pause();
          t = performance.now();
        }
        if (!plan.takes(a)) continue;
        const id = docId('annotation', a.id);
        const m = c.mirror.get(id);
        if ((!m || m.deleted) && !c.batched.has(a.id)) {
          fresh.push(a);
          if (fresh.length >= FRESH_FLUSH) await flushFresh(true);
          continue;
        }
        await send(id, 'annotation', a);
      }
      if (group.key !== null) compared.add(group.key);
    }
    if (fresh.length) await flushFresh(false);
    // What the database holds that the project no longer has: this browser's to delete, it goes.
    const gone = new Set<string>();
    for (const [id, m] of c.mirror) {
      if (m.digest === undefined) continue;
      const key = parseDocId(id);
      if (!key || this.host.has(key.kind, key.id) || !writesDoc(data, me, role, c.owner, key.kind, m.home)) continue;
      const d = this.goneDoc(c, id, key.kind);
      if (d) await out.add(d), gone.add(id);
    }
    for (const [aid, e] of c.batched) {
      const id = docId('annotation', aid);
      if (gone.has(id) || this.host.has('annotation', aid) || !writesDoc(data, me, role, c.owner, 'annotation', e.home)) continue;
      const m = c.mirror.get(id);
      if (m && !m.deleted) continue;
      const d = this.goneDoc(c, id, 'annotation');
      if (d) await out.add(d);
    }
    await out.flush();
    await putLocal(c.local, WAITING, { ids: [...c.waiting] });
    // Every write went through: what was compared is now as the database holds it.
    if (!allWritten) return stats;
    c.compared = compared;
    c.routing = routing;
    await this.saveCompared(c);
    return stats;
  }

  /** Writes documents into the local database and notes what it now holds; false if any was refused. */
  private async write(c: Channel, docs: RecordDoc[]): Promise<boolean> {
    const results = await c.local.bulkDocs(docs);
    let failed: BulkResult | null = null;
    results.forEach((res, k) => {
      const d = docs[k];
      if (!('ok' in res) || !res.ok || !res.rev) {
        failed ??= res;
        return;
      }
      c.waiting.add(d._id);
      if (d.kind === 'batch') return this.register(c, d);
      const m = c.mirror.get(d._id);
      if (d._rev && m && d._rev !== m.rev) {
        // A losing revision removed.
        m.conflicts = m.conflicts?.filter((r) => r !== d._rev);
        return;
      }
      c.mirror.set(d._id, { ...mirrored({ ...d, _rev: res.rev }, !!d._deleted), ...(m?.conflicts ? { conflicts: m.conflicts } : {}) });
    });
    // A document not written (a conflict with a revision just replicated in): the next pump
    // compares everything again.
    if (failed) c.dirty = 'full';
    return !failed;
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

async function putLocal(db: Pouch, id: string, body: object): Promise<void> {
  const old = await db.get(id).catch(() => null);
  await db.put({ _id: id, ...(old ? { _rev: old._rev } : {}), ...body } as unknown as RecordDoc);
}

/**
 * Documents on their way into the local database, written in groups: a few thousand records, or
 * batches of outlines up to about 10⁴ (a batch of 500 is about 250 kB of JSON).
 */
class Outbox {
  private docs: RecordDoc[] = [];
  private weight = 0;
  constructor(private readonly write: (docs: RecordDoc[]) => Promise<void>) {}

  async add(doc: RecordDoc, weight = 1): Promise<void> {
    this.docs.push(doc);
    this.weight += weight;
    if (this.docs.length >= 2000 || this.weight >= 10_000) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.docs.length) return;
    const docs = this.docs;
    this.docs = [];
    this.weight = 0;
    await this.write(docs);
  }
}
