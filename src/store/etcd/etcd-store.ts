// The Store contract on a real etcd cluster (v3 gRPC API, etcd 3.4 or newer): the distributed
// backend, for a highly available control plane. The contract is etcd's data model, so every
// operation is one etcd request: create and the guarded writes are transactions comparing the key's
// create/mod revision, lists are ranges, watches are etcd watchers on one shared stream.
import {
  checkKey, checkPrefix, checkRevision, checkValue, CompactedError, ConflictError, FutureRevisionError,
  InvalidArgumentError, KeyExistsError, NotFoundError, StoreError, UnavailableError,
  type CreateOptions, type DeleteResult, type GetResult, type KeyValue, type ListOptions, type ListResult,
  type Store, type WatchCallbacks, type Watcher, type WatchOptions, type WriteResult,
} from '../types.js';
import { EtcdConnection, type Member } from './connection.js';
import { KeySpace, toKeyValue } from './keys.js';
import {
  CompareResult, CompareTarget, details, EtcdMessages, isEtcd, notApplied, transient,
  type Compare, type RangeRequest, type RangeResponse, type ResponseHeader, type TxnRequest, type TxnResponse,
} from './rpc.js';
import { WatchStream } from './watch-stream.js';

export interface EtcdStoreOptions {
  /** Client URLs of the cluster's members, `http://host:port`. */
  endpoints: string[];
  /** Put in front of every key, so that several clusters can share one etcd. */
  prefix?: string;
  /** Budget for one operation, retries on other members included (default 15 s). */
  requestTimeoutMs?: number;
  /** How long watches wait for a member to answer again before failing (default 60 s). */
  watchReconnectTimeoutMs?: number;
}

export interface EtcdMemberStatus {
  endpoint: string;
  /** Member and leader IDs as decimal strings (64-bit). */
  memberId: string;
  leader: string;
  version: string;
  revision: number;
  raftTerm: number;
  dbSize: number;
}

/** A key that no one writes: cheap ranges on it return the store revision in their header. */
const PROBE_KEY = Buffer.from([0]);
const MAX_LEASE_ID = 2 ** 53 - 1;

export class EtcdStore implements Store {
  readonly backend = 'etcd' as const;
  private readonly conn: EtcdConnection;
  private readonly keys: KeySpace;
  private readonly watches: WatchStream;
  /** The newest revision any response has shown this client. */
  private lastRevision = 0;
  /** A revision known to be compacted up to (a lower bound of etcd's compaction point). */
  private compactedHint = 0;
  private closed = false;
  private settling: Promise<void> | null = null;

  constructor(opts: EtcdStoreOptions) {
    const prefix = opts.prefix ?? '';
    if (typeof prefix !== 'string' || prefix.includes('\0')) throw new InvalidArgumentError('etcd key prefix must be a string without NUL bytes');
    this.conn = new EtcdConnection({ endpoints: opts.endpoints, requestTimeoutMs: opts.requestTimeoutMs });
    this.keys = new KeySpace(prefix);
    this.watches = new WatchStream(this.conn, this.keys, {
      reconnectTimeoutMs: opts.watchReconnectTimeoutMs,
      onRevision: (rev) => { if (rev > this.lastRevision) this.lastRevision = rev; },
    });
  }

  /** Connects and checks that a member answers and speaks etcd 3.4 or newer. */
  static async connect(opts: EtcdStoreOptions): Promise<EtcdStore> {
    const store = new EtcdStore(opts);
    try {
      const st = await store.status();
      const [major, minor] = st.version.split('.').map(Number);
      if (major < 3 || (major === 3 && minor < 4)) {
        throw new StoreError(`etcd at ${st.endpoint} is version ${st.version}; k8ts needs etcd 3.4 or newer`);
      }
    } catch (err) {
      await store.close();
      if (err instanceof StoreError && !(err instanceof UnavailableError)) throw err;
      throw new UnavailableError(
        `cannot reach etcd at ${opts.endpoints.join(', ')}: ${details(err)}; check that etcd is running and the endpoints are right`,
      );
    }
    return store;
  }

  /** etcd watchers this store holds open; watches of one prefix share them where they can. */
  get etcdWatchers(): number {
    return this.watches.watchers;
  }

  /** The endpoint requests go to now (it changes when that member fails). */
  get endpoint(): string {
    return this.conn.current.url;
  }

  // ---- reads ------------------------------------------------------------------------------------

