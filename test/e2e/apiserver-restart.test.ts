// Restarting the server on its data dir: objects keep their uid and resourceVersion, a watch
// resumed from an old resourceVersion gets exactly the changes made since, and writes a client saw
// acknowledged survive a SIGKILL.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { API_ONLY, credentialsOf, httpRequest, kubectlFor, openWatch, summary, type Credentials, type WatchEvent } from './fixtures/kube-http.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer | undefined;

after(async () => {
  await server?.stop();
});

/** uid and resourceVersion of every object a user made, by kind/namespace/name. */
async function identities(creds: Credentials): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of ['/api/v1/namespaces/restart/configmaps', '/api/v1/namespaces/restart/secrets', '/apis/apps/v1/namespaces/restart/deployments', '/api/v1/namespaces/restart/services']) {
    const res = await httpRequest(creds, 'GET', path);
    assert.equal(res.status, 200, res.text);
    for (const o of res.json.items) out.set(`${o.kind}/${o.metadata.name}`, `${o.metadata.uid}@${o.metadata.resourceVersion}`);
  }
  const ns = await httpRequest(creds, 'GET', '/api/v1/namespaces/restart');
  out.set('Namespace/restart', `${ns.json.metadata.uid}@${ns.json.metadata.resourceVersion}`);
  return out;
}

const events = (list: WatchEvent[]) => summary(list).map((s, i) => `${s} ${list[i].object.data?.v ?? ''}`.trim());

test('after SIGTERM and a restart, objects keep uid and resourceVersion and old watches resume exactly', async () => {
  server = await startServer({ args: API_ONLY });
  const dataDir = server.dataDir;
  let kubectl = kubectlFor(server);
  let creds = credentialsOf(server.kubeconfig);
  await kubectl(['create', 'namespace', 'restart']);
  for (const name of ['one', 'two', 'three']) await kubectl(['create', 'configmap', name, '-n', 'restart', '--from-literal=v=0']);
  await kubectl(['create', 'secret', 'generic', 'key', '-n', 'restart', '--from-literal=k=v']);
  await kubectl(['create', 'deployment', 'web', '-n', 'restart', '--image=nginx:1.27']);
  await kubectl(['create', 'service', 'clusterip', 'web', '-n', 'restart', '--tcp=80:80']);

  const list = await httpRequest(creds, 'GET', '/api/v1/namespaces/restart/configmaps');
  const listRV = list.json.metadata.resourceVersion as string;
  const watch = await openWatch(creds, `/api/v1/namespaces/restart/configmaps?watch=true&resourceVersion=${listRV}`);
  await kubectl(['patch', 'configmap', 'one', '-n', 'restart', '-p', '{"data":{"v":"1"}}']);
  const [modified] = await watch.waitForCount(1);
  assert.deepEqual(events([modified]), ['MODIFIED one 1']);
  const seenRV = modified.object.metadata.resourceVersion as string;
  const before = await identities(creds);

  await server.stop({ keepData: true });
  await waitFor('the watch ends with the server', () => watch.ended());

  server = await startServer({ dataDir, args: API_ONLY });
  kubectl = kubectlFor(server);
  creds = credentialsOf(server.kubeconfig);
  assert.deepEqual(await identities(creds), before, 'same objects, same uids, same resourceVersions');
  const service = JSON.parse((await kubectl(['get', 'service', 'web', '-n', 'restart', '-o', 'json'])).stdout);
  assert.match(service.spec.clusterIP, /^10\.43\./);

  await kubectl(['create', 'configmap', 'four', '-n', 'restart', '--from-literal=v=4']);
  await kubectl(['patch', 'configmap', 'two', '-n', 'restart', '-p', '{"data":{"v":"2"}}']);
  await kubectl(['delete', 'configmap', 'three', '-n', 'restart']);

  // A client resuming from the last event it saw gets what happened while it was away, nothing more.
  const resumed = await openWatch(creds, `/api/v1/namespaces/restart/configmaps?watch=true&resourceVersion=${seenRV}`);
  assert.deepEqual(events(await resumed.waitForCount(3)), ['ADDED four 4', 'MODIFIED two 2', 'DELETED three 0']);
  // From the list's resourceVersion: the change before the restart as well.
  const fromList = await openWatch(creds, `/api/v1/namespaces/restart/configmaps?watch=true&resourceVersion=${listRV}`);
  assert.deepEqual(events(await fromList.waitForCount(4)), ['MODIFIED one 1', 'ADDED four 4', 'MODIFIED two 2', 'DELETED three 0']);
  // Nothing else arrives.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(resumed.events.filter((e) => e.type !== 'BOOKMARK').length, 3);
  assert.equal(fromList.events.filter((e) => e.type !== 'BOOKMARK').length, 4);
  resumed.close();
  fromList.close();
  const rvs = resumed.events.map((e) => Number(e.object.metadata.resourceVersion));
  assert.ok(rvs[0] > Number(seenRV) && rvs.every((rv, i) => i === 0 || rv > rvs[i - 1]), `resourceVersions increase: ${rvs}`);
});

test('after SIGKILL, every acknowledged write is still there', async () => {
  if (!server || server.proc.exitCode !== null || server.proc.signalCode !== null) server = await startServer({ args: API_ONLY });
  const dataDir = server.dataDir;
  let creds = credentialsOf(server.kubeconfig);
  const ns = await httpRequest(creds, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'killed' } } });
  assert.equal(ns.status, 201, ns.text);
  const names = Array.from({ length: 30 }, (_, i) => `acked-${i}`);
  const results = await Promise.all(names.map((name) => httpRequest(creds, 'POST', '/api/v1/namespaces/killed/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } },
  })));
  const acked = new Map(results.map((r) => {
    assert.equal(r.status, 201, r.text);
    return [r.json.metadata.name as string, `${r.json.metadata.uid}@${r.json.metadata.resourceVersion}`];
  }));
  const update = await httpRequest(creds, 'PATCH', '/api/v1/namespaces/killed/configmaps/acked-0', {
    body: { data: { n: 'patched' } }, contentType: 'application/merge-patch+json',
  });
  assert.equal(update.status, 200);
  acked.set('acked-0', `${update.json.metadata.uid}@${update.json.metadata.resourceVersion}`);

  await server.stop({ keepData: true, signal: 'SIGKILL' });
  assert.equal(server.proc.signalCode, 'SIGKILL');

  server = await startServer({ dataDir, args: API_ONLY });
  creds = credentialsOf(server.kubeconfig);
  const list = await httpRequest(creds, 'GET', '/api/v1/namespaces/killed/configmaps');
  const found = new Map<string, string>(list.json.items
    .filter((o: any) => o.metadata.name.startsWith('acked-'))
    .map((o: any) => [o.metadata.name, `${o.metadata.uid}@${o.metadata.resourceVersion}`]));
  assert.deepEqual(found, acked);
  const patched = await httpRequest(creds, 'GET', '/api/v1/namespaces/killed/configmaps/acked-0');
  assert.equal(patched.json.data.n, 'patched');
  // The restarted server takes writes again, with resourceVersions after the old ones.
  const next = await httpRequest(creds, 'POST', '/api/v1/namespaces/killed/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-kill' } } });
  assert.equal(next.status, 201);
  assert.ok(Number(next.json.metadata.resourceVersion) > Math.max(...[...acked.values()].map((v) => Number(v.split('@')[1]))));
});
