// The part of PouchDB's API that src/sync uses. The DefinitelyTyped package declares a global
// `Buffer` that breaks Node's own, so these few signatures are written here instead.
declare module 'pouchdb-browser' {
  export interface PouchDoc {
    _id: string;
    _rev: string;
    _deleted?: boolean;
    _conflicts?: string[];
    _attachments?: Record<string, { content_type: string; stub?: boolean; data?: Blob }>;
  }
  export interface ChangeRow<T> {
    id: string;
    seq: string | number;
    deleted?: boolean;
    changes: { rev: string }[];
    doc?: T & PouchDoc;
  }
  export interface BulkResult {
    ok?: boolean;
    id?: string;
    rev?: string;
    error?: string;
    status?: number;
  }
  export interface SyncEvents<T> {
    on(event: 'change', fn: (info: { direction: 'push' | 'pull'; change: { docs: (T & PouchDoc)[]; pending?: number } }) => void): this;
    on(event: 'paused' | 'denied' | 'error', fn: (err?: unknown) => void): this;
    on(event: 'active' | 'complete', fn: () => void): this;
    cancel(): void;
  }
  export interface Database<T extends object> {
    get<U extends object = T>(id: string, opts?: { rev?: string; conflicts?: boolean }): Promise<U & PouchDoc>;
    put(doc: T & { _id: string; _rev?: string }): Promise<{ ok: boolean; rev: string }>;
    bulkDocs(docs: (T & { _id: string; _rev?: string; _deleted?: boolean })[]): Promise<BulkResult[]>;
    allDocs(opts: { include_docs?: boolean; conflicts?: boolean; keys?: string[]; startkey?: string; endkey?: string; inclusive_end?: boolean; limit?: number }): Promise<{ rows: { id: string; key: string; value?: { rev: string; deleted?: boolean }; error?: string; doc?: (T & PouchDoc) | null }[] }>;
    changes(opts: { since: string | number; include_docs?: boolean; conflicts?: boolean; limit?: number }): Promise<{ results: ChangeRow<T>[]; last_seq: string | number }>;
    getAttachment(docId: string, name: string): Promise<Blob>;
    info(): Promise<{ doc_count: number; update_seq: string | number }>;
    sync(remote: Database<T>, opts: { live?: boolean; retry?: boolean; batch_size?: number; batches_limit?: number; back_off_function?: (delay: number) => number }): SyncEvents<T>;
    replicate: { from(remote: Database<T>, opts?: { batch_size?: number; batches_limit?: number }): Promise<unknown> };
    close(): Promise<void>;
    destroy(): Promise<void>;
  }
  export interface PouchStatic {
    new <T extends object>(name: string, opts?: { skip_setup?: boolean; fetch?: (url: string | Request, opts?: RequestInit) => Promise<Response> }): Database<T>;
    fetch(url: string | Request, opts?: RequestInit): Promise<Response>;
  }
  const PouchDB: PouchStatic;
  export default PouchDB;
}
