// End to end with simulated nodes and the real kubectl: resources including GPUs, taints and
// tolerations, node affinity, and what `kubectl describe pod` tells a user about a Pending pod.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { podManifest, startSimCluster, type SimCluster } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let c: SimCluster;
before(async () => {
  c = await startSimCluster(3, 'cpu=4,memory=8Gi,pods=110,nvidia.com/gpu=2');
});
after(async () => {
  await c?.stop();
});

test('GPUs are counted: two 2-GPU pods land on different nodes; a 3-GPU pod fits nowhere', async () => {
  await c.kubectl(['apply', '-f', '-'], podManifest('gpu-a', { gpu: '2' }));
  await c.kubectl(['apply', '-f', '-'], podManifest('gpu-b', { gpu: '2' }));
  const [a, b] = [await c.boundNode('gpu-a'), await c.boundNode('gpu-b')];
  assert.notEqual(a, b);
  await c.kubectl(['apply', '-f', '-'], podManifest('gpu-big', { gpu: '3' }));
  const msg = await c.failedScheduling('gpu-big', /Insufficient/);
  assert.equal(msg, '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
  await c.kubectl(['delete', 'pod', 'gpu-a', 'gpu-b', 'gpu-big', '--wait=true']);
});

test('taints keep pods out unless tolerated; describe explains the Pending pod', async () => {
  await c.kubectl(['taint', 'nodes', 'sim-1', 'sim-2', 'dedicated=gpu:NoSchedule']);
  await c.kubectl(['apply', '-f', '-'], podManifest('filler', { cpu: '2', spec: { nodeSelector: { 'kubernetes.io/hostname': 'sim-0' } } }));
  assert.equal(await c.boundNode('filler'), 'sim-0');
  await c.kubectl(['apply', '-f', '-'], podManifest('wide', { cpu: '3' }));
  const want = '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}. ' +
    'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.';
  assert.equal(await c.failedScheduling('wide', /untolerated/), want);
  const described = await waitFor('describe to show the condition', async () => {
    const out = await c.kubectl(['describe', 'pod', 'wide']);
    return /PodScheduled\s+False/.test(out) && out;
  });
  assert.match(described, /Status:\s+Pending/);
  assert.match(described, /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/3 nodes are available: 1 Insufficient cpu, 2 node\(s\) had untolerated taint \{dedicated: gpu\}\./);
  const reason = await c.kubectl(['get', 'pod', 'wide', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}']);
  assert.equal(reason, 'Unschedulable');

  await c.kubectl(['apply', '-f', '-'], podManifest('tolerant', { cpu: '3', spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } }));
  assert.match(await c.boundNode('tolerant'), /^sim-[12]$/);
  // Removing the taint is a cluster event that lets the waiting pod in.
  await c.kubectl(['taint', 'nodes', 'sim-1', 'sim-2', 'dedicated-']);
  assert.match(await c.boundNode('wide'), /^sim-[12]$/);
  await c.kubectl(['delete', 'pod', 'filler', 'wide', 'tolerant', '--wait=true']);
});

test('node affinity and nodeSelector follow labels set with kubectl label', async () => {
  await c.kubectl(['label', 'node', 'sim-2', 'disktype=ssd']);
  await c.kubectl(['apply', '-f', '-'], podManifest('ssd', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
    nodeSelectorTerms: [{ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] }],
  } } } } }));
  assert.equal(await c.boundNode('ssd'), 'sim-2');
  await c.kubectl(['apply', '-f', '-'], podManifest('nvme', { spec: { nodeSelector: { disktype: 'nvme' } } }));
  assert.equal(await c.failedScheduling('nvme', /affinity/),
    "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
  await c.kubectl(['label', 'node', 'sim-0', 'disktype=nvme']);
  assert.equal(await c.boundNode('nvme'), 'sim-0');
  const wide = await c.kubectl(['get', 'pods', '-o', 'wide']);
  assert.match(wide, /nvme\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+sim-0/);
});
