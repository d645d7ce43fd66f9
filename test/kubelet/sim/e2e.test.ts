// Simulated nodes under a real `k8ts server`, seen through the real kubectl: nodes register and
// heartbeat, pods bound to them run, complete or fail as their annotations say, and deletes finish.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor as waitUntil } from '../../helpers/wait.js';

let server: TestServer;

const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> =>
  waitUntil(what, fn, { timeoutMs, intervalMs: 200, context: () => server.output().slice(-3000) });

const json = async (args: string[]) => JSON.parse((await server.kubectl([...args, '-o', 'json'])).stdout);
const apply = (yaml: string) => server.kubectl(['apply', '-f', '-'], { input: yaml });

before(async () => {
  server = await startServer({
    args: [
      '--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3', '--node-monitor-grace-period', '4s',
      '--sim-node-capacity', 'nvidia.com/gpu=8,cpu=64', '--sim-node-labels', 'topology.kubernetes.io/zone=a',
    ],
  });
});

after(async () => {
  await server?.stop();
});

test('kubectl get nodes shows three Ready simulated nodes', async () => {
  const out = await waitFor('3 Ready nodes', async () => {
    const r = await server.kubectl(['get', 'nodes']);
    return (r.stdout.match(/ Ready /g) ?? []).length === 3 ? r.stdout : undefined;
  });
  const lines = out.trim().split('\n');
  assert.match(lines[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
  assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['sim-0', 'sim-1', 'sim-2']);
  for (const l of lines.slice(1)) assert.match(l, /^sim-\d\s+Ready\s+<none>\s+\S+\s+v1\.32\.5-k8ts$/);

  const wide = (await server.kubectl(['get', 'nodes', '-o', 'wide'])).stdout.trim().split('\n');
  assert.match(wide[0], /INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME/);
  assert.match(wide[2], /^sim-1\s+Ready\s+.*\s127\.1\.0\.2\s+<none>\s+k8ts simulated node\s+\S+\s+sim:\/\/1\.0$/);

  const node = await json(['get', 'node', 'sim-1']);
  assert.equal(node.metadata.labels['kubernetes.io/hostname'], 'sim-1');
  assert.equal(node.metadata.labels['node.kubernetes.io/instance-type'], 'k8ts-sim');
  assert.equal(node.metadata.labels['topology.kubernetes.io/zone'], 'a');
  assert.equal(node.status.capacity['nvidia.com/gpu'], '8');
  assert.equal(node.status.capacity.cpu, '64');
  assert.equal(node.status.allocatable.memory, '256Gi');
  assert.equal(node.spec.podCIDR, '10.42.1.0/24');
  const ready = node.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(ready.reason, 'KubeletReady');
  assert.equal(ready.message, 'kubelet is posting ready status');
});

test('each node renews its Lease in kube-node-lease', async () => {
  const first = await waitFor('lease sim-0', () => json(['get', 'lease', 'sim-0', '-n', 'kube-node-lease']));
  assert.equal(first.spec.holderIdentity, 'sim-0');
  assert.equal(first.spec.leaseDurationSeconds, 40);
  assert.equal(first.metadata.ownerReferences?.[0]?.kind, 'Node');
  await waitFor('a renewal', async () => {
    const l = await json(['get', 'lease', 'sim-0', '-n', 'kube-node-lease']);
    return l.spec.renewTime !== first.spec.renewTime;
  }, 5000);
});

test('a pod bound to sim-1 runs with an IP from the node range; deleting it finishes', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: sim-1
  initContainers: [{name: init, image: busybox}]
  containers: [{name: nginx, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]
`);
  const pod = await waitFor('web Running', async () => {
    const p = await json(['get', 'pod', 'web']);
    return p.status.phase === 'Running' ? p : undefined;
  });
  assert.match(pod.status.podIP, /^10\.42\.1\.\d+$/);
  assert.equal(pod.status.hostIP, '127.1.0.2');
  assert.equal(pod.status.qosClass, 'Burstable');
  assert.ok(pod.status.startTime);
  const cs = pod.status.containerStatuses[0];
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(cs.imageID, 'sim://nginx:1.27');
  assert.equal(cs.containerID, `sim://${pod.metadata.uid}-nginx`);
  assert.ok(cs.state.running.startedAt);
  assert.equal(pod.status.initContainerStatuses[0].state.terminated.reason, 'Completed');
  for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
    assert.equal(pod.status.conditions.find((c: { type: string }) => c.type === t)?.status, 'True', t);
  }
  const row = (await server.kubectl(['get', 'pod', 'web', '-o', 'wide'])).stdout.trim().split('\n')[1];
  assert.match(row, /^web\s+1\/1\s+Running\s+0\s+\S+\s+10\.42\.1\.\d+\s+sim-1\s/);

  // kubectl waits for the pod to be gone: the simulated kubelet must finish the graceful delete.
  const t0 = Date.now();
  await server.kubectl(['delete', 'pod', 'web', '--timeout=20s']);
  assert.ok(Date.now() - t0 < 20_000);
  const gone = await server.kubectl(['get', 'pod', 'web'], { allowFail: true });
  assert.match(gone.stderr, /NotFound/);
});

