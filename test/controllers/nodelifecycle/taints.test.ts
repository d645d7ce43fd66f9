// Taints, tolerations, node health and zone states of the node lifecycle controllers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionTaints, matchingTolerations, minTolerationMs, readinessNoExecuteTaint, reconcileTaints, toleratesTaint } from '../../../src/controllers/nodelifecycle/taints.js';
import { NodeHealth, unknownConditions } from '../../../src/controllers/nodelifecycle/health.js';
import { computeZoneState, zoneKey, Zones, DEFAULT_DISRUPTION } from '../../../src/controllers/nodelifecycle/zones.js';
import type { Node } from '../../../src/controllers/nodelifecycle/types.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const NOW = '2025-01-01T00:00:00Z';

function node(name: string, ready: string | undefined, extra: Partial<Node> = {}): Node {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, creationTimestamp: NOW },
    status: { conditions: ready === undefined ? [] : [{ type: 'Ready', status: ready, lastHeartbeatTime: NOW, lastTransitionTime: NOW }] },
    ...extra,
  };
}

test('tolerations match taints as Kubernetes matches them', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  assert.equal(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, unreachable), true);
  assert.equal(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, unreachable), false);
  assert.equal(toleratesTaint({ operator: 'Exists' }, unreachable), true, 'empty key with Exists tolerates everything');
  assert.equal(toleratesTaint({ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, unreachable), false);
  assert.equal(toleratesTaint({ key: 'gpu', value: 'a100', effect: 'NoExecute' }, { key: 'gpu', value: 'a100', effect: 'NoExecute' }), true);
  assert.equal(toleratesTaint({ key: 'gpu', operator: 'Equal', value: 'h100' }, { key: 'gpu', value: 'a100', effect: 'NoExecute' }), false);
  assert.equal(toleratesTaint({ key: 'gpu', operator: 'Lt', value: '1' }, { key: 'gpu', value: '0', effect: 'NoExecute' }), false);
});

test('the shortest toleration decides; none, or a non-positive one, means now; none bounded means never', () => {
  const taints = [{ key: 'a', effect: 'NoExecute' }, { key: 'b', effect: 'NoExecute' }];
  const m = matchingTolerations(taints, [{ key: 'a', operator: 'Exists', tolerationSeconds: 30 }, { key: 'b', operator: 'Exists', tolerationSeconds: 5 }]);
  assert.equal(m.all, true);
  assert.equal(minTolerationMs(m.used), 5000);
  assert.equal(matchingTolerations(taints, [{ key: 'a', operator: 'Exists' }]).all, false);
  assert.equal(minTolerationMs([{ key: 'a', operator: 'Exists' }]), Infinity);
  assert.equal(minTolerationMs([{ key: 'a', operator: 'Exists', tolerationSeconds: 0 }, { key: 'b', operator: 'Exists' }]), 0);
  assert.equal(minTolerationMs([{ key: 'a', operator: 'Exists', tolerationSeconds: -3 }]), 0);
  assert.equal(minTolerationMs([]), 0);
});

test('node conditions become NoSchedule taints; Ready decides the NoExecute one', () => {
  const n = node('n', 'Unknown', { spec: { unschedulable: true } });
  n.status!.conditions!.push({ type: 'MemoryPressure', status: 'True' }, { type: 'DiskPressure', status: 'False' });
  assert.deepEqual(conditionTaints(n).map((t) => `${t.key}:${t.effect}`), [
    'node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  assert.deepEqual(readinessNoExecuteTaint('False'), { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' });
  assert.deepEqual(readinessNoExecuteTaint('Unknown'), { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' });
  assert.equal(readinessNoExecuteTaint('True'), undefined);
});

test('reconciling taints keeps other owners\' taints and the timeAdded of kept ones', () => {
  const current = [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-12-31T00:00:00Z' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2024-12-31T00:00:00Z' },
  ];
  // Still unreachable: nothing to write.
  assert.equal(reconcileTaints(current, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }], [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], NOW), undefined);
  // Now Ready=False: not-ready replaces unreachable, with a fresh timeAdded.
  const swapped = reconcileTaints(current, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }], [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], NOW)!;
  assert.deepEqual(swapped, [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule', timeAdded: NOW },
    { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: NOW },
  ]);
  // Healthy again: only the user's taint stays.
  assert.deepEqual(reconcileTaints(swapped, [], [], NOW), [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  // A user's own NoExecute taint with another key is never touched.
  assert.equal(reconcileTaints([{ key: 'maintenance', effect: 'NoExecute' }], [], [], NOW), undefined);
});

