import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestClient, type WatchEvent } from '../../src/client/rest.js';
import { ApiError, apiErrorFromResponse, isAlreadyExists, isConflict, isGone, isNotFound } from '../../src/client/errors.js';
import { resources } from '../../src/client/resources.js';
import { parseKubeconfig, KubeconfigError } from '../../src/client/config.js';
import { errors, StatusError } from '../../src/machinery/status.js';
import type { KObject } from '../../src/api/resource.js';
import { FakeApiServer } from './fake-apiserver.js';
import { makeTls, type TlsFixture } from './tls-fixture.js';
import { waitFor as waitUntil } from '../helpers/wait.js';

let tls: TlsFixture;
let server: FakeApiServer;
let client: RestClient;
let dir: string;

const b64 = (s: string) => Buffer.from(s).toString('base64');

before(async () => {
  tls = await makeTls();
  server = await new FakeApiServer({ tls: { key: tls.serverKey, cert: tls.serverCert, ca: tls.ca, requestCert: true } }).start();
  dir = mkdtempSync(join(tmpdir(), 'k8ts-rest-'));
  writeFileSync(join(dir, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config', 'current-context: default',
    'clusters:', '- name: default', '  cluster:', `    server: ${server.url}`, `    certificate-authority-data: ${b64(tls.ca)}`,
    'contexts:', '- name: default', '  context: {cluster: default, user: admin, namespace: team-a}',
    'users:', '- name: admin', '  user:', `    client-certificate-data: ${b64(tls.clientCert)}`, `    client-key-data: ${b64(tls.clientKey)}`,
  ].join('\n'));
  client = RestClient.fromKubeconfig(join(dir, 'kubeconfig'), { userAgent: 'rest-test/1.0' });
});

after(async () => {
  client.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

test('kubeconfig: current context picks cluster, user and namespace; files resolve beside it', () => {
  assert.equal(client.config.namespace, 'team-a');
  assert.equal(client.config.server, server.url);
  writeFileSync(join(dir, 'ca.crt'), tls.ca);
  const cfg = parseKubeconfig([
    'current-context: b',
    'clusters: [{name: one, cluster: {server: "https://10.0.0.1:6443/", certificate-authority: ca.crt}}]',
    'contexts: [{name: a, context: {cluster: one, user: u}}, {name: b, context: {cluster: one, user: t}}]',
    'users: [{name: u, user: {}}, {name: t, user: {token: abc}}]',
  ].join('\n'), dir);
  assert.equal(cfg.server, 'https://10.0.0.1:6443');
  assert.equal(cfg.token, 'abc');
  assert.equal(cfg.caCert, tls.ca);
  assert.throws(() => parseKubeconfig('current-context: nope\ncontexts: []', dir), KubeconfigError);
  assert.throws(() => parseKubeconfig(': : :\n  - [', dir), KubeconfigError);
});

test('create, get, list, update over mutual TLS; list items carry apiVersion and kind', async () => {
  const created = await client.create(resources.configmaps, 'team-a', cm('app', { a: '1' }));
  assert.equal(created.metadata.namespace, 'team-a');
  assert.ok(created.metadata.resourceVersion);
  const got = await client.get(resources.configmaps, 'team-a', 'app');
  assert.deepEqual(got.data, { a: '1' });
  const list = await client.list(resources.configmaps, 'team-a');
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].kind, 'ConfigMap');
  assert.equal(list.items[0].apiVersion, 'v1');
  assert.ok(list.metadata.resourceVersion);
  got.data = { a: '2' };
  const updated = await client.update(resources.configmaps, 'team-a', got);
  assert.notEqual(updated.metadata.resourceVersion, got.metadata.resourceVersion);
  const last = server.requests.at(-1)!;
  assert.equal(last.method, 'PUT');
  assert.equal(last.path, '/api/v1/namespaces/team-a/configmaps/app');
  assert.equal(last.headers['user-agent'], 'rest-test/1.0');
  assert.equal(last.headers['content-type'], 'application/json');
});