  async get(key: string, opts: { revision?: number } = {}): Promise<GetResult> {
    this.live();
    checkKey(key);
    checkRevision(opts.revision);
    const res = await this.range({ key: this.keys.encode(key), revision: opts.revision }, opts.revision);
    const kv = res.kvs?.[0];
    return { kv: kv ? toKeyValue(this.keys, kv) : null, revision: opts.revision || res.header!.revision! };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.live();
    checkPrefix(prefix);
    checkRevision(opts.limit, 'limit');
    checkRevision(opts.revision);
    if (opts.startKey !== undefined && !opts.startKey.startsWith(prefix)) {
      throw new InvalidArgumentError(`startKey ${opts.startKey} is not under prefix ${prefix}`);
    }
    const { key, end } = this.keys.range(prefix);
    const res = await this.range({
      key: opts.startKey !== undefined ? this.keys.encode(opts.startKey) : key,
      range_end: end,
      limit: opts.limit,
      revision: opts.revision,
      count_only: opts.countOnly,
    }, opts.revision);
    const kvs: KeyValue[] = [];
    if (res.kvs) for (const kv of res.kvs) kvs.push(toKeyValue(this.keys, kv));
    return { kvs, revision: opts.revision || res.header!.revision!, more: !!res.more, count: res.count ?? 0 };
  }

  async currentRevision(): Promise<number> {
    this.live();
    const res = await this.range({ key: PROBE_KEY, count_only: true });
    return res.header!.revision!;
  }

