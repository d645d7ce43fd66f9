import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuDeviceFiles, gpusInSmiList, goArch } from '../../../src/kubelet/node/machine.js';
import { allocatable, capacity, nodeConditions, nodeLabels, nodeStatus, statusChanged, type NodeFacts } from '../../../src/kubelet/node/node-status.js';

const GiB = 1024 ** 3;
const facts = (over: Partial<NodeFacts> = {}): NodeFacts => ({
  nodeName: 'n1', nodeIP: '10.0.0.5',
  machine: { cpus: 8, memoryBytes: 16 * GiB, gpus: 0, machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64' },
  ephemeralCapacityBytes: 100 * GiB, maxPods: 110, evictionMemoryBytes: 100 * 1024 * 1024,
  runtimeVersion: 'containerd://1.6.20', kubeletPort: 10250, isolated: true, ...over,
});

test('GPUs are counted from nvidia-smi -L or /dev/nvidia<N>', () => {
  assert.equal(gpusInSmiList('GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1234)\nGPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-5678)\n'), 2);
  assert.equal(gpusInSmiList('No devices found.\n'), 0);
  assert.equal(gpuDeviceFiles(['nvidia0', 'nvidia1', 'nvidiactl', 'nvidia-uvm', 'null']), 2);
  const withGpus = facts({ machine: { ...facts().machine, gpus: 2 } });
  assert.equal(capacity(withGpus)['nvidia.com/gpu'], '2');
  assert.equal(allocatable(withGpus)['nvidia.com/gpu'], '2');
  assert.equal(capacity(facts())['nvidia.com/gpu'], undefined);
  assert.equal(goArch('x64'), 'amd64');
  assert.equal(goArch('arm64'), 'arm64');
});

test('capacity and allocatable as the kubelet reports them', () => {
  assert.deepEqual(capacity(facts()), { cpu: '8', 'ephemeral-storage': '104857600Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16777216Ki', pods: '110' });
  assert.deepEqual(allocatable(facts()), { cpu: '8', 'ephemeral-storage': String(Math.floor(100 * GiB * 0.9)), 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16674816Ki', pods: '110' });
});

test('conditions keep their transition times while unchanged; others\' conditions stay', () => {
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  const first = nodeConditions({ memoryPressure: false, diskPressure: false, pidPressure: false }, t0, [{ type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' }]);
  assert.deepEqual(first.map((c) => c.type), ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready', 'NetworkUnavailable']);
  const later = nodeConditions({ memoryPressure: true, diskPressure: false, pidPressure: false, notReady: 'container runtime network not ready: NetworkReady=false' }, t0 + 60_000, first);
  const by = Object.fromEntries(later.map((c) => [c.type, c]));
  assert.deepEqual([by.MemoryPressure.status, by.MemoryPressure.reason, by.MemoryPressure.lastTransitionTime], ['True', 'KubeletHasInsufficientMemory', '2025-01-01T00:01:00Z']);
  assert.deepEqual([by.DiskPressure.lastTransitionTime, by.DiskPressure.lastHeartbeatTime], ['2025-01-01T00:00:00Z', '2025-01-01T00:01:00Z']);
  assert.deepEqual([by.Ready.status, by.Ready.reason, by.Ready.message], ['False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false']);
});

test('a status differing only in heartbeats is not a change; labels mark unisolated nodes', () => {
  const h = { memoryPressure: false, diskPressure: false, pidPressure: false };
  const a = nodeStatus(facts(), h, 0, undefined, []);
  const b = nodeStatus(facts(), h, 30_000, a, []);
  assert.equal(statusChanged(a, b), false);
  assert.equal(statusChanged(a, nodeStatus(facts(), { ...h, diskPressure: true }, 30_000, a, [])), true);
  assert.equal(nodeLabels(facts(), { role: 'x' })['node.k8ts.io/isolated'], undefined);
  assert.equal(nodeLabels(facts({ isolated: false }), {})['node.k8ts.io/isolated'], 'false');
  assert.equal(nodeLabels(facts(), {})['kubernetes.io/hostname'], 'n1');
});

test('extended resources advertised by patching the node stay; the kubelet\'s own are recounted', () => {
  const healthy = { memoryPressure: false, diskPressure: false, pidPressure: false };
  const patched = {
    capacity: { ...capacity(facts()), 'example.com/dongle': '4', 'nvidia.com/gpu': '2', 'kubernetes.io/made-up': '1' },
    allocatable: { ...allocatable(facts()), 'example.com/dongle': '4', 'nvidia.com/gpu': '2' },
  };
  const s = nodeStatus(facts(), healthy, 0, patched, []);
  assert.equal(s.capacity!['example.com/dongle'], '4');
  assert.equal(s.allocatable!['example.com/dongle'], '4');
  assert.equal(s.capacity!['nvidia.com/gpu'], undefined, 'GPUs are what the machine has, and this one has none');
  assert.equal(s.capacity!['kubernetes.io/made-up'], undefined, 'the kubernetes.io domain is not for extended resources');
  assert.equal(s.capacity!.cpu, '8');
});
