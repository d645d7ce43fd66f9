// Kubelet admission decisions: which pods fit the node beside the ones admitted before, and the
// reason and message Kubernetes gives the ones that do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admissionFailures, isExtendedResource, PodAdmitter } from '../../../src/kubelet/pod/admission.js';
import type { Container, Node, Pod } from '../../../src/kubelet/types.js';

const node = (extra: { allocatable?: Record<string, string>; labels?: Record<string, string>; taints?: Array<{ key: string; value?: string; effect: string }> } = {}): Node => ({
  metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', zone: 'a', ...extra.labels } },
  spec: { taints: extra.taints },
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '3', 'ephemeral-storage': '10Gi', ...extra.allocatable } },
});
let n = 0;
const pod = (requests: Record<string, string> = {}, spec: Record<string, unknown> = {}, init: Container[] = []): Pod => ({
  metadata: { name: `p${++n}`, uid: `u${n}` },
  spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { requests } }], initContainers: init, ...spec },
});
const first = (p: Pod, nd: Node, others: Pod[] = []) => admissionFailures(p, nd, others)[0];

test('resources: cpu in millicores, memory in bytes, against allocatable less what admitted pods request', () => {
  assert.deepEqual(first(pod({ cpu: '4' }), node()), {
    reason: 'OutOfcpu', message: 'Node didn\'t have enough resource: cpu, requested: 4000, used: 0, capacity: 2000',
  });
  const big = pod({ memory: '3Gi' });
  assert.equal(first(pod({ memory: '1Gi' }), node(), [big]), undefined, 'exactly fits');
  assert.deepEqual(first(pod({ memory: '1536Mi' }), node(), [big]), {
    reason: 'OutOfmemory', message: 'Node didn\'t have enough resource: memory, requested: 1610612736, used: 3221225472, capacity: 4294967296',
  });
  assert.equal(first(pod({ 'ephemeral-storage': '20Gi' }), node())?.reason, 'OutOfephemeral-storage');
  // An init container that needs more than the app containers sets the pod's request.
  assert.equal(first(pod({ cpu: '1' }, {}, [{ name: 'init', resources: { requests: { cpu: '3' } } }]), node())?.message,
    'Node didn\'t have enough resource: cpu, requested: 3000, used: 0, capacity: 2000');
});

test('the pods count comes first, and a pod with no requests only needs a free slot', () => {
  const three = [pod(), pod(), pod()];
  assert.deepEqual(first(pod({ cpu: '4' }), node(), three), {
    reason: 'OutOfpods', message: 'Node didn\'t have enough resource: pods, requested: 1, used: 3, capacity: 3',
  });
  assert.equal(first(pod(), node(), three.slice(1)), undefined);
});

test('extended resources the node has are counted; ones it does not have are left to the cluster', () => {
  const gpuNode = node({ allocatable: { 'nvidia.com/gpu': '1' } });
  assert.deepEqual(first(pod({ 'nvidia.com/gpu': '2' }), gpuNode), {
    reason: 'OutOfnvidia.com/gpu', message: 'Node didn\'t have enough resource: nvidia.com/gpu, requested: 2, used: 0, capacity: 1',
  });
  assert.equal(first(pod({ 'nvidia.com/gpu': '1' }), gpuNode, [pod({ 'nvidia.com/gpu': '1' })])?.reason, 'OutOfnvidia.com/gpu');
  assert.equal(first(pod({ 'nvidia.com/gpu': '1' }), gpuNode), undefined);
  assert.equal(first(pod({ 'example.com/license': '5' }), node()), undefined, 'not on this node at all: admitted');
  assert.equal(isExtendedResource('nvidia.com/gpu'), true);
  assert.equal(isExtendedResource('hugepages-2Mi'), false);
  assert.equal(isExtendedResource('kubernetes.io/something'), false);
});

