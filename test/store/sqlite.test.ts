import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { collect, storeContract } from './contract.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { CompactedError, ConflictError, InvalidArgumentError, KeyExistsError, NotFoundError, UnavailableError } from '../../src/store/types.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
let n = 0;
/** A fresh database path under the test's temp dir, shaped like the server's. */
const dbPath = () => join(dir, `case-${++n}`, 'db', 'state.db');

storeContract('sqlite', { open: () => SqliteStore.open(dbPath()) });

describe('SqliteStore', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps keys, history, the revision and the compaction floor across a restart', async () => {
    const path = dbPath();
    let s = await SqliteStore.open(path);
    const a = await s.create('/r/a', 'a1');
    const a2 = await s.update('/r/a', 'a2', a.revision);
    const b = await s.create('/r/b', 'b1');
    await s.compact(a2.revision);
    const a3 = await s.update('/r/a', 'a3', a2.revision);
    const d = await s.delete('/r/b');
    await s.close();

    s = await SqliteStore.open(path);
    try {
      assert.equal(await s.currentRevision(), d.revision);
      assert.equal(await s.compactedRevision(), a2.revision);
      assert.equal((await s.get('/r/a')).kv?.value, 'a3');
      assert.equal((await s.get('/r/a')).kv?.version, 3);
      assert.equal((await s.get('/r/b')).kv, null);
      assert.equal((await s.get('/r/a', { revision: a2.revision })).kv?.value, 'a2');
      assert.equal((await s.get('/r/b', { revision: b.revision })).kv?.value, 'b1');
      await assert.rejects(s.get('/r/a', { revision: a.revision }), CompactedError);
      const next = await s.create('/r/c', 'c');
      assert.equal(next.revision, d.revision + 1);
      const w = collect(s, '/r/', a2.revision);
      const evs = await w.waitFor(4);
      w.cancel();
      assert.deepEqual(evs.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.prevKv?.value ?? null]), [
        ['PUT', '/r/b', b.revision, null],
        ['PUT', '/r/a', a3.revision, 'a2'],
        ['DELETE', '/r/b', d.revision, 'b1'],
        ['PUT', '/r/c', next.revision, null],
      ]);
    } finally {
      await s.close();
    }
  });

  it('never hands out a revision twice, even after deletes, compaction and a restart', async () => {
    const path = dbPath();
    let s = await SqliteStore.open(path);
    const c = await s.create('/n/a', '1');
    const d = await s.delete('/n/a', c.revision);
    await s.compact(d.revision);
    await s.close();
    s = await SqliteStore.open(path);
    try {
      assert.equal(await s.currentRevision(), d.revision);
      const again = await s.create('/n/a', '2');
      assert.equal(again.revision, d.revision + 1);
      assert.equal(again.kv.version, 1);
    } finally {
      await s.close();
    }
  });

  it('compaction removes superseded rows but keeps what reads and watches at the floor need', async () => {
    const path = dbPath();
    const s = await SqliteStore.open(path, { compactChunk: 7 });
    let rev = (await s.create('/c/hot', '0')).revision;
    for (let i = 1; i <= 100; i++) rev = (await s.update('/c/hot', String(i), rev)).revision;
    const gone = await s.create('/c/gone', 'x');
    await s.delete('/c/gone');
    const floor = (await s.update('/c/hot', 'at-floor', rev)).revision;
    const later = await s.update('/c/hot', 'after-floor', floor);
    await s.compact(floor);
    assert.equal((await s.get('/c/hot', { revision: floor })).kv?.value, 'at-floor');
    assert.equal((await s.get('/c/gone', { revision: floor })).kv, null);
    await assert.rejects(s.get('/c/gone', { revision: gone.revision }), CompactedError);
    const w = collect(s, '/c/', floor - 1);
    const evs = await w.waitFor(2);
    w.cancel();
    assert.deepEqual(evs.map((e) => [e.kv.value, e.prevKv?.value]), [['at-floor', '100'], ['after-floor', 'at-floor']]);
    assert.equal(later.kv.version, 103);
    await s.close();

    const raw = new Database(path, { readonly: true });
    try {
      const rows = raw.prepare('SELECT id, name, value FROM kv ORDER BY id').all() as Array<{ id: number; value: string }>;
      // The write at the floor, the row it replaced (its watch event's prevKv), and the later write.
      assert.deepEqual(rows.map((r) => r.value), ['100', 'at-floor', 'after-floor']);
    } finally {
      raw.close();
    }
  });

  it('refuses a second opener of the same database while the first has it', async () => {
    const path = dbPath();
    const s = await SqliteStore.open(path);
    try {
      await s.create('/l/a', '1');
      await assert.rejects(SqliteStore.open(path), (err: unknown) => {
        assert.ok(err instanceof UnavailableError);
        assert.match(err.message, /in use by another process/);
        return true;
      });
      assert.equal((await s.get('/l/a')).kv?.value, '1');
    } finally {
      await s.close();
    }
    const again = await SqliteStore.open(path);
    assert.equal((await again.get('/l/a')).kv?.value, '1');
    await again.close();
  });

  it('refuses a database written by a newer k8ts', async () => {
    const path = dbPath();
    await (await SqliteStore.open(path)).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    await assert.rejects(SqliteStore.open(path), /newer than this k8ts understands/);
  });

  it('keeps leases across a restart and expires them on their original deadline', async () => {
    const path = dbPath();
    let s = await SqliteStore.open(path);
    const lease = await s.grantLease(1);
    const granted = Date.now();
    await s.create('/lease/a', 'v', { lease });
    await s.create('/lease/b', 'kept');
    await s.close();

    s = await SqliteStore.open(path);
    try {
      assert.equal((await s.get('/lease/a')).kv?.lease, lease);
      // The lease is still live after the restart: keys can join it.
      await s.create('/lease/c', 'v', { lease });
      const w = collect(s, '/lease/');
      const evs = await w.waitFor(2, 5000);
      w.cancel();
      assert.ok(Date.now() - granted >= 950, 'not before the deadline');
      assert.deepEqual(evs.map((e) => [e.type, e.kv.key, e.prevKv?.lease]), [
        ['DELETE', '/lease/a', lease], ['DELETE', '/lease/c', lease],
      ]);
      assert.equal((await s.get('/lease/b')).kv?.value, 'kept');
      await assert.rejects(s.create('/lease/d', 'v', { lease }), /lease .* not found/);
      assert.ok((await s.grantLease(1)) > lease, 'lease ids are not reused');
    } finally {
      await s.close();
    }
  });

  it('a key that left its lease by an update survives the lease', async () => {
    const s = await SqliteStore.open(dbPath());
    try {
      const lease = await s.grantLease(0.2);
      const c = await s.create('/lease2/a', 'v', { lease });
      await s.update('/lease2/a', 'no lease', c.revision);
      await new Promise((r) => setTimeout(r, 400));
      assert.equal((await s.get('/lease2/a')).kv?.value, 'no lease');
    } finally {
      await s.close();
    }
  });

  it('gives each write of a batch its own revision and outcome; a lost CAS spoils nothing else', async () => {
    const s = await SqliteStore.open(dbPath());
    try {
      const a = await s.create('/b/a', 'a');
      const b = await s.create('/b/b', 'b');
      await s.create('/b/c', 'c');
      const rev = await s.currentRevision();
      // Issued in one tick, these are applied in one transaction.
      const results = await Promise.allSettled([
        s.update('/b/a', 'a2', a.revision),
        s.update('/b/b', 'b2', b.revision + 100),
        s.create('/b/c', 'again'),
        s.create('/b/d', 'd'),
        s.update('/b/a', 'a3', a.revision),
        s.delete('/b/missing'),
        s.delete('/b/b', b.revision),
      ]);
      const kinds = results.map((r) => (r.status === 'fulfilled' ? r.value.revision : (r.reason as Error).constructor.name));
      assert.deepEqual(kinds, [rev + 1, 'ConflictError', 'KeyExistsError', rev + 2, 'ConflictError', 'NotFoundError', rev + 3]);
      const lost = (results[4] as PromiseRejectedResult).reason as ConflictError;
      assert.equal(lost.current.value, 'a2', 'the CAS sees the write before it in the same batch');
      assert.ok((results[2] as PromiseRejectedResult).reason instanceof KeyExistsError);
      assert.ok((results[5] as PromiseRejectedResult).reason instanceof NotFoundError);
      assert.equal(await s.currentRevision(), rev + 3);
      assert.deepEqual((await s.list('/b/')).kvs.map((kv) => [kv.key, kv.value]), [['/b/a', 'a2'], ['/b/c', 'c'], ['/b/d', 'd']]);
    } finally {
      await s.close();
    }
  });

  it('ranges over a prefix in bytewise key order and nothing outside it', async () => {
    const s = await SqliteStore.open(dbPath());
    try {
      const keys = ['/p/a', '/p/a/b', '/p/a-b', '/p/a0', '/p/ab', '/p/é', '/p/😀', '/p/\uffee', '/p/Z', '/p/a/c/d', '/p0', '/o/z'];
      for (const k of keys) await s.create(k, k);
      const bytewise = (ks: string[]) => [...ks].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.deepEqual((await s.list('/p/')).kvs.map((kv) => kv.key), bytewise(keys.filter((k) => k.startsWith('/p/'))));
      assert.deepEqual((await s.list('/p/a/')).kvs.map((kv) => kv.key), ['/p/a/b', '/p/a/c/d']);
      assert.deepEqual((await s.list('/p/a')).kvs.map((kv) => kv.key), bytewise(keys.filter((k) => k.startsWith('/p/a'))));
      assert.equal((await s.list('/p/', { startKey: '/p/a0', countOnly: true })).count, 5);
    } finally {
      await s.close();
    }
  });

  it('refuses keys and values that UTF-8 cannot carry instead of altering them', async () => {
    const s = await SqliteStore.open(dbPath());
    try {
      await assert.rejects(s.create('/u/\ud800', 'x'), InvalidArgumentError);
      await assert.rejects(s.create('/u/a', 'lone \udc00 half'), InvalidArgumentError);
      const c = await s.create('/u/a', 'pair \ud83d\ude00 whole');
      await assert.rejects(s.update('/u/a', '\ud83d', c.revision), InvalidArgumentError);
      assert.equal((await s.get('/u/a')).kv?.value, 'pair 😀 whole');
      assert.equal(await s.currentRevision(), c.revision);
    } finally {
      await s.close();
    }
  });

  it('commits writes already submitted when closed', async () => {
    const path = dbPath();
    const s = await SqliteStore.open(path);
    const pending = [s.create('/z/a', '1'), s.create('/z/b', '2')];
    await s.close();
    const acked = await Promise.all(pending);
    await assert.rejects(s.get('/z/a'), /store closed/);
    const again = await SqliteStore.open(path);
    assert.deepEqual((await again.list('/z/')).kvs.map((kv) => [kv.value, kv.modRevision]), acked.map((r) => [r.kv.value, r.revision]));
    await again.close();
  });
});
