import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient } from '../../src/client/rest.js';
import { LeaderElector, microTime, type Lease } from '../../src/client/leader-election.js';
import { resources } from '../../src/client/resources.js';
import { errors } from '../../src/machinery/status.js';
import { FakeApiServer } from './fake-apiserver.js';
import { waitFor as waitUntil } from '../helpers/wait.js';

process.env.K8TS_LOG = 'quiet';

let server: FakeApiServer;
let client: RestClient;
const electors: LeaderElector[] = [];

beforeEach(async () => {
  server = await new FakeApiServer().start();
  client = new RestClient({ server: server.url });
});

afterEach(async () => {
  await Promise.all(electors.splice(0).map((e) => e.stop()));
  client.close();
  await server.stop();
});

const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const until = (cond: () => boolean, ms = 5000): Promise<unknown> => waitUntil('the condition', cond, { timeoutMs: ms, intervalMs: 10 });

interface Candidate { elector: LeaderElector; log: string[]; signal?: AbortSignal }

function candidate(identity: string, extra: Partial<ConstructorParameters<typeof LeaderElector>[0]> = {}): Candidate {
  const c: Candidate = { log: [] } as unknown as Candidate;
  c.elector = new LeaderElector({
    client, name: 'controller-manager', identity,
    leaseDurationSeconds: 1, renewDeadlineMs: 500, retryPeriodMs: 100,
    callbacks: {
      onStartedLeading: (signal) => { c.signal = signal; c.log.push('started'); },
      onStoppedLeading: () => c.log.push('stopped'),
      onNewLeader: (id) => c.log.push(`leader:${id}`),
    },
    ...extra,
  });
  electors.push(c.elector);
  return c;
}

const lease = async () => client.get<Lease>(resources.leases, 'kube-system', 'controller-manager');

test('microTime renders metav1.MicroTime: six fractional digits, UTC', () => {
  assert.equal(microTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02T03:04:05.678000Z');
});

test('a lone candidate creates the Lease, leads, and keeps renewing it', async () => {
  const a = candidate('a');
  void a.elector.run();
  await until(() => a.log.includes('started'));
  assert.equal(a.elector.isLeader(), true);
  const first = await lease();
  assert.equal(first.spec?.holderIdentity, 'a');
  assert.equal(first.spec?.leaseDurationSeconds, 1);
  assert.equal(first.spec?.leaseTransitions, 0);
  assert.match(first.spec!.acquireTime!, MICRO);
  assert.match(first.spec!.renewTime!, MICRO);
  await sleep(350);
  const later = await lease();
  assert.ok(later.spec!.renewTime! > first.spec!.renewTime!, 'renewTime advances');
  assert.equal(later.spec!.acquireTime, first.spec!.acquireTime, 'acquireTime is kept while holding');
  assert.ok(Number(later.metadata.resourceVersion) > Number(first.metadata.resourceVersion));
  assert.deepEqual(a.log, ['leader:a', 'started']);
});

test('of two candidates one leads; on stop it releases and the other takes over at once', async () => {
  const a = candidate('a');
  const b = candidate('b');
  void a.elector.run();
  await until(() => a.elector.isLeader());
  void b.elector.run();
  await sleep(400);
  assert.equal(b.elector.isLeader(), false);
  assert.equal(b.elector.getLeader(), 'a');
  assert.ok(b.log.includes('leader:a') && !b.log.includes('started'));

  await a.elector.stop();
  assert.equal(a.signal?.aborted, true, 'the leader\'s work is told to stop');
  assert.deepEqual(a.log.slice(-1), ['stopped']);
  const released = await lease();
  assert.equal(released.spec?.holderIdentity, '');
  const t0 = Date.now();
  await until(() => b.elector.isLeader());
  assert.ok(Date.now() - t0 < 900, 'a released lease is taken without waiting for it to expire');
  const taken = await lease();
  assert.equal(taken.spec?.holderIdentity, 'b');
  assert.equal(taken.spec?.leaseTransitions, 1);
  assert.ok(b.log.includes('started'));
});

test('a lease held by someone else is taken only after it goes unrenewed for leaseDurationSeconds', async () => {
  server.put('coordination.k8s.io/v1', 'leases', {
    metadata: { name: 'controller-manager', namespace: 'kube-system' },
    spec: { holderIdentity: 'ghost', leaseDurationSeconds: 1, acquireTime: microTime(), renewTime: microTime(), leaseTransitions: 4 },
  });
  const b = candidate('b');
  const t0 = Date.now();
  void b.elector.run();
  await until(() => b.elector.isLeader(), 4000);
  const waited = Date.now() - t0;
  assert.ok(waited >= 1000, `took over after ${waited} ms; the lease was valid for 1 s`);
  const l = await lease();
  assert.equal(l.spec?.holderIdentity, 'b');
  assert.equal(l.spec?.leaseTransitions, 5);
  assert.deepEqual(b.log.slice(0, 2), ['leader:ghost', 'leader:b']);
});

test('a leader that cannot renew within renewDeadline stops leading, then campaigns again', async () => {
  const a = candidate('a');
  void a.elector.run();
  await until(() => a.log.includes('started'));
  const signal = a.signal!;
  server.fail((r) => r.path.includes('/leases'), errors.unavailable('the store is down'), 1000);
  const t0 = Date.now();
  await until(() => a.log.includes('stopped'), 3000);
  const lost = Date.now() - t0;
  assert.ok(lost >= 400 && lost < 1500, `stopped leading after ${lost} ms`);
  assert.equal(signal.aborted, true);
  server.failures.length = 0;
  await until(() => a.log.filter((l) => l === 'started').length === 2, 3000);
});

test('configuration that could never work is refused', () => {
  assert.throws(() => new LeaderElector({ client, name: 'x', identity: 'a', leaseDurationSeconds: 1, renewDeadlineMs: 2000, callbacks: { onStartedLeading() {} } }), /leaseDuration must be greater than renewDeadline/);
  assert.throws(() => new LeaderElector({ client, name: 'x', identity: 'a', renewDeadlineMs: 1000, retryPeriodMs: 1000, callbacks: { onStartedLeading() {} } }), /renewDeadline must be greater/);
  assert.throws(() => new LeaderElector({ client, name: 'x', identity: '', callbacks: { onStartedLeading() {} } }), /identity/);
});
