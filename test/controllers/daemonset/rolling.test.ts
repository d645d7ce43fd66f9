// The per-node plan, the rolling update plans (maxUnavailable and maxSurge) and the status of a
// DaemonSet, as pure functions of nodes and pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planNode } from '../../../src/controllers/daemonset/manage.js';
import { rollingUpdatePlan } from '../../../src/controllers/daemonset/rolling.js';
import { computeStatus, statusPatch } from '../../../src/controllers/daemonset/status.js';
import type { DaemonSet, Node, Pod } from '../../../src/controllers/daemonset/types.js';

const NOW = Date.parse('2025-05-01T10:00:00Z');
const NEW = 'newhash';
const OLD = 'oldhash';
let seq = 0;

function ds(rollingUpdate: { maxUnavailable?: number | string; maxSurge?: number | string } = { maxUnavailable: 1, maxSurge: 0 }): DaemonSet {
  return {
    metadata: { name: 'agent', namespace: 'default', uid: 'ds-uid', generation: 2 },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: {} },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate },
    },
  };
}

const nodes = (n: number): Node[] => Array.from({ length: n }, (_, i) => ({ metadata: { name: `n${i}` }, spec: {} }));

function pod(node: string, hash: string, opts: { ready?: boolean; phase?: string; deleting?: boolean; createdMs?: number } = {}): Pod {
  const ready = opts.ready ?? true;
  return {
    metadata: {
      name: `agent-${++seq}`, namespace: 'default', uid: `u${seq}`, labels: { app: 'agent', 'controller-revision-hash': hash },
      creationTimestamp: new Date(opts.createdMs ?? NOW - 3600_000).toISOString(),
      ...(opts.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {}),
    },
    spec: { nodeName: node },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(NOW - 600_000).toISOString() }] },
  };
}

function byNode(pods: Pod[]): Map<string, Pod[]> {
  const m = new Map<string, Pod[]>();
  for (const p of pods) m.set(p.spec!.nodeName!, [...(m.get(p.spec!.nodeName!) ?? []), p]);
  return m;
}

const names = (pods: Pod[]) => pods.map((p) => p.spec!.nodeName).sort();

test('planNode: a missing pod is wanted, duplicates keep the oldest, ineligible nodes lose all', () => {
  const opts = { hash: NEW, surge: false, minReadySeconds: 0, now: NOW, onFailedPod: () => true };
  assert.deepEqual(planNode({ shouldRun: true, shouldContinueRunning: true }, undefined, opts), { needsPod: true, toDelete: [] });
  const older = pod('n0', NEW, { createdMs: NOW - 5000 });
  const newer = pod('n0', NEW, { createdMs: NOW - 1000 });
  assert.deepEqual(planNode({ shouldRun: true, shouldContinueRunning: true }, [newer, older], opts).toDelete, [newer]);
  const gone = pod('n0', NEW, { deleting: true });
  assert.deepEqual(planNode({ shouldRun: false, shouldContinueRunning: false }, [older, gone], opts).toDelete, [older]);
  assert.deepEqual(planNode({ shouldRun: false, shouldContinueRunning: true }, [older], opts).toDelete, [], 'a NoSchedule taint does not evict');
  const failed = pod('n0', NEW, { phase: 'Failed' });
  assert.deepEqual(planNode({ shouldRun: true, shouldContinueRunning: true }, [failed], opts).toDelete, [failed]);
  assert.deepEqual(planNode({ shouldRun: true, shouldContinueRunning: true }, [failed], { ...opts, onFailedPod: () => false }).toDelete, [], 'in backoff');
  const done = pod('n0', NEW, { phase: 'Succeeded' });
  assert.deepEqual(planNode({ shouldRun: true, shouldContinueRunning: true }, [done], opts).toDelete, [done]);
});

test('planNode with surge: the old pod goes once the new one is available', () => {
  const opts = { hash: NEW, surge: true, minReadySeconds: 0, now: NOW, onFailedPod: () => true };
  const old = pod('n0', OLD, { createdMs: NOW - 5000 });
  const fresh = pod('n0', NEW, { createdMs: NOW - 1000, ready: false });
  assert.deepEqual(planNode({ shouldRun: true, shouldContinueRunning: true }, [old, fresh], opts).toDelete, []);
  const ready = pod('n0', NEW, { createdMs: NOW - 1000 });
  assert.deepEqual(planNode({ shouldRun: true, shouldContinueRunning: true }, [old, ready], opts).toDelete, [old]);
});

