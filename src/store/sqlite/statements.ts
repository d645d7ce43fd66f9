// Every SQL statement the store runs, prepared once per connection.
import type Database from 'better-sqlite3';
import type { EventRow, KvRow, RawKv } from './rows.js';

const KV_COLS = 'id, name, deleted, create_revision, version, lease, value';
const KV_COLS_K = 'k.id, k.name, k.deleted, k.create_revision, k.version, k.lease, k.value';

export class Statements {
  /** The newest row of a name at or before a revision (tombstones included). */
  readonly rowAt: Database.Statement<[string, number], KvRow>;
  /**
   * Live keys in [from, end) at a revision, in key order, as raw rows (see rawToKv: skipping the
   * per-row object saves a third of a 10,000-key list). Walking the (name, id) index in order
   * lets LIMIT stop early, where a GROUP BY would sort every value first.
   */
  readonly list: Database.Statement<{ from: string; end: string; rev: number; limit: number }, RawKv>;
  readonly count: Database.Statement<{ from: string; end: string; rev: number }, { n: number }>;
  /** Rows after a revision under a prefix, in revision order, each with the row it replaced. */
  readonly replay: Database.Statement<{ after: number; upTo: number; from: string; end: string }, EventRow>;
  readonly insert: Database.Statement<[number, string, number, number, number, number, number, number, string]>;
  readonly sequence: Database.Statement<[], { seq: number }>;
  readonly metaGet: Database.Statement<[string], { value: number }>;
  readonly metaSet: Database.Statement<[string, number]>;
  /** Live keys whose newest row carries the lease. (`lease != 0` lets the partial index serve it.) */
  readonly leaseKeys: Database.Statement<[number], KvRow>;
  readonly leaseInsert: Database.Statement<[number, number]>;
  readonly leaseDelete: Database.Statement<[number]>;
  readonly leaseAll: Database.Statement<[], { id: number; expires_at: number }>;
  /** Compaction sweep, part 1: rows replaced by a write in [lo, hi). */
  readonly sweepReplaced: Database.Statement<[number, number]>;
  /** Compaction sweep, part 2: tombstones in [lo, hi); reading at or after hi no longer needs them. */
  readonly sweepTombstones: Database.Statement<[number, number]>;

  constructor(db: Database.Database) {
    this.rowAt = db.prepare(`SELECT ${KV_COLS} FROM kv WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`);
    this.list = db.prepare<{ from: string; end: string; rev: number; limit: number }, RawKv>(`
      SELECT k.id, k.name, k.create_revision, k.version, k.lease, k.value FROM kv k
      WHERE k.name >= @from AND k.name < @end AND k.deleted = 0
        AND k.id = (SELECT MAX(id) FROM kv WHERE name = k.name AND id <= @rev)
      ORDER BY k.name LIMIT @limit`).raw(true);
    // SQLite takes the bare column `deleted` from the row holding MAX(id), so this reads the
    // covering index (name, id, deleted) alone and never touches a value.
    this.count = db.prepare(`
      SELECT COUNT(*) AS n FROM (
        SELECT deleted, MAX(id) FROM kv WHERE name >= @from AND name < @end AND id <= @rev GROUP BY name
      ) WHERE deleted = 0`);
    this.replay = db.prepare(`
      SELECT ${KV_COLS_K}, p.id AS p_id, p.create_revision AS p_create_revision, p.version AS p_version,
             p.lease AS p_lease, p.value AS p_value
      FROM kv k LEFT JOIN kv p ON p.id = k.prev_revision AND k.prev_revision != 0
      WHERE k.id > @after AND k.id <= @upTo AND k.name >= @from AND k.name < @end
      ORDER BY k.id`);
    this.insert = db.prepare(`
      INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, version, lease, value)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.sequence = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'kv'`);
    this.metaGet = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.metaSet = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.leaseKeys = db.prepare(`
      SELECT ${KV_COLS_K} FROM kv k
      WHERE k.lease = ? AND k.lease != 0 AND k.deleted = 0 AND k.id = (SELECT MAX(id) FROM kv WHERE name = k.name)
      ORDER BY k.id`);
    this.leaseInsert = db.prepare('INSERT INTO lease (ttl, expires_at) VALUES (?, ?)');
    this.leaseDelete = db.prepare('DELETE FROM lease WHERE id = ?');
    this.leaseAll = db.prepare('SELECT id, expires_at FROM lease');
    this.sweepReplaced = db.prepare(`
      DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id >= ? AND id < ? AND prev_revision != 0)`);
    this.sweepTombstones = db.prepare('DELETE FROM kv WHERE id >= ? AND id < ? AND deleted = 1');
  }
}
