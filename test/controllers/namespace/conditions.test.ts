// The deletion conditions a terminating namespace reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentConditions, mergeConditions, type ContentResult } from '../../../src/controllers/namespace/index.js';

const empty = (): ContentResult => ({ discoveryFailures: new Map(), deletionFailures: new Map(), remaining: new Map(), finalizers: new Map(), estimateSeconds: 0 });

test('an emptied namespace reports the five conditions False with Kubernetes\' reasons', () => {
  const conds = contentConditions(empty());
  assert.deepEqual(conds.map((c) => [c.type, c.status, c.reason]), [
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
    ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
    ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
  ]);
});

test('remaining content and finalizers are counted in the messages, sorted by resource', () => {
  const r = empty();
  r.remaining.set('pods.', 2);
  r.remaining.set('configmaps.', 1);
  r.finalizers.set('example.com/hold', 3);
  r.deletionFailures.set('widgets.example.com', 'the server is on fire');
  r.discoveryFailures.set('example.com/v1', 'unavailable');
  const byType = new Map(contentConditions(r).map((c) => [c.type, c]));
  assert.equal(byType.get('NamespaceContentRemaining')!.message, 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances');
  assert.equal(byType.get('NamespaceContentRemaining')!.reason, 'SomeResourcesRemain');
  assert.equal(byType.get('NamespaceFinalizersRemaining')!.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances');
  assert.equal(byType.get('NamespaceDeletionContentFailure')!.message, 'Failed to delete all resource types, 1 remaining: widgets.example.com: the server is on fire');
  assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')!.message, 'Discovery failed for some groups, 1 failing: example.com/v1: unavailable');
  assert.ok([...byType.values()].filter((c) => c.type !== 'NamespaceDeletionGroupVersionParsingFailure').every((c) => c.status === 'True'));
});

test('merging keeps lastTransitionTime while the status holds, and reports no change when nothing changed', () => {
  const r = empty();
  r.remaining.set('pods.', 2);
  const first = mergeConditions(undefined, contentConditions(r), 't1')!;
  assert.ok(first.every((c) => c.lastTransitionTime === 't1'));
  assert.equal(mergeConditions(first, contentConditions(r), 't2'), undefined);
  r.remaining.set('pods.', 1);
  const second = mergeConditions(first, contentConditions(r), 't2')!;
  const remaining = second.find((c) => c.type === 'NamespaceContentRemaining')!;
  assert.equal(remaining.message, 'Some resources are remaining: pods. has 1 resource instances');
  assert.equal(remaining.lastTransitionTime, 't1', 'still True: the transition time stays');
  r.remaining.clear();
  const third = mergeConditions(second, contentConditions(r), 't3')!;
  assert.equal(third.find((c) => c.type === 'NamespaceContentRemaining')!.lastTransitionTime, 't3');
});
