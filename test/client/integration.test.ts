// The client library against a real `k8ts server`: what the fake server stood in for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient } from '../../src/client/rest.js';
import { Informer } from '../../src/client/informer.js';
import { InformerFactory } from '../../src/client/informer-factory.js';
import { ApiError, isAlreadyExists, isConflict, isNotFound } from '../../src/client/errors.js';
import { resources } from '../../src/client/resources.js';
import { LeaderElector, type Lease } from '../../src/client/leader-election.js';
import { EventBroadcaster, type CoreEvent } from '../../src/client/events.js';
import type { KObject } from '../../src/api/resource.js';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { waitFor as waitUntil } from '../helpers/wait.js';

process.env.K8TS_LOG = 'quiet';

let server: TestServer;
let client: RestClient;

before(async () => {
  server = await startServer();
  client = RestClient.fromKubeconfig(server.kubeconfig);
});

after(async () => {
  client?.close();
  await server?.stop();
});

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

const until = (cond: () => boolean, ms = 5000): Promise<unknown> => waitUntil('the condition', cond, { timeoutMs: ms, intervalMs: 10 });

test('REST verbs against the real server, with Kubernetes Status errors', async () => {
  const ns = 'default';
  const created = await client.create(resources.configmaps, ns, cm('it-a', { a: '1' }));
  assert.ok(created.metadata.uid);
  assert.ok(created.metadata.resourceVersion);
  await assert.rejects(client.create(resources.configmaps, ns, cm('it-a')), (e: unknown) => {
    assert.ok(isAlreadyExists(e));
    assert.equal((e as ApiError).message, 'configmaps "it-a" already exists');
    return true;
  });
  await assert.rejects(client.get(resources.configmaps, ns, 'it-missing'), (e: unknown) => {
    assert.ok(isNotFound(e));
    assert.equal((e as ApiError).code, 404);
    assert.equal((e as ApiError).message, 'configmaps "it-missing" not found');
    return true;
  });
  const got = await client.get(resources.configmaps, ns, 'it-a');
  const updated = await client.update(resources.configmaps, ns, { ...got, data: { a: '2' } });
  assert.deepEqual(updated.data, { a: '2' });
  await assert.rejects(client.update(resources.configmaps, ns, { ...got, data: { a: '3' } }), isConflict);

  const merged = await client.patch(resources.configmaps, ns, 'it-a', { data: { b: '1' } }, 'merge');
  assert.deepEqual(merged.data, { a: '2', b: '1' });
  const strategic = await client.patch(resources.configmaps, ns, 'it-a', { data: { c: '1' } }, 'strategic');
  assert.deepEqual(strategic.data, { a: '2', b: '1', c: '1' });
  const json = await client.patch(resources.configmaps, ns, 'it-a', [{ op: 'remove', path: '/data/a' }], 'json');
  assert.deepEqual(json.data, { b: '1', c: '1' });
  const applied = await client.patch(resources.configmaps, ns, 'it-applied', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'it-applied' }, data: { x: 'y' } }, 'apply', { fieldManager: 'client-it' });
  assert.deepEqual(applied.data, { x: 'y' });

  for (let i = 0; i < 7; i++) await client.create(resources.configmaps, ns, cm(`it-page-${i}`, {}, { page: 'yes' }));
  const all = await client.listAll(resources.configmaps, ns, { labelSelector: { page: 'yes' } }, 3);
  assert.equal(all.items.length, 7);
  assert.equal(all.items[0].kind, 'ConfigMap');
  const page = await client.list(resources.configmaps, ns, { labelSelector: 'page=yes', limit: 3 });
  assert.equal(page.items.length, 3);
  assert.ok(page.metadata.continue);

  await client.delete(resources.configmaps, ns, 'it-a');
  await assert.rejects(client.get(resources.configmaps, ns, 'it-a'), isNotFound);
  await client.deleteCollection(resources.configmaps, ns, { labelSelector: 'page=yes' });
  const left = await client.list(resources.configmaps, ns, { labelSelector: 'page=yes' });
  assert.equal(left.items.length, 0);
});

