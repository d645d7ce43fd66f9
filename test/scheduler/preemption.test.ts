// DefaultPreemption: which node and which victims, PDBs respected where possible, and the
// messages when preemption cannot help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';
import type { Pod } from '../../src/scheduler/types.js';

const prio = (p: Pod, priority: number, labels?: Record<string, string>): Pod => ({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, ...labels } }, spec: { ...p.spec, priority } });
const deleted = (h: Harness) => h.calls.filter((c) => c.method === 'DELETE').map((c) => c.name).sort();

test('evicts the fewest, least important pods on one node and nominates it', async () => {
  const h = new Harness().addNode(makeNode('a', { cpu: '4' })).addNode(makeNode('b', { cpu: '4' }));
  h.addPod(prio(makePod('a-low1', { cpu: '2' }), 1), 'a');
  h.addPod(prio(makePod('a-low2', { cpu: '2' }), 1), 'a');
  h.addPod(prio(makePod('b-mid', { cpu: '3' }), 5), 'b');
  h.addPod(prio(makePod('b-low', { cpu: '1' }), 1), 'b');
  const r = await h.scheduleWithPostFilter(prio(makePod('urgent', { cpu: '2' }), 10));
  // On a one low pod (priority 1) goes; on b the priority-5 pod would have to go.
  assert.equal(r.nominated, 'a');
  assert.equal(deleted(h).length, 1);
  assert.match(deleted(h)[0]!, /^a-low/);
  assert.equal(h.events.find((e) => e.reason === 'Preempted')?.message.startsWith('Preempted by pod uid-'), true);
  const cond = h.calls.find((c) => c.method === 'PATCH' && c.resource === 'pods')!.body as { status: { conditions: Array<{ type: string; reason: string }> } };
  assert.deepEqual(cond.status.conditions.map((c) => [c.type, c.reason]), [['DisruptionTarget', 'PreemptionByScheduler']]);
});

test('prefers victims whose eviction breaks no PodDisruptionBudget', async () => {
  const h = new Harness().addNode(makeNode('a', { cpu: '2' })).addNode(makeNode('b', { cpu: '2' }));
  h.addPod(prio(makePod('guarded', { cpu: '2' }), 1, { app: 'db' }), 'a');
  h.addPod(prio(makePod('free', { cpu: '2' }), 1, { app: 'batch' }), 'b');
  h.set({ kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0 } });
  const r = await h.scheduleWithPostFilter(prio(makePod('urgent', { cpu: '2' }), 10));
  assert.equal(r.nominated, 'b');
  assert.deepEqual(deleted(h), ['free']);
});

test('no lower-priority pods: no victims; unresolvable nodes: preemption does not help', async () => {
  const h = new Harness()
    .addNode(makeNode('a', { cpu: '1' }))
    .addNode(makeNode('t', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
  h.addPod(prio(makePod('peer', { cpu: '1' }), 10), 'a');
  const r = await h.scheduleWithPostFilter(prio(makePod('p', { cpu: '1' }), 10));
  assert.equal(r.message, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}. ' +
    'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
  assert.equal(deleted(h).length, 0);
});

test('a pod that would not fit even on an emptied node is told why', async () => {
  const h = new Harness().addNode(makeNode('a', { cpu: '2' }));
  h.addPod(prio(makePod('low', { cpu: '1' }), 0), 'a');
  const r = await h.scheduleWithPostFilter(prio(makePod('huge', { cpu: '3' }), 10));
  assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.');
});

test('preemptionPolicy Never does not preempt', async () => {
  const h = new Harness().addNode(makeNode('a', { cpu: '1' }));
  h.addPod(prio(makePod('low', { cpu: '1' }), 0), 'a');
  const p = prio(makePod('p', { cpu: '1' }), 10);
  p.spec.preemptionPolicy = 'Never';
  const r = await h.scheduleWithPostFilter(p);
  assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  assert.equal(deleted(h).length, 0);
});

test('victims are only as many as needed: higher-priority ones among them are reprieved first', async () => {
  const h = new Harness().addNode(makeNode('a', { cpu: '4' }));
  h.addPod(prio(makePod('v1', { cpu: '1' }), 1), 'a');
  h.addPod(prio(makePod('v2', { cpu: '1' }), 2), 'a');
  h.addPod(prio(makePod('v3', { cpu: '1' }), 3), 'a');
  h.addPod(prio(makePod('v4', { cpu: '1' }), 4), 'a');
  const r = await h.scheduleWithPostFilter(prio(makePod('p', { cpu: '2' }), 10));
  assert.equal(r.nominated, 'a');
  assert.deepEqual(deleted(h), ['v1', 'v2']);
});

test('evicting a lower-priority pod that the preemptor\'s anti-affinity forbids makes room', async () => {
  const h = new Harness().addNode(makeNode('only', { cpu: '8' }));
  h.addPod(prio(makePod('old-web', { cpu: '1', labels: { app: 'web' } }), 1), 'only');
  h.addPod(prio(makePod('bystander', { cpu: '1', labels: { app: 'db' } }), 1), 'only');
  const p = prio(makePod('new-web', { cpu: '1', labels: { app: 'web' } }), 100);
  p.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } };
  const r = await h.scheduleWithPostFilter(p);
  assert.equal(r.nominated, 'only');
  assert.deepEqual(deleted(h), ['old-web']);
});
