/**
 * Which records live in which server database, and which incoming documents a browser takes. Pure:
 * no PouchDB, no network, so the rules are tested as functions (a CouchDB `validate_doc_update`
 * cannot be relied on with every server, see docs/SYNC.md).
 *
 * One database per person and project (`granula-<project>-<person>`): the server's per-database
 * `_security` lets only that person and the coordinators read it, so during the blind phase an
 * annotator's browser cannot receive another annotator's labels: they are in no database it may
 * open. The coordinator's browser writes into each person's database what that person's work
 * package would hold (the same function, team/packages.packageData) and reads back their own work.
 */
import { recordId, type RecordKind, type RecordTypes } from '../model/changes';
import type { ProjectData } from '../model/projectData';
import { CONSENSUS_ANNOTATOR, type Annotator, type MergeConflict, type TeamRole } from '../model/types';
import { returnOwners } from '../team/gather';
import { packageContent } from '../team/packages';
import { asTeamRole } from '../team/roles';

export type KindedValue = { [K in RecordKind]: { kind: K; value: RecordTypes[K] } }[RecordKind];

/**
 * A record as a CouchDB document. `origin`: the browser that wrote this revision. A `batch` document
 * carries many annotations at once (a slide's outlines: one document each would be too slow, see
 * docs/SYNC.md); it is written once and never changed: a later edit of one of its annotations is an
 * `annotation:` document of its own, which wins over the batch (`gone`: deleted).
 */
export interface RecordDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  kind: RecordKind | 'batch';
  value?: RecordTypes[RecordKind];
  batch?: RecordTypes['annotation'][];
  gone?: boolean;
  origin?: string;
  /** An image's file travels with its record (`file`), so the annotator's browser can show it. */
  _attachments?: Record<string, { content_type: string; stub?: boolean; data?: Blob }>;
}

/** The local file an image record points at, if it is one. */
export function imageFileId(kind: RecordKind, value: RecordTypes[RecordKind] | undefined): string | null {
  if (kind !== 'image' || !value) return null;
  const src = (value as RecordTypes['image']).source;
  return src.kind === 'file' ? src.blobId : null;
}

const SHARED: ReadonlySet<RecordKind> = new Set(['project', 'schema', 'image', 'annotator']);

export function docId(kind: RecordKind, id: string): string {
  return `${kind}:${id}`;
}

/** Annotations of one person on one image go in batches from this many on, at most BATCH.size each. */
export const BATCH = { min: 200, size: 500 };

export function isBatchId(id: string): boolean {
  return id.startsWith('batch:');
}

/**
 * The annotations that go in new batch documents, and the rest (one document each): those of one
 * image in groups of BATCH.min or more, cut into batches of at most BATCH.size. A slide's million
 * come a part at a time (`part`): `started` names the images whose earlier parts went in batches
 * (added to as batches are cut), and with `more` the last image's outlines that do not fill a batch
 * are kept for the next part.
 */
export function planBatches(annotations: readonly RecordTypes['annotation'][], part?: { started: Set<string>; more: boolean }): { batches: RecordTypes['annotation'][][]; single: RecordTypes['annotation'][]; keep: RecordTypes['annotation'][] } {
  const out = { batches: [] as RecordTypes['annotation'][][], single: [] as RecordTypes['annotation'][], keep: [] as RecordTypes['annotation'][] };
  const last = annotations[annotations.length - 1]?.imageId;
  for (const [imageId, list] of byImage(annotations)) {
    const cut = cutBatches(list, !!part?.started.has(imageId), !!part?.more && imageId === last);
    if (cut.batches.length) part?.started.add(imageId);
    out.batches.push(...cut.batches);
    out.single.push(...cut.single);
    out.keep.push(...cut.keep);
  }
  return out;
}

/** Annotations grouped by image, in the order images first appear. */
function byImage(annotations: readonly RecordTypes['annotation'][]): Map<string, RecordTypes['annotation'][]> {
  const out = new Map<string, RecordTypes['annotation'][]>();
  for (const a of annotations) {
    let list = out.get(a.imageId);
    if (!list) out.set(a.imageId, (list = []));
    list.push(a);
  }
  return out;
}

/**
 * One image's annotations as `planBatches` cuts them, when they come a part at a time (a slide's
 * million outlines are never held at once): `started`, earlier parts went in batches, so the rest
 * does too, however few; `more`, more of the image may follow, so what does not fill a batch is kept.
 */
export function cutBatches(list: readonly RecordTypes['annotation'][], started: boolean, more: boolean): { batches: RecordTypes['annotation'][][]; single: RecordTypes['annotation'][]; keep: RecordTypes['annotation'][] } {
  if (!started && !more && list.length < BATCH.min) return { batches: [], single: [...list], keep: [] };
  const whole = more ? list.length - (list.length % BATCH.size) : list.length;
  const batches: RecordTypes['annotation'][][] = [];
  for (let i = 0; i < whole; i += BATCH.size) batches.push(list.slice(i, Math.min(i + BATCH.size, whole)));
  return { batches, single: [], keep: list.slice(whole) };
}

