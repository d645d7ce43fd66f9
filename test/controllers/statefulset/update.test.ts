// One pass of the StatefulSet algorithm against an in-memory stand-in for the API server: the
// order pods are created, removed and replaced in, what the pass waits for, and the status it
// reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatefulPodOps } from '../../../src/controllers/statefulset/pod-control.js';
import { updateStatefulSet } from '../../../src/controllers/statefulset/update.js';
import { setPodRevision } from '../../../src/controllers/statefulset/identity.js';
import type { Pod, StatefulSet, StatefulSetStatus } from '../../../src/controllers/statefulset/types.js';

const NOW = Date.parse('2025-05-01T10:00:00Z');

function makeSet(spec: Partial<StatefulSet['spec']> = {}, image = 'nginx:1'): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid', generation: 1 },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      serviceName: 'web',
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

/** Pods by name, with the operations the algorithm asked for in order. */
class FakeCluster implements StatefulPodOps {
  pods = new Map<string, Pod>();
  ops: string[] = [];
  private uid = 0;

  async createPod(_set: StatefulSet, pod: Pod): Promise<Pod> {
    const created: Pod = structuredClone(pod);
    created.metadata.uid = `uid-${++this.uid}`;
    created.status = { phase: 'Pending' };
    this.pods.set(pod.metadata.name!, created);
    this.ops.push(`create ${pod.metadata.name}`);
    return created;
  }
  async updatePod(_set: StatefulSet, pod: Pod): Promise<void> {
    this.ops.push(`update ${pod.metadata.name}`);
  }
  async deletePod(_set: StatefulSet, pod: Pod): Promise<void> {
    const p = this.pods.get(pod.metadata.name!);
    if (p) p.metadata.deletionTimestamp = new Date(NOW).toISOString();
    this.ops.push(`delete ${pod.metadata.name}`);
  }
  async createMissingClaims(): Promise<void> {}
  claimsMatchRetentionPolicy(): boolean {
    return true;
  }
  async updateClaimsForRetentionPolicy(): Promise<void> {}
  podClaimIsStale(): boolean {
    return false;
  }

  ready(name: string): void {
    const p = this.pods.get(name)!;
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(NOW - 60_000).toISOString() }] };
  }
  /** The kubelet finished terminating every pod being deleted. */
  reap(): void {
    for (const [name, p] of this.pods) if (p.metadata.deletionTimestamp) this.pods.delete(name);
  }
  image(name: string): string {
    return ((this.pods.get(name)!.spec as { containers: Array<{ image: string }> }).containers[0]).image;
  }

  async sync(set: StatefulSet, opts: { updateSet?: StatefulSet; current?: string; update?: string } = {}): Promise<StatefulSetStatus> {
    const { status, error } = await updateStatefulSet(this, {
      set, currentSet: set, updateSet: opts.updateSet ?? set,
      currentRevision: opts.current ?? 'web-r1', updateRevision: opts.update ?? opts.current ?? 'web-r1',
      collisionCount: 0, pods: [...this.pods.values()].map((p) => structuredClone(p)), now: NOW,
    });
    if (error) throw error;
    return status;
  }
}

test('OrderedReady creates one pod at a time, each after the one before is Running and Ready', async () => {
  const c = new FakeCluster();
  const set = makeSet();
  await c.sync(set);
  assert.deepEqual(c.ops, ['create web-0']);
  await c.sync(set);
  assert.deepEqual(c.ops, ['create web-0'], 'web-1 waits while web-0 is Pending');
  c.ready('web-0');
  await c.sync(set);
  assert.deepEqual(c.ops, ['create web-0', 'create web-1']);
  c.ready('web-1');
  await c.sync(set);
  c.ready('web-2');
  const status = await c.sync(set);
  assert.deepEqual(c.ops, ['create web-0', 'create web-1', 'create web-2']);
  assert.deepEqual(
    { replicas: status.replicas, ready: status.readyReplicas, current: status.currentReplicas, updated: status.updatedReplicas, available: status.availableReplicas },
    { replicas: 3, ready: 3, current: 3, updated: 3, available: 3 },
  );
  const pod = c.pods.get('web-1')!;
  assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-1');
  assert.equal(pod.metadata.labels?.['apps.kubernetes.io/pod-index'], '1');
  assert.equal(pod.metadata.labels?.['controller-revision-hash'], 'web-r1');
  assert.equal((pod.spec as { hostname?: string }).hostname, 'web-1');
  assert.equal((pod.spec as { subdomain?: string }).subdomain, 'web');
  assert.equal(pod.metadata.ownerReferences?.[0]?.uid, 'set-uid');
});

test('Parallel creates every missing pod in one pass without waiting', async () => {
  const c = new FakeCluster();
  await c.sync(makeSet({ podManagementPolicy: 'Parallel', replicas: 4 }));
  assert.deepEqual([...c.ops].sort(), ['create web-0', 'create web-1', 'create web-2', 'create web-3']);
});

test('scale down removes the highest ordinal first and waits for it to terminate', async () => {
  const c = new FakeCluster();
  const set = makeSet();
  for (let i = 0; i < 3; i++) {
    await c.sync(set);
    c.ready(`web-${i}`);
  }
  c.ops = [];
  const down = makeSet({ replicas: 1 });
  await c.sync(down);
  assert.deepEqual(c.ops, ['delete web-2']);
  await c.sync(down);
  assert.deepEqual(c.ops, ['delete web-2'], 'web-1 stays while web-2 terminates');
  c.reap();
  await c.sync(down);
  assert.deepEqual(c.ops, ['delete web-2', 'delete web-1']);
});