test('errors carry the Status: NotFound, AlreadyExists, Conflict', async () => {
  await assert.rejects(client.get(resources.configmaps, 'team-a', 'missing'), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 404);
    assert.equal(e.reason, 'NotFound');
    assert.equal(e.message, 'configmaps "missing" not found');
    assert.equal(e.status.details?.name, 'missing');
    assert.ok(isNotFound(e) && !isConflict(e));
    return true;
  });
  await client.create(resources.configmaps, 'team-a', cm('dup'));
  await assert.rejects(client.create(resources.configmaps, 'team-a', cm('dup')), (e) => isAlreadyExists(e) && !isNotFound(e));
  const stale = await client.get(resources.configmaps, 'team-a', 'dup');
  await client.update(resources.configmaps, 'team-a', { ...stale, data: { x: '1' } });
  await assert.rejects(client.update(resources.configmaps, 'team-a', { ...stale, data: { x: '2' } }), (e: unknown) => {
    assert.ok(isConflict(e));
    assert.match((e as ApiError).message, /the object has been modified/);
    return true;
  });
  await assert.rejects(client.get(resources.configmaps, undefined, 'x'), /namespace is required/);
});

test('a non-Status error body still becomes an ApiError with the reason for its code', () => {
  const e = apiErrorFromResponse(404, '404 page not found\n');
  assert.equal(e.reason, 'NotFound');
  assert.equal(e.message, 'the server could not find the requested resource');
  assert.ok(isNotFound(e));
  const g = apiErrorFromResponse(410, '');
  assert.ok(isGone(g));
  const t = apiErrorFromResponse(429, 'slow down', '3');
  assert.equal(t.retryAfterSeconds, 3);
});

test('TLS: a server certificate from an unknown CA is refused; so is a client without a certificate', async () => {
  const noCa = new RestClient({ server: server.url, clientCert: tls.clientCert, clientKey: tls.clientKey });
  await assert.rejects(noCa.get(resources.configmaps, 'team-a', 'app'), (e: unknown) => !(e instanceof ApiError) && /certificate/i.test(String((e as Error).message)));
  noCa.close();
  const noCert = new RestClient({ server: server.url, caCert: tls.ca });
  await assert.rejects(noCert.get(resources.configmaps, 'team-a', 'app'));
  noCert.close();
});

test('patch sends each patch type with its media type, fieldManager, force and subresource', async () => {
  await client.create(resources.configmaps, 'team-a', cm('p', { a: '1', b: '2' }));
  const merged = await client.patch(resources.configmaps, 'team-a', 'p', { data: { a: null, c: '3' } }, 'merge');
  assert.deepEqual(merged.data, { b: '2', c: '3' });
  assert.equal(server.requests.at(-1)!.contentType, 'application/merge-patch+json');
  await client.patch(resources.configmaps, 'team-a', 'p', { data: { d: '4' } }, 'strategic', { fieldManager: 'tester' });
  assert.equal(server.requests.at(-1)!.contentType, 'application/strategic-merge-patch+json');
  assert.equal(server.requests.at(-1)!.query.get('fieldManager'), 'tester');
  const jp = await client.patch(resources.configmaps, 'team-a', 'p', [{ op: 'replace', path: '/data/b', value: 'two' }], 'json');
  assert.equal((jp.data as Record<string, string>).b, 'two');
  assert.equal(server.requests.at(-1)!.contentType, 'application/json-patch+json');
  await client.patch(resources.configmaps, 'team-a', 'p', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, data: { e: '5' } }, 'apply', { fieldManager: 'me', force: true });
  const applied = server.requests.at(-1)!;
  assert.equal(applied.contentType, 'application/apply-patch+yaml');
  assert.equal(applied.query.get('force'), 'true');
  assert.equal(applied.query.get('fieldManager'), 'me');
  await client.patch(resources.configmaps, 'team-a', 'p', { status: {} }, 'merge', { subresource: 'status' });
  assert.equal(server.requests.at(-1)!.path, '/api/v1/namespaces/team-a/configmaps/p/status');
});

test('dry-run create persists nothing; delete sends DeleteOptions; deleteCollection takes a selector', async () => {
  await client.create(resources.configmaps, 'team-a', cm('dry'), { dryRun: true });
  assert.equal(server.requests.at(-1)!.query.get('dryRun'), 'All');
  await assert.rejects(client.get(resources.configmaps, 'team-a', 'dry'), isNotFound);

  const obj = await client.create(resources.configmaps, 'team-a', cm('del'));
  await assert.rejects(
    client.delete(resources.configmaps, 'team-a', 'del', { preconditions: { resourceVersion: '1' } }),
    isConflict,
  );
  await client.delete(resources.configmaps, 'team-a', 'del', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: obj.metadata.uid } });
  assert.deepEqual(server.requests.at(-1)!.body, {
    kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: obj.metadata.uid },
  });
  await assert.rejects(client.get(resources.configmaps, 'team-a', 'del'), isNotFound);

  for (const n of ['g1', 'g2', 'g3']) await client.create(resources.configmaps, 'team-b', cm(n, {}, { group: n === 'g3' ? 'keep' : 'drop' }));
  await client.deleteCollection(resources.configmaps, 'team-b', { labelSelector: { group: 'drop' } });
  assert.equal(server.requests.at(-1)!.query.get('labelSelector'), 'group=drop');
  const left = await client.list(resources.configmaps, 'team-b');
  assert.deepEqual(left.items.map((i) => i.metadata.name), ['g3']);
});

