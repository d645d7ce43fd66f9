// Filter plugins and the FailedScheduling message: resources (GPUs included), taints, node
// affinity, cordons, host ports; counted and sorted as kube-scheduler's FitError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';
import { numFeasibleNodesToFind } from '../../src/scheduler/schedule-pod.js';
import { fitErrorMessage } from '../../src/scheduler/fit-error.js';
import { Status } from '../../src/scheduler/framework/interface.js';

test('the message counts reasons over nodes and sorts them as kube-scheduler does', () => {
  const h = new Harness()
    .addNode(makeNode('a', { cpu: '1' }))
    .addNode(makeNode('b', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }))
    .addNode(makeNode('c', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
  const r = h.schedule(makePod('p', { cpu: '2' }));
  assert.equal(r.message, '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}.');
});

test('fit error text: prefilter message, histogram, then the PostFilter sentence', () => {
  const statuses = new Map([['a', Status.unschedulable('Insufficient memory', 'Insufficient cpu')], ['b', Status.unschedulable('Insufficient cpu')]]);
  assert.equal(
    fitErrorMessage(2, { nodeToStatus: statuses, unschedulablePlugins: new Set(), postFilterMsg: 'preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.' }),
    '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
  );
  assert.equal(fitErrorMessage(3, { nodeToStatus: statuses, unschedulablePlugins: new Set(), preFilterMsg: 'PodGroup default/g not found' }), '0/3 nodes are available: PodGroup default/g not found.');
});

test('NodeResourcesFit: cpu, memory, GPUs and pod count against allocatable minus requests', () => {
  const h = new Harness().addNode(makeNode('a', { cpu: '4', memory: '8Gi', gpu: '2', pods: '2' }));
  h.addPod(makePod('x', { cpu: '3', gpu: '1' }), 'a');
  assert.equal(h.schedule(makePod('p', { cpu: '1', gpu: '1' })).node, 'a');
  assert.equal(h.schedule(makePod('p', { cpu: '1', gpu: '2' })).message, '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
  assert.equal(h.schedule(makePod('p', { cpu: '1500m', memory: '9Gi' })).message, '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.');
  h.addPod(makePod('y'), 'a');
  assert.equal(h.schedule(makePod('p')).message, '0/1 nodes are available: 1 Too many pods.');
});

test('assumed pods count, so back-to-back decisions do not overcommit a node', () => {
  const h = new Harness().addNode(makeNode('a', { cpu: '2', gpu: '2' })).addNode(makeNode('b', { cpu: '2', gpu: '2' }));
  const placed = [1, 2, 3, 4].map((i) => h.scheduleAndAssume(makePod(`g${i}`, { gpu: '1' })));
  assert.deepEqual(placed.filter((n) => n === 'a').length, 2);
  assert.deepEqual(placed.filter((n) => n === 'b').length, 2);
  assert.equal(h.schedule(makePod('g5', { gpu: '1' })).message, '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.');
  h.cache.forgetPod('default/g1');
  assert.ok(h.schedule(makePod('g5', { gpu: '1' })).node);
});

test('TaintToleration: tolerations by Equal, Exists and effect; PreferNoSchedule only scores', () => {
  const h = new Harness()
    .addNode(makeNode('tainted', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'x', effect: 'NoExecute' }] }))
    .addNode(makeNode('soft', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }));
  assert.equal(h.schedule(makePod('p', { spec: { nodeSelector: { 'kubernetes.io/hostname': 'tainted' } } })).message,
    "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}.");
  const tolerating = makePod('p', { spec: {
    nodeSelector: { 'kubernetes.io/hostname': 'tainted' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, { key: 'x', operator: 'Exists' }],
  } });
  assert.equal(h.schedule(tolerating).node, 'tainted');
  const scores = h.scores(makePod('q', { spec: { tolerations: [{ operator: 'Exists', key: 'dedicated' }, { operator: 'Exists', key: 'x' }] } }));
  assert.ok(scores.get('tainted')! > scores.get('soft')!, `untainted beats PreferNoSchedule: ${[...scores]}`);
});

