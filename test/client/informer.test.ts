import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient } from '../../src/client/rest.js';
import { Informer } from '../../src/client/informer.js';
import { InformerFactory } from '../../src/client/informer-factory.js';
import { resources } from '../../src/client/resources.js';
import { errors } from '../../src/machinery/status.js';
import type { KObject } from '../../src/api/resource.js';
import { FakeApiServer } from './fake-apiserver.js';
import { waitFor as waitUntil } from '../helpers/wait.js';

process.env.K8TS_LOG = 'quiet';

let server: FakeApiServer;
let client: RestClient;
const informers: Informer<any>[] = [];

beforeEach(async () => {
  server = await new FakeApiServer().start();
  client = new RestClient({ server: server.url });
});

afterEach(async () => {
  await Promise.all(informers.splice(0).map((i) => i.stop()));
  client.close();
  await server.stop();
});

const pod = (ns: string, name: string, labels: Record<string, string> = {}, nodeName = ''): KObject =>
  ({ metadata: { name, namespace: ns, labels }, spec: { nodeName } });

function informer<T extends KObject = KObject>(opts: ConstructorParameters<typeof Informer<T>>[2] = {}): Informer<T> {
  const inf = new Informer<T>(client, resources.pods, { backoff: { initialMs: 20, maxMs: 100 }, ...opts });
  informers.push(inf);
  return inf;
}

type Seen = Array<[string, string, ...unknown[]]>;
function recorder(seen: Seen) {
  return {
    onAdd: (o: KObject, initial: boolean) => seen.push(['add', o.metadata.name!, initial]),
    onUpdate: (old: KObject, o: KObject) => seen.push(['update', o.metadata.name!, old.metadata.resourceVersion === o.metadata.resourceVersion]),
    onDelete: (o: KObject, unknown: boolean) => seen.push(['delete', o.metadata.name!, unknown]),
  };
}

const until = (cond: () => boolean, ms = 3000): Promise<unknown> => waitUntil('the condition', cond, { timeoutMs: ms, intervalMs: 5 });

test('lists, then watches from the list resourceVersion; handlers and lister follow the server', async () => {
  server.put('v1', 'pods', pod('a', 'p1', { app: 'web' }));
  server.put('v1', 'pods', pod('b', 'p2', { app: 'db' }));
  const inf = informer();
  const seen: Seen = [];
  inf.addEventHandler(recorder(seen));
  assert.equal(inf.hasSynced(), false);
  inf.start();
  assert.equal(await inf.waitForSync(2000), true);
  assert.deepEqual(seen.sort(), [['add', 'p1', true], ['add', 'p2', true]]);
  const watchReq = await (async () => { await until(() => server.watchers.size === 1); return server.requests.find((r) => r.query.get('watch') === 'true')!; })();
  const listReq = server.requests.find((r) => r.query.get('watch') !== 'true')!;
  assert.equal(watchReq.query.get('resourceVersion'), '102', 'watch starts where the list left off');
  assert.equal(watchReq.query.get('allowWatchBookmarks'), 'true');
  assert.equal(listReq.query.get('limit'), '500');

  seen.length = 0;
  server.put('v1', 'pods', pod('a', 'p3', { app: 'web' }));
  server.put('v1', 'pods', { ...pod('a', 'p1', { app: 'web' }), status: { phase: 'Running' } });
  server.remove('v1', 'pods', 'b', 'p2');
  await until(() => seen.length === 3);
  assert.deepEqual(seen, [['add', 'p3', false], ['update', 'p1', false], ['delete', 'p2', false]]);

  assert.equal(inf.lister.get('a', 'p1')?.status && (inf.lister.get('a', 'p1')!.status as { phase: string }).phase, 'Running');
  assert.equal(inf.lister.get('b', 'p2'), undefined);
  assert.deepEqual(inf.lister.list('a').map((p) => p.metadata.name).sort(), ['p1', 'p3']);
  assert.deepEqual(inf.lister.list(undefined, 'app=web').map((p) => p.metadata.name).sort(), ['p1', 'p3']);
  assert.deepEqual(inf.lister.list('a', { app: 'db' }), []);
  assert.equal(inf.lister.get('a', 'p1')!.kind, 'Pod', 'list items get their kind');
  assert.equal(inf.lastSyncResourceVersion(), String(server.rv));
});