test('an informer syncs from the real server and follows its watch', async () => {
  await client.create(resources.configmaps, 'default', cm('inf-1', {}, { app: 'inf' }));
  const inf = new Informer(client, resources.configmaps, { labelSelector: 'app=inf' });
  const seen: string[] = [];
  inf.addEventHandler({
    onAdd: (o) => seen.push(`add:${o.metadata.name}`),
    onUpdate: (_old, o) => seen.push(`update:${o.metadata.name}`),
    onDelete: (o) => seen.push(`delete:${o.metadata.name}`),
  });
  inf.start();
  try {
    assert.equal(await inf.waitForSync(10_000), true);
    assert.deepEqual(seen, ['add:inf-1']);
    await client.create(resources.configmaps, 'default', cm('inf-2', {}, { app: 'inf' }));
    await client.patch(resources.configmaps, 'default', 'inf-1', { data: { v: '2' } }, 'merge');
    await client.delete(resources.configmaps, 'default', 'inf-2');
    await until(() => seen.length === 4);
    assert.deepEqual(seen, ['add:inf-1', 'add:inf-2', 'update:inf-1', 'delete:inf-2']);
    assert.deepEqual(inf.lister.get('default', 'inf-1')?.data, { v: '2' });
    assert.deepEqual(inf.lister.list('default', 'app=inf').map((o) => o.metadata.name), ['inf-1']);
  } finally {
    await inf.stop();
  }
});

test('a factory shares informers among consumers against the real server', async () => {
  const factory = new InformerFactory(client);
  const a = factory.forResource(resources.configmaps);
  const b = factory.forResource(resources.configmaps);
  assert.equal(a, b);
  factory.start();
  try {
    assert.equal(await factory.waitForSync(10_000), true);
    await client.create(resources.configmaps, 'default', cm('fac-1'));
    await until(() => a.lister.get('default', 'fac-1') !== undefined);
  } finally {
    await factory.stop();
  }
});

test('leader election on a real Lease: one leader, handover on release', async () => {
  const log: string[] = [];
  const elector = (id: string) => new LeaderElector({
    client, namespace: 'default', name: 'it-election', identity: id,
    leaseDurationSeconds: 2, renewDeadlineMs: 1000, retryPeriodMs: 200,
    callbacks: { onStartedLeading: () => { log.push(`${id} leads`); }, onStoppedLeading: () => { log.push(`${id} stops`); } },
  });
  const a = elector('a');
  const b = elector('b');
  void a.run();
  await until(() => a.isLeader());
  void b.run();
  try {
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(b.isLeader(), false);
    const held = await client.get<Lease>(resources.leases, 'default', 'it-election');
    assert.equal(held.spec?.holderIdentity, 'a');
    assert.match(held.spec!.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await a.stop();
    await until(() => b.isLeader(), 3000);
    const taken = await client.get<Lease>(resources.leases, 'default', 'it-election');
    assert.equal(taken.spec?.holderIdentity, 'b');
    assert.equal(taken.spec?.leaseTransitions, 1);
    assert.deepEqual(log, ['a leads', 'a stops', 'b leads']);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('events reach the real server; repeats become one event with a count', async () => {
  const target = await client.create(resources.configmaps, 'default', cm('ev-target'));
  const broadcaster = new EventBroadcaster(client, { retryDelayMs: 50 });
  const rec = broadcaster.newRecorder({ component: 'client-it', host: 'it-host' });
  try {
    for (let i = 0; i < 3; i++) rec.event(target, 'Warning', 'Repeated', 'the same thing again');
    rec.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'it-node', uid: 'n-1' } }, 'Normal', 'NodeReady', 'node is ready');
    await broadcaster.flush();
    const list = await client.list<CoreEvent>(resources.events, 'default');
    const repeated = list.items.filter((e) => e.reason === 'Repeated');
    assert.equal(repeated.length, 1);
    assert.equal(repeated[0].count, 3);
    assert.deepEqual(
      { kind: repeated[0].involvedObject.kind, name: repeated[0].involvedObject.name, uid: repeated[0].involvedObject.uid },
      { kind: 'ConfigMap', name: 'ev-target', uid: target.metadata.uid },
    );
    assert.equal(repeated[0].source.component, 'client-it');
    assert.match(repeated[0].metadata.name!, /^ev-target\.[0-9a-f]+$/);
    assert.equal(list.items.filter((e) => e.reason === 'NodeReady').length, 1, 'a cluster-scoped object\'s event lands in default');
  } finally {
    await broadcaster.shutdown();
  }
});
