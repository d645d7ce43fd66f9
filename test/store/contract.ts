// The Store contract suite: every backend runs exactly these tests.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompactedError, ConflictError, InvalidArgumentError, KeyExistsError, NotFoundError, FutureRevisionError,
  MAX_VALUE_BYTES, type Store, type WatchEvent,
} from '../../src/store/types.js';

export interface StoreFactory {
  /** A fresh, empty store. `prefix` isolates tests that share one backend server. */
  open(): Promise<Store>;
  /** Called once at the end. */
  teardown?(): Promise<void>;
}

/** Collects watch events until `n` have arrived or the timeout passes. */
export function collect(store: Store, prefix: string, afterRevision?: number) {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  let waiters: Array<() => void> = [];
  const w = store.watch(prefix, { afterRevision }, {
    onEvents(evs) {
      events.push(...evs);
      for (const f of waiters) f();
    },
    onError(err) {
      errors.push(err);
      for (const f of waiters) f();
    },
  });
  return {
    events,
    errors,
    cancel: () => w.cancel(),
    async waitFor(n: number, ms = 5000): Promise<WatchEvent[]> {
      const deadline = Date.now() + ms;
      while (events.length < n && errors.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out with ${events.length}/${n} events`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => { clearTimeout(t); resolve(); });
        });
        waiters = [];
      }
      return events;
    },
  };
}

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let s: Store;
    let n = 0;
    // Each test works under its own prefix, so the tests are independent on a shared store.
    const p = () => `/t${process.pid}-${++n}/`;

    before(async () => { s = await factory.open(); });
    after(async () => { await s.close(); await factory.teardown?.(); });

    it('create assigns revisions that increase by one per write', async () => {
      const k = p();
      const r0 = await s.currentRevision();
      const a = await s.create(k + 'a', 'A');
      const b = await s.create(k + 'b', 'B');
      assert.equal(a.revision, r0 + 1);
      assert.equal(b.revision, r0 + 2);
      assert.deepEqual(
        { c: a.kv.createRevision, m: a.kv.modRevision, v: a.kv.version, value: a.kv.value },
        { c: a.revision, m: a.revision, v: 1, value: 'A' },
      );
      assert.equal(await s.currentRevision(), b.revision);
    });

    it('create on an existing key fails with KeyExistsError and writes nothing', async () => {
      const k = p() + 'x';
      await s.create(k, '1');
      const rev = await s.currentRevision();
      await assert.rejects(s.create(k, '2'), KeyExistsError);
      assert.equal(await s.currentRevision(), rev);
      assert.equal((await s.get(k)).kv?.value, '1');
    });

    it('update is a compare-and-swap on modRevision', async () => {
      const k = p() + 'x';
      const c = await s.create(k, 'v1');
      const u = await s.update(k, 'v2', c.revision);
      assert.equal(u.kv.version, 2);
      assert.equal(u.kv.createRevision, c.revision);
      assert.equal(u.kv.modRevision, u.revision);
      await assert.rejects(s.update(k, 'v3', c.revision), (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.equal(err.current.value, 'v2');
        assert.equal(err.current.modRevision, u.revision);
        return true;
      });
      await assert.rejects(s.update(p() + 'missing', 'x', 1), NotFoundError);
      assert.equal((await s.get(k)).kv?.value, 'v2');
    });

    it('delete returns the previous value, honours its guard, and resets version on re-create', async () => {
      const k = p() + 'x';
      const c = await s.create(k, 'v1');
      await assert.rejects(s.delete(k, c.revision + 1000), ConflictError);
      const d = await s.delete(k, c.revision);
      assert.equal(d.prevKv.value, 'v1');
      assert.equal((await s.get(k)).kv, null);
      await assert.rejects(s.delete(k), NotFoundError);
      const again = await s.create(k, 'v2');
      assert.equal(again.kv.version, 1);
      assert.equal(again.kv.createRevision, again.revision);
    });

    it('get and list read at an older revision until it is compacted', async () => {
      const k = p();
      const c1 = await s.create(k + 'a', '1');
      await s.create(k + 'b', '2');
      const u = await s.update(k + 'a', '3', c1.revision);
      await s.delete(k + 'b');
      const old = await s.get(k + 'a', { revision: c1.revision });
      assert.equal(old.kv?.value, '1');
      assert.equal(old.revision, c1.revision);
      const listed = await s.list(k, { revision: u.revision });
      assert.deepEqual(listed.kvs.map((kv) => kv.value), ['3', '2']);
      assert.equal((await s.list(k)).kvs.length, 1);
      await s.compact(u.revision);
      await assert.rejects(s.get(k + 'a', { revision: c1.revision }), CompactedError);
      assert.equal((await s.get(k + 'a', { revision: u.revision })).kv?.value, '3');
      assert.ok((await s.compactedRevision()) >= u.revision);
    });

    it('reading a future revision fails', async () => {
      const rev = await s.currentRevision();
      await assert.rejects(s.get(p() + 'a', { revision: rev + 1000 }), FutureRevisionError);
    });

    it('list pages through a prefix in key order with a limit and a start key', async () => {
      const k = p();
      for (let i = 0; i < 25; i++) await s.create(`${k}${String(i).padStart(3, '0')}`, String(i));
      await s.create(k.slice(0, -1) + 'z/other', 'not under the prefix');
      const seen: string[] = [];
      let startKey: string | undefined;
      let revision: number | undefined;
      let pages = 0;
      for (;;) {
        const page = await s.list(k, { limit: 10, startKey, revision });
        pages++;
        revision = page.revision;
        seen.push(...page.kvs.map((kv) => kv.value));
        if (!page.more) break;
        assert.equal(page.kvs.length, 10);
        startKey = page.kvs[page.kvs.length - 1].key + '\0';
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => String(i)));
      const counted = await s.list(k, { countOnly: true });
      assert.equal(counted.count, 25);
      assert.equal(counted.kvs.length, 0);
    });

    it('watch delivers every event after a revision, in order, with previous values', async () => {
      const k = p();
      const c = await s.create(k + 'a', '1');
      const w = collect(s, k, c.revision - 1);
      const u = await s.update(k + 'a', '2', c.revision);
      await s.create(k + 'b', '3');
      await s.delete(k + 'a');
      const evs = await w.waitFor(4);
      w.cancel();
      assert.deepEqual(evs.map((e) => [e.type, e.kv.key.slice(k.length), e.kv.value]), [
        ['PUT', 'a', '1'], ['PUT', 'a', '2'], ['PUT', 'b', '3'], ['DELETE', 'a', ''],
      ]);
      assert.equal(evs[1].prevKv?.value, '1');
      assert.equal(evs[1].kv.modRevision, u.revision);
      assert.equal(evs[3].prevKv?.value, '2');
      for (let i = 1; i < evs.length; i++) assert.ok(evs[i].kv.modRevision > evs[i - 1].kv.modRevision);
    });

    it('watch without a revision starts from now and ignores other prefixes', async () => {
      const k = p();
      await s.create(k + 'before', 'x');
      const w = collect(s, k);
      await new Promise((r) => setTimeout(r, 50));
      await s.create(k.slice(0, -1) + '-sibling/a', 'other prefix');
      await s.create(k + 'after', 'y');
      const evs = await w.waitFor(1);
      await new Promise((r) => setTimeout(r, 50));
      w.cancel();
      assert.deepEqual(evs.map((e) => e.kv.value), ['y']);
    });

    it('watch gets every event of many concurrent writers exactly once, in revision order', async () => {
      const k = p();
      const start = await s.currentRevision();
      const w = collect(s, k, start);
      const writers = 16, each = 20;
      const acked: number[] = [];
      await Promise.all(Array.from({ length: writers }, async (_, wi) => {
        let rev = (await s.create(`${k}w${wi}`, '0')).revision;
        acked.push(rev);
        for (let i = 1; i < each; i++) {
          rev = (await s.update(`${k}w${wi}`, String(i), rev)).revision;
          acked.push(rev);
        }
      }));
      const evs = await w.waitFor(writers * each, 20000);
      await new Promise((r) => setTimeout(r, 100));
      w.cancel();
      assert.equal(evs.length, writers * each, 'no duplicates');
      const revs = evs.map((e) => e.kv.modRevision);
      for (let i = 1; i < revs.length; i++) assert.ok(revs[i] > revs[i - 1], 'strictly increasing');
      assert.deepEqual([...revs].sort((a, b) => a - b), [...acked].sort((a, b) => a - b), 'every acknowledged write');
      // Per key, the values arrive in the order they were written.
      for (let wi = 0; wi < writers; wi++) {
        const vals = evs.filter((e) => e.kv.key === `${k}w${wi}`).map((e) => Number(e.kv.value));
        assert.deepEqual(vals, Array.from({ length: each }, (_, i) => i));
      }
    });

    it('watch from a compacted revision fails with CompactedError', async () => {
      const k = p();
      const a = await s.create(k + 'a', '1');
      await s.update(k + 'a', '2', a.revision);
      const b = await s.create(k + 'b', '1');
      await s.compact(b.revision);
      const w = collect(s, k, a.revision - 1);
      await w.waitFor(1).catch(() => undefined);
      w.cancel();
      assert.equal(w.errors.length, 1, 'one error');
      assert.ok(w.errors[0] instanceof CompactedError, `got ${w.errors[0]}`);
      // Watching from the compaction point itself still works.
      const ok = collect(s, k, b.revision - 1);
      const evs = await ok.waitFor(1);
      ok.cancel();
      assert.equal(evs[0].kv.key, k + 'b');
    });

    it('refuses keys, values and revisions outside the contract without writing', async () => {
      const rev = await s.currentRevision();
      await assert.rejects(s.create('', 'x'), InvalidArgumentError);
      await assert.rejects(s.create('no-slash', 'x'), InvalidArgumentError);
      await assert.rejects(s.create(p() + 'big', 'x'.repeat(MAX_VALUE_BYTES + 1)), InvalidArgumentError);
      await assert.rejects(s.update(p() + 'a', 'x', -1), InvalidArgumentError);
      await assert.rejects(s.get(p() + 'a', { revision: 1.5 }), InvalidArgumentError);
      await assert.rejects(s.list(p(), { limit: -3 }), InvalidArgumentError);
      assert.equal(await s.currentRevision(), rev);
    });

    it('stores values byte for byte, including unicode and large values', async () => {
      const k = p();
      const text = 'ünïcødé ✓ 𝄞 "quoted" \\ \n newline';
      const big = 'y'.repeat(1024 * 1024);
      await s.create(k + 'u', text);
      await s.create(k + 'big', big);
      assert.equal((await s.get(k + 'u')).kv?.value, text);
      assert.equal((await s.get(k + 'big')).kv?.value.length, big.length);
    });

    it('a leased key is deleted when its lease expires, with a DELETE event', async () => {
      const k = p();
      const lease = await s.grantLease(1);
      await s.create(k + 'ttl', 'v', { lease });
      const w = collect(s, k);
      const evs = await w.waitFor(1, 8000);
      w.cancel();
      assert.equal(evs[0].type, 'DELETE');
      assert.equal((await s.get(k + 'ttl')).kv, null);
    });
  });
}