test('NodeAffinity: required terms (In, NotIn, Exists, Gt), nodeSelector, preferred weights, metadata.name', () => {
  const h = new Harness()
    .addNode(makeNode('a', { labels: { zone: 'z1', gen: '3' } }))
    .addNode(makeNode('b', { labels: { zone: 'z2', gen: '5' } }))
    .addNode(makeNode('c', { labels: { zone: 'z3' } }));
  const req = (matchExpressions: unknown[]) => makePod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: matchExpressions as never }] } } } } });
  assert.equal(h.schedule(req([{ key: 'zone', operator: 'In', values: ['z2'] }])).node, 'b');
  assert.equal(h.schedule(req([{ key: 'gen', operator: 'Gt', values: ['4'] }])).node, 'b');
  assert.equal(h.schedule(req([{ key: 'gen', operator: 'DoesNotExist' }])).node, 'c');
  assert.equal(h.schedule(req([{ key: 'zone', operator: 'NotIn', values: ['z1', 'z2', 'z3'] }])).message,
    "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
  assert.equal(h.schedule(makePod('p', { spec: { nodeSelector: { zone: 'z1' } } })).node, 'a');
  const byName = makePod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['c'] }] }] } } } } });
  assert.equal(h.schedule(byName).node, 'c');
  const pinnedElsewhere = makePod('p', { cpu: '100', spec: { affinity: byName.spec.affinity } });
  assert.equal(h.schedule(pinnedElsewhere).message, "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  const preferred = makePod('p', { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] } },
    { weight: 80, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z3'] }] } },
  ] } } } });
  const s = h.scores(preferred);
  assert.ok(s.get('c')! > s.get('a')! && s.get('a')! > s.get('b')!, String([...s]));
});

test('NodeUnschedulable keeps cordoned nodes out unless the pod tolerates it', () => {
  const h = new Harness().addNode(makeNode('a', { unschedulable: true }));
  assert.equal(h.schedule(makePod('p')).message, '0/1 nodes are available: 1 node(s) were unschedulable.');
  assert.equal(h.schedule(makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } })).node, 'a');
});

test('NodePorts: a host port is taken per protocol and address', () => {
  const h = new Harness().addNode(makeNode('a'));
  const withPort = (name: string, hostPort: number, protocol = 'TCP', hostIP?: string) => {
    const p = makePod(name);
    p.spec.containers[0].ports = [{ containerPort: 80, hostPort, protocol, hostIP }];
    return p;
  };
  h.addPod(withPort('web', 8080), 'a');
  assert.equal(h.schedule(withPort('p', 8080)).message, "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.");
  assert.equal(h.schedule(withPort('p', 8080, 'UDP')).node, 'a');
  assert.equal(h.schedule(withPort('p', 8081)).node, 'a');
  assert.equal(h.schedule(withPort('p', 8080, 'TCP', '10.0.0.1')).message, "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.");
});

test('scoring spreads by least allocated resources and prefers nodes with the image', () => {
  const h = new Harness()
    .addNode(makeNode('busy', { cpu: '4' }))
    .addNode(makeNode('idle', { cpu: '4' }));
  h.addPod(makePod('x', { cpu: '3' }), 'busy');
  const s = h.scores(makePod('p', { cpu: '500m' }));
  assert.ok(s.get('idle')! > s.get('busy')!);
  const img = new Harness()
    .addNode(makeNode('has', { images: [{ names: ['docker.io/library/big:1'], sizeBytes: 900 * 1024 * 1024 }] }))
    .addNode(makeNode('lacks'));
  const p = makePod('p');
  p.spec.containers[0].image = 'big:1';
  const si = img.scores(p);
  assert.ok(si.get('has')! > si.get('lacks')!, String([...si]));
});

test('MostAllocated packs instead of spreading', () => {
  const h = new Harness({ pluginArgs: { NodeResourcesFit: { scoringStrategy: { type: 'MostAllocated' } } }, disabled: ['NodeResourcesBalancedAllocation'] })
    .addNode(makeNode('busy', { cpu: '4' }))
    .addNode(makeNode('idle', { cpu: '4' }));
  h.addPod(makePod('x', { cpu: '2', memory: '1Gi' }), 'busy');
  const s = h.scores(makePod('p', { cpu: '500m', memory: '1Gi' }));
  assert.ok(s.get('busy')! > s.get('idle')!, String([...s]));
});

test('percentageOfNodesToScore: all of a small cluster, an adaptive share of a big one', () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
  assert.equal(numFeasibleNodesToFind(200, 10), 100);
});

test('no nodes at all says so', () => {
  assert.equal(new Harness().schedule(makePod('p')).message, '0/0 nodes are available: no nodes available to schedule pods.');
});
