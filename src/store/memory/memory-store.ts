// In-memory backend with the full contract, for unit tests only: nothing survives the process.
import {
  checkKey, checkPrefix, checkRevision, checkValue, CompactedError, ConflictError, FutureRevisionError,
  InvalidArgumentError, KeyExistsError, NotFoundError, StoreError,
  type CreateOptions, type DeleteResult, type GetResult, type KeyValue, type ListOptions, type ListResult,
  type Store, type WatchCallbacks, type WatchEvent, type Watcher, type WatchOptions, type WriteResult,
} from '../types.js';
import { WatchHub } from '../watch-hub.js';

/** One committed revision: a single key written or deleted. */
interface Rev {
  revision: number;
  event: WatchEvent;
}

export class MemoryStore implements Store {
  readonly backend = 'memory' as const;
  private revision = 0;
  private compacted = 0;
  private current = new Map<string, KeyValue>();
  private log: Rev[] = [];
  private hub = new WatchHub();
  private leases = new Map<number, { timer: NodeJS.Timeout; keys: Set<string> }>();
  private nextLease = 1;
  private closed = false;

  async get(key: string, opts: { revision?: number } = {}): Promise<GetResult> {
    this.live();
    checkKey(key);
    const rev = this.readRevision(opts.revision);
    if (rev === this.revision) return { kv: this.current.get(key) ?? null, revision: rev };
    return { kv: this.stateAt(rev).get(key) ?? null, revision: rev };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.live();
    checkPrefix(prefix);
    checkRevision(opts.limit, 'limit');
    if (opts.startKey !== undefined && !opts.startKey.startsWith(prefix)) {
      throw new InvalidArgumentError(`startKey ${opts.startKey} is not under prefix ${prefix}`);
    }
    const rev = this.readRevision(opts.revision);
    const state = rev === this.revision ? this.current : this.stateAt(rev);
    const from = opts.startKey ?? prefix;
    const keys = [...state.keys()].filter((k) => k.startsWith(prefix) && k >= from).sort();
    const limit = opts.limit || keys.length;
    const page = opts.countOnly ? [] : keys.slice(0, limit).map((k) => state.get(k)!);
    return { kvs: page, revision: rev, more: keys.length > limit, count: keys.length };
  }

  async create(key: string, value: string, opts: CreateOptions = {}): Promise<WriteResult> {
    this.live();
    checkKey(key);
    checkValue(value);
    this.checkLease(opts.lease);
    if (this.current.has(key)) throw new KeyExistsError(key);
    const rev = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: rev, modRevision: rev, version: 1, lease: opts.lease ?? 0 };
    this.commit({ revision: rev, event: { type: 'PUT', kv, prevKv: null } });
    return { revision: rev, kv };
  }

  async update(key: string, value: string, expectedModRevision: number, opts: CreateOptions = {}): Promise<WriteResult> {
    this.live();
    checkKey(key);
    checkValue(value);
    checkRevision(expectedModRevision, 'expectedModRevision');
    this.checkLease(opts.lease);
    const prev = this.current.get(key);
    if (!prev) throw new NotFoundError(key);
    if (prev.modRevision !== expectedModRevision) throw new ConflictError(key, prev);
    const rev = ++this.revision;
    const kv: KeyValue = { ...prev, value, modRevision: rev, version: prev.version + 1, lease: opts.lease ?? 0 };
    this.commit({ revision: rev, event: { type: 'PUT', kv, prevKv: prev } });
    return { revision: rev, kv };
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    this.live();
    checkKey(key);
    checkRevision(expectedModRevision, 'expectedModRevision');
    const prev = this.current.get(key);
    if (!prev) throw new NotFoundError(key);
    if (expectedModRevision !== undefined && prev.modRevision !== expectedModRevision) throw new ConflictError(key, prev);
    const rev = ++this.revision;
    const kv: KeyValue = { key, value: '', createRevision: 0, modRevision: rev, version: 0, lease: 0 };
    this.commit({ revision: rev, event: { type: 'DELETE', kv, prevKv: prev } });
    return { revision: rev, prevKv: prev };
  }

  watch(prefix: string, opts: WatchOptions, cb: WatchCallbacks): Watcher {
    this.live();
    checkPrefix(prefix);
    checkRevision(opts.afterRevision, 'afterRevision');
    const after = opts.afterRevision ?? this.revision;
    return this.hub.watch(prefix, cb, () => {
      if (after + 1 < this.compacted) throw new CompactedError(after, this.compacted);
      if (after > this.revision) throw new FutureRevisionError(after, this.revision);
      return this.log.filter((r) => r.revision > after && r.event.kv.key.startsWith(prefix)).map((r) => [r.event]);
    });
  }

  async currentRevision(): Promise<number> {
    this.live();
    return this.revision;
  }

  async compact(revision: number): Promise<void> {
    this.live();
    checkRevision(revision);
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision <= this.compacted) throw new CompactedError(revision, this.compacted);
    this.compacted = revision;
    this.log = this.log.filter((r) => r.revision >= revision);
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async grantLease(ttlSeconds: number): Promise<number> {
    this.live();
    if (!(ttlSeconds > 0)) throw new InvalidArgumentError('lease TTL must be positive');
    const id = this.nextLease++;
    const timer = setTimeout(() => this.expire(id), ttlSeconds * 1000);
    timer.unref();
    this.leases.set(id, { timer, keys: new Set() });
    return id;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.leases.values()) clearTimeout(l.timer);
    this.hub.fail(new StoreError('store closed'));
  }

  private expire(id: number): void {
    const lease = this.leases.get(id);
    this.leases.delete(id);
    if (!lease || this.closed) return;
    for (const key of lease.keys) {
      const kv = this.current.get(key);
      if (kv && kv.lease === id) void this.delete(key);
    }
  }

  private checkLease(lease: number | undefined): void {
    if (lease && !this.leases.has(lease)) throw new InvalidArgumentError(`lease ${lease} not found`);
  }

  private commit(r: Rev): void {
    const { event } = r;
    if (event.type === 'PUT') this.current.set(event.kv.key, event.kv);
    else this.current.delete(event.kv.key);
    if (event.prevKv?.lease) this.leases.get(event.prevKv.lease)?.keys.delete(event.kv.key);
    if (event.type === 'PUT' && event.kv.lease) this.leases.get(event.kv.lease)?.keys.add(event.kv.key);
    this.log.push(r);
    this.hub.publish([event]);
  }

  private readRevision(requested: number | undefined): number {
    checkRevision(requested);
    if (!requested) return this.revision;
    if (requested > this.revision) throw new FutureRevisionError(requested, this.revision);
    if (requested < this.compacted) throw new CompactedError(requested, this.compacted);
    return requested;
  }

  /** The key space as of rev, rebuilt by undoing later writes. */
  private stateAt(rev: number): Map<string, KeyValue> {
    const state = new Map(this.current);
    for (let i = this.log.length - 1; i >= 0 && this.log[i].revision > rev; i--) {
      const { event } = this.log[i];
      if (event.prevKv) state.set(event.kv.key, event.prevKv);
      else state.delete(event.kv.key);
    }
    return state;
  }

  private live(): void {
    if (this.closed) throw new StoreError('store closed');
  }
}
