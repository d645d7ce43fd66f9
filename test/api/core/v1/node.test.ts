// Nodes: status kept on create, pod CIDRs set once, taints, and the `kubectl get nodes` row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources, nodeRoles } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const nodes = resources.find((r) => r.plural === 'nodes')!;
const NOW = Date.parse('2025-01-01T12:00:00Z');

function node(): KObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'node1', creationTimestamp: '2025-01-01T11:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': 'true' } },
    spec: { podCIDR: '10.42.0.0/24' },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'node1' }],
      nodeInfo: { kubeletVersion: 'v1.32.5+k8ts', osImage: 'Ubuntu 24.04 LTS', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://1.7.24' },
    },
  } as KObject;
}

test('defaults: podCIDRs from podCIDR, allocatable from capacity; status kept on create', () => {
  const n = node();
  nodes.defaults!(n);
  assert.deepEqual((n.spec as any).podCIDRs, ['10.42.0.0/24']);
  assert.deepEqual((n.status as any).allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
  assert.equal(nodes.keepStatusOnCreate, true);
  assert.deepEqual(nodes.validate!(n, {}), []);
});

test('rows: Ready, roles, versions and addresses', () => {
  const n = node();
  assert.deepEqual(nodes.row!(n, NOW), ['node1', 'Ready', 'control-plane,master', '60m', 'v1.32.5+k8ts', '192.168.1.10', '<none>', 'Ubuntu 24.04 LTS', '6.8.0', 'containerd://1.7.24']);
  (n.spec as any).unschedulable = true;
  (n.status as any).conditions[1].status = 'Unknown';
  assert.deepEqual(nodes.row!(n, NOW).slice(1, 2), ['NotReady,SchedulingDisabled']);
  delete (n.status as any).conditions;
  n.metadata.labels = {};
  assert.deepEqual(nodes.row!(n, NOW).slice(1, 3), ['Unknown,SchedulingDisabled', '<none>']);
  assert.deepEqual(nodes.selectableFields!(n), { 'spec.unschedulable': 'true' });
  assert.deepEqual(nodeRoles({ 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': 'x' }), ['worker']);
});

test('taints and pod CIDRs are validated; pod CIDRs and providerID are set once', () => {
  const n = node();
  (n.spec as any).taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoSchedule' }, { key: 'x' }];
  (n.spec as any).podCIDRs = ['10.42.0.0/33'];
  assert.deepEqual(nodes.validate!(n, {}).map((e) => `${e.field}: ${e.message}`), [
    'spec.podCIDRs[0]: Invalid value: "10.42.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.taints[1]: Duplicate value: {"key":"dedicated","effect":"NoSchedule"}: taints must be unique by key and effect pair',
    'spec.taints[2].effect: Required value',
  ]);
  const old = node();
  nodes.defaults!(old);
  (old.spec as any).providerID = 'k8ts://node1';
  const next = structuredClone(old);
  (next.spec as any).podCIDRs = ['10.42.1.0/24'];
  (next.spec as any).providerID = 'k8ts://other';
  assert.deepEqual(nodes.validate!(next, { old }).map((e) => `${e.field}: ${e.message}`), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
});
