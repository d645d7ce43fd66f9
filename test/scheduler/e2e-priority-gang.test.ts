// End to end: preemption by priority (PriorityClass), and a gang of GPU pods (PodGroup) that
// waits until all its members fit and then binds them together.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../src/client/index.js';
import type { Pod } from '../../src/scheduler/types.js';
import { podManifest, startSimCluster, type SimCluster } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let c: SimCluster;
before(async () => {
  c = await startSimCluster(3, 'cpu=4,memory=8Gi,pods=110,nvidia.com/gpu=2');
});
after(async () => {
  await c?.stop();
});

const pods = async (selector: string) => (await c.client.list<Pod>(resources.pods, 'default', { labelSelector: selector })).items;

test('a high-priority pod preempts a low-priority one and takes its place', async () => {
  const classes = [
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 10 },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 },
  ];
  for (const pc of classes) await c.kubectl(['apply', '-f', '-'], JSON.stringify(pc));
  for (let i = 0; i < 3; i++) {
    await c.kubectl(['apply', '-f', '-'], podManifest(`batch-${i}`, { cpu: '3', labels: { tier: 'batch' }, spec: { priorityClassName: 'low', terminationGracePeriodSeconds: 0 } }));
  }
  await waitFor('the batch pods to run', async () => (await pods('tier=batch')).filter((p) => p.status?.phase === 'Running').length === 3);
  await c.kubectl(['apply', '-f', '-'], podManifest('urgent', { cpu: '2', spec: { priorityClassName: 'high' } }));
  const node = await c.boundNode('urgent', 'default', 20000);
  const left = await pods('tier=batch');
  assert.equal(left.length, 2, 'exactly one victim');
  assert.ok(!left.some((p) => p.spec.nodeName === node), 'the victim was the pod on the chosen node');
  const events = await c.kubectl(['get', 'events', '--field-selector', 'reason=Preempted', '-o', 'jsonpath={.items[*].message}']);
  assert.match(events, /^Preempted by pod [0-9a-f-]+ on node sim-\d$/);
  // The preemptor first failed, nominated the node, then was bound there.
  const failed = await c.failedScheduling('urgent', /Insufficient cpu/);
  assert.equal(failed, '0/3 nodes are available: 3 Insufficient cpu.');
  await c.kubectl(['delete', 'pod', '-l', 'tier=batch', '--wait=true']);
  await c.kubectl(['delete', 'pod', 'urgent', '--wait=true']);
});

test('a gang of 4 GPU pods waits until 4 GPUs are free, then binds all at once', async () => {
  // Two blockers take 4 of the 6 GPUs.
  for (const [name, node] of [['block-0', 'sim-0'], ['block-1', 'sim-1']]) {
    await c.kubectl(['apply', '-f', '-'], podManifest(name, { gpu: '2', labels: { role: 'blocker' }, spec: { nodeName: node, terminationGracePeriodSeconds: 0 } }));
  }
  await c.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'scheduling.k8ts.io/v1alpha1', kind: 'PodGroup', metadata: { name: 'train', namespace: 'default' }, spec: { minMember: 4, scheduleTimeoutSeconds: 5 } }));
  for (let i = 0; i < 4; i++) {
    await c.kubectl(['apply', '-f', '-'], podManifest(`train-${i}`, { gpu: '1', labels: { 'scheduling.k8ts.io/pod-group': 'train' } }));
  }
  // Two GPUs are free, so two members could run; the gang holds them all back.
  await c.failedScheduling('train-0', /./).catch(() => undefined);
  const observed = new Set<number>();
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    observed.add((await pods('scheduling.k8ts.io/pod-group=train')).filter((p) => p.spec.nodeName).length);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual([...observed], [0], 'no member bound while the gang cannot complete');
  const pg = await c.kubectl(['get', 'podgroups', 'train']);
  assert.match(pg, /^NAME\s+MINMEMBER\s+SCHEDULED\s+PHASE\s+AGE\ntrain\s+4\s/);

  await c.kubectl(['delete', 'pod', '-l', 'role=blocker', '--wait=true']);
  const nodes = await waitFor('all 4 members bound', async () => {
    const bound = (await pods('scheduling.k8ts.io/pod-group=train')).map((p) => p.spec.nodeName).filter(Boolean);
    return bound.length === 4 && bound;
  }, { timeoutMs: 30000 });
  const perNode: Record<string, number> = {};
  for (const n of nodes) perNode[n!] = (perNode[n!] ?? 0) + 1;
  assert.ok(Object.values(perNode).every((n) => n <= 2), `no node got more than its 2 GPUs: ${JSON.stringify(perNode)}`);
  const phase = await waitFor('PodGroup status', async () => {
    const out = await c.kubectl(['get', 'podgroup', 'train', '-o', 'jsonpath={.status.phase}/{.status.scheduled}']);
    return out === 'Scheduled/4' && out;
  });
  assert.equal(phase, 'Scheduled/4');
});
