// The Store contract: etcd v3's data model, because the API server's resourceVersion, optimistic
// concurrency and watch all derive from it. Every backend (memory, sqlite, etcd) passes one
// contract suite (test/store/contract.ts).

/** One key at one revision. Values are UTF-8 text (the API server stores JSON). */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this incarnation of the key. */
  createRevision: number;
  /** Revision of the last write to the key. */
  modRevision: number;
  /** Writes to this incarnation of the key, starting at 1. */
  version: number;
  /** Lease the key is attached to (0 = none). Expired leases delete their keys. */
  lease: number;
}

export interface GetResult {
  kv: KeyValue | null;
  /** The store revision the read was served at. */
  revision: number;
}

export interface ListOptions {
  /** Read as of this revision (0 or absent: current). Fails with CompactedError if compacted. */
  revision?: number;
  /** At most this many keys (0 or absent: all). */
  limit?: number;
  /** Start at this key (inclusive); for continuing a paged list. Must be under the prefix. */
  startKey?: string;
  /** Only count, do not return values. */
  countOnly?: boolean;
}

export interface ListResult {
  kvs: KeyValue[];
  revision: number;
  /** True when more keys under the prefix follow the last one returned. */
  more: boolean;
  /** Keys under the prefix at that revision, from startKey on. */
  count: number;
}

export interface WriteResult {
  revision: number;
  kv: KeyValue;
}

export interface DeleteResult {
  revision: number;
  /** The key's value just before the delete. */
  prevKv: KeyValue;
}

export type WatchEventType = 'PUT' | 'DELETE';

export interface WatchEvent {
  type: WatchEventType;
  /** For PUT: the new value. For DELETE: key with modRevision = the delete's revision, empty value. */
  kv: KeyValue;
  /** The value before this event, when there was one. */
  prevKv: KeyValue | null;
}

export interface WatchOptions {
  /** Deliver every event with revision > afterRevision. Absent: from now on. */
  afterRevision?: number;
}

export interface Watcher {
  cancel(): void;
}

export interface WatchCallbacks {
  /** Events of one revision arrive together, revisions in increasing order. */
  onEvents(events: WatchEvent[]): void;
  /** The watch ended: CompactedError if afterRevision was compacted, or a backend failure. */
  onError(err: Error): void;
}

export interface CreateOptions {
  /** Attach to a lease (from grantLease); the key is deleted when the lease expires. */
  lease?: number;
}

export interface Store {
  readonly backend: 'memory' | 'sqlite' | 'etcd';
  get(key: string, opts?: { revision?: number }): Promise<GetResult>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Create if absent; KeyExistsError otherwise. */
  create(key: string, value: string, opts?: CreateOptions): Promise<WriteResult>;
  /**
   * Compare-and-swap: write only if the key's modRevision equals expectedModRevision.
   * NotFoundError if absent, ConflictError (carrying the current value) if it moved.
   */
  update(key: string, value: string, expectedModRevision: number, opts?: CreateOptions): Promise<WriteResult>;
  /** Delete, guarded by modRevision when given. NotFoundError / ConflictError as for update. */
  delete(key: string, expectedModRevision?: number): Promise<DeleteResult>;
  watch(prefix: string, opts: WatchOptions, cb: WatchCallbacks): Watcher;
  /** Current store revision (the revision of the last write). */
  currentRevision(): Promise<number>;
  /** Discard history older than revision; reads and watches before it fail with CompactedError. */
  compact(revision: number): Promise<void>;
  /** The oldest revision still readable. */
  compactedRevision(): Promise<number>;
  /** A lease that expires ttlSeconds after grant, deleting its keys. */
  grantLease(ttlSeconds: number): Promise<number>;
  close(): Promise<void>;
}

// ---- errors -------------------------------------------------------------------------------

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class KeyExistsError extends StoreError {
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
  }
}

export class NotFoundError extends StoreError {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}

export class ConflictError extends StoreError {
  constructor(readonly key: string, readonly current: KeyValue) {
    super(`conflict on ${key}: modRevision is ${current.modRevision}`);
  }
}

export class CompactedError extends StoreError {
  constructor(readonly requested: number, readonly compacted: number) {
    super(`revision ${requested} has been compacted (oldest available: ${compacted})`);
  }
}

/** Revision in the future (not yet written). */
export class FutureRevisionError extends StoreError {
  constructor(readonly requested: number, readonly current: number) {
    super(`revision ${requested} is in the future (current: ${current})`);
  }
}

/** Key or value outside the contract. */
export class InvalidArgumentError extends StoreError {}

/** The backend could not be reached or failed; the write may not have happened. */
export class UnavailableError extends StoreError {}

// ---- limits, shared by every backend --------------------------------------------------------

/** etcd's default request limit is 1.5 MiB; values above it are refused everywhere. */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;
export const MAX_KEY_BYTES = 4096;

export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key[0] !== '/') {
    throw new InvalidArgumentError(`key must be a non-empty string starting with '/': ${JSON.stringify(key)}`);
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidArgumentError(`key longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes('\0')) throw new InvalidArgumentError('key contains a NUL byte');
}

export function checkPrefix(prefix: string): void {
  if (prefix === '/') return;
  checkKey(prefix);
}

export function checkValue(value: string): void {
  if (typeof value !== 'string') throw new InvalidArgumentError('value must be a string');
  if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
    throw new InvalidArgumentError(`value is ${Buffer.byteLength(value)} bytes; the limit is ${MAX_VALUE_BYTES}`);
  }
}

export function checkRevision(rev: number | undefined, what = 'revision'): void {
  if (rev === undefined) return;
  if (!Number.isSafeInteger(rev) || rev < 0) throw new InvalidArgumentError(`${what} must be a non-negative integer: ${rev}`);
}
