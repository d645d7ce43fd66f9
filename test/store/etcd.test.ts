// The Store contract against a real single-member etcd, plus what only the etcd backend has:
// the key prefix, lease keep-alive and revoke, member status, and the errors of a dead endpoint.
import { waitFor } from '../helpers/wait.js';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collect, storeContract } from './contract.js';
import { startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { EtcdStore } from '../../src/store/etcd/etcd-store.js';
import { InvalidArgumentError, UnavailableError } from '../../src/store/types.js';

let etcd: EtcdCluster;
let stores = 0;

storeContract('etcd', {
  async open() {
    etcd = await startEtcd();
    return EtcdStore.connect({ endpoints: etcd.endpoints, prefix: `/contract-${++stores}` });
  },
  async teardown() {
    await etcd.stop();
  },
});

describe('etcd backend', () => {
  let cluster: EtcdCluster;
  let a: EtcdStore;
  let b: EtcdStore;
  let raw: EtcdStore;

  before(async () => {
    cluster = await startEtcd();
    a = await EtcdStore.connect({ endpoints: cluster.endpoints, prefix: '/cluster-a' });
    b = await EtcdStore.connect({ endpoints: cluster.endpoints, prefix: '/cluster-b' });
    raw = await EtcdStore.connect({ endpoints: cluster.endpoints });
  });
  after(async () => {
    await Promise.all([a.close(), b.close(), raw.close()]);
    await cluster.stop();
  });

  it('keeps clusters with different prefixes apart and strips the prefix on the way out', async () => {
    await a.create('/registry/pods/x', 'from a');
    await b.create('/registry/pods/x', 'from b');
    const wa = collect(a, '/registry/');
    await b.create('/registry/pods/y', 'only b');
    await a.create('/registry/pods/z', 'only a');
    const evs = await wa.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    wa.cancel();
    assert.deepEqual(evs.map((e) => [e.kv.key, e.kv.value]), [['/registry/pods/z', 'only a']]);
    assert.deepEqual((await a.list('/registry/')).kvs.map((kv) => [kv.key, kv.value]), [['/registry/pods/x', 'from a'], ['/registry/pods/z', 'only a']]);
    assert.deepEqual((await b.list('/registry/')).kvs.map((kv) => kv.key), ['/registry/pods/x', '/registry/pods/y']);
    // In etcd itself the keys carry the prefix.
    assert.equal((await raw.get('/cluster-a/registry/pods/x')).kv?.value, 'from a');
    assert.equal((await raw.list('/cluster-b/')).count, 2);
  });

  it('lets watches of one prefix share an etcd watcher, each getting exactly the events after its start', async () => {
    const k = '/shared/';
    const base = a.etcdWatchers;
    const first = await a.create(k + 'a', 'a');
    const w1 = collect(a, k);
    const w2 = collect(a, k);
    const w3 = collect(a, k, first.revision - 1);
    assert.equal(a.etcdWatchers, base + 2, 'two watches from now share one watcher; one from the past has its own');
    const b = await a.create(k + 'b', 'b');
    await a.create(k + 'c', 'c');
    await w1.waitFor(2);
    await w2.waitFor(2);
    await w3.waitFor(3);
    w1.cancel();
    const d = await a.create(k + 'd', 'd');
    const w4 = collect(a, k, b.revision);
    const w5 = collect(a, k, d.revision);
    assert.equal(a.etcdWatchers, base + 3, 'a watch after b needs c again; one after d joins a watcher at d');
    const e = await a.create(k + 'e', 'e');
    const values = (w: ReturnType<typeof collect>, n: number) => w.waitFor(n).then((evs) => evs.map((ev) => ev.kv.value).join(''));
    assert.equal(await values(w2, 4), 'bcde');
    assert.equal(await values(w3, 5), 'abcde');
    assert.equal(await values(w4, 3), 'cde');
    assert.equal(await values(w5, 1), 'e');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(w1.events.map((ev) => ev.kv.value).join(''), 'bc', 'a cancelled watch gets nothing more');
    assert.equal(w5.events.length, 1);
    assert.equal(w5.events[0].kv.modRevision, e.revision);
    for (const w of [w2, w3, w4, w5]) w.cancel();
    assert.equal(a.etcdWatchers, base);
  });

  it('revokes leases and keeps them alive', async () => {
    const lease = await a.grantLease(30);
    await a.create('/leased/one', '1', { lease });
    assert.equal((await a.get('/leased/one')).kv?.lease, lease);
    const ttl = await a.keepLeaseAlive(lease);
    assert.ok(ttl >= 29 && ttl <= 30, `ttl ${ttl}`);
    await a.revokeLease(lease);
    assert.equal((await a.get('/leased/one')).kv, null);
    await assert.rejects(a.keepLeaseAlive(lease), InvalidArgumentError);
    await assert.rejects(a.create('/leased/two', '2', { lease }), InvalidArgumentError);
  });

  it('reports the member it talks to', async () => {
    const st = await a.status();
    assert.equal(st.endpoint, cluster.endpoints[0]);
    assert.match(st.memberId, /^\d+$/);
    assert.equal(st.leader, st.memberId, 'a single member leads itself');
    assert.match(st.version, /^3\.\d+/);
    assert.ok(st.revision > 0 && st.revision <= await a.currentRevision());
  });

  it('reports an unreachable etcd as UnavailableError, within the request budget', async () => {
    const started = Date.now();
    await assert.rejects(
      EtcdStore.connect({ endpoints: ['http://127.0.0.1:1'], requestTimeoutMs: 1500 }),
      (err: unknown) => err instanceof UnavailableError && /127\.0\.0\.1:1/.test(err.message),
    );
    assert.ok(Date.now() - started < 5000);
    assert.throws(() => new EtcdStore({ endpoints: ['https://127.0.0.1:2379'] }), InvalidArgumentError);
    assert.throws(() => new EtcdStore({ endpoints: [] }), InvalidArgumentError);
  });

  it('gives up on a member that hangs once the request budget is spent', async () => {
    const impatient = await EtcdStore.connect({ endpoints: cluster.endpoints, requestTimeoutMs: 800 });
    const pid = cluster.pid(0)!;
    process.kill(pid, 'SIGSTOP');
    try {
      // SIGSTOP takes effect asynchronously: on a busy machine etcd may answer one more request.
      await waitFor('etcd to be stopped', () => /^\S+ \(.*\) T/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), { intervalMs: 5, timeoutMs: 5000 });
      const started = Date.now();
      await assert.rejects(impatient.get('/hang/x'), (err: unknown) => err instanceof UnavailableError && /did not answer within 800 ms/.test(err.message));
      await assert.rejects(impatient.create('/hang/y', 'y'), (err: unknown) => err instanceof UnavailableError && /may or may not have been applied/.test(err.message));
      const took = Date.now() - started;
      assert.ok(took >= 1500 && took < 3000, `took ${took} ms`);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // The write that timed out was still queued in the member; either way the store works again.
    assert.ok((await impatient.get('/hang/y')).revision > 0);
    await impatient.close();
  });
});
