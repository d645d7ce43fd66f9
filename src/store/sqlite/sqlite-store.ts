// The embedded backend: the Store contract on one SQLite file. Reads are synchronous prepared
// statements at the newest durable revision; writes go through group commit (one transaction per
// burst, made durable by an fdatasync off the loop that bursts share); watches replay from the kv
// log and then follow the in-process WatchHub, in the same tick.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  checkKey, checkPrefix, checkRevision, checkValue, CompactedError, ConflictError, FutureRevisionError,
  InvalidArgumentError, KeyExistsError, NotFoundError, StoreError, UnavailableError,
  type CreateOptions, type DeleteResult, type GetResult, type KeyValue, type ListOptions, type ListResult,
  type Store, type WatchCallbacks, type WatchEvent, type Watcher, type WatchOptions, type WriteResult,
} from '../types.js';
import { WatchHub } from '../watch-hub.js';
import { GroupCommit, type Applied, type Outcome } from './group-commit.js';
import { LeaseTimers } from './lease-timers.js';
import { prefixEnd, rawToKv, rowToEvent, rowToKv, tombstoneKv, type KvRow } from './rows.js';
import { configure, migrate } from './schema.js';
import { Statements } from './statements.js';
import { WalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** Most writes applied in one transaction (default 1000); bounds how long a commit holds the loop. */
  maxBatch?: number;
  /** Revisions swept per compaction transaction (default 1000); the loop is yielded between them. */
  compactChunk?: number;
}

type WriteOp =
  | { kind: 'create'; key: string; value: string; lease: number }
  | { kind: 'update'; key: string; value: string; expected: number; lease: number }
  | { kind: 'delete'; key: string; expected?: number }
  | { kind: 'expire'; lease: number };

type WriteOutcome = WriteResult | DeleteResult | null;

/**
 * SQLite stores TEXT as UTF-8, where a lone UTF-16 surrogate has no encoding: it would come back
 * as U+FFFD, a different string. Refuse it instead of altering it.
 */
function checkEncodable(what: string, s: string): void {
  if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed()) {
    throw new InvalidArgumentError(`${what} contains a lone UTF-16 surrogate and cannot be stored as UTF-8`);
  }
}

/** Reads "the newest row" with the same statement as reads at a revision. */
const LATEST = Number.MAX_SAFE_INTEGER;

