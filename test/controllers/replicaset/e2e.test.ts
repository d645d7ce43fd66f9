// ReplicaSets and ReplicationControllers under a real `k8ts server` with simulated nodes, driven
// by the real kubectl: pods made from the template and owned by the controller, replaced when
// deleted or failed, scaled both ways, orphans adopted and mislabelled pods released, and
// creation failures reported as a ReplicaFailure condition.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, resources } from '../../../src/client/index.js';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor as waitUntil } from '../../helpers/wait.js';

let server: TestServer;
let client: RestClient;

const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> =>
  waitUntil(what, fn, { timeoutMs, intervalMs: 150, context: () => server.output().slice(-2000) });

const json = async (args: string[]) => JSON.parse((await server.kubectl([...args, '-o', 'json'])).stdout);
const apply = (yaml: string) => server.kubectl(['apply', '-f', '-'], { input: yaml });
const active = (pods: any[]) => pods.filter((p) => !p.metadata.deletionTimestamp && !['Failed', 'Succeeded'].includes(p.status?.phase));
const podsOf = async (selector: string) => (await json(['get', 'pods', '-l', selector])).items as any[];
const ready = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

function replicaSet(name: string, replicas: number, app = name): string {
  return `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
        tier: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
`;
}

/** Waits until the ReplicaSet reports `n` ready replicas for its latest generation. */
async function waitReady(kind: string, name: string, n: number) {
  return waitFor(`${kind} ${name} with ${n} ready replicas`, async () => {
    const rs = await json(['get', kind, name]);
    const s = rs.status ?? {};
    return (s.replicas ?? 0) === n && (s.readyReplicas ?? 0) === n && (s.availableReplicas ?? 0) === n
      && s.observedGeneration === rs.metadata.generation ? rs : undefined;
  });
}

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3'] });
  client = RestClient.fromKubeconfig(server.kubeconfig);
});

after(async () => {
  client?.close();
  await server?.stop();
});

test('a ReplicaSet creates owned pods from its template and reports them in its status', async () => {
  await apply(replicaSet('web', 3));
  const rs = await waitReady('rs', 'web', 3);
  assert.equal(rs.status.fullyLabeledReplicas, 3);
  const pods = await podsOf('app=web');
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(p.metadata.generateName, 'web-');
    assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'web' });
    assert.deepEqual(p.metadata.ownerReferences, [{
      apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true,
    }]);
    assert.ok(p.spec.nodeName, 'scheduled');
  }
  const events = await json(['get', 'events', '--field-selector', 'involvedObject.kind=ReplicaSet,involvedObject.name=web']);
  const created = events.items.filter((e: any) => e.reason === 'SuccessfulCreate');
  assert.equal(created.length, 3);
  for (const e of created) {
    assert.equal(e.type, 'Normal');
    assert.equal(e.source.component, 'replicaset-controller');
    assert.match(e.message, /^Created pod: web-[a-z0-9]{5}$/);
  }
  const table = (await server.kubectl(['get', 'rs', 'web'])).stdout;
  assert.match(table, /^web\s+3\s+3\s+3\s+/m);
});

test('a deleted pod is replaced, and so is a failed one', async () => {
  const [victim] = await podsOf('app=web');
  await server.kubectl(['delete', 'pod', victim.metadata.name, '--wait=false']);
  await waitFor('a replacement pod', async () => {
    const pods = active(await podsOf('app=web'));
    return pods.length === 3 && !pods.some((p) => p.metadata.name === victim.metadata.name) && pods.every(ready);
  });
  const events = await json(['get', 'events', '--field-selector', 'involvedObject.name=web,reason=SuccessfulCreate']);
  assert.equal(events.items.reduce((n: number, e: any) => n + (e.count ?? 1), 0), 4);

  // A pod that failed no longer counts: a fourth one is made; the failed one is left for pod GC.
  const [failing] = active(await podsOf('app=web'));
  await client.patch(resources.pods, 'default', failing.metadata.name, { status: { phase: 'Failed', conditions: [{ type: 'Ready', status: 'False' }] } }, 'merge', { subresource: 'status' });
  await waitFor('the failed pod replaced', async () => {
    const pods = await podsOf('app=web');
    const live = active(pods);
    return live.length === 3 && live.every(ready) && !live.some((p) => p.metadata.name === failing.metadata.name)
      && pods.some((p) => p.metadata.name === failing.metadata.name) ? true : undefined;
  });
  await waitReady('rs', 'web', 3);
});

