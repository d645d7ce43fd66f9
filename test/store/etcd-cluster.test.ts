// The etcd backend on a three-member cluster while members crash: writes go on with one member
// down (including the one the client is connected to), a watch keeps delivering without a gap or a
// duplicate, and a restarted member catches up.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { EtcdStore } from '../../src/store/etcd/etcd-store.js';
import { ConflictError, UnavailableError, type WatchEvent } from '../../src/store/types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('etcd backend on a 3-member cluster', { timeout: 60_000 }, () => {
  let cluster: EtcdCluster;
  let store: EtcdStore;
  let storeEndpoints: string[];

  before(async () => {
    cluster = await startEtcd({ members: 3 });
    // Listed so that the client starts on a follower (the first member usually wins the first election).
    const [e0, e1, e2] = cluster.endpoints;
    storeEndpoints = [e1, e2, e0];
    store = await EtcdStore.connect({ endpoints: storeEndpoints, requestTimeoutMs: 10_000 });
  });
  after(async () => {
    await store?.close();
    await cluster?.stop();
  });

  /** Status of cluster member i, asked of that member. */
  const memberStatus = (i: number) => store.status(storeEndpoints.indexOf(cluster.endpoints[i]));

  const leaderIndex = async () => {
    const ids = await Promise.all([0, 1, 2].map(async (i) => (await memberStatus(i)).memberId));
    const leader = ids.indexOf((await store.status()).leader);
    assert.ok(leader >= 0, 'a leader among the members');
    return leader;
  };

  /** Waits until member i has applied everything up to the cluster's current revision. */
  async function caughtUp(i: number, ms = 15_000): Promise<number> {
    const started = Date.now();
    const target = await store.currentRevision();
    for (;;) {
      const st = await memberStatus(i).catch(() => null);
      if (st && st.revision >= target) return Date.now() - started;
      if (Date.now() - started > ms) throw new Error(`member ${i} still at revision ${st?.revision} < ${target} after ${ms} ms`);
      await sleep(50);
    }
  }

  it('keeps writing and watching while members crash, and restarted members catch up', async () => {
    const p = '/cluster-test/';
    const start = await store.currentRevision();
    const events: WatchEvent[] = [];
    const watchErrors: Error[] = [];
    const w = store.watch(p, { afterRevision: start }, {
      onEvents: (evs) => events.push(...evs),
      onError: (err) => watchErrors.push(err),
    });

    // A creator writes new keys one after another; an updater increments a counter with CAS.
    const acked: Array<{ key: string; rev: number; at: number }> = [];
    const ambiguous: string[] = [];
    let counterAcks = 0;
    let stop = false;
    const creator = (async () => {
      for (let i = 0; !stop; i++) {
        const key = `${p}k${String(i).padStart(5, '0')}`;
        try {
          const r = await store.create(key, String(i));
          acked.push({ key, rev: r.revision, at: Date.now() });
        } catch (err) {
          if (!(err instanceof UnavailableError)) throw err;
          ambiguous.push(key);
        }
      }
    })();
    const updater = (async () => {
      const key = `${p}counter`;
      let cur = await store.create(key, '0');
      while (!stop) {
        try {
          cur = await store.update(key, String(Number(cur.kv.value) + 1), cur.kv.modRevision);
          counterAcks++;
        } catch (err) {
          if (!(err instanceof UnavailableError) && !(err instanceof ConflictError)) throw err;
          const now = (await store.get(key)).kv!;
          cur = { revision: now.modRevision, kv: now };
        }
      }
    })();

    /**
     * Resolves with the time until `n` more creates were acknowledged. A write that was in flight
     * when the leader died is lost with it, and etcd 3.4 fails it only after its request timeout
     * (5 s + 2 election timeouts), so a sequential writer may pause that long.
     */
    const resumed = async (since: number, n = 10, ms = 12_000) => {
      for (;;) {
        const done = acked.filter((a) => a.at >= since).length;
        if (done >= n) return Date.now() - since;
        if (Date.now() - since > ms) throw new Error(`only ${done} writes in ${ms} ms after a member crashed`);
        await sleep(20);
      }
    };

    const timings: string[] = [];
    try {
      await sleep(300);
      // 1. Crash a member the client does not talk to: the leader, when that is another member.
      const connected = cluster.endpoints.indexOf(store.endpoint);
      const leader = await leaderIndex();
      const other = leader !== connected ? leader : (connected + 1) % 3;
      await cluster.stopMember(other);
      timings.push(`${other === leader ? 'leader' : 'follower'} ${other} crashed: 10 writes in ${await resumed(Date.now())} ms`);
      await cluster.startMember(other);
      timings.push(`caught up in ${await caughtUp(other)} ms`);

      // 2. Crash the member the client is connected to: calls and the watch move to another member.
      const mine = cluster.endpoints.indexOf(store.endpoint);
      const wasLeader = mine === await leaderIndex();
      await cluster.stopMember(mine);
      timings.push(`connected ${wasLeader ? 'leader' : 'follower'} ${mine} crashed: 10 writes in ${await resumed(Date.now())} ms`);
      assert.notEqual(store.endpoint, cluster.endpoints[mine], 'the client moved to another member');
      await cluster.startMember(mine);
      timings.push(`caught up in ${await caughtUp(mine)} ms`);
    } finally {
      stop = true;
      await Promise.all([creator, updater]);
    }
    const last = await store.currentRevision();
    // The watch delivers up to the last revision.
    const deadline = Date.now() + 10_000;
    while ((events.at(-1)?.kv.modRevision ?? 0) < last && Date.now() < deadline && watchErrors.length === 0) await sleep(20);
    w.cancel();

    assert.deepEqual(watchErrors, []);
    const revs = events.map((e) => e.kv.modRevision);
    for (let i = 1; i < revs.length; i++) assert.ok(revs[i] > revs[i - 1], `watch revisions strictly increase (${revs[i - 1]} then ${revs[i]})`);
    // Every write in the watched range is seen: the revisions from start on, without a gap.
    assert.deepEqual(revs, Array.from({ length: last - start }, (_, i) => start + 1 + i), 'no gap and no duplicate');
    const seen = new Set(revs);
    for (const a of acked) assert.ok(seen.has(a.rev), `acknowledged write ${a.key}@${a.rev} was watched`);
    // CAS updates were never applied twice or lost: the counter went up by one at each revision.
    const counter = events.filter((e) => e.kv.key === `${p}counter`).map((e) => Number(e.kv.value));
    assert.deepEqual(counter, Array.from({ length: counter.length }, (_, i) => i));
    assert.ok(counter.length - 1 >= counterAcks, 'every acknowledged update is in the history');
    // Creates whose outcome was unknown are either there or not; every acknowledged one is.
    const listed = new Set((await store.list(p)).kvs.map((kv) => kv.key));
    for (const a of acked) assert.ok(listed.has(a.key));
    for (const k of listed) assert.ok(k === `${p}counter` || acked.some((a) => a.key === k) || ambiguous.includes(k), `unexpected ${k}`);
    assert.ok(ambiguous.length <= 4, `${ambiguous.length} writes ended with UnavailableError`);
    // The restarted members serve the same data.
    for (const e of cluster.endpoints) {
      const single = await EtcdStore.connect({ endpoints: [e] });
      try {
        assert.equal((await single.list(p, { countOnly: true })).count, listed.size);
      } finally {
        await single.close();
      }
    }
    console.log(`# ${acked.length} creates, ${counterAcks} updates, ${ambiguous.length} unknown outcomes; ${timings.join('; ')}`);
  });
});
