// ReplicaSet status from its pods, and claiming pods (adopt, keep, release) by selector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateStatus, statusChanged, statusPatch } from '../../../src/controllers/replicaset/status.js';
import { claimObjects } from '../../../src/controllers/util/controller-ref.js';
import { selectorFromSet } from '../../../src/machinery/labels.js';
import { ApiError } from '../../../src/client/index.js';
import type { Pod, ReplicaSet } from '../../../src/controllers/util/types.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const rs = (over: Partial<ReplicaSet['spec']> = {}, status?: ReplicaSet['status']): ReplicaSet => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 2 },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } } }, ...over },
  ...(status ? { status } : {}),
});

const pod = (name: string, labels: Record<string, string>, readySince?: number, owner?: string): Pod => ({
  metadata: {
    name, namespace: 'ns', uid: `uid-${name}`, labels,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: owner, controller: true }] } : {}),
  },
  status: { phase: 'Running', conditions: readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(readySince) }] },
});

test('counts fully labelled, ready and available (after minReadySeconds) pods', () => {
  const pods = [pod('a', { app: 'web', tier: 'fe' }, 100), pod('b', { app: 'web' }, 5), pod('c', { app: 'web', tier: 'fe' })];
  const s = calculateStatus(rs({ minReadySeconds: 10 }), pods, undefined, NOW);
  assert.deepEqual(s, { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: undefined });
  assert.equal(calculateStatus(rs(), pods, undefined, NOW).availableReplicas, 2);
});

test('a manage error adds ReplicaFailure (FailedCreate below, FailedDelete above the count); success removes it', () => {
  const s = calculateStatus(rs(), [], new Error('quota exceeded'), NOW);
  assert.deepEqual(s.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: ago(0), reason: 'FailedCreate', message: 'quota exceeded' }]);
  const over = calculateStatus(rs({ replicas: 0 }), [pod('a', { app: 'web' })], new Error('nope'), NOW);
  assert.equal(over.conditions![0].reason, 'FailedDelete');
  const cleared = calculateStatus(rs({}, s), [], undefined, NOW);
  assert.equal(cleared.conditions, undefined);
});

test('status writes are skipped when nothing changed; zero counts are left out', () => {
  const cur = rs({}, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 2 });
  assert.ok(!statusChanged(cur, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3 }));
  assert.ok(statusChanged(cur, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2 }));
  assert.ok(statusChanged(rs({}, { replicas: 0, observedGeneration: 1 }), { replicas: 0 }), 'a new generation is observed');
  assert.deepEqual(statusPatch({ replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 }, 2), {
    status: { replicas: 0, fullyLabeledReplicas: null, readyReplicas: null, availableReplicas: null, observedGeneration: 2, conditions: null },
  });
});

test('claiming keeps owned matches, adopts matching orphans, releases owned non-matches, ignores others', async () => {
  const adopted: string[] = [];
  const released: string[] = [];
  let rechecks = 0;
  const owner = rs();
  const pods = [
    pod('mine', { app: 'web' }, 1, 'rs-uid'),
    pod('orphan', { app: 'web' }, 1),
    pod('orphan2', { app: 'web' }, 1),
    pod('strayed', { app: 'other' }, 1, 'rs-uid'),
    pod('theirs', { app: 'web' }, 1, 'someone-else'),
    pod('unrelated', { app: 'other' }, 1),
  ];
  const claimed = await claimObjects(pods, {
    owner, selector: selectorFromSet({ app: 'web' }),
    getFresh: async () => { rechecks++; return owner; },
    adopt: async (p) => { adopted.push(p.metadata.name!); },
    release: async (p) => { released.push(p.metadata.name!); },
  });
  assert.deepEqual(claimed.map((p) => p.metadata.name), ['mine', 'orphan', 'orphan2']);
  assert.deepEqual(adopted.sort(), ['orphan', 'orphan2']);
  assert.deepEqual(released, ['strayed']);
  assert.equal(rechecks, 1, 'the owner is re-read once per claim');
});

test('no adoption by an owner that is gone or being deleted; a vanished pod is not an error', async () => {
  const owner = rs();
  const spec = {
    owner, selector: selectorFromSet({ app: 'web' }),
    adopt: async () => { throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "orphan" not found', reason: 'NotFound', code: 404 }); },
    release: async () => {},
  };
  assert.deepEqual(await claimObjects([pod('orphan', { app: 'web' })], { ...spec, getFresh: async () => owner }), []);
  await assert.rejects(
    claimObjects([pod('orphan', { app: 'web' })], { ...spec, getFresh: async () => ({ ...owner, metadata: { ...owner.metadata, uid: 'new-uid' } }) }),
    /original .* is gone: got uid new-uid, wanted rs-uid/,
  );
  await assert.rejects(
    claimObjects([pod('orphan', { app: 'web' })], { ...spec, getFresh: async () => ({ ...owner, metadata: { ...owner.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }) }),
    /ns\/web has just been deleted at 2026-01-01T00:00:00Z/,
  );
  const deleting = { ...owner, metadata: { ...owner.metadata, deletionTimestamp: ago(1) } };
  let touched = false;
  const claimed = await claimObjects([pod('orphan', { app: 'web' }), pod('strayed', { app: 'x' }, 1, 'rs-uid')], {
    owner: deleting, selector: selectorFromSet({ app: 'web' }), getFresh: async () => deleting,
    adopt: async () => { touched = true; }, release: async () => { touched = true; },
  });
  assert.deepEqual(claimed, []);
  assert.ok(!touched, 'a deleting owner neither adopts nor releases');
});
