// Which pods a ReplicaSet gives up first when scaling down: Kubernetes' ranking, rule by rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareForDeletion, deletionCost, podsToDelete } from '../../../src/controllers/util/active-pods.js';
import type { Pod } from '../../../src/controllers/util/types.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readySince?: number; created?: number; restarts?: number; cost?: string; uid?: string } = {}): Pod {
  const ready = o.ready ?? true;
  return {
    metadata: {
      name, namespace: 'ns', uid: o.uid ?? name, creationTimestamp: ago(o.created ?? 3600),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
    },
    spec: { nodeName: o.node ?? 'n1' },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(o.readySince ?? 3000) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
}

const first = (a: Pod, b: Pod, ra = 0, rb = 0) => compareForDeletion(a, b, ra, rb, NOW) < 0;

test('unscheduled pods go before scheduled ones', () => {
  assert.ok(first(pod('a', { node: '' }), pod('b')));
  assert.ok(!first(pod('b'), pod('a', { node: '' })));
});

test('Pending before Unknown before Running', () => {
  assert.ok(first(pod('a', { phase: 'Pending' }), pod('b', { phase: 'Unknown' })));
  assert.ok(first(pod('a', { phase: 'Unknown' }), pod('b', { phase: 'Running' })));
});

test('not ready before ready', () => {
  assert.ok(first(pod('a', { ready: false }), pod('b')));
});

test('lower pod-deletion-cost first; malformed costs count as 0', () => {
  assert.ok(first(pod('a', { cost: '-5' }), pod('b')));
  assert.ok(first(pod('a', { cost: '10' }), pod('b', { cost: '20' })));
  assert.equal(deletionCost(pod('x', { cost: 'lots' })), 0);
  assert.equal(deletionCost(pod('x', { cost: '99999999999' })), 0);
  assert.equal(deletionCost(pod('x', { cost: '-7' })), -7);
});

test('a pod doubled up with more related pods on its node goes first', () => {
  assert.ok(first(pod('a'), pod('b'), 3, 1));
  const pods = [pod('lonely', { node: 'n1' }), pod('crowded', { node: 'n2' })];
  const related = [...pods, pod('x', { node: 'n2' }), pod('y', { node: 'n2' })];
  assert.deepEqual(podsToDelete(pods, related, 1, NOW).map((p) => p.metadata.name), ['crowded']);
});

test('the pod ready most recently goes first, compared on a logarithmic scale', () => {
  assert.ok(first(pod('a', { readySince: 10 }), pod('b', { readySince: 1000 })));
  // 100 s and 110 s fall in the same power-of-two bucket: the UID decides.
  assert.ok(first(pod('a', { readySince: 110, uid: 'a' }), pod('b', { readySince: 100, uid: 'b' })));
  assert.ok(!first(pod('b', { readySince: 100, uid: 'b' }), pod('a', { readySince: 110, uid: 'a' })));
});

test('more container restarts first, then the newer pod', () => {
  assert.ok(first(pod('a', { restarts: 5 }), pod('b', { restarts: 1 })));
  assert.ok(first(pod('a', { created: 60 }), pod('b', { created: 6000 })));
});

test('podsToDelete takes the n cheapest, in ranking order', () => {
  const pods = [
    pod('running-old', { created: 9000 }),
    pod('pending', { phase: 'Pending', ready: false }),
    pod('unscheduled', { node: '', phase: 'Pending', ready: false }),
    pod('not-ready', { ready: false }),
    pod('running-new', { created: 60, readySince: 50 }),
  ];
  assert.deepEqual(podsToDelete(pods, pods, 4, NOW).map((p) => p.metadata.name), ['unscheduled', 'pending', 'not-ready', 'running-new']);
  assert.equal(podsToDelete(pods, pods, 9, NOW).length, 5);
});