export function parseDocId(id: string): { kind: RecordKind; id: string } | null {
  const i = id.indexOf(':');
  if (i < 0) return null;
  const kind = id.slice(0, i) as RecordKind;
  if (!['project', 'schema', 'image', 'annotator', 'annotation', 'status', 'audit'].includes(kind)) return null;
  return { kind, id: id.slice(i + 1) };
}

/**
 * A CouchDB database name (`^[a-z][a-z0-9_$()+/-]*$`) for one person's records of a project. Lower-case
 * letters, digits and `_` stay (and `-` in the person's id); anything else is written `(hex)`, so
 * different ids never meet.
 */
export function databaseName(projectId: string, personId: string): string {
  const safe = (s: string, keep: RegExp) => [...s].map((c) => (keep.test(c) ? c : `(${c.codePointAt(0)!.toString(16)})`)).join('');
  // No '-' in the project part, so the first '-' after the prefix always separates the two.
  return `granula-${safe(projectId, /[a-z0-9_]/)}-${safe(personId, /[a-z0-9_-]/)}`;
}

/** The people with a database of their own: everyone on the team but the consensus "annotator". */
export function syncedPeople(annotators: Iterable<Annotator>): string[] {
  return [...annotators].filter((a) => a.id !== CONSENSUS_ANNOTATOR).map((a) => a.id);
}

/** Whose database a record's home is: an annotation or status its annotator's, an audit line its actor's. */
export function homeOwner(kind: RecordKind, value: RecordTypes[RecordKind]): string | null {
  if (kind === 'annotation' || kind === 'status') return (value as { annotatorId: string }).annotatorId;
  if (kind === 'audit') return (value as RecordTypes['audit']).actor;
  return null;
}

function kinded(data: ProjectData): KindedValue[] {
  return [
    { kind: 'project', value: data.project },
    ...data.schemas.map((value) => ({ kind: 'schema' as const, value })),
    ...data.images.map((value) => ({ kind: 'image' as const, value })),
    ...data.annotators.map((value) => ({ kind: 'annotator' as const, value })),
    ...data.annotations.map((value) => ({ kind: 'annotation' as const, value })),
    ...data.statuses.map((value) => ({ kind: 'status' as const, value })),
    ...data.audit.map((value) => ({ kind: 'audit' as const, value })),
  ];
}

/**
 * What this browser writes into `owner`'s database. A coordinator writes the whole project into
 * their own database (a fresh browser of theirs restores from it), and into everyone else's what
 * their package holds plus that person's own work as the coordinator has it (a correction, a settled
 * conflict). Anyone else writes only their own work, into their own database.
 *
 * In two parts, so a slide's million outlines are never held at once: the records but annotations,
 * keyed by document id (`data.annotations` is not read), and whether one annotation goes.
 * `annotations` is read through once, only when a reviewer's package needs to name everyone who
 * labelled.
 */
export function outgoingPlan(data: ProjectData, me: string, role: TeamRole, owner: string, annotations: () => Iterable<RecordTypes['annotation']> = () => data.annotations): { records: Map<string, KindedValue>; takes: (a: RecordTypes['annotation']) => boolean } {
  const records = new Map<string, KindedValue>();
  const put = (r: KindedValue) => records.set(docId(r.kind, recordId(r.kind, r.value)), r);
  const homes = returnOwners({ annotators: new Map(data.annotators.map((a) => [a.id, a])) }, owner);
  const own = (r: KindedValue) => (r.kind === 'audit' ? r.value.actor === owner : (r.kind === 'annotation' || r.kind === 'status') && homes.has(r.value.annotatorId));
  const ownAnnotation = (a: RecordTypes['annotation']) => homes.has(a.annotatorId);
  const rest = kinded({ ...data, annotations: [] });
  if (role !== 'coordinator') {
    if (owner !== me) return { records, takes: () => false };
    for (const r of rest) if (own(r)) put(r);
    return { records, takes: ownAnnotation };
  }
  if (owner === me) {
    for (const r of rest) if (SHARED.has(r.kind) || own(r)) put(r);
    return { records, takes: ownAnnotation };
  }
  const pkg = packageContent(data, owner, annotations);
  for (const r of kinded(pkg.data)) put(r);
  for (const r of rest) if (own(r)) put(r);
  return { records, takes: (a) => pkg.takes(a) || ownAnnotation(a) };
}

/**
 * Whether `owner`'s database is a record's home: an annotation or status of theirs (a reviewer's or
 * coordinator's also the consensus they decide), an audit line they wrote. Shared records have none.
 */
export function isHome(annotators: readonly Annotator[], owner: string, kind: RecordKind, value: RecordTypes[RecordKind]): boolean {
  const h = homeOwner(kind, value);
  if (h === null) return false;
  if (kind === 'audit') return h === owner;
  return returnOwners({ annotators: new Map(annotators.map((a) => [a.id, a])) }, owner).has(h);
}