test('a node is heard from when its lease renewTime or Ready heartbeat changes, by the local clock', () => {
  const h = new NodeHealth();
  const n = node('n', 'True');
  assert.equal(h.observe(n, T0), T0, 'first sight counts as a probe');
  assert.equal(h.observe(n, T0 + 10_000), T0, 'nothing new');
  h.leaseSeen('n', '2025-01-01T00:00:10.000000Z', T0 + 12_000);
  assert.equal(h.observe(n, T0 + 20_000), T0 + 12_000);
  h.leaseSeen('n', '2025-01-01T00:00:10.000000Z', T0 + 30_000);
  assert.equal(h.observe(n, T0 + 31_000), T0 + 12_000, 'the same renewTime is no news');
  const beat = structuredClone(n);
  beat.status!.conditions![0].lastHeartbeatTime = '2025-01-01T00:01:00Z';
  assert.equal(h.observe(beat, T0 + 40_000), T0 + 40_000);
});

test('a silent node\'s conditions become Unknown, once', () => {
  const n = node('n', 'True');
  n.status!.conditions!.push({ type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' }, { type: 'NetworkUnavailable', status: 'False' });
  const c = unknownConditions(n, T0 + 60_000)!;
  const ready = c.find((x) => x.type === 'Ready')!;
  assert.deepEqual(ready, { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: NOW, lastTransitionTime: '2025-01-01T00:01:00Z' });
  assert.equal(c.find((x) => x.type === 'MemoryPressure')!.status, 'Unknown');
  assert.equal(c.find((x) => x.type === 'NetworkUnavailable')!.status, 'False', 'the network condition is not the kubelet\'s');
  const never = c.find((x) => x.type === 'DiskPressure')!;
  assert.equal(never.reason, 'NodeStatusNeverUpdated');
  assert.equal(never.message, 'Kubelet never posted node status.');
  assert.equal(unknownConditions({ ...n, status: { conditions: c } }, T0 + 70_000), undefined);
});

test('zone states: full disruption when no node is ready, partial past the threshold', () => {
  assert.equal(computeZoneState(['True', 'True', 'Unknown'], 0.55), 'Normal');
  assert.equal(computeZoneState(['Unknown', 'False'], 0.55), 'FullDisruption');
  assert.equal(computeZoneState(['True', 'Unknown', 'Unknown', 'False'], 0.55), 'PartialDisruption');
  assert.equal(computeZoneState(['True', 'True', 'Unknown', 'Unknown'], 0.55), 'Normal', 'two unhealthy nodes are never a disruption');
  assert.equal(computeZoneState([undefined, 'True'], 0.55), 'Normal');
  assert.equal(zoneKey(node('n', 'True')), '');
  assert.equal(zoneKey({ ...node('n', 'True'), metadata: { name: 'n', labels: { 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'z' } } }), 'r:\x00:z');
});

test('evictions are rate-limited per zone and stop when every zone is down', () => {
  const z = new Zones(DEFAULT_DISRUPTION);
  const nodes = [node('a', 'Unknown'), node('b', 'True'), node('c', 'True')];
  assert.equal(z.update(nodes), false);
  assert.equal(z.tryEvict(nodes[0]), true, 'the first eviction of a healthy zone goes at once');
  assert.equal(z.tryEvict(nodes[0]), false, 'the next waits for the 0.1/s rate');
  assert.equal(z.update([node('a', 'Unknown'), node('b', 'Unknown'), node('c', 'False')]), true);
  assert.equal(z.allFullyDisrupted, true);
  assert.equal(z.update([node('a', 'Unknown'), node('b', 'True'), node('c', 'False')]), true);
  assert.equal(z.allFullyDisrupted, false);
  // A small zone that is mostly down stops evicting: more likely the network than the nodes.
  const small = Array.from({ length: 5 }, (_, i) => node(`n${i}`, i < 2 ? 'True' : 'Unknown'));
  z.update(small);
  assert.equal(z.state(small[0]), 'PartialDisruption');
  assert.equal(z.tryEvict(small[2]), false);
});