test('listAll reads every page; an expired continue token falls back to one full list', async () => {
  for (let i = 0; i < 5; i++) await client.create(resources.configmaps, 'paged', cm(`c${i}`));
  const before = server.requests.length;
  const all = await client.listAll(resources.configmaps, 'paged', {}, 2);
  assert.deepEqual(all.items.map((i) => i.metadata.name), ['c0', 'c1', 'c2', 'c3', 'c4']);
  assert.equal(server.requests.length - before, 3, 'three pages of two');
  assert.ok(all.metadata.resourceVersion);

  const page = await client.list(resources.configmaps, 'paged', { limit: 2 });
  assert.equal(page.metadata.remainingItemCount, 3);
  await client.create(resources.configmaps, 'elsewhere', cm('later'));
  server.compact();
  await assert.rejects(client.list(resources.configmaps, 'paged', { limit: 2, continue: page.metadata.continue }), isGone);

  // The token expires between the first and the second page: listAll starts over without paging.
  server.fail((r) => r.query.has('continue'), new StatusError(410, 'Expired', 'The provided continue parameter is too old'));
  const mark = server.requests.length;
  const again = await client.listAll(resources.configmaps, 'paged', {}, 2);
  assert.deepEqual(again.items.map((i) => i.metadata.name), ['c0', 'c1', 'c2', 'c3', 'c4']);
  const sent = server.requests.slice(mark);
  assert.deepEqual(sent.map((r) => [r.query.get('limit'), r.query.has('continue')]), [['2', false], ['2', true], [null, false]]);
});

test('watch streams events from a resourceVersion, filtered by label selector', async () => {
  const start = await client.list(resources.configmaps, 'w');
  const events: WatchEvent<KObject>[] = [];
  const w = client.watch(resources.configmaps, 'w', { resourceVersion: start.metadata.resourceVersion, labelSelector: 'app=web' }, (e) => events.push(e));
  await new Promise((r) => setTimeout(r, 20));
  const a = await client.create(resources.configmaps, 'w', cm('a', {}, { app: 'web' }));
  await client.create(resources.configmaps, 'w', cm('other', {}, { app: 'db' }));
  await client.update(resources.configmaps, 'w', { ...a, data: { v: '2' } });
  await client.delete(resources.configmaps, 'w', 'a');
  await waitFor(() => events.length >= 3);
  assert.deepEqual(events.map((e) => [e.type, e.object.metadata?.name]), [['ADDED', 'a'], ['MODIFIED', 'a'], ['DELETED', 'a']]);
  w.stop();
  await w.done;
  const q = server.requests.find((r) => r.query.get('watch') === 'true' && r.path.includes('/namespaces/w/'))!;
  assert.equal(q.query.get('labelSelector'), 'app=web');
});

test('watch: a too-old resourceVersion yields an ERROR event with 410 Expired', async () => {
  server.compact();
  const events: WatchEvent<KObject>[] = [];
  const w = client.watch(resources.configmaps, 'w', { resourceVersion: '1' }, (e) => events.push(e));
  await w.done;
  assert.equal(events.length, 1);
  assert.equal(events[0].type, 'ERROR');
  const st = events[0].object as { code: number; reason: string };
  assert.equal(st.code, 410);
  assert.equal(st.reason, 'Expired');
});