/**
 * Whether one changed record can be sent on its own: a record with a home goes only there (and the
 * package part of other databases does not change). Shared records, and anything while a reviewer's
 * database holds others' labels, need the whole comparison (`outgoing`).
 */
export function sendsAlone(annotators: readonly Annotator[], role: TeamRole, kind: RecordKind): boolean {
  if (SHARED.has(kind)) return role !== 'coordinator';
  return role !== 'coordinator' || !annotators.some((a) => asTeamRole(a.role) === 'reviewer');
}

/**
 * Whether a document in `owner`'s database is this browser's to write, so that a record gone here is
 * deleted there. The coordinator writes everything in a person's database but other people's audit
 * lines; anyone else only their own work in their own database. `home`: the document's record's
 * `homeOwner`.
 */
export function writesDoc(data: Pick<ProjectData, 'annotators'>, me: string, role: TeamRole, owner: string, kind: RecordKind, home: string | null): boolean {
  if (role !== 'coordinator' && owner !== me) return false;
  if (home === null) return role === 'coordinator';
  if (kind === 'audit') return home === owner;
  if (role === 'coordinator') return true;
  return returnOwners({ annotators: new Map(data.annotators.map((a) => [a.id, a])) }, me).has(home);
}

export type Verdict = { take: true } | { take: false; reason: string };

/**
 * Whether this browser applies a document read from `owner`'s database. The coordinator takes from a
 * person's database only that person's own work (the rule a return is checked by: a record of
 * anyone else is refused); shared records come from their own database only. Anyone else takes what
 * their own database holds: the coordinator's shared records and their own work.
 */
export function accepts(data: Pick<ProjectData, 'annotators'>, me: string, role: TeamRole, owner: string, kind: RecordKind, value: RecordTypes[RecordKind]): Verdict {
  if (role !== 'coordinator') return owner === me ? { take: true } : { take: false, reason: `is in ${owner}’s database, not yours` };
  if (SHARED.has(kind)) return owner === me ? { take: true } : { take: false, reason: 'shared records come from the coordinator’s own database' };
  const h = homeOwner(kind, value)!;
  if (kind === 'audit') return h === owner ? { take: true } : { take: false, reason: `audit line of "${h}" in ${owner}’s database` };
  const owners = returnOwners({ annotators: new Map(data.annotators.map((a) => [a.id, a])) }, owner);
  if (owner === me || owners.has(h)) return { take: true };
  return { take: false, reason: `${kind} of "${h}" in ${owner}’s database: a person’s database may hold only their own work` };
}

/**
 * A CouchDB conflict as the team loop's conflict: the stored record is the server's winning
 * revision, `theirs` the losing one (null: the losing branch deleted it). Settled in the Team tab.
 */
export function conflictOf(kind: 'annotation' | 'status', loser: RecordTypes['annotation'] | RecordTypes['status'] | null, winner: RecordTypes['annotation'] | RecordTypes['status'], o: { id: string; database: string; rev: string; at: string }): MergeConflict {
  let theirs: MergeConflict['theirs'] = null;
  if (loser) {
    if (kind === 'status') {
      const { projectId: _p, id: _i, ...rest } = loser as RecordTypes['status'];
      theirs = rest;
    } else {
      const { projectId: _p, ...rest } = loser as RecordTypes['annotation'];
      theirs = rest;
    }
  }
  return { id: o.id, recordKind: kind, recordId: winner.id, imageId: winner.imageId, annotatorId: winner.annotatorId, theirs, file: `${o.database} (revision ${o.rev})`, at: o.at };
}

/** A shared record (project, schema, image, team…) changed in two places: CouchDB kept one version. */
export interface SharedConflict {
  kind: RecordKind;
  id: string;
  /** Where and which revision lost: `granula-…-dr-coord (revision 3-ab…)`. */
  where: string;
  /** The audit line's words: each field that differs, the kept value and the other. */
  detail: string;
}

const SHOWN = 200;
const DETAIL_MAX = 4500;

function shown(v: unknown): string {
  const s = v === undefined ? '(none)' : JSON.stringify(v);
  return s.length > SHOWN ? `${s.slice(0, SHOWN - 1)}…` : s;
}

/**
 * What the audit trail keeps of a shared record's losing version, so no change is dropped unseen:
 * every top-level field whose value differs, kept value first (`name: "Lung CT" kept, "Lung CT 2"
 * not kept`). Shared records have no conflict view of their own (the team loop's settles
 * annotations and statuses); the coordinator reads them here and redoes a change if it matters.
 */
export function sharedConflictDetail(kept: object, other: object | null, where: string): string {
  const head = `${where}: changed in two places; the server kept one version`;
  if (!other) return `${head}; the other deleted it`;
  const a = kept as Record<string, unknown>;
  const b = other as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== 'updatedAt' && JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
  let text = `${head}; not kept: `;
  text += keys.length ? keys.map((k) => `${k}: ${shown(a[k])} kept, ${shown(b[k])} not kept`).join('; ') : 'only the time of the change differs';
  return text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX - 1)}…` : text;
}
