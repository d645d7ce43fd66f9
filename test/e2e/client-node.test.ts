// The official JavaScript client, @kubernetes/client-node 1.x, against a real k8ts server: the
// kubeconfig k8ts writes, typed APIs, each patch type, server-side apply, errors, watches, informers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { API_ONLY } from './fixtures/kube-http.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
const NS = 'client-node';

before(async () => {
  server = await startServer({ args: API_ONLY });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
});
after(async () => {
  await server?.stop();
});

const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

/** The Status a failed call carried, with its HTTP code. */
async function failure(p: Promise<unknown>): Promise<{ code: number; status: { reason: string; message: string } }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof k8s.ApiException, `an ApiException, not ${err}`);
    return { code: err.code, status: JSON.parse(String(err.body)) };
  }
  assert.fail('the call succeeded');
}

test('the kubeconfig k8ts writes loads, and namespaces list', async () => {
  assert.equal(kc.getCurrentCluster()?.server, server.url);
  assert.equal(kc.getCurrentUser()?.name, 'default');
  const list = await core.listNamespace();
  assert.equal(list.kind, 'NamespaceList');
  const names = list.items.map((n) => n.metadata?.name);
  for (const want of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(want), `${want} in ${names}`);
  const created = await core.createNamespace({ body: { metadata: { name: NS, labels: { owner: 'client-node' } } } });
  assert.equal(created.status?.phase, 'Active');
  const selected = await core.listNamespace({ labelSelector: 'owner=client-node' });
  assert.deepEqual(selected.items.map((n) => n.metadata?.name), [NS]);
});

test('a ConfigMap: create, read, strategic and merge patches, JSON patch, replace, delete', async () => {
  const cm = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'settings' }, data: { color: 'blue' } } });
  assert.match(cm.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
  assert.ok(cm.metadata?.creationTimestamp instanceof Date, 'timestamps parse as dates');

  const s = await core.patchNamespacedConfigMap({ name: 'settings', namespace: NS, body: { data: { size: '10' } } }, strategic);
  assert.deepEqual(s.data, { color: 'blue', size: '10' });
  const m = await core.patchNamespacedConfigMap({ name: 'settings', namespace: NS, body: { data: { color: null }, metadata: { labels: { a: 'b' } } } }, merge);
  assert.deepEqual(m.data, { size: '10' });
  assert.deepEqual(m.metadata?.labels, { a: 'b' });
  const j = await core.patchNamespacedConfigMap({ name: 'settings', namespace: NS, body: [{ op: 'replace', path: '/data/size', value: '20' }] }, jsonPatch);
  assert.deepEqual(j.data, { size: '20' });

  const read = await core.readNamespacedConfigMap({ name: 'settings', namespace: NS });
  assert.equal(read.metadata?.resourceVersion, j.metadata?.resourceVersion);
  const replaced = await core.replaceNamespacedConfigMap({ name: 'settings', namespace: NS, body: { ...read, data: { only: 'this' } } });
  assert.deepEqual(replaced.data, { only: 'this' });
  const stale = await failure(core.replaceNamespacedConfigMap({ name: 'settings', namespace: NS, body: { ...read, data: { stale: 'yes' } } }));
  assert.equal(stale.code, 409);
  assert.equal(stale.status.reason, 'Conflict');

  const dup = await failure(core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'settings' } } }));
  assert.equal(dup.code, 409);
  assert.equal(dup.status.reason, 'AlreadyExists');

  await core.deleteNamespacedConfigMap({ name: 'settings', namespace: NS });
  const missing = await failure(core.readNamespacedConfigMap({ name: 'settings', namespace: NS }));
  assert.equal(missing.code, 404);
  assert.deepEqual(missing.status, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "settings" not found',
    reason: 'NotFound', code: 404, details: { name: 'settings', kind: 'configmaps' },
  });
});