  async compactedRevision(): Promise<number> {
    this.live();
    // etcd 3.4 reports its compaction point only by refusing reads below it. The hint is usually
    // exact (this client compacted, or a watch told it); otherwise search between it and now.
    let lo = Math.max(1, this.compactedHint);
    if (await this.readable(lo)) return this.compactedHint;
    let hi = await this.currentRevision();
    while (lo + 1 < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.readable(mid)) hi = mid;
      else lo = mid;
    }
    this.compactedHint = Math.max(this.compactedHint, hi);
    return hi;
  }

  // ---- writes -----------------------------------------------------------------------------------

  async create(key: string, value: string, opts: CreateOptions = {}): Promise<WriteResult> {
    this.live();
    checkKey(key);
    checkValue(value);
    checkRevision(opts.lease, 'lease');
    const k = this.keys.encode(key);
    const lease = opts.lease ?? 0;
    const res = await this.txn({
      compare: [{ result: CompareResult.EQUAL, target: CompareTarget.CREATE, key: k, create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value), lease } }],
      failure: [],
    }, null);
    if (!res.succeeded) throw new KeyExistsError(key);
    const rev = res.header!.revision!;
    return { revision: rev, kv: { key, value, createRevision: rev, modRevision: rev, version: 1, lease } };
  }

  async update(key: string, value: string, expectedModRevision: number, opts: CreateOptions = {}): Promise<WriteResult> {
    this.live();
    checkKey(key);
    checkValue(value);
    checkRevision(expectedModRevision, 'expectedModRevision');
    checkRevision(opts.lease, 'lease');
    const k = this.keys.encode(key);
    const lease = opts.lease ?? 0;
    const res = await this.txn({
      compare: this.guard(k, expectedModRevision),
      // The range after the put reads back create revision and version without the value.
      success: [{ request_put: { key: k, value: Buffer.from(value), lease } }, { request_range: { key: k, keys_only: true } }],
      failure: [{ request_range: { key: k } }],
    }, { key: k, expected: expectedModRevision });
    if (!res.succeeded) throw this.guardFailure(key, res);
    const written = res.responses![1].response_range!.kvs![0];
    return {
      revision: res.header!.revision!,
      kv: { key, value, createRevision: written.create_revision!, modRevision: written.mod_revision!, version: written.version!, lease: written.lease ?? 0 },
    };
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    this.live();
    checkKey(key);
    checkRevision(expectedModRevision, 'expectedModRevision');
    const k = this.keys.encode(key);
    if (expectedModRevision === undefined) {
      const res = await this.txn({ compare: [], success: [{ request_delete_range: { key: k, prev_kv: true } }], failure: [] }, null);
      const prev = res.responses?.[0]?.response_delete_range?.prev_kvs?.[0];
      if (!prev) throw new NotFoundError(key);
      return { revision: res.header!.revision!, prevKv: toKeyValue(this.keys, prev) };
    }
    const res = await this.txn({
      compare: this.guard(k, expectedModRevision),
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    }, { key: k, expected: expectedModRevision });
    if (!res.succeeded) throw this.guardFailure(key, res);
    const prev = res.responses![0].response_delete_range!.prev_kvs![0];
    return { revision: res.header!.revision!, prevKv: toKeyValue(this.keys, prev) };
  }

  async compact(revision: number): Promise<void> {
    this.live();
    checkRevision(revision);
    let attempts = 0;
    try {
      await this.conn.call((m, deadline) => {
        attempts++;
        return this.conn.unary(m, m.kv.Compact, m.kv, { revision }, deadline);
      }, transient);
    } catch (err) {
      if (isEtcd(err, EtcdMessages.compacted)) {
        const compacted = await this.compactedRevision();
        // An earlier attempt that seemed to fail did compact.
        if (attempts > 1 && compacted >= revision) return;
        throw new CompactedError(revision, compacted);
      }
      if (isEtcd(err, EtcdMessages.futureRev)) throw new FutureRevisionError(revision, await this.currentRevision());
      throw this.failure(err);
    }
    if (revision > this.compactedHint) this.compactedHint = revision;
  }

  // ---- leases -----------------------------------------------------------------------------------

  async grantLease(ttlSeconds: number): Promise<number> {
    this.live();
    if (typeof ttlSeconds !== 'number' || !(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
      throw new InvalidArgumentError(`lease TTL must be a positive number of seconds: ${ttlSeconds}`);
    }
    // We choose the ID, below 2^53 so that it survives as a JS number; a retry with the same ID
    // that finds it taken means the earlier attempt did grant it.
    let id = randomLeaseId();
    let maybeGranted = false;
    try {
      return await this.conn.call(async (m, deadline) => {
        try {
          const res = await this.conn.unary(m, m.lease.LeaseGrant, m.lease, { TTL: Math.ceil(ttlSeconds), ID: id }, deadline);
          if (res.error) throw new StoreError(`etcd refused the lease: ${res.error}`);
          this.seen(res.header);
          return res.ID ?? id;
        } catch (err) {
          if (isEtcd(err, EtcdMessages.leaseExists)) {
            if (maybeGranted) return id;
            id = randomLeaseId();
          } else if (!notApplied(err)) {
            maybeGranted = true;
          }
          throw err;
        }
      }, (err) => transient(err) || isEtcd(err, EtcdMessages.leaseExists));
    } catch (err) {
      throw this.failure(err);
    }
  }

  /** Revokes a lease now, deleting its keys. */
  async revokeLease(id: number): Promise<void> {
    this.live();
    checkRevision(id, 'lease');
    try {
      await this.conn.call((m, deadline) => this.conn.unary(m, m.lease.LeaseRevoke, m.lease, { ID: id }, deadline), transient);
    } catch (err) {
      throw this.failure(err);
    }
  }

  /** Renews a lease for its full TTL; resolves with that TTL in seconds. */
  async keepLeaseAlive(id: number): Promise<number> {
    this.live();
    checkRevision(id, 'lease');
    const ttl = await this.conn.call((m, deadline) => new Promise<number>((resolve, reject) => {
      const stream = m.lease.LeaseKeepAlive(this.conn.metadata, { deadline });
      stream.once('data', (res) => {
        stream.removeListener('error', reject);
        // Ending our side and cancelling reports CANCELLED, which is expected here.
        stream.on('error', () => undefined);
        stream.cancel();
        resolve(res.TTL ?? 0);
      });
      stream.once('error', reject);
      stream.once('end', () => reject(new UnavailableError('etcd ended the lease keep-alive stream without an answer')));
      stream.write({ ID: id });
    }), transient).catch((err) => { throw this.failure(err); });
    // etcd answers TTL 0 (or less) for a lease that expired or never existed.
    if (ttl <= 0) throw new InvalidArgumentError(`lease ${id} not found`);
    return ttl;
  }

  // ---- watch ------------------------------------------------------------------------------------

  watch(prefix: string, opts: WatchOptions, cb: WatchCallbacks): Watcher {
    this.live();
    checkPrefix(prefix);
    checkRevision(opts.afterRevision, 'afterRevision');
    const { key, end } = this.keys.range(prefix);
    if (opts.afterRevision !== undefined) return this.watches.watch(key, end, opts.afterRevision, false, cb);
    // "From now" is after the newest revision this client has seen, so a watch started right after
    // a read or write misses nothing that followed it, however long etcd takes to register it.
    return this.watches.watch(key, end, this.lastRevision || null, true, cb);
  }

  // ---- maintenance ------------------------------------------------------------------------------

  /** Status of the member in use (or of member `index`), from etcd's Maintenance service. */
  async status(index?: number): Promise<EtcdMemberStatus> {
    this.live();
    const run = (m: Member, deadline: number) => this.conn.unary(m, m.maintenance.Status, m.maintenance, {}, deadline).then((res) => ({
      endpoint: m.url,
      memberId: String(res.header?.member_id ?? '0'),
      leader: String(res.leader ?? '0'),
      version: res.version ?? '',
      revision: Number(res.header?.revision ?? 0),
      raftTerm: Number(res.raftTerm ?? 0),
      dbSize: Number(res.dbSize ?? 0),
    }));
    try {
      if (index !== undefined) {
        const m = this.conn.members[index];
        if (!m) throw new InvalidArgumentError(`no etcd endpoint ${index}`);
        return await run(m, Date.now() + this.conn.timeoutMs);
      }
      return await this.conn.call(run, transient);
    } catch (err) {
      throw this.failure(err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watches.close();
    this.conn.close();
  }

  // ---- internals --------------------------------------------------------------------------------

  private live(): void {
    if (this.closed) throw new StoreError('store closed');
  }

  private seen(header: ResponseHeader | undefined): void {
    const rev = header?.revision;
    if (rev && rev > this.lastRevision) this.lastRevision = rev;
  }

  /** A range, retried on other members; compaction and future revisions become their errors. */
  private async range(req: RangeRequest, requested?: number): Promise<RangeResponse> {
    let res: RangeResponse;
    try {
      res = await this.conn.call((m, deadline) => this.conn.unary(m, m.kv.Range, m.kv, req, deadline), transient);
    } catch (err) {
      if (requested && isEtcd(err, EtcdMessages.compacted)) throw new CompactedError(requested, await this.compactedRevision());
      if (requested && isEtcd(err, EtcdMessages.futureRev)) throw new FutureRevisionError(requested, await this.currentRevision());
      throw this.failure(err);
    }
    this.seen(res.header);
    return res;
  }

  /** After a move to another member: one linearizable read, which succeeds once it has a live leader. */
  private settle(): Promise<void> {
    this.settling ??= (async () => {
      try {
        await this.range({ key: PROBE_KEY, count_only: true });
        this.conn.unsettled = false;
      } catch {
        // The write that follows reports the failure.
      } finally {
        this.settling = null;
      }
    })();
    return this.settling;
  }

  /** Whether reads at `revision` still work (it is not compacted). */
  private async readable(revision: number): Promise<boolean> {
    try {
      await this.conn.call((m, deadline) => this.conn.unary(m, m.kv.Range, m.kv, { key: PROBE_KEY, revision, count_only: true }, deadline), transient);
      return true;
    } catch (err) {
      if (isEtcd(err, EtcdMessages.compacted)) return false;
      throw this.failure(err);
    }
  }

  /** Compare: the key exists with this mod revision (mod revision 0 would also match a missing key). */
  private guard(key: Buffer, expected: number): Compare[] {
    const c: Compare[] = [{ result: CompareResult.EQUAL, target: CompareTarget.MOD, key, mod_revision: expected }];
    if (expected === 0) c.push({ result: CompareResult.GREATER, target: CompareTarget.VERSION, key, version: 0 });
    return c;
  }

  private guardFailure(key: string, res: TxnResponse): StoreError {
    const current = res.responses?.[0]?.response_range?.kvs?.[0];
    return current ? new ConflictError(key, toKeyValue(this.keys, current)) : new NotFoundError(key);
  }

  /**
   * A transaction, sent again only when it cannot have been applied twice: the failed attempt
   * never reached etcd, or (for a write guarded by the key's mod revision) the key still has that
   * mod revision, so the attempt did not apply and the guard stops it applying later.
   */
  private async txn(req: TxnRequest, guarded: { key: Buffer; expected: number } | null): Promise<TxnResponse> {
    const deadline = Date.now() + this.conn.timeoutMs;
    for (;;) {
      if (this.conn.unsettled) await this.settle();
      let res: TxnResponse;
      try {
        res = await this.conn.call((m, dl) => this.conn.unary(m, m.kv.Txn, m.kv, req, dl), notApplied);
      } catch (err) {
        if (!transient(err)) throw this.failure(err);
        if (guarded && Date.now() < deadline && !this.closed) {
          const now = await this.range({ key: guarded.key, keys_only: true }).catch(() => null);
          if (now?.kvs?.[0]?.mod_revision === guarded.expected) continue;
        }
        throw new UnavailableError(
          `etcd failed during a write, which may or may not have been applied: ${details(err)}; read the key to find out`,
        );
      }
      this.seen(res.header);
      return res;
    }
  }

  /** etcd's error as the contract's. */
  private failure(err: unknown): Error {
    if (err instanceof StoreError) return err;
    if (isEtcd(err, EtcdMessages.leaseNotFound)) return new InvalidArgumentError('lease not found');
    if (isEtcd(err, EtcdMessages.tooLarge) || /larger than max/.test(details(err))) {
      return new InvalidArgumentError(`etcd refused the request as too large (raise etcd's --max-request-bytes): ${details(err)}`);
    }
    if (isEtcd(err, EtcdMessages.noSpace)) {
      return new StoreError(`etcd is out of space: compact and defragment it, or raise --quota-backend-bytes (${details(err)})`);
    }
    if (transient(err)) return new UnavailableError(`etcd unavailable at ${this.conn.members.map((m) => m.url).join(', ')}: ${details(err)}`);
    return new StoreError(`etcd: ${details(err)}`);
  }
}

function randomLeaseId(): number {
  return 1 + Math.floor(Math.random() * (MAX_LEASE_ID - 1));
}