test('watch: a refused watch rejects done with the ApiError; timeoutSeconds ends it cleanly; bookmarks arrive', async () => {
  server.fail((r) => r.query.get('watch') === 'true', errors.forbidden('configmaps is forbidden: User "x" cannot watch resource "configmaps"'));
  const refused = client.watch(resources.configmaps, 'w', {}, () => {});
  await assert.rejects(refused.done, (e: unknown) => e instanceof ApiError && e.code === 403 && e.reason === 'Forbidden');

  const events: WatchEvent<KObject>[] = [];
  const t0 = Date.now();
  const timed = client.watch(resources.configmaps, 'w', { timeoutSeconds: 1, allowWatchBookmarks: true, resourceVersion: String(server.rv) }, (e) => events.push(e));
  await new Promise((r) => setTimeout(r, 50));
  server.bookmark();
  await timed.done;
  assert.ok(Date.now() - t0 >= 900);
  assert.equal(events[0]?.type, 'BOOKMARK');
  assert.equal(events[0]?.object.metadata?.resourceVersion, String(server.rv));
  assert.equal(server.requests.at(-1)!.query.get('allowWatchBookmarks'), 'true');

  const cut = client.watch(resources.configmaps, 'w', { resourceVersion: String(server.rv) }, () => {});
  await new Promise((r) => setTimeout(r, 50));
  server.dropWatches();
  await assert.rejects(cut.done, 'a connection cut mid-stream is a failure, not a clean end');
});

test('429 with Retry-After is retried; a 500 without it is not', async () => {
  await client.create(resources.configmaps, 'r', cm('x'));
  server.fail((r) => r.path.endsWith('/configmaps/x'), errors.tooManyRequests('too many requests', 0), 2, { 'retry-after': '0' });
  const got = await client.get(resources.configmaps, 'r', 'x');
  assert.equal(got.metadata.name, 'x');
  assert.equal(server.requests.filter((r) => r.path.endsWith('/configmaps/x')).length, 3, 'two 429s, then success');
  server.fail((r) => r.path.endsWith('/configmaps/x'), errors.internal('boom'), 1);
  await assert.rejects(client.get(resources.configmaps, 'r', 'x'), (e: unknown) => e instanceof ApiError && e.reason === 'InternalError');
});

test('request() reaches subresources; bearer token is sent; connections are kept alive', async () => {
  const plain = await new FakeApiServer().start();
  const c = new RestClient({ server: plain.url, token: 'secret-token' });
  plain.put('v1', 'pods', { metadata: { name: 'p', namespace: 'd' }, spec: {} });
  await c.request('POST', '/api/v1/namespaces/d/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } }).catch(() => undefined);
  const req = plain.requests.at(-1)!;
  assert.equal(req.path, '/api/v1/namespaces/d/pods/p/binding');
  assert.equal(req.headers.authorization, 'Bearer secret-token');
  assert.equal(req.body.target.name, 'n1');
  for (let i = 0; i < 30; i++) await c.get(resources.pods, 'd', 'p');
  assert.ok(plain.connections <= 2, `${plain.connections} connections for 31 sequential requests`);
  const ps = await Promise.all(Array.from({ length: 20 }, () => c.get(resources.pods, 'd', 'p')));
  assert.equal(ps.length, 20);
  c.close();
  await plain.stop();
});

const waitFor = (cond: () => boolean, ms = 3000): Promise<unknown> => waitUntil('the condition', cond, { timeoutMs: ms, intervalMs: 5 });

test('a request without an answer times out; a malformed watch line fails the watch; large bursts stream', async () => {
  const { createServer } = await import('node:http');
  const burst = 20_000;
  const raw = createServer((req, res) => {
    if (req.url?.startsWith('/api/v1/namespaces/x/configmaps/slow')) return; // never answers
    if (req.url?.includes('/namespaces/bad/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"type":"ADDED","object":{"metadata":{"name":"ok"}}}\n{not json\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const lines: string[] = [];
    for (let i = 0; i < burst; i++) lines.push(JSON.stringify({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: `c${i}`, resourceVersion: String(i) }, data: { k: 'v'.repeat(200) } } }));
    res.end(lines.join('\n') + '\n');
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  const port = (raw.address() as { port: number }).port;
  const c = new RestClient({ server: `http://127.0.0.1:${port}`, timeoutMs: 150 });
  await assert.rejects(c.get(resources.configmaps, 'x', 'slow'), /no answer from 127\.0\.0\.1:\d+ within 150 ms/);

  const names: string[] = [];
  const bad = c.watch(resources.configmaps, 'bad', {}, (e) => names.push((e.object as KObject).metadata.name!));
  await assert.rejects(bad.done, /malformed event/);
  assert.deepEqual(names, ['ok']);

  let n = 0;
  const t0 = performance.now();
  const big = c.watch(resources.configmaps, 'big', {}, () => n++);
  await big.done;
  const ms = performance.now() - t0;
  assert.equal(n, burst);
  assert.ok(ms < 3000, `${burst} events took ${ms.toFixed(0)} ms`);
  c.close();
  raw.closeAllConnections();
  await new Promise<void>((r) => raw.close(() => r()));
});