export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  /** The newest revision committed to SQLite; it may still be on its way to disk. */
  private revision: number;
  /** The newest revision on disk: what reads see and watchers have been told. */
  private durable: number;
  private readonly wal: WalSync;
  private compacted: number;
  private swept: number;
  private closed = false;
  private readonly hub = new WatchHub();
  private readonly writes: GroupCommit<WriteOp, WriteOutcome>;
  private readonly timers: LeaseTimers;
  private readonly applyInTxn: (ops: WriteOp[], out: Outcome<WriteOutcome>[], events: WatchEvent[], rev: { n: number }) => void;
  private readonly compactChunk: number;
  /** Compactions run one at a time, in call order. */
  private compacting: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Database.Database,
    private readonly st: Statements,
    readonly path: string,
    opts: SqliteStoreOptions,
  ) {
    this.compacted = st.metaGet.get('compact_rev')?.value ?? 0;
    this.swept = st.metaGet.get('compact_swept')?.value ?? 0;
    // The sequence is the high-water mark of every revision ever assigned, rows deleted or not.
    this.revision = Math.max(st.sequence.get()?.seq ?? 0, this.compacted);
    this.durable = this.revision;
    this.compactChunk = opts.compactChunk ?? 1000;
    this.wal = new WalSync(path === ':memory:' ? null : `${path}-wal`);
    this.writes = new GroupCommit((ops) => this.applyBatch(ops), { maxBatch: opts.maxBatch ?? 1000, durable: () => this.wal.sync() });
    this.timers = new LeaseTimers((id) => this.expireLease(id));
    this.applyInTxn = db.transaction((ops, out, events, rev) => {
      for (const op of ops) {
        try {
          out.push({ ok: true, value: this.applyOne(op, events, rev) });
        } catch (err) {
          // A refused op (lost CAS, existing key) changed nothing; anything else aborts the batch.
          if (!(err instanceof StoreError)) throw err;
          out.push({ ok: false, error: err });
        }
      }
    });
    for (const l of st.leaseAll.all()) this.timers.arm(l.id, l.expires_at);
    // A sweep cut short by a crash resumes; reads below the floor already fail meanwhile.
    if (this.swept < this.compacted) this.compacting = this.sweep(this.compacted).catch(() => undefined);
  }

  /** Opens (creating if needed) the database file and its parent directories. */
  static async open(path: string, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database | undefined;
    try {
      // A server restarting over the same directory may still be letting go of it: wait a little,
      // not the driver's default 5 s, before declaring the database taken.
      db = new Database(path, { timeout: 1000 });
      configure(db);
      migrate(db);
      return new SqliteStore(db, new Statements(db), path, opts);
    } catch (err) {
      db?.close();
      const e = err as Error & { code?: string };
      if (e.code?.startsWith('SQLITE_BUSY')) {
        throw new UnavailableError(`${path} is in use by another process (only one k8ts server may use a data directory at a time)`);
      }
      throw new UnavailableError(`cannot open ${path}: ${e.message}`);
    }
  }

  // ---- reads ---------------------------------------------------------------------------------

  async get(key: string, opts: { revision?: number } = {}): Promise<GetResult> {
    this.live();
    checkKey(key);
    await this.caughtUp();
    const rev = this.readRevision(opts.revision);
    const row = this.st.rowAt.get(key, rev);
    return { kv: row && !row.deleted ? rowToKv(row) : null, revision: rev };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.live();
    checkPrefix(prefix);
    checkRevision(opts.limit, 'limit');
    if (opts.startKey !== undefined && (typeof opts.startKey !== 'string' || !opts.startKey.startsWith(prefix))) {
      throw new InvalidArgumentError(`startKey ${opts.startKey} is not under prefix ${prefix}`);
    }
    await this.caughtUp();
    const rev = this.readRevision(opts.revision);
    const range = { from: opts.startKey ?? prefix, end: prefixEnd(prefix), rev };
    const limit = opts.limit || 0;
    if (opts.countOnly) {
      const count = this.st.count.get(range)!.n;
      return { kvs: [], revision: rev, more: limit > 0 && count > limit, count };
    }
    const kvs = this.st.list.all({ ...range, limit: limit || -1 }).map(rawToKv);
    // A short page is the whole remainder; only a full page needs the separate count.
    const count = limit > 0 && kvs.length === limit ? this.st.count.get(range)!.n : kvs.length;
    return { kvs, revision: rev, more: count > kvs.length, count };
  }

  async currentRevision(): Promise<number> {
    this.live();
    await this.caughtUp();
    return this.durable;
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  // ---- writes --------------------------------------------------------------------------------

  async create(key: string, value: string, opts: CreateOptions = {}): Promise<WriteResult> {
    this.live();
    checkKey(key);
    checkValue(value);
    checkEncodable('key', key);
    checkEncodable('value', value);
    const lease = this.checkLease(opts.lease);
    return (await this.writes.submit({ kind: 'create', key, value, lease })) as WriteResult;
  }

  async update(key: string, value: string, expectedModRevision: number, opts: CreateOptions = {}): Promise<WriteResult> {
    this.live();
    checkKey(key);
    checkValue(value);
    checkEncodable('value', value);
    checkRevision(expectedModRevision, 'expectedModRevision');
    const lease = this.checkLease(opts.lease);
    return (await this.writes.submit({ kind: 'update', key, value, expected: expectedModRevision, lease })) as WriteResult;
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    this.live();
    checkKey(key);
    checkRevision(expectedModRevision, 'expectedModRevision');
    return (await this.writes.submit({ kind: 'delete', key, expected: expectedModRevision })) as DeleteResult;
  }

  async grantLease(ttlSeconds: number): Promise<number> {
    this.live();
    if (typeof ttlSeconds !== 'number' || !(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
      throw new InvalidArgumentError('lease TTL must be a positive number of seconds');
    }
    const expiresAt = Date.now() + Math.ceil(ttlSeconds * 1000);
    let id: number;
    try {
      id = Number(this.st.leaseInsert.run(ttlSeconds, expiresAt).lastInsertRowid);
    } catch (err) {
      throw new UnavailableError(`sqlite: granting a lease failed: ${(err as Error).message}`);
    }
    this.timers.arm(id, expiresAt);
    return id;
  }

  /** One transaction for the whole batch; events are published only once it is durable. */
  private applyBatch(ops: WriteOp[]): Applied<WriteOutcome> {
    const out: Outcome<WriteOutcome>[] = [];
    const events: WatchEvent[] = [];
    const rev = { n: this.revision };
    try {
      this.applyInTxn(ops, out, events, rev);
    } catch (err) {
      throw new UnavailableError(`sqlite: write failed, nothing of this batch was committed: ${(err as Error).message}`);
    }
    this.revision = rev.n;
    return {
      outcomes: out,
      onDurable: () => {
        this.durable = rev.n;
        // One event per revision: every write here touches a single key.
        for (const e of events) this.hub.publish([e]);
      },
    };
  }

  private applyOne(op: WriteOp, events: WatchEvent[], rev: { n: number }): WriteOutcome {
    switch (op.kind) {
      case 'create': {
        const cur = this.st.rowAt.get(op.key, LATEST);
        if (cur && !cur.deleted) throw new KeyExistsError(op.key);
        this.requireLease(op.lease);
        const r = ++rev.n;
        this.st.insert.run(r, op.key, 1, 0, r, 0, 1, op.lease, op.value);
        const kv: KeyValue = { key: op.key, value: op.value, createRevision: r, modRevision: r, version: 1, lease: op.lease };
        events.push({ type: 'PUT', kv, prevKv: null });
        return { revision: r, kv };
      }
      case 'update': {
        const cur = this.liveRow(op.key);
        if (cur.id !== op.expected) throw new ConflictError(op.key, rowToKv(cur));
        this.requireLease(op.lease);
        const r = ++rev.n;
        const version = cur.version + 1;
        this.st.insert.run(r, op.key, 0, 0, cur.create_revision, cur.id, version, op.lease, op.value);
        const kv: KeyValue = { key: op.key, value: op.value, createRevision: cur.create_revision, modRevision: r, version, lease: op.lease };
        events.push({ type: 'PUT', kv, prevKv: rowToKv(cur) });
        return { revision: r, kv };
      }
      case 'delete': {
        const cur = this.liveRow(op.key);
        if (op.expected !== undefined && cur.id !== op.expected) throw new ConflictError(op.key, rowToKv(cur));
        return this.deleteRow(cur, events, rev);
      }
      case 'expire': {
        // Each key of the lease goes in its own revision, with an ordinary DELETE event.
        for (const row of this.st.leaseKeys.all(op.lease)) this.deleteRow(row, events, rev);
        this.st.leaseDelete.run(op.lease);
        this.timers.disarm(op.lease);
        return null;
      }
    }
  }

  private deleteRow(cur: KvRow, events: WatchEvent[], rev: { n: number }): DeleteResult {
    const r = ++rev.n;
    this.st.insert.run(r, cur.name, 0, 1, cur.create_revision, cur.id, 0, 0, '');
    const prevKv = rowToKv(cur);
    events.push({ type: 'DELETE', kv: tombstoneKv(cur.name, r), prevKv });
    return { revision: r, prevKv };
  }

  private liveRow(key: string): KvRow {
    const cur = this.st.rowAt.get(key, LATEST);
    if (!cur || cur.deleted) throw new NotFoundError(key);
    return cur;
  }

  private expireLease(id: number): void {
    if (this.closed) return;
    this.writes.submit({ kind: 'expire', lease: id }).catch(() => {
      // The batch failed (disk trouble); try again shortly rather than leave the keys forever.
      if (!this.closed) this.timers.arm(id, Date.now() + 1000);
    });
  }

  private checkLease(lease: number | undefined): number {
    if (lease === undefined || lease === 0) return 0;
    checkRevision(lease, 'lease');
    this.requireLease(lease);
    return lease;
  }

  private requireLease(lease: number): void {
    if (lease && !this.timers.has(lease)) throw new InvalidArgumentError(`lease ${lease} not found`);
  }

  // ---- watch ---------------------------------------------------------------------------------

  watch(prefix: string, opts: WatchOptions, cb: WatchCallbacks): Watcher {
    this.live();
    checkPrefix(prefix);
    checkRevision(opts.afterRevision, 'afterRevision');
    const after = opts.afterRevision ?? this.durable;
    // History up to the durable revision now; what is committed but not yet on disk arrives
    // through the hub once it is.
    return this.hub.watch(prefix, cb, () => {
      if (after + 1 < this.compacted) throw new CompactedError(after, this.compacted);
      if (after > this.revision) throw new FutureRevisionError(after, this.revision);
      if (after >= this.durable) return [];
      const rows = this.st.replay.all({ after, upTo: this.durable, from: prefix, end: prefixEnd(prefix) });
      return rows.map((r) => [rowToEvent(r)]);
    });
  }

  // ---- compaction ----------------------------------------------------------------------------

  async compact(revision: number): Promise<void> {
    this.live();
    checkRevision(revision);
    await this.caughtUp();
    if (revision > this.durable) throw new FutureRevisionError(revision, this.durable);
    if (revision <= this.compacted) throw new CompactedError(revision, this.compacted);
    // Raise the floor first, durably: from here on reads below it fail, so the sweep may delete
    // what only they needed, at its own pace and across restarts.
    this.st.metaSet.run('compact_rev', revision);
    this.compacted = revision;
    const sweep = this.compacting.then(() => this.sweep(revision));
    this.compacting = sweep.catch(() => undefined);
    return sweep;
  }

  /**
   * Deletes rows that no read at or after `upTo` needs: every row replaced by a write below
   * `upTo`, and tombstones below it. A row replaced exactly at `upTo` stays, as the prevKv of that
   * revision's watch event. Walks the writes since the last sweep in chunks, yielding between.
   */
  private async sweep(upTo: number): Promise<void> {
    while (this.swept < upTo && !this.closed) {
      const lo = this.swept;
      const hi = Math.min(upTo, lo + this.compactChunk);
      this.db.transaction(() => {
        this.st.sweepReplaced.run(lo, hi);
        this.st.sweepTombstones.run(lo, hi);
        this.st.metaSet.run('compact_swept', hi);
      })();
      this.swept = hi;
      if (this.swept < upTo) await new Promise<void>((r) => setImmediate(r));
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes already accepted are committed and acknowledged, not dropped.
    this.writes.flush(true);
    this.closed = true;
    this.timers.clear();
    await this.writes.idle();
    await this.wal.close();
    this.hub.fail(new StoreError('store closed'));
    this.db.close();
  }

  /**
   * Waits while commits are on their way to disk, so a read never shows what a crash could still
   * take back, nor anything older than a write that was already acknowledged.
   */
  private async caughtUp(): Promise<void> {
    if (this.durable < this.revision) await this.writes.idle();
  }

  private readRevision(requested: number | undefined): number {
    checkRevision(requested);
    if (!requested) return this.durable;
    if (requested > this.durable) throw new FutureRevisionError(requested, this.durable);
    if (requested < this.compacted) throw new CompactedError(requested, this.compacted);
    return requested;
  }

  private live(): void {
    if (this.closed) throw new StoreError('store closed');
  }
}
