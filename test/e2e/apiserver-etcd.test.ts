// The same API, stored in a real etcd instead of SQLite: apply, get, watch and a server restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { API_ONLY, credentialsOf, fixture, httpRequest, kubectlFor, openWatch, summary, type Credentials, type Kubectl } from './fixtures/kube-http.js';
import { waitFor } from '../helpers/wait.js';

let etcd: EtcdCluster;
let server: TestServer;
let kubectl: Kubectl;
let creds: Credentials;
let serverArgs: string[];

before(async () => {
  etcd = await startEtcd();
  serverArgs = [...API_ONLY, '--datastore-endpoint', 'etcd://' + etcd.endpoints.join(',')];
  server = await startServer({ args: serverArgs });
  kubectl = kubectlFor(server);
  creds = credentialsOf(server.kubeconfig);
});
after(async () => {
  await server?.stop();
  await etcd?.stop();
});

const lines = (s: string) => s.trimEnd().split('\n');

test('apply and get on etcd', async () => {
  const r = await kubectl(['apply', '-f', fixture('app.yaml')]);
  assert.equal(lines(r.stdout).length, 11);
  assert.ok(lines(r.stdout).every((l) => l.endsWith(' created')), r.stdout);
  const again = await kubectl(['apply', '-f', fixture('app.yaml')]);
  assert.ok(lines(again.stdout).filter((l) => !l.startsWith('secret/')).every((l) => l.endsWith(' unchanged')), again.stdout);
  const deploy = lines((await kubectl(['get', 'deployments', '-n', 'shop'])).stdout);
  assert.equal(deploy[0], 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE');
  assert.match(deploy[1], /^web    0\/2     0            0           \d+[smh](\d+[sm])?$/);
  const paged = await kubectl(['get', 'all', '-n', 'shop', '-o', 'name', '--chunk-size=1']);
  for (const name of ['service/web', 'deployment.apps/web', 'job.batch/migrate', 'cronjob.batch/nightly-report']) {
    assert.ok(lines(paged.stdout).includes(name), `${name} in ${paged.stdout}`);
  }
});

test('watch on etcd, then a server restart: objects unchanged and the watch resumes from its resourceVersion', async () => {
  const list = await httpRequest(creds, 'GET', '/api/v1/namespaces/shop/configmaps');
  assert.equal(list.status, 200);
  const watch = await openWatch(creds, `/api/v1/namespaces/shop/configmaps?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`);
  await kubectl(['create', 'configmap', 'extra', '-n', 'shop', '--from-literal=a=1']);
  await kubectl(['patch', 'configmap', 'shop-config', '-n', 'shop', '-p', '{"data":{"LOG_LEVEL":"debug"}}']);
  const seen = await watch.waitForCount(2);
  assert.deepEqual(summary(seen), ['ADDED extra', 'MODIFIED shop-config']);
  const lastRV = seen[1].object.metadata.resourceVersion as string;
  const before = (await kubectl(['get', 'configmaps,secrets,deployments,services', '-n', 'shop', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.uid}@{.metadata.resourceVersion} {end}'])).stdout;

  await server.stop({ keepData: true });
  await waitFor('the watch ends with the server', () => watch.ended());
  server = await startServer({ dataDir: server.dataDir, args: serverArgs });
  kubectl = kubectlFor(server);
  creds = credentialsOf(server.kubeconfig);

  const after = (await kubectl(['get', 'configmaps,secrets,deployments,services', '-n', 'shop', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.uid}@{.metadata.resourceVersion} {end}'])).stdout;
  assert.equal(after, before);
  await kubectl(['delete', 'configmap', 'extra', '-n', 'shop']);
  const resumed = await openWatch(creds, `/api/v1/namespaces/shop/configmaps?watch=true&resourceVersion=${lastRV}`);
  assert.deepEqual(summary(await resumed.waitForCount(1)), ['DELETED extra']);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(summary(resumed.events.filter((e) => e.type !== 'BOOKMARK')), ['DELETED extra']);
  resumed.close();
});
