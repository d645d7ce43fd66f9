// Simulated nodes' objects and addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNode, conditionsStale, nodeCapacity, healthyConditions } from '../../../src/kubelet/sim/node-object.js';
import { nodeInternalIP, nodePodCIDR, PodIPAllocator } from '../../../src/kubelet/sim/addresses.js';
import { leaseRenewIntervalFor } from '../../../src/kubelet/sim/index.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

test('a registered node carries the kubelet labels, capacity, conditions and node info', () => {
  const node = buildNode({ name: 'sim-3', index: 3, capacity: nodeCapacity({ 'nvidia.com/gpu': '8', cpu: '64' }), labels: { zone: 'a' } }, T0);
  assert.equal(node.metadata.name, 'sim-3');
  assert.deepEqual(node.metadata.labels, {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'sim-3',
    'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'k8ts-sim', type: 'sim', zone: 'a',
  });
  assert.deepEqual(node.spec, { podCIDR: '10.42.3.0/24', podCIDRs: ['10.42.3.0/24'] });
  assert.deepEqual(node.status!.capacity, { cpu: '64', memory: '256Gi', 'ephemeral-storage': '1Ti', pods: '110', 'nvidia.com/gpu': '8' });
  assert.deepEqual(node.status!.allocatable, node.status!.capacity);
  assert.deepEqual(node.status!.addresses, [{ type: 'InternalIP', address: '127.1.0.4' }, { type: 'Hostname', address: 'sim-3' }]);
  const ready = node.status!.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual(ready, { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' });
  for (const t of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) assert.equal(node.status!.conditions!.find((c) => c.type === t)!.status, 'False');
  const info = node.status!.nodeInfo!;
  assert.equal(info.kubeletVersion, 'v1.32.5-k8ts');
  assert.equal(info.containerRuntimeVersion, 'sim://1.0');
  assert.equal(info.operatingSystem, 'linux');
  assert.equal(info.architecture, 'amd64');
  assert.ok(info.osImage && info.kernelVersion);
});

test('capacity that is not a quantity is refused with a hint', () => {
  assert.throws(() => nodeCapacity({ cpu: 'lots' }), /cpu=lots: not a quantity/);
});

test('node addresses are loopback placeholders and pod ranges never overlap the service range', () => {
  assert.equal(nodeInternalIP(0), '127.1.0.1');
  assert.equal(nodeInternalIP(255), '127.1.1.0');
  assert.equal(nodeInternalIP(999), '127.1.3.232');
  assert.equal(nodePodCIDR(0), '10.42.0.0/24');
  assert.equal(nodePodCIDR(255), '10.42.255.0/24');
  assert.equal(nodePodCIDR(256), '10.44.0.0/24');
  assert.equal(nodePodCIDR(999), '10.46.231.0/24');
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const c = nodePodCIDR(i);
    assert.ok(!c.startsWith('10.43.'), c);
    assert.ok(!seen.has(c), `duplicate ${c}`);
    seen.add(c);
  }
});

test('pod IPs come from the node range, lowest free first, and are reused after release', () => {
  const a = new PodIPAllocator('10.42.7.0/24');
  a.markUsed('10.42.7.2');
  a.markUsed('10.99.0.5'); // not ours: ignored
  assert.equal(a.allocate(), '10.42.7.3');
  assert.equal(a.allocate(), '10.42.7.4');
  a.release('10.42.7.2');
  assert.equal(a.allocate(), '10.42.7.2');
  for (let i = 0; i < 250; i++) assert.ok(a.allocate());
  assert.equal(a.allocate(), undefined);
  assert.throws(() => new PodIPAllocator('10.42.0.0/16'), /not a \/24/);
});

test('status is re-posted when stale or when someone marked the node Unknown', () => {
  const node = buildNode({ name: 'sim-0', index: 0, capacity: nodeCapacity(undefined), labels: {} }, T0);
  assert.equal(conditionsStale(node, T0 + 59_000, 60_000), false);
  assert.equal(conditionsStale(node, T0 + 60_000, 60_000), true);
  const unknown = structuredClone(node);
  const r = unknown.status!.conditions!.find((c) => c.type === 'Ready')!;
  Object.assign(r, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  assert.equal(conditionsStale(unknown, T0 + 1000, 60_000), true);
  // Coming back is a transition; the unchanged pressure conditions keep theirs.
  const back = healthyConditions(T0 + 5000, unknown.status!.conditions);
  assert.equal(back.find((c) => c.type === 'Ready')!.lastTransitionTime, '2025-01-01T00:00:05Z');
  assert.equal(back.find((c) => c.type === 'MemoryPressure')!.lastTransitionTime, '2025-01-01T00:00:00Z');
});

test('small pools renew their leases faster, large ones as the kubelet does', () => {
  assert.equal(leaseRenewIntervalFor(3), 1000);
  assert.equal(leaseRenewIntervalFor(150), 3000);
  assert.equal(leaseRenewIntervalFor(300), 6000);
  assert.equal(leaseRenewIntervalFor(1000), 10_000);
  assert.equal(leaseRenewIntervalFor(5000), 10_000);
});
