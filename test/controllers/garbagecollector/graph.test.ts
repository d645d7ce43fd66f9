// The garbage collector's ownership graph and kind-to-resource mapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../src/client/index.js';
import type { KObject, OwnerReference } from '../../../src/api/resource.js';
import {
  isDeletingDependents, isOrphaning, nodeOf, OwnershipGraph, RestMapper,
} from '../../../src/controllers/garbagecollector/index.js';

const owner = (name: string, uid: string, block = false): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid, blockOwnerDeletion: block });

function obj(name: string, uid: string, owners: OwnerReference[] = [], extra: Partial<KObject['metadata']> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid, ownerReferences: owners, ...extra } };
}

test('dependents are indexed by owner uid, also while the owner is absent', () => {
  const g = new OwnershipGraph();
  g.upsert(nodeOf(resources.pods, obj('a', 'u-a', [owner('rs', 'u-rs', true)]))!);
  g.upsert(nodeOf(resources.pods, obj('b', 'u-b', [owner('rs', 'u-rs')]))!);
  assert.equal(g.get('u-rs'), undefined, 'the owner itself is not known');
  assert.deepEqual(g.dependents('u-rs').map((n) => n.identity.name).sort(), ['a', 'b']);
  assert.deepEqual(g.blockingDependents('u-rs').map((n) => n.identity.name), ['a']);
});

test('changing or dropping ownerReferences moves a dependent between owners', () => {
  const g = new OwnershipGraph();
  g.upsert(nodeOf(resources.pods, obj('a', 'u-a', [owner('one', 'u-1')]))!);
  g.upsert(nodeOf(resources.pods, obj('a', 'u-a', [owner('two', 'u-2', true)]))!);
  assert.deepEqual(g.dependents('u-1'), []);
  assert.deepEqual(g.blockingDependents('u-2').map((n) => n.identity.name), ['a']);
  g.upsert(nodeOf(resources.pods, obj('a', 'u-a', []))!);
  assert.deepEqual(g.dependents('u-2'), []);
  g.upsert(nodeOf(resources.pods, obj('a', 'u-a', [owner('one', 'u-1')]))!);
  g.remove('u-a');
  assert.deepEqual(g.dependents('u-1'), [], 'a removed object is no one\'s dependent');
  assert.equal(g.size, 0);
});

test('nodes carry identity, deletion state and finalizers', () => {
  const n = nodeOf(resources.deployments, {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod', uid: 'u-d', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] },
  })!;
  assert.deepEqual([n.identity.kind, n.identity.namespace, n.identity.name, n.identity.apiVersion], ['Deployment', 'prod', 'web', 'apps/v1']);
  assert.equal(isDeletingDependents(n), true);
  assert.equal(isOrphaning(n), false);
  assert.equal(isOrphaning({ deletionTimestamp: 'x', finalizers: ['orphan'] }), true);
  assert.equal(isDeletingDependents({ finalizers: ['foregroundDeletion'] }), false, 'a finalizer without deletion does nothing yet');
  assert.equal(nodeOf(resources.pods, { metadata: { name: 'no-uid' } }), undefined);
});

test('the REST mapper finds resources by group and kind, whatever the version', () => {
  const m = new RestMapper([
    { ref: resources.deployments, verbs: ['list'] },
    { ref: resources.pods, verbs: ['list'] },
    { ref: resources.horizontalpodautoscalers, verbs: ['list'] },
  ]);
  assert.equal(m.resourceFor('apps/v1', 'Deployment'), resources.deployments);
  assert.equal(m.resourceFor('v1', 'Pod'), resources.pods);
  assert.equal(m.resourceFor('autoscaling/v1', 'HorizontalPodAutoscaler'), resources.horizontalpodautoscalers);
  assert.equal(m.resourceFor('apps/v1', 'Pod'), undefined, 'kinds are per group');
  assert.equal(m.resourceFor('example.com/v1', 'Widget'), undefined);
});
