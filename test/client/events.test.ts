import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient } from '../../src/client/rest.js';
import { EventBroadcaster, referenceTo, type CoreEvent } from '../../src/client/events.js';
import { errors } from '../../src/machinery/status.js';
import type { KObject } from '../../src/api/resource.js';
import { FakeApiServer } from './fake-apiserver.js';

process.env.K8TS_LOG = 'quiet';

let server: FakeApiServer;
let client: RestClient;
let now: number;
let broadcaster: EventBroadcaster;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  client = new RestClient({ server: server.url });
  now = Date.UTC(2025, 0, 1, 12, 0, 0);
  broadcaster = new EventBroadcaster(client, { now: () => now, retryDelayMs: 20 });
});

afterEach(async () => {
  await broadcaster.shutdown();
  client.close();
  await server.stop();
});

const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', resourceVersion: '7' } };
const events = () => [...server.objects.values()].filter((o) => o.kind === 'Event') as unknown as CoreEvent[];
const writes = () => server.requests.filter((r) => r.path.includes('/events'));

test('an event is written as Kubernetes writes it', async () => {
  const rec = broadcaster.newRecorder({ component: 'default-scheduler', host: 'node-a' });
  rec.event(pod, 'Normal', 'Scheduled', 'Successfully assigned shop/web-1 to node-a');
  await broadcaster.flush();
  const [e] = events();
  assert.match(e.metadata.name!, /^web-1\.[0-9a-f]+$/);
  assert.equal(e.metadata.namespace, 'shop');
  assert.deepEqual(e.involvedObject, { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '7' });
  assert.equal(e.reason, 'Scheduled');
  assert.equal(e.message, 'Successfully assigned shop/web-1 to node-a');
  assert.equal(e.type, 'Normal');
  assert.deepEqual(e.source, { component: 'default-scheduler', host: 'node-a' });
  assert.equal(e.firstTimestamp, '2025-01-01T12:00:00Z');
  assert.equal(e.lastTimestamp, '2025-01-01T12:00:00Z');
  assert.equal(e.count, 1);
  assert.equal(e.reportingComponent, 'default-scheduler');
  assert.equal(e.reportingInstance, 'node-a');
  const req = writes()[0];
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/api/v1/namespaces/shop/events');
});

test('cluster-scoped objects get their events in the default namespace; fieldPath references work', async () => {
  const rec = broadcaster.newRecorder({ component: 'kubelet', host: 'n1' });
  rec.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n-uid' } }, 'Normal', 'NodeReady', 'Node n1 status is now: NodeReady');
  rec.eventf({ ...referenceTo(pod), fieldPath: 'spec.containers{app}' }, 'Warning', 'BackOff', 'Back-off restarting failed container %s in pod %v', 'app', 'web-1');
  await broadcaster.flush();
  const node = events().find((e) => e.involvedObject.kind === 'Node')!;
  assert.equal(node.metadata.namespace, 'default');
  const backoff = events().find((e) => e.reason === 'BackOff')!;
  assert.equal(backoff.involvedObject.fieldPath, 'spec.containers{app}');
  assert.equal(backoff.message, 'Back-off restarting failed container app in pod web-1');
  assert.equal(backoff.type, 'Warning');
});

test('repeats of one event patch count and lastTimestamp instead of creating new events', async () => {
  const rec = broadcaster.newRecorder({ component: 'replicaset-controller', host: 'cp' });
  rec.event(pod, 'Warning', 'FailedCreate', 'quota exceeded');
  now += 5000;
  rec.event(pod, 'Warning', 'FailedCreate', 'quota exceeded');
  now += 5000;
  rec.event(pod, 'Warning', 'FailedCreate', 'quota exceeded');
  await broadcaster.flush();
  assert.equal(events().length, 1);
  const [e] = events();
  assert.equal(e.count, 3);
  assert.equal(e.firstTimestamp, '2025-01-01T12:00:00Z');
  assert.equal(e.lastTimestamp, '2025-01-01T12:00:10Z');
  const w = writes();
  assert.deepEqual(w.map((r) => r.method), ['POST', 'PATCH', 'PATCH']);
  assert.equal(w[1].contentType, 'application/strategic-merge-patch+json');
  assert.deepEqual(w[2].body, { count: 3, lastTimestamp: '2025-01-01T12:00:10Z' });
  assert.equal(w[2].path, `/api/v1/namespaces/shop/events/${e.metadata.name}`);

  rec.event(pod, 'Warning', 'FailedCreate', 'a different message');
  await broadcaster.flush();
  assert.equal(events().length, 2, 'a different message is a different event');
});

