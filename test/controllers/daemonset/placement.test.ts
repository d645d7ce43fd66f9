// Where DaemonSet pods belong and how the controller shapes them: node selection by labels,
// affinity and taints; the daemon tolerations; pinning to a node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonPodTemplate } from '../../../src/controllers/daemonset/controller.js';
import {
  addDaemonTolerations, nodeShouldRunDaemonPod, pinToNode, targetNodeName,
} from '../../../src/controllers/daemonset/placement.js';
import type { DaemonPodSpec, DaemonSet, Node, Pod, Taint } from '../../../src/controllers/daemonset/types.js';

function ds(podSpec: Partial<DaemonPodSpec> = {}): DaemonSet {
  return {
    metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-uid' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'a' }], ...podSpec } },
    },
  };
}

function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } };
}

const run = (n: Node, d: DaemonSet) => nodeShouldRunDaemonPod(n, d);

test('every untainted node runs the pod', () => {
  assert.deepEqual(run(node('a'), ds()), { shouldRun: true, shouldContinueRunning: true });
});

test('an untolerated NoSchedule taint stops new pods but lets a running one stay; NoExecute evicts', () => {
  assert.deepEqual(run(node('a', {}, [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }]), ds()), { shouldRun: false, shouldContinueRunning: true });
  assert.deepEqual(run(node('a', {}, [{ key: 'gpu', effect: 'NoExecute' }]), ds()), { shouldRun: false, shouldContinueRunning: false });
  assert.deepEqual(run(node('a', {}, [{ key: 'gpu', effect: 'PreferNoSchedule' }]), ds()), { shouldRun: true, shouldContinueRunning: true });
  const tolerant = ds({ tolerations: [{ key: 'gpu', operator: 'Equal', value: 'yes', effect: 'NoSchedule' }] });
  assert.equal(run(node('a', {}, [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }]), tolerant).shouldRun, true);
  assert.equal(run(node('a', {}, [{ key: 'gpu', value: 'no', effect: 'NoSchedule' }]), tolerant).shouldRun, false);
});

test('the taints of node conditions and cordoning are tolerated by every daemon pod', () => {
  for (const key of ['node.kubernetes.io/unschedulable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure']) {
    assert.equal(run(node('a', {}, [{ key, effect: 'NoSchedule' }]), ds()).shouldRun, true, key);
  }
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    assert.equal(run(node('a', {}, [{ key, effect: 'NoExecute' }]), ds()).shouldRun, true, key);
  }
  const net = [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }];
  assert.equal(run(node('a', {}, net), ds()).shouldRun, false);
  assert.equal(run(node('a', {}, net), ds({ hostNetwork: true })).shouldRun, true, 'host-network daemons run before the pod network is up');
});

test('nodeSelector and required node affinity choose the nodes', () => {
  const sel = ds({ nodeSelector: { disk: 'ssd' } });
  assert.deepEqual(run(node('a', { disk: 'ssd' }), sel), { shouldRun: true, shouldContinueRunning: true });
  assert.deepEqual(run(node('b', { disk: 'hdd' }), sel), { shouldRun: false, shouldContinueRunning: false });
  const aff = ds({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1', 'z2'] }, { key: 'cpus', operator: 'Gt', values: ['4'] }] },
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['special'] }] },
    ] } } },
  });
  assert.equal(run(node('a', { zone: 'z1', cpus: '8' }), aff).shouldRun, true);
  assert.equal(run(node('a', { zone: 'z1', cpus: '2' }), aff).shouldRun, false);
  assert.equal(run(node('a', { zone: 'z3', cpus: '8' }), aff).shouldRun, false);
  assert.equal(run(node('special'), aff).shouldRun, true);
  assert.equal(run(node('b'), ds({ nodeName: 'a' })).shouldRun, false, 'a template naming a node runs only there');
});

test('daemon tolerations are added once, replacing an equal one', () => {
  const spec: DaemonPodSpec = { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }, { key: 'x', operator: 'Exists' }] };
  addDaemonTolerations(spec);
  addDaemonTolerations(spec);
  assert.equal(spec.tolerations!.length, 7);
  assert.deepEqual(spec.tolerations![0], { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
  assert.deepEqual(spec.tolerations![1], { key: 'x', operator: 'Exists' });
});

test('pods are pinned to their node by a metadata.name term that replaces the required terms', () => {
  const aff = pinToNode({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] }, preferredDuringSchedulingIgnoredDuringExecution: [] }, podAntiAffinity: {} }, 'n1');
  assert.deepEqual(aff, {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [],
    },
    podAntiAffinity: {},
  });
  const pod = (spec: Record<string, unknown>) => ({ metadata: { name: 'p' }, spec }) as Pod;
  assert.equal(targetNodeName(pod({ affinity: pinToNode(undefined, 'n2') })), 'n2');
  assert.equal(targetNodeName(pod({ nodeName: 'n3', affinity: pinToNode(undefined, 'n2') })), 'n3');
  assert.equal(targetNodeName(pod({})), undefined);
});

test('the pod template gets the tolerations, the hash label and the template generation label', () => {
  const t = daemonPodTemplate(ds().spec.template, 4, 'abc123');
  assert.deepEqual(t.metadata?.labels, { app: 'agent', 'pod-template-generation': '4', 'controller-revision-hash': 'abc123' });
  assert.equal((t.spec as DaemonPodSpec).tolerations!.length, 6);
  assert.equal((ds().spec.template.spec as DaemonPodSpec).tolerations, undefined, 'the DaemonSet itself is not changed');
});
