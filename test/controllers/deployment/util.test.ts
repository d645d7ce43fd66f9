// Deployment arithmetic: fenceposts, revisions, finding the new ReplicaSet, proportional scaling,
// the pod-template-hash, and our-own-writes caching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  equalIgnoreHash, findNewReplicaSet, maxSurge, maxUnavailable, resolveFenceposts, scaledValue, setNewReplicaSetAnnotations,
  deploymentTimedOut, setCondition, newCondition,
} from '../../../src/controllers/deployment/util.js';
import { computeHash } from '../../../src/controllers/deployment/hash.js';
import { newRSNewReplicas } from '../../../src/controllers/deployment/controller.js';
import { scale } from '../../../src/controllers/deployment/sync.js';
import { MutationCache } from '../../../src/controllers/util/mutation-cache.js';
import type { DeploymentController } from '../../../src/controllers/deployment/controller.js';
import type { Deployment, ReplicaSet } from '../../../src/controllers/util/types.js';

function deployment(replicas: number, maxSurge: number | string = '25%', maxUnavailable: number | string = '25%', extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: 1, annotations: {} },
    spec: {
      replicas, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } },
      ...extra,
    },
  };
}

function replicaSet(name: string, replicas: number, o: { created?: string; image?: string; available?: number; annotations?: Record<string, string> } = {}): ReplicaSet {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z', annotations: o.annotations ?? {} },
    spec: {
      replicas,
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1.25' }] } },
    },
    status: { replicas, availableReplicas: o.available ?? replicas },
  };
}

test('percentages: surge rounds up, unavailability down; both zero means one unavailable', () => {
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
  assert.equal(scaledValue(4, 10, true), 4);
  assert.throws(() => scaledValue('25', 10, true), /string is not a percentage/);
  assert.deepEqual(resolveFenceposts('10%', '10%', 5), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts(0, '10%', 5), { surge: 0, unavailable: 1 });
  assert.equal(maxSurge(deployment(10)), 3);
  assert.equal(maxUnavailable(deployment(10)), 2);
  assert.equal(maxUnavailable(deployment(2, 0, 5)), 2, 'never more than the replicas');
  assert.equal(maxUnavailable(deployment(0)), 0);
  const recreate = deployment(10, 3, 3, { strategy: { type: 'Recreate' } });
  assert.equal(maxSurge(recreate), 0);
  assert.equal(maxUnavailable(recreate), 0);
});

test('the new ReplicaSet may grow to replicas + maxSurge in all', () => {
  const d = deployment(10, 3, 2);
  const old = replicaSet('old', 10);
  const fresh = replicaSet('new', 0, { image: 'nginx:1.26' });
  assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 3);
  old.spec.replicas = 8;
  fresh.spec.replicas = 3;
  assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 5);
  old.spec.replicas = 0;
  assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 10, 'never above the replicas');
  assert.equal(newRSNewReplicas({ ...d, spec: { ...d.spec, strategy: { type: 'Recreate' } } }, [old, fresh], fresh), 10);
});

test('the new ReplicaSet is the oldest whose template matches, ignoring pod-template-hash', () => {
  const d = deployment(3);
  const a = replicaSet('a', 1, { image: 'nginx:1.26', created: '2026-01-02T00:00:00Z' });
  const b = replicaSet('b', 1, { image: 'nginx:1.26', created: '2026-01-01T00:00:00Z' });
  const c = replicaSet('c', 1);
  assert.equal(findNewReplicaSet(d, [a, b, c])?.metadata.name, 'b');
  assert.equal(findNewReplicaSet(d, [c]), undefined);
  // Empty maps and lists equal absent ones, as Kubernetes' semantic equality has it.
  assert.ok(equalIgnoreHash({ metadata: { labels: { x: '1' }, annotations: {} }, spec: { volumes: [] } }, { metadata: { labels: { x: '1', 'pod-template-hash': 'h' } }, spec: {} }));
  assert.ok(!equalIgnoreHash({ metadata: { labels: { x: '1' } } }, { metadata: { labels: { x: '2' } } }));
});