test('maxUnavailable 1 deletes one old pod at a time and waits for the replacement to be available', () => {
  const d = ds();
  const old = [pod('n0', OLD), pod('n1', OLD), pod('n2', OLD)];
  let plan = rollingUpdatePlan(d, nodes(3), byNode(old), NEW, NOW);
  assert.deepEqual(names(plan.deletePods), ['n0']);
  assert.deepEqual(plan.createOnNodes, []);
  // n0's replacement exists but is not ready yet: nothing more goes.
  plan = rollingUpdatePlan(d, nodes(3), byNode([pod('n0', NEW, { ready: false }), old[1], old[2]]), NEW, NOW);
  assert.deepEqual(plan.deletePods, []);
  // A node with no pod at all also counts as unavailable.
  plan = rollingUpdatePlan(d, nodes(3), byNode([old[1], old[2]]), NEW, NOW);
  assert.deepEqual(plan.deletePods, []);
  plan = rollingUpdatePlan(d, nodes(3), byNode([pod('n0', NEW), old[1], old[2]]), NEW, NOW);
  assert.deepEqual(names(plan.deletePods), ['n1']);
});

test('unavailable old pods are replaced regardless of the budget; percentages round up', () => {
  const plan = rollingUpdatePlan(ds(), nodes(3), byNode([pod('n0', OLD, { ready: false }), pod('n1', OLD, { ready: false }), pod('n2', OLD)]), NEW, NOW);
  // As in Kubernetes, replacing an already unavailable pod does not use the budget, so the one
  // available old pod goes too.
  assert.deepEqual(names(plan.deletePods), ['n0', 'n1', 'n2']);
  const busy = rollingUpdatePlan(ds(), nodes(3), byNode([pod('n0', NEW, { ready: false }), pod('n1', OLD, { ready: false }), pod('n2', OLD)]), NEW, NOW);
  assert.deepEqual(names(busy.deletePods), ['n1'], 'an unavailable new pod uses the budget');
  const pct = rollingUpdatePlan(ds({ maxUnavailable: '50%', maxSurge: 0 }), nodes(5), byNode(nodes(5).map((n) => pod(n.metadata.name!, OLD))), NEW, NOW);
  assert.equal(pct.deletePods.length, 3, '50% of 5 rounds up to 3');
});

test('maxSurge starts new pods beside available old ones, then removes the old ones', () => {
  const d = ds({ maxUnavailable: 0, maxSurge: 1 });
  const old = [pod('n0', OLD), pod('n1', OLD)];
  let plan = rollingUpdatePlan(d, nodes(2), byNode(old), NEW, NOW);
  assert.deepEqual(plan, { deletePods: [], createOnNodes: ['n0'] });
  plan = rollingUpdatePlan(d, nodes(2), byNode([...old, pod('n0', NEW, { ready: false })]), NEW, NOW);
  assert.deepEqual(plan, { deletePods: [], createOnNodes: [] }, 'the surge budget is used');
  plan = rollingUpdatePlan(d, nodes(2), byNode([...old, pod('n0', NEW)]), NEW, NOW);
  assert.deepEqual(names(plan.deletePods), ['n0']);
  assert.deepEqual(plan.createOnNodes, ['n1']);
});

test('status counts desired, current, ready, updated, available and misscheduled nodes', () => {
  const d = ds();
  d.spec.template.spec = { nodeSelector: { role: 'worker' } };
  const ns: Node[] = [
    { metadata: { name: 'w1', labels: { role: 'worker' } } },
    { metadata: { name: 'w2', labels: { role: 'worker' } } },
    { metadata: { name: 'w3', labels: { role: 'worker' } } },
    { metadata: { name: 'm1', labels: { role: 'master' } } },
  ];
  const status = computeStatus(d, ns, byNode([pod('w1', NEW), pod('w2', OLD, { ready: false }), pod('m1', NEW)]), NEW, NOW);
  assert.deepEqual(status, {
    desiredNumberScheduled: 3, currentNumberScheduled: 2, numberMisscheduled: 1, numberReady: 1,
    updatedNumberScheduled: 1, numberAvailable: 1, numberUnavailable: 2,
  });
  assert.deepEqual(statusPatch({ ...status, numberAvailable: 0, updatedNumberScheduled: 0 }, 2).status, {
    desiredNumberScheduled: 3, currentNumberScheduled: 2, numberMisscheduled: 1, numberReady: 1,
    updatedNumberScheduled: null, numberAvailable: null, numberUnavailable: 2, observedGeneration: 2,
  });
});