test('custom indexes stay in step with updates and deletes', async () => {
  server.put('v1', 'pods', pod('a', 'p1', {}, 'node-1'));
  server.put('v1', 'pods', pod('a', 'p2', {}, 'node-1'));
  const inf = informer({ indexers: { byNode: (p) => [(p.spec as { nodeName: string }).nodeName] } });
  inf.start();
  await inf.waitForSync(2000);
  assert.deepEqual(inf.lister.byIndex('byNode', 'node-1').map((p) => p.metadata.name).sort(), ['p1', 'p2']);
  server.put('v1', 'pods', pod('a', 'p2', {}, 'node-2'));
  server.remove('v1', 'pods', 'a', 'p1');
  await until(() => inf.lister.byIndex('byNode', 'node-2').length === 1);
  await until(() => inf.lister.byIndex('byNode', 'node-1').length === 0);
  inf.addIndexers({ byName: (p) => [p.metadata.name!] });
  assert.equal(inf.lister.byIndex('byName', 'p2').length, 1, 'a late index covers cached objects');
});

test('410 Expired on the watch leads to a relist; what the watch missed arrives as adds and deletes', async () => {
  server.put('v1', 'pods', pod('a', 'stays'));
  server.put('v1', 'pods', pod('a', 'goes'));
  const inf = informer();
  const seen: Seen = [];
  inf.addEventHandler(recorder(seen));
  inf.start();
  await inf.waitForSync(2000);
  await until(() => server.watchers.size === 1);
  seen.length = 0;
  const lists = () => server.requests.filter((r) => r.query.get('watch') !== 'true').length;
  const listsBefore = lists();
  // Changes the watch never reports, then history is compacted and the watch ends.
  server.remove('v1', 'pods', 'a', 'goes', true);
  server.put('v1', 'pods', pod('a', 'new'), true);
  server.compact();
  server.endWatches();
  await until(() => seen.length >= 3);
  assert.equal(lists(), listsBefore + 1);
  assert.deepEqual(seen.sort(), [['add', 'new', true], ['delete', 'goes', true], ['update', 'stays', true]]);
  assert.deepEqual(inf.lister.list().map((p) => p.metadata.name).sort(), ['new', 'stays']);
  await until(() => server.watchers.size === 1);
  server.put('v1', 'pods', pod('a', 'after'));
  await until(() => inf.lister.get('a', 'after') !== undefined);
});

test('a failed watch and a failed list are retried with backoff until the cache is whole again', async () => {
  server.put('v1', 'pods', pod('a', 'p1'));
  const inf = informer();
  inf.start();
  await inf.waitForSync(2000);
  await until(() => server.watchers.size === 1);
  server.fail((r) => r.method === 'GET' && r.query.get('watch') !== 'true', errors.internal('etcd is unhappy'), 2);
  const mark = server.requests.length;
  server.dropWatches();
  server.put('v1', 'pods', pod('a', 'during-outage'), true);
  await until(() => inf.lister.get('a', 'during-outage') !== undefined);
  const after = server.requests.slice(mark).map((r) => (r.query.get('watch') === 'true' ? 'watch' : 'list'));
  assert.deepEqual(after.slice(0, 3), ['list', 'list', 'list'], 'two failed lists, then a good one');
  assert.equal(inf.hasSynced(), true);
});

test('resync hands every cached object to onUpdate with old === new', async () => {
  server.put('v1', 'pods', pod('a', 'p1'));
  const inf = informer();
  const seen: Seen = [];
  inf.addEventHandler(recorder(seen), 40);
  inf.start();
  await inf.waitForSync(2000);
  await until(() => seen.filter(([k]) => k === 'update').length >= 2, 1000);
  assert.ok(seen.filter(([k]) => k === 'update').every(([, n, same]) => n === 'p1' && same === true));
});