test('a repeat whose event has been deleted is created again, carrying its count', async () => {
  const rec = broadcaster.newRecorder({ component: 'c', host: 'h' });
  rec.event(pod, 'Normal', 'Pulled', 'image pulled');
  await broadcaster.flush();
  const [first] = events();
  server.remove('v1', 'events', 'shop', first.metadata.name!);
  rec.event(pod, 'Normal', 'Pulled', 'image pulled');
  await broadcaster.flush();
  assert.deepEqual(writes().map((r) => r.method), ['POST', 'PATCH', 'POST']);
  const [again] = events();
  assert.equal(again.count, 2);
});

test('more than 10 messages for one object and reason are combined into one event', async () => {
  const rec = broadcaster.newRecorder({ component: 'c', host: 'h' });
  for (let i = 1; i <= 12; i++) rec.event(pod, 'Warning', 'FailedMount', `volume ${i} not ready`);
  await broadcaster.flush();
  const all = events();
  const combined = all.filter((e) => e.message.startsWith('(combined from similar events): '));
  assert.equal(all.length, 10, 'nine separate events and one combined');
  assert.equal(combined.length, 1);
  assert.equal(combined[0].count, 3);
  assert.equal(combined[0].message, '(combined from similar events): volume 12 not ready');
  assert.deepEqual(writes().at(-1)!.body, { count: 3, lastTimestamp: '2025-01-01T12:00:00Z', message: '(combined from similar events): volume 12 not ready' });
});

test('a hot loop is throttled per object: 25 writes, then one per 5 minutes', async () => {
  const rec = broadcaster.newRecorder({ component: 'c', host: 'h' });
  for (let i = 0; i < 1000; i++) rec.event(pod, 'Warning', 'Unhealthy', 'probe failed');
  rec.event({ ...pod, metadata: { ...pod.metadata, name: 'web-2', uid: 'u-2' } }, 'Warning', 'Unhealthy', 'probe failed');
  await broadcaster.flush();
  assert.equal(writes().length, 26, '25 for the hot object, 1 for another object');
  const hot = events().find((e) => e.involvedObject.name === 'web-1')!;
  assert.equal(hot.count, 25);
  now += 300_000;
  rec.event(pod, 'Warning', 'Unhealthy', 'probe failed');
  rec.event(pod, 'Warning', 'Unhealthy', 'probe failed');
  await broadcaster.flush();
  assert.equal(writes().length, 27, 'one token back after five minutes');
});

test('network failures are retried; a server rejection is not', async () => {
  const rec = broadcaster.newRecorder({ component: 'c', host: 'h' });
  server.cut((r) => r.path.includes('/events'), 2);
  rec.event(pod, 'Normal', 'Retried', 'eventually written');
  await broadcaster.flush();
  assert.equal(events().length, 1);
  assert.equal(writes().length, 3);

  server.fail((r) => r.path.includes('/events'), errors.invalid('Event', '', 'x', [{ field: 'reason', message: 'Required value' }]));
  rec.event(pod, 'Normal', 'Rejected', 'the server says no');
  rec.event(pod, 'Normal', 'After', 'later events still go out');
  await broadcaster.flush();
  assert.equal(writes().length, 5, 'one rejected write, not retried, then the next event');
  assert.deepEqual(events().map((e) => e.reason).sort(), ['After', 'Retried']);
});

test('unsupported types and nameless objects are refused without writing', async () => {
  const rec = broadcaster.newRecorder({ component: 'c', host: 'h' });
  rec.event(pod, 'Critical' as never, 'X', 'y');
  rec.event({ kind: 'Pod' }, 'Normal', 'X', 'y');
  await broadcaster.shutdown();
  rec.event(pod, 'Normal', 'AfterShutdown', 'dropped');
  await broadcaster.flush();
  assert.equal(writes().length, 0);
});

test('events about many objects are written side by side, those about one object in order', async () => {
  const rec = broadcaster.newRecorder({ component: 'default-scheduler', host: 'node-a' });
  const pods = Array.from({ length: 20 }, (_, i): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'shop', uid: `u-p-${i}` } }));
  for (let round = 0; round < 3; round++) {
    for (const p of pods) rec.event(p, 'Warning', 'FailedScheduling', '0/3 nodes are available');
  }
  await broadcaster.flush();
  const written = events();
  assert.equal(written.length, 20, 'one event per object, repeats folded into it');
  for (const e of written) assert.equal(e.count, 3, `${e.involvedObject.name} counted every repeat`);
});