test('revision annotations: a rollback moves the old revision into revision-history', () => {
  const d = deployment(3);
  d.metadata.annotations = { 'kubernetes.io/change-cause': 'kubectl set image', 'deployment.kubernetes.io/revision': '9', 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
  const created = replicaSet('n', 0, { annotations: {} });
  assert.ok(setNewReplicaSetAnnotations(d, created, '4', false));
  assert.deepEqual(created.metadata.annotations, {
    'kubernetes.io/change-cause': 'kubectl set image', 'deployment.kubernetes.io/revision': '4',
    'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
  });
  const reused = replicaSet('r', 0, { annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/revision-history': '' } });
  assert.ok(setNewReplicaSetAnnotations(deployment(3), reused, '3', true));
  assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
  assert.ok(setNewReplicaSetAnnotations(deployment(3), reused, '5', true));
  assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,3');
  assert.ok(!setNewReplicaSetAnnotations(deployment(3), reused, '5', true), 'nothing more to change');
  // The history is trimmed from the front to stay under the limit.
  assert.ok(setNewReplicaSetAnnotations(deployment(3), reused, '6', true, 3));
  assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '3,5');
});

test('the pod-template-hash: 10 safe characters, stable, changed by the template and by collisions', () => {
  const t = deployment(1).spec.template;
  const h = computeHash(t);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  assert.equal(computeHash(structuredClone(t)), h);
  assert.notEqual(computeHash(t, 1), h);
  assert.notEqual(computeHash(t, 1), computeHash(t, 2));
  assert.notEqual(computeHash({ ...t, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } }), h);
});

test('scaling mid-rollout shares the change in proportion (the Kubernetes docs example)', async () => {
  // 10 replicas, maxSurge 3: old 8 and new 5 (13 = 10 + 3). Scaled to 15: 5 more, 3 old and 2 new.
  const d = deployment(15, 3, 2);
  const old = replicaSet('old', 8, { created: '2026-01-01T00:00:00Z', available: 8, annotations: { 'deployment.kubernetes.io/max-replicas': '13', 'deployment.kubernetes.io/desired-replicas': '10' } });
  const fresh = replicaSet('new', 5, { image: 'nginx:1.26', created: '2026-01-02T00:00:00Z', available: 0, annotations: { 'deployment.kubernetes.io/max-replicas': '13', 'deployment.kubernetes.io/desired-replicas': '10' } });
  const sizes = new Map<string, { to: number; op: string }>();
  const fake = {
    scaleReplicaSet: async (rs: ReplicaSet, to: number, _d: Deployment, op: string) => { sizes.set(rs.metadata.name!, { to, op }); return { scaled: true, rs }; },
    scaleReplicaSetAndRecordEvent: async () => { throw new Error('not expected'); },
  } as unknown as DeploymentController;
  await scale(fake, d, fresh, [old]);
  assert.deepEqual(Object.fromEntries(sizes), { old: { to: 11, op: 'up' }, new: { to: 7, op: 'up' } });

  // And back down to 10: old first for equal shares, leftovers to the biggest.
  sizes.clear();
  const down = deployment(10, 3, 2);
  const o2 = { ...old, spec: { ...old.spec, replicas: 11 }, metadata: { ...old.metadata, annotations: { 'deployment.kubernetes.io/max-replicas': '18' } } };
  const n2 = { ...fresh, spec: { ...fresh.spec, replicas: 7 }, metadata: { ...fresh.metadata, annotations: { 'deployment.kubernetes.io/max-replicas': '18' } } };
  await scale(fake, down, n2, [o2]);
  assert.deepEqual(Object.fromEntries(sizes), { old: { to: 8, op: 'down' }, new: { to: 5, op: 'down' } });
});

test('a rollout times out progressDeadlineSeconds after its last progress', () => {
  const d = deployment(1, 1, 0, { progressDeadlineSeconds: 60 });
  const status = {};
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  setCondition(status, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'x', t0));
  assert.ok(!deploymentTimedOut(d, status, t0 + 60_000));
  assert.ok(deploymentTimedOut(d, status, t0 + 61_000));
  setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'done', t0));
  assert.ok(!deploymentTimedOut(d, status, t0 + 600_000), 'a finished rollout never times out');
});

test('the mutation cache prefers our newer writes until the informer catches up', () => {
  let now = 0;
  const cache = new MutationCache<ReplicaSet>(1000, () => now);
  const cached = replicaSet('a', 1);
  cached.metadata.resourceVersion = '10';
  const written = { ...cached, metadata: { ...cached.metadata, resourceVersion: '12' }, spec: { ...cached.spec, replicas: 3 } };
  cache.mutated(written);
  assert.equal(cache.newest(cached).spec.replicas, 3);
  const created = replicaSet('b', 2);
  created.metadata.resourceVersion = '13';
  cache.mutated(created);
  assert.deepEqual(cache.overlay([cached], () => true).map((r) => r.metadata.name), ['a', 'b']);
  assert.deepEqual(cache.overlay([cached], () => false).map((r) => r.metadata.name), ['a']);
  const caughtUp = { ...cached, metadata: { ...cached.metadata, resourceVersion: '12' } };
  assert.equal(cache.newest(caughtUp), caughtUp, 'same version: the cache wins');
  cache.mutated(written);
  now = 1000;
  assert.equal(cache.newest(cached), cached, 'expired');
  cache.forget('uid-b');
  assert.deepEqual(cache.overlay([], () => true), []);
});
