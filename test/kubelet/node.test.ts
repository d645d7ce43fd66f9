// The node as the API sees it: registration with machine capacity, conditions and node info, the
// Lease heartbeat, a running pod's full status and events as kubectl shows them, and eviction
// under memory pressure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpus, totalmem } from 'node:os';
import { resources } from '../../src/client/index.js';
import type { Lease, Node } from '../../src/kubelet/types.js';
import { condition, createPod, cstatus, podEvents, startKubeletEnv, waitForPod, type KubeletEnv } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

const MI = 1024 * 1024;
let available: number | undefined;
let env: KubeletEnv;
before(async () => {
  env = await startKubeletEnv({ labels: { 'topology.kubernetes.io/zone': 'z1' }, evictionIntervalMs: 200, memoryAvailable: async () => available });
});
after(async () => {
  await env?.stop();
});

test('the node registers with the machine\'s capacity, healthy conditions and node info', async () => {
  const node = await env.client.get<Node>(resources.nodes, undefined, env.nodeName);
  const st = node.status!;
  assert.equal(st.capacity?.cpu, String(cpus().length));
  assert.equal(st.capacity?.memory, `${Math.floor(totalmem() / 1024)}Ki`);
  assert.equal(st.capacity?.pods, '110');
  assert.match(st.capacity?.['ephemeral-storage'] ?? '', /^\d+Ki$/);
  assert.equal(st.allocatable?.memory, `${Math.floor((totalmem() - 100 * MI) / 1024)}Ki`);
  assert.deepEqual(st.conditions?.map((c) => [c.type, c.status, c.reason]), [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
    ['Ready', 'True', 'KubeletReady'],
  ]);
  assert.deepEqual(st.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: env.nodeName }]);
  assert.equal(st.nodeInfo?.containerRuntimeVersion, 'host://0.1.0');
  assert.equal(st.nodeInfo?.kubeletVersion, 'v1.32.5-k8ts');
  assert.equal(st.nodeInfo?.operatingSystem, 'linux');
  assert.deepEqual(st.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], env.nodeName);
  assert.equal(node.metadata.labels?.['topology.kubernetes.io/zone'], 'z1');
  assert.equal(node.metadata.labels?.['node.k8ts.io/isolated'], 'false', 'the host driver is marked unisolated');

  const lease = await env.client.get<Lease>(resources.leases, 'kube-node-lease', env.nodeName);
  assert.equal(lease.spec?.holderIdentity, env.nodeName);
  assert.equal(lease.spec?.leaseDurationSeconds, 40);
  const first = lease.spec?.renewTime;
  await waitFor('lease renewed', async () => (await env.client.get<Lease>(resources.leases, 'kube-node-lease', env.nodeName)).spec?.renewTime !== first, { timeoutMs: 6000 });

  const out = await env.server.kubectl(['get', 'nodes']);
  assert.match(out.stdout, new RegExp(`^${env.nodeName}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32\\.5-k8ts$`, 'm'));
  const events = await env.client.list<any>(resources.events, 'default', { fieldSelector: `involvedObject.name=${env.nodeName}` });
  const reasons = events.items.map((e) => e.reason);
  assert.ok(reasons.includes('Starting') && reasons.includes('NodeUnisolated') && reasons.includes('NodeReady'), reasons.join(','));
});