test('a Deployment: create with defaults, strategic patch merging containers by name, merge patch, scale, delete', async () => {
  const d = await apps.createNamespacedDeployment({
    namespace: NS,
    body: {
      metadata: { name: 'web' },
      spec: {
        replicas: 2, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
      },
    },
  });
  assert.equal(d.spec?.strategy?.type, 'RollingUpdate');
  assert.equal(d.spec?.revisionHistoryLimit, 10);
  assert.equal(d.spec?.template.spec?.containers[0].imagePullPolicy, 'IfNotPresent');

  const s = await apps.patchNamespacedDeployment({
    name: 'web', namespace: NS,
    body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } },
  }, strategic);
  const containers = s.spec?.template.spec?.containers ?? [];
  assert.deepEqual(containers.map((c) => c.name).sort(), ['nginx', 'sidecar']);
  assert.equal(containers.find((c) => c.name === 'nginx')?.ports?.[0].containerPort, 80);
  assert.ok((s.metadata?.generation ?? 0) >= 2, 'a template change bumps the generation');

  const m = await apps.patchNamespacedDeployment({ name: 'web', namespace: NS, body: { metadata: { annotations: { note: 'merged' } }, spec: { replicas: 4 } } }, merge);
  assert.equal(m.spec?.replicas, 4);
  assert.equal(m.metadata?.annotations?.note, 'merged');

  const scale = await apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: NS, body: { metadata: { name: 'web', namespace: NS }, spec: { replicas: 1 } } });
  assert.equal(scale.spec?.replicas, 1);
  assert.equal((await apps.readNamespacedDeployment({ name: 'web', namespace: NS })).spec?.replicas, 1);

  const invalid = await failure(apps.patchNamespacedDeployment({ name: 'web', namespace: NS, body: { spec: { replicas: -1 } } }, merge));
  assert.equal(invalid.code, 422);
  assert.match(invalid.status.message, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);

  await apps.deleteNamespacedDeployment({ name: 'web', namespace: NS, propagationPolicy: 'Orphan' });
  // No garbage collector runs here: the orphan finalizer holds the object, marked for deletion.
  const held = await apps.readNamespacedDeployment({ name: 'web', namespace: NS });
  assert.deepEqual(held.metadata?.finalizers, ['orphan']);
  assert.ok(held.metadata?.deletionTimestamp);
});

test('server-side apply through KubernetesObjectApi, with a conflict between managers', async () => {
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: NS }, data: { owner: 'first', kept: 'yes' } };
  const first = await objects.patch(body, undefined, undefined, 'first-manager', undefined, k8s.PatchStrategy.ServerSideApply);
  assert.equal((first as k8s.V1ConfigMap).data?.owner, 'first');
  delete (body.data as Record<string, string>).kept;
  const conflict = await failure(objects.patch({ ...body, data: { owner: 'second' } }, undefined, undefined, 'second-manager', undefined, k8s.PatchStrategy.ServerSideApply));
  assert.equal(conflict.code, 409);
  assert.equal(conflict.status.reason, 'Conflict');
  assert.match(conflict.status.message, /conflict with "first-manager"/);
  const forced = await objects.patch({ ...body, data: { owner: 'second' } }, undefined, undefined, 'second-manager', true, k8s.PatchStrategy.ServerSideApply);
  assert.deepEqual((forced as k8s.V1ConfigMap).data, { owner: 'second', kept: 'yes' });
  const read = await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: NS } });
  assert.deepEqual(read.metadata?.managedFields?.map((f) => f.manager).sort(), ['first-manager', 'second-manager']);
});

test('a Watch on configmaps receives ADDED, MODIFIED and DELETED', async () => {
  const seen: string[] = [];
  let ended: unknown = 'open';
  const watch = new k8s.Watch(kc);
  const controller = await watch.watch(`/api/v1/namespaces/${NS}/configmaps`, { labelSelector: 'watched=yes' },
    (type, obj: k8s.V1ConfigMap) => seen.push(`${type} ${obj.metadata?.name} ${obj.data?.v}`),
    (err) => { ended = err; });
  try {
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'w', labels: { watched: 'yes' } }, data: { v: '1' } } });
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'unwatched' }, data: { v: 'x' } } });
    await core.patchNamespacedConfigMap({ name: 'w', namespace: NS, body: { data: { v: '2' } } }, merge);
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: NS });
    await waitFor('three events', () => seen.length >= 3);
    assert.deepEqual(seen, ['ADDED w 1', 'MODIFIED w 2', 'DELETED w 2']);
    assert.equal(ended, 'open', 'the watch is still open');
  } finally {
    controller.abort();
  }
});

test('an informer lists, then follows changes', async () => {
  const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${NS}/configmaps`, () => core.listNamespacedConfigMap({ namespace: NS }));
  const events: string[] = [];
  informer.on(k8s.ADD, (o) => events.push(`add ${o.metadata?.name}`));
  informer.on(k8s.UPDATE, (o) => events.push(`update ${o.metadata?.name}`));
  informer.on(k8s.DELETE, (o) => events.push(`delete ${o.metadata?.name}`));
  await informer.start();
  try {
    await waitFor('the initial list', () => events.includes('add applied') && events.includes('add unwatched'));
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'informed' } } });
    await core.patchNamespacedConfigMap({ name: 'informed', namespace: NS, body: { data: { a: '1' } } }, merge);
    await core.deleteNamespacedConfigMap({ name: 'informed', namespace: NS });
    await waitFor('the informer follows', () => events.includes('delete informed'));
    assert.deepEqual(events.filter((e) => e.endsWith(' informed')), ['add informed', 'update informed', 'delete informed']);
    assert.deepEqual(informer.list().map((o) => o.metadata?.name).sort(), ['applied', 'unwatched']);
  } finally {
    await informer.stop();
  }
});
