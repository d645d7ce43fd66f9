// The garbage collector end to end, with the real kubectl on simulated nodes: the three cascade
// modes of `kubectl delete` on a Deployment, and owner chains built by hand from ConfigMaps
// (dangling owners, several owners, a foreground deletion held by a dependent's finalizer).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { getJSON } from '../../helpers/kubectl-json.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '2'] });
});

after(async () => {
  await server?.stop();
});

interface Meta { name: string; uid: string; ownerReferences?: Array<{ name: string; uid: string }>; deletionTimestamp?: string; finalizers?: string[] }

async function names(kinds: string, selector: string): Promise<string[]> {
  const r = await server.kubectl(['get', kinds, '-l', selector, '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name} {end}']);
  return r.stdout.trim().split(/\s+/).filter(Boolean);
}

async function meta(kind: string, name: string): Promise<Meta | undefined> {
  return (await getJSON(server, [kind, name]))?.metadata;
}

async function deployment(name: string, replicas: number): Promise<void> {
  await server.kubectl(['create', 'deployment', name, '--image=nginx', `--replicas=${replicas}`]);
  await server.kubectl(['rollout', 'status', `deployment/${name}`, '--timeout=30s']);
  assert.equal((await names('rs,pods', `app=${name}`)).length, replicas + 1);
}

test('kubectl delete --cascade=background: the ReplicaSet and its pods follow the Deployment', { timeout: 60_000 }, async () => {
  await deployment('bg', 2);
  await server.kubectl(['delete', 'deployment', 'bg', '--cascade=background']);
  await waitFor('the ReplicaSet and pods to go', async () => (await names('rs,pods', 'app=bg')).length === 0);
});

test('kubectl delete --cascade=foreground: the Deployment is gone only after its dependents', { timeout: 60_000 }, async () => {
  await deployment('fg', 2);
  // kubectl waits for the Deployment itself to disappear, which the foreground finalizer holds
  // until the ReplicaSet, held in turn by its pods, is gone.
  await server.kubectl(['delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=40s']);
  assert.deepEqual(await names('rs,pods', 'app=fg'), []);
});

test('kubectl delete --cascade=orphan: the ReplicaSet stays, without its ownerReference, and keeps its pods', { timeout: 60_000 }, async () => {
  await deployment('orph', 2);
  await server.kubectl(['delete', 'deployment', 'orph', '--cascade=orphan', '--timeout=30s']);
  await sleep(1000);
  const left = await names('rs,pods', 'app=orph');
  assert.equal(left.length, 3, `left: ${left.join(' ')}`);
  const rsName = left.find((n) => n.startsWith('ReplicaSet/'))!.split('/')[1];
  assert.equal((await meta('rs', rsName))?.ownerReferences, undefined, 'the reference to the deleted Deployment is gone');
  await server.kubectl(['delete', 'rs', rsName]);
  await waitFor('the orphaned pods to follow their ReplicaSet', async () => (await names('pods', 'app=orph')).length === 0);
});

function configMap(name: string, owners: Array<{ name: string; uid: string; block?: boolean }>, finalizers: string[] = []): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {
      name, labels: { chain: 'yes' }, finalizers,
      ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.name, uid: o.uid, blockOwnerDeletion: o.block ?? false })),
    },
  });
}

test('any resource: dangling owners, several owners, background deletion of a chain', { timeout: 40_000 }, async () => {
  await server.kubectl(['create', 'configmap', 'root-a']);
  await server.kubectl(['create', 'configmap', 'root-b']);
  const a = (await meta('cm', 'root-a'))!;
  const b = (await meta('cm', 'root-b'))!;
  await server.kubectl(['apply', '-f', '-'], { input: configMap('child', [{ name: 'root-a', uid: a.uid }]) });
  const child = (await meta('cm', 'child'))!;
  await server.kubectl(['apply', '-f', '-'], { input: configMap('grandchild', [{ name: 'child', uid: child.uid }]) });
  await server.kubectl(['apply', '-f', '-'], { input: configMap('shared', [{ name: 'root-a', uid: a.uid }, { name: 'root-b', uid: b.uid }]) });
  // An owner that never existed (the uid matches no object): the dependent is garbage at once.
  await server.kubectl(['apply', '-f', '-'], { input: configMap('stray', [{ name: 'root-a', uid: '00000000-0000-0000-0000-000000000000' }]) });
  await waitFor('the ConfigMap with a dangling owner to go', async () => !(await meta('cm', 'stray')));
  assert.ok(await meta('cm', 'child'), 'dependents of live owners stay');

  await server.kubectl(['delete', 'cm', 'root-a']);
  await waitFor('the chain below root-a to go', async () => !(await meta('cm', 'child')) && !(await meta('cm', 'grandchild')));
  await waitFor('the shared dependent to lose its reference to root-a', async () => {
    const s = await meta('cm', 'shared');
    return !!s && JSON.stringify(s.ownerReferences?.map((r) => r.name)) === '["root-b"]';
  });
  await server.kubectl(['delete', 'cm', 'root-b']);
  await waitFor('the shared dependent to go with its last owner', async () => !(await meta('cm', 'shared')));
});

test('a foreground deletion waits for a blocking dependent held by its own finalizer', { timeout: 40_000 }, async () => {
  await server.kubectl(['create', 'configmap', 'holder']);
  const holder = (await meta('cm', 'holder'))!;
  await server.kubectl(['apply', '-f', '-'], { input: configMap('held', [{ name: 'holder', uid: holder.uid, block: true }], ['example.com/hold']) });
  await server.kubectl(['delete', 'cm', 'holder', '--cascade=foreground', '--wait=false']);
  await waitFor('the dependent to be deleting', async () => !!(await meta('cm', 'held'))?.deletionTimestamp);
  await sleep(1500);
  const waiting = await meta('cm', 'holder');
  assert.ok(waiting?.deletionTimestamp, 'the owner is still there, being deleted');
  assert.deepEqual(waiting.finalizers, ['foregroundDeletion']);

  await server.kubectl(['patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  await waitFor('both to go', async () => !(await meta('cm', 'held')) && !(await meta('cm', 'holder')));
});

test('a cluster-scoped object naming a namespaced owner is not collected, and a Warning says why', { timeout: 30_000 }, async () => {
  await server.kubectl(['create', 'configmap', 'not-an-owner']);
  const cm = (await meta('cm', 'not-an-owner'))!;
  await server.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: 'misowned', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'not-an-owner', uid: cm.uid }] },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/srv/x' } },
    }),
  });
  await waitFor('the OwnerRefInvalidNamespace event', async () => {
    const r = await server.kubectl(['get', 'events', '-A', '--field-selector', 'involvedObject.name=misowned,reason=OwnerRefInvalidNamespace', '-o', 'name']);
    return r.stdout.trim() !== '';
  });
  await sleep(500);
  assert.ok(await meta('pv', 'misowned'), 'the volume is kept');
  await server.kubectl(['delete', 'pv', 'misowned']);
});