test('node selector and required node affinity', () => {
  assert.deepEqual(first(pod({}, { nodeSelector: { zone: 'b' } }), node()), {
    reason: 'NodeAffinity', message: 'Predicate NodeAffinity failed: node(s) didn\'t match Pod\'s node affinity/selector',
  });
  assert.equal(first(pod({}, { nodeSelector: { zone: 'a' } }), node()), undefined);
  const affinity = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  assert.equal(first(pod({}, affinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }])), node()), undefined, 'terms are ORed');
  assert.equal(first(pod({}, affinity([{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }])), node())?.reason, 'NodeAffinity');
  assert.equal(first(pod({}, affinity([{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }, { key: 'zone', operator: 'NotIn', values: ['b'] }] }])), node()), undefined);
  assert.equal(first(pod({}, affinity([{}])), node())?.reason, 'NodeAffinity', 'an empty term matches nothing');
  assert.equal(first(pod({}, affinity([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }])), node({ labels: { cores: '16' } })), undefined);
  assert.deepEqual(first({ ...pod(), metadata: { name: 'w', uid: 'w', labels: { 'kubernetes.io/os': 'windows' } } }, node()), {
    reason: 'PodOSSelectorNodeLabelDoesNotMatch', message: 'Failed to admit pod as the `kubernetes.io/os` label doesn\'t match node label',
  });
  assert.equal(first(pod({}, { os: { name: 'windows' } }), node())?.reason, 'PodOSNotSupported');
});

test('taints: only NoExecute ones stop the kubelet, unless tolerated', () => {
  const tainted = node({ taints: [{ key: 'maintenance', value: 'true', effect: 'NoExecute' }, { key: 'dedicated', value: 'x', effect: 'NoSchedule' }] });
  assert.deepEqual(first(pod(), tainted), {
    reason: 'TaintToleration', message: 'Predicate TaintToleration failed: node(s) had taints that the pod didn\'t tolerate',
  });
  assert.equal(first(pod({}, { tolerations: [{ key: 'maintenance', operator: 'Equal', value: 'true' }] }), tainted), undefined);
  assert.equal(first(pod({}, { tolerations: [{ operator: 'Exists' }] }), tainted), undefined);
  assert.equal(first(pod({}, { tolerations: [{ key: 'maintenance', value: 'false', effect: 'NoExecute' }] }), tainted)?.reason, 'TaintToleration');
  assert.equal(first(pod(), node({ taints: [{ key: 'dedicated', effect: 'NoSchedule' }] })), undefined, 'NoSchedule is the scheduler\'s');
});

test('host ports already taken by an admitted pod', () => {
  const web = (hostIP?: string) => pod({}, { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080, ...(hostIP ? { hostIP } : {}) }] }] });
  assert.deepEqual(first(web(), node(), [web()]), { reason: 'NodePorts', message: 'Predicate NodePorts failed: node(s) didn\'t have free ports for the requested pod ports' });
  assert.equal(first(web('10.0.0.1'), node(), [web('10.0.0.2')]), undefined);
});

test('the admitter counts the pods it admitted while they are active, and decides one pod at a time', async () => {
  const current = node({ allocatable: { cpu: '1' } });
  let fetched = 0;
  const admitter2 = new PodAdmitter({ node: () => current, fetchNode: async () => current });
  const c = pod({ cpu: '600m' });
  const d = pod({ cpu: '600m' });
  const all = () => true;
  const results = await Promise.all([admitter2.admit(c, all), admitter2.admit(d, all)]);
  assert.deepEqual(results.map((r) => r.admit).sort(), [false, true], 'the last 600m cannot go to both');
  admitter2.forget(c.metadata.uid!);
  admitter2.forget(d.metadata.uid!);
  assert.equal((await admitter2.admit(pod({ cpu: '600m' }), all)).admit, true, 'forgotten pods free their share');
  assert.equal((await admitter2.admit(pod({ cpu: '600m' }), () => false)).admit, true, 'finished pods do not count');

  // A pod failing only on labels gets a second look at the node read from the API server.
  const labelled = pod({}, { nodeSelector: { disk: 'ssd' } });
  const admitter3 = new PodAdmitter({ node: () => current, fetchNode: async () => (fetched++, node({ labels: { disk: 'ssd' } })) });
  assert.equal((await admitter3.admit(labelled, all)).admit, true);
  assert.equal(fetched, 1);
});