test('a running pod\'s status and events read as on a real node', async () => {
  await createPod(env, { metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', command: ['sleep', '60'], resources: { requests: { cpu: '100m', memory: '32Mi' } } }] } });
  const p = await waitForPod(env, 'web', (x) => condition(x, 'Ready')?.status === 'True', 'Ready');
  const st = p.status!;
  assert.equal(st.phase, 'Running');
  assert.equal(st.qosClass, 'Burstable');
  assert.deepEqual(st.conditions?.map((c) => [c.type, c.status]), [
    ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
  ]);
  for (const c of st.conditions ?? []) assert.ok(c.lastTransitionTime && c.lastProbeTime === null);
  assert.deepEqual([st.hostIP, st.hostIPs, st.podIP, st.podIPs], ['127.0.0.1', [{ ip: '127.0.0.1' }], '127.0.0.1', [{ ip: '127.0.0.1' }]]);
  assert.ok(st.startTime);
  const cs = cstatus(p, 'nginx')!;
  assert.deepEqual(Object.keys(cs.state), ['running']);
  assert.deepEqual([cs.ready, cs.started, cs.restartCount, cs.image], [true, true, 0, 'nginx:1.27']);
  assert.match(cs.containerID!, /^host:\/\/[0-9a-f]{64}$/);
  assert.match(cs.imageID, /^sha256:[0-9a-f]{64}$/);
  const events = await waitFor('Started event', async () => {
    const e = await podEvents(env, 'web');
    return e.some((x) => x.reason === 'Started') ? e : undefined;
  });
  assert.deepEqual(events.map((e) => e.reason), ['Pulling', 'Pulled', 'Created', 'Started']);
  assert.equal(events[0].message, 'Pulling image "nginx:1.27"');
  assert.match(events[1].message, /^Successfully pulled image "nginx:1\.27" in \d+(\.\d+)?m?s \(\d+(\.\d+)?m?s including waiting\)\. Image size: 0 bytes\.$/);
  assert.equal(events[2].message, 'Created container: nginx');
  assert.equal(events[3].message, 'Started container nginx');
  assert.ok(events.every((e) => e.fieldPath === 'spec.containers{nginx}'));
  const out = await env.server.kubectl(['get', 'pod', 'web', '-o', 'wide']);
  assert.match(out.stdout, /^web\s+1\/1\s+Running\s+0\s+\S+\s+127\.0\.0\.1\s+node-1\s/m);
  const writes = p.metadata.resourceVersion;
  await new Promise((r) => setTimeout(r, 2500));
  const again = await env.client.get<any>(resources.pods, 'default', 'web');
  assert.equal(again.metadata.resourceVersion, writes, 'an unchanged status is not written again');
});

test('memory pressure evicts BestEffort pods first and marks the node', async () => {
  await createPod(env, { metadata: { name: 'besteffort' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'] }] } });
  await createPod(env, { metadata: { name: 'guaranteed' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'], resources: { limits: { cpu: '100m', memory: '64Mi' } } }] } });
  await waitForPod(env, 'besteffort', (p) => p.status?.phase === 'Running', 'Running');
  await waitForPod(env, 'guaranteed', (p) => p.status?.phase === 'Running', 'Running');
  available = 50 * MI;
  const evicted = await waitForPod(env, 'besteffort', (p) => p.status?.phase === 'Failed', 'evicted');
  available = 2000 * MI;
  assert.equal(evicted.status?.reason, 'Evicted');
  assert.equal(evicted.status?.message, 'The node was low on resource: memory. Threshold quantity: 102400Ki, available: 51200Ki. ');
  assert.equal(condition(evicted, 'DisruptionTarget')?.reason, 'TerminationByKubelet');
  const ev = await waitFor('the Evicted event', async () => (await podEvents(env, 'besteffort')).find((e) => e.reason === 'Evicted'));
  assert.equal(ev?.type, 'Warning');
  await waitFor('pressure cleared', async () => {
    const n = await env.client.get<Node>(resources.nodes, undefined, env.nodeName);
    return n.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status === 'False';
  });
  // The web pod of the previous test was Burstable and is the next candidate; Guaranteed pods last.
  const g = await env.client.get<any>(resources.pods, 'default', 'guaranteed');
  assert.equal(g.status.phase, 'Running');
  const nodeEvents = await env.client.list<any>(resources.events, 'default', { fieldSelector: `involvedObject.name=${env.nodeName}` });
  assert.ok(nodeEvents.items.some((e) => e.reason === 'NodeHasInsufficientMemory'));
});
