// The on-disk layout, modelled on kine (k3s's etcd shim over SQL): the key space is a log with one
// row per revision, so "the key at revision R" is the newest row for that name with id <= R, and
// history, compaction and watch replay are all plain range queries.
import type Database from 'better-sqlite3';

/** Bumped when the layout changes incompatibly; a newer file is refused rather than misread. */
export const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS kv (
  -- The revision of this write. AUTOINCREMENT keeps the high-water mark in sqlite_sequence, so a
  -- revision is never handed out twice even after compaction deletes the rows that used it.
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  name            TEXT    NOT NULL,
  created         INTEGER NOT NULL,  -- 1: first write of this incarnation of the key
  deleted         INTEGER NOT NULL,  -- 1: tombstone; the key is absent from this revision on
  create_revision INTEGER NOT NULL,
  -- The row this write replaced (0 for a create). Watch replay joins on it for prevKv, and
  -- compaction follows it to find superseded rows.
  prev_revision   INTEGER NOT NULL,
  version         INTEGER NOT NULL,
  lease           INTEGER NOT NULL,
  value           TEXT    NOT NULL
);
-- Serves "newest row of a name at or before R" (point reads, CAS checks) and prefix ranges, which
-- compare names bytewise: TEXT uses the BINARY collation, memcmp over UTF-8. With deleted in it,
-- counting the live keys under a prefix reads this index alone.
CREATE INDEX IF NOT EXISTS kv_name_id ON kv(name, id, deleted);
-- Finds the keys of an expiring lease without scanning the table.
CREATE INDEX IF NOT EXISTS kv_lease ON kv(lease) WHERE lease != 0;

CREATE TABLE IF NOT EXISTS lease (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  ttl        INTEGER NOT NULL,
  -- Wall-clock deadline (ms since the epoch), so a lease keeps its deadline across restarts.
  expires_at INTEGER NOT NULL
);

-- compact_rev: oldest readable revision. compact_swept: how far the sweep of superseded rows has
-- got (it trails compact_rev if the process died mid-sweep; the next compaction resumes there).
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * Connection settings. EXCLUSIVE locking is set before WAL so that SQLite keeps the WAL index in
 * process memory (no -shm file) and a second process opening the same data directory is refused
 * instead of silently racing this one's in-memory revision counter. synchronous=NORMAL keeps the
 * fsync out of the commit itself: WalSync fdatasyncs the WAL off the event loop, and a write is
 * acknowledged only after that, so it would survive power loss as with synchronous=FULL.
 */
export function configure(db: Database.Database): void {
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536'); // 64 MiB of page cache
  db.pragma('temp_store = MEMORY');
  // Keep the WAL from growing without bound between checkpoints after a burst.
  db.pragma('journal_size_limit = 67108864');
}

/** Creates the tables on first open and checks the layout version on later ones. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`database schema version ${version} is newer than this k8ts understands (${SCHEMA_VERSION}); upgrade k8ts`);
  }
  db.transaction(() => {
    db.exec(DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