test('kubectl scale grows and shrinks a ReplicaSet, unscheduled pods going first', async () => {
  await server.kubectl(['scale', 'rs', 'web', '--replicas=5']);
  await waitReady('rs', 'web', 5);
  // A pod no scheduler will place is the cheapest to lose on the way down.
  const stray = (await client.create(resources.pods, 'default', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-stray', labels: { app: 'web', tier: 'web' } },
    spec: { schedulerName: 'nobody', containers: [{ name: 'web', image: 'nginx:1.25' }] },
  })) as any;
  await waitFor('the stray pod adopted and the surplus removed', async () => {
    const pods = active(await podsOf('app=web'));
    return pods.length === 5 && !pods.some((p) => p.metadata.name === stray.metadata.name);
  });
  await server.kubectl(['scale', 'rs', 'web', '--replicas=2']);
  await waitReady('rs', 'web', 2);
  const events = await json(['get', 'events', '--field-selector', 'involvedObject.name=web,reason=SuccessfulDelete']);
  assert.ok(events.items.some((e: any) => e.message === 'Deleted pod: web-stray'), 'the unscheduled pod was deleted');
  for (const e of events.items) assert.match(e.message, /^Deleted pod: web-/);
});

test('orphans matching the selector are adopted; pods relabelled out of it are released', async () => {
  await server.kubectl(['run', 'orphan', '--image=nginx:1.25', '--labels=app=web,tier=web']);
  const rs = await json(['get', 'rs', 'web']);
  await waitFor('the orphan adopted (and one pod too many removed)', async () => {
    const pods = active(await podsOf('app=web'));
    const orphan = pods.find((p) => p.metadata.name === 'orphan');
    return pods.length === 2 && pods.every((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid) && (!orphan || orphan.metadata.ownerReferences.length === 1);
  });

  const [owned] = active(await podsOf('app=web'));
  await server.kubectl(['label', 'pod', owned.metadata.name, 'app=elsewhere', '--overwrite']);
  await waitFor('the relabelled pod released and replaced', async () => {
    const released = await json(['get', 'pod', owned.metadata.name]);
    const pods = active(await podsOf('app=web'));
    return !released.metadata.ownerReferences?.length && pods.length === 2 && pods.every(ready);
  });
  await server.kubectl(['delete', 'pod', owned.metadata.name, '--wait=false']);
});

test('pods that cannot be created are reported as ReplicaFailure and FailedCreate events', async () => {
  // The API server accepts this template but refuses pods made from it: a pod may not name its
  // node while it still has scheduling gates.
  await apply(replicaSet('gated', 2).replace('    spec:\n', '    spec:\n      nodeName: sim-0\n      schedulingGates:\n      - name: example.com/hold\n'));
  const rs = await waitFor('a ReplicaFailure condition', async () => {
    const r = await json(['get', 'rs', 'gated']);
    return r.status?.conditions?.some((c: any) => c.type === 'ReplicaFailure') ? r : undefined;
  });
  const cond = rs.status.conditions.find((c: any) => c.type === 'ReplicaFailure');
  assert.equal(cond.status, 'True');
  assert.equal(cond.reason, 'FailedCreate');
  assert.match(cond.message, /spec\.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared/);
  assert.ok(!rs.status.replicas);
  const events = await waitFor('a FailedCreate event', async () => {
    const e = await json(['get', 'events', '--field-selector', 'involvedObject.name=gated,reason=FailedCreate']);
    return e.items.length ? e.items : undefined;
  });
  assert.equal(events[0].type, 'Warning');
  assert.match(events[0].message, /^Error creating: Pod "gated-[a-z0-9]{5}" is invalid: spec\.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared$/);
  // Asking for no pods clears the condition.
  await server.kubectl(['scale', 'rs', 'gated', '--replicas=0']);
  await waitFor('the condition cleared', async () => {
    const r = await json(['get', 'rs', 'gated']);
    return !r.status?.conditions?.length && r.status?.observedGeneration === r.metadata.generation;
  });
});

test('pods count as available minReadySeconds after they became ready', async () => {
  await apply(replicaSet('slow', 2).replace('  replicas: 2\n', '  replicas: 2\n  minReadySeconds: 3\n'));
  const early = await waitFor('2 ready replicas', async () => {
    const r = await json(['get', 'rs', 'slow']);
    return r.status?.readyReplicas === 2 ? r : undefined;
  });
  assert.equal(early.status.availableReplicas ?? 0, 0);
  const started = Date.now();
  await waitReady('rs', 'slow', 2);
  assert.ok(Date.now() - started < 8000, 'requeued when minReadySeconds passed, not at some later event');
});

test('a ReplicationController keeps its pods like a ReplicaSet', async () => {
  await apply(`apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 2
  selector:
    app: legacy
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
      - name: web
        image: nginx:1.25
`);
  const rc = await waitReady('rc', 'legacy', 2);
  const pods = await podsOf('app=legacy');
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.match(p.metadata.name, /^legacy-[a-z0-9]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  const events = await json(['get', 'events', '--field-selector', 'involvedObject.kind=ReplicationController,reason=SuccessfulCreate']);
  assert.equal(events.items[0].source.component, 'replication-controller');
  await server.kubectl(['scale', 'rc', 'legacy', '--replicas=3']);
  await waitReady('rc', 'legacy', 3);
  await server.kubectl(['delete', 'pod', pods[0].metadata.name, '--wait=false']);
  await waitFor('the RC pod replaced', async () => active(await podsOf('app=legacy')).filter(ready).length === 3
    && !active(await podsOf('app=legacy')).some((p) => p.metadata.name === pods[0].metadata.name));
});