test('restartPolicy Never pods complete after their duration, or fail with their exit code', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: done, annotations: {sim.k8ts.io/duration: 1s}}
spec: {nodeName: sim-1, restartPolicy: Never, containers: [{name: task, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: crash, annotations: {sim.k8ts.io/exit-code: "3", sim.k8ts.io/duration: 500ms}}
spec: {nodeName: sim-2, restartPolicy: Never, containers: [{name: task, image: busybox}]}
`);
  const done = await waitFor('done Succeeded', async () => {
    const p = await json(['get', 'pod', 'done']);
    return p.status.phase === 'Succeeded' ? p : undefined;
  });
  const t = done.status.containerStatuses[0].state.terminated;
  assert.equal(t.exitCode, 0);
  assert.equal(t.reason, 'Completed');
  // Ran for about its duration (timestamps have whole seconds).
  assert.ok(Date.parse(t.finishedAt) - Date.parse(t.startedAt) >= 0 && Date.parse(t.finishedAt) - Date.parse(t.startedAt) <= 2000);
  assert.match((await server.kubectl(['get', 'pod', 'done'])).stdout, /done\s+0\/1\s+Completed\s+0/);

  const crash = await waitFor('crash Failed', async () => {
    const p = await json(['get', 'pod', 'crash']);
    return p.status.phase === 'Failed' ? p : undefined;
  });
  assert.equal(crash.status.containerStatuses[0].state.terminated.exitCode, 3);
  assert.equal(crash.status.containerStatuses[0].state.terminated.reason, 'Error');
  assert.match((await server.kubectl(['get', 'pod', 'crash'])).stdout, /crash\s+0\/1\s+Error\s+0/);
});

test('the start-delay annotation holds a pod Pending first', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: slow, annotations: {sim.k8ts.io/start-delay: 5s}}
spec: {nodeName: sim-0, containers: [{name: app, image: nginx}]}
`);
  const early = await waitFor('slow accepted', async () => {
    const r = await server.kubectl(['get', 'pod', 'slow']);
    return /slow\s+0\/1\s+ContainerCreating\s/.test(r.stdout) ? r : undefined;
  }, 4000);
  assert.ok(early);
  const p = await waitFor('slow Running', async () => {
    const pod = await json(['get', 'pod', 'slow']);
    return pod.status.phase === 'Running' ? pod : undefined;
  });
  // Whole-second timestamps: a 5 s delay shows as at least 4 s between creation and start.
  const waited = Date.parse(p.status.containerStatuses[0].state.running.startedAt) - Date.parse(p.metadata.creationTimestamp);
  assert.ok(waited >= 4000, `started ${waited} ms after creation`);
});