test('late handlers receive the cache as adds; a throwing handler does not stop the others', async () => {
  server.put('v1', 'pods', pod('a', 'p1'));
  server.put('v1', 'pods', pod('a', 'p2'));
  const inf = informer();
  inf.addEventHandler({ onAdd: () => { throw new Error('bad handler'); }, onUpdate: () => { throw new Error('bad'); } });
  inf.start();
  await inf.waitForSync(2000);
  const seen: Seen = [];
  const reg = inf.addEventHandler(recorder(seen));
  assert.deepEqual(seen.map(([k, n]) => [k, n]).sort(), [['add', 'p1'], ['add', 'p2']]);
  server.put('v1', 'pods', pod('a', 'p3'));
  await until(() => seen.length === 3);
  reg.remove();
  server.put('v1', 'pods', pod('a', 'p4'));
  await until(() => inf.lister.get('a', 'p4') !== undefined);
  assert.equal(seen.length, 3, 'a removed handler hears nothing');
});

test('bookmarks advance the resourceVersion; namespace and selectors reach list and watch', async () => {
  server.put('v1', 'pods', pod('x', 'p1', { app: 'web' }));
  server.put('v1', 'pods', pod('x', 'p2', { app: 'db' }));
  server.put('v1', 'pods', pod('y', 'p3', { app: 'web' }));
  const inf = informer({ namespace: 'x', labelSelector: 'app=web' });
  inf.start();
  await inf.waitForSync(2000);
  assert.deepEqual(inf.lister.list().map((p) => p.metadata.name), ['p1']);
  await until(() => server.watchers.size === 1);
  const w = server.requests.find((r) => r.query.get('watch') === 'true')!;
  assert.equal(w.path, '/api/v1/namespaces/x/pods');
  assert.equal(w.query.get('labelSelector'), 'app=web');
  server.put('v1', 'pods', pod('other', 'unrelated'));
  server.bookmark();
  await until(() => inf.lastSyncResourceVersion() === String(server.rv));
});

test('waitForSync times out against an unreachable server; stop ends everything', async () => {
  const dead = new RestClient({ server: 'http://127.0.0.1:1', timeoutMs: 500 });
  const inf = new Informer(dead, resources.pods, { backoff: { initialMs: 10, maxMs: 20 } });
  inf.start();
  assert.equal(await inf.waitForSync(200), false);
  const pending = inf.waitForSync();
  await inf.stop();
  assert.equal(await pending, false);
  assert.equal(inf.isStopped, true);
  dead.close();
});

test('the factory shares one informer (one list, one watch) per resource among consumers', async () => {
  server.put('v1', 'pods', pod('a', 'p1'));
  server.put('v1', 'nodes', { metadata: { name: 'n1' } });
  const factory = new InformerFactory(client, { backoff: { initialMs: 20, maxMs: 100 } });
  const a = factory.forResource(resources.pods);
  const b = factory.forResource(resources.pods);
  assert.equal(a, b);
  assert.notEqual(factory.forResource(resources.pods, { namespace: 'a' }), a, 'a different namespace is a different informer');
  const seenA: Seen = [];
  const seenB: Seen = [];
  a.addEventHandler(recorder(seenA));
  b.addEventHandler(recorder(seenB));
  factory.start();
  const nodes = factory.forResource(resources.nodes);
  assert.equal(nodes.isStarted, true, 'informers made after start() start at once');
  assert.equal(await factory.waitForSync(2000), true);
  assert.equal(nodes.lister.get(undefined, 'n1')?.metadata.name, 'n1');
  await until(() => server.watchers.size === 3);
  const podLists = server.requests.filter((r) => r.path === '/api/v1/pods' && r.query.get('watch') !== 'true');
  assert.equal(podLists.length, 1);
  assert.deepEqual(seenA, seenB);
  assert.deepEqual(seenA, [['add', 'p1', true]]);
  await factory.stop();
  await until(() => server.watchers.size === 0);
});