test('scale down waits while a lower ordinal is unhealthy', async () => {
  const c = new FakeCluster();
  const set = makeSet();
  for (let i = 0; i < 3; i++) {
    await c.sync(set);
    c.ready(`web-${i}`);
  }
  c.pods.get('web-0')!.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] };
  c.ops = [];
  await c.sync(makeSet({ replicas: 2 }));
  assert.deepEqual(c.ops, [], 'nothing is removed while web-0 is not Ready');
});

test('a rolling update with partition 1 replaces web-2 then web-1, each after the previous is healthy, and keeps web-0', async () => {
  const c = new FakeCluster();
  const v1 = makeSet();
  for (let i = 0; i < 3; i++) {
    await c.sync(v1);
    c.ready(`web-${i}`);
  }
  const v2 = makeSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, 'nginx:2');
  const rev = { updateSet: v2, current: 'web-r1', update: 'web-r2' };
  c.ops = [];
  let status = await c.sync(v2, rev);
  assert.deepEqual(c.ops, ['delete web-2']);
  assert.equal(status.currentReplicas, 2);
  await c.sync(v2, rev);
  assert.deepEqual(c.ops, ['delete web-2'], 'one pod at a time');
  c.reap();
  await c.sync(v2, rev);
  assert.deepEqual(c.ops, ['delete web-2', 'create web-2']);
  assert.equal(c.image('web-2'), 'nginx:2');
  assert.equal(c.pods.get('web-2')!.metadata.labels?.['controller-revision-hash'], 'web-r2');
  await c.sync(v2, rev);
  assert.deepEqual(c.ops, ['delete web-2', 'create web-2'], 'web-1 waits for the new web-2 to be ready');
  c.ready('web-2');
  await c.sync(v2, rev);
  assert.deepEqual(c.ops, ['delete web-2', 'create web-2', 'delete web-1']);
  c.reap();
  await c.sync(v2, rev);
  c.ready('web-1');
  status = await c.sync(v2, rev);
  assert.deepEqual(c.ops, ['delete web-2', 'create web-2', 'delete web-1', 'create web-1']);
  assert.equal(c.image('web-0'), 'nginx:1');
  assert.equal(c.image('web-1'), 'nginx:2');
  assert.equal(status.updatedReplicas, 2);
  assert.equal(status.currentReplicas, 1);
});

test('a pod re-created below the partition gets the current revision', async () => {
  const c = new FakeCluster();
  const v2 = makeSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, 'nginx:2');
  const v1 = makeSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, 'nginx:1');
  await updateStatefulSet(c, { set: v2, currentSet: v1, updateSet: v2, currentRevision: 'web-r1', updateRevision: 'web-r2', collisionCount: 0, pods: [], now: NOW });
  assert.equal(c.image('web-0'), 'nginx:1');
  assert.equal(c.pods.get('web-0')!.metadata.labels?.['controller-revision-hash'], 'web-r1');
});

test('OnDelete leaves pods of the old revision alone', async () => {
  const c = new FakeCluster();
  const v1 = makeSet({ updateStrategy: { type: 'OnDelete' } });
  for (let i = 0; i < 3; i++) {
    await c.sync(v1);
    c.ready(`web-${i}`);
  }
  c.ops = [];
  const v2 = makeSet({ updateStrategy: { type: 'OnDelete' } }, 'nginx:2');
  await c.sync(v2, { updateSet: v2, current: 'web-r1', update: 'web-r2' });
  assert.deepEqual(c.ops, []);
});

test('maxUnavailable 2 replaces two pods at once', async () => {
  const c = new FakeCluster();
  const v1 = makeSet({ replicas: 4 });
  for (let i = 0; i < 4; i++) {
    await c.sync(v1);
    c.ready(`web-${i}`);
  }
  c.ops = [];
  const v2 = makeSet({ replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } } }, 'nginx:2');
  await c.sync(v2, { updateSet: v2, current: 'web-r1', update: 'web-r2' });
  assert.deepEqual(c.ops, ['delete web-3', 'delete web-2']);
});

test('a failed pod is deleted so that it can be made again', async () => {
  const c = new FakeCluster();
  const set = makeSet({ replicas: 1 });
  await c.sync(set);
  c.pods.get('web-0')!.status = { phase: 'Failed' };
  await c.sync(set);
  assert.deepEqual(c.ops, ['create web-0', 'delete web-0']);
  c.reap();
  await c.sync(set);
  assert.deepEqual(c.ops, ['create web-0', 'delete web-0', 'create web-0']);
});

test('a set being deleted only reports its status', async () => {
  const c = new FakeCluster();
  const set = makeSet();
  set.metadata.deletionTimestamp = new Date(NOW).toISOString();
  const status = await c.sync(set);
  assert.deepEqual(c.ops, []);
  assert.equal(status.replicas, 0);
  assert.equal(status.observedGeneration, 1);
});

test('pods whose ordinal cannot be parsed are ignored; pods with a foreign revision count as neither', async () => {
  const c = new FakeCluster();
  const set = makeSet({ replicas: 1 });
  await c.sync(set);
  c.ready('web-0');
  setPodRevision(c.pods.get('web-0')!, 'web-old');
  c.pods.set('web', { metadata: { name: 'web', namespace: 'default', uid: 'stray' }, status: { phase: 'Running' } });
  const status = await c.sync(set);
  assert.equal(status.replicas, 1, 'the pod named without an ordinal is not counted');
  assert.equal(status.currentReplicas, 0);
  assert.deepEqual(c.ops, ['create web-0', 'delete web-0'], 'a pod at another revision is replaced by the rolling update');
});
