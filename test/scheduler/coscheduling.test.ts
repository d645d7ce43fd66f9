// Gang scheduling: members wait at Permit until minMember are reserved, and a gang that cannot
// be completed is refused before it holds anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';
import { Code } from '../../src/scheduler/framework/interface.js';
import type { Pod } from '../../src/scheduler/types.js';

const member = (name: string): Pod => makePod(name, { gpu: '1', labels: { 'scheduling.k8ts.io/pod-group': 'train' } });

function gang(min: number, members: number): Harness {
  const h = new Harness().addNode(makeNode('a', { gpu: '2' })).addNode(makeNode('b', { gpu: '2' }));
  h.set({ kind: 'PodGroup', apiVersion: 'scheduling.k8ts.io/v1alpha1', metadata: { name: 'train', namespace: 'default' }, spec: { minMember: min } });
  for (let i = 0; i < members; i++) h.set({ ...member(`m${i}`), metadata: { ...member(`m${i}`).metadata, uid: `m${i}` } });
  return h;
}

test('a gang with fewer members than minMember is refused at PreFilter', () => {
  const h = gang(4, 3);
  assert.equal(h.schedule(member('m0')).message,
    '0/2 nodes are available: pre-filter pod m0 cannot find enough sibling pods, current pods number: 3, minMember: 4.');
});

test('a missing PodGroup is reported', () => {
  const h = new Harness().addNode(makeNode('a'));
  assert.equal(h.schedule(makePod('p', { labels: { 'scheduling.k8ts.io/pod-group': 'ghost' } })).message, '0/1 nodes are available: PodGroup default/ghost not found.');
});

test('members wait at Permit until minMember are reserved, then the last one passes', () => {
  const h = gang(3, 3);
  const permits = [];
  for (let i = 0; i < 3; i++) {
    const r = h.schedule(h.pods.get(`default/m${i}`)!);
    assert.ok(r.node);
    h.cache.assumePod(r.ctx.podInfo.withPod({ ...r.ctx.pod, spec: { ...r.ctx.pod.spec, nodeName: r.node } }), r.node!);
    permits.push(h.fwk.runPermit(r.ctx, r.node!).status.code);
  }
  assert.deepEqual(permits, [Code.Wait, Code.Wait, Code.Success]);
  assert.ok(h.activated.includes('default/m2'), 'waiting members wake the rest of the gang');
});

test('a member held too long is rejected with kube-scheduler\'s timeout message', async () => {
  const { WaitingPodImpl, goDuration } = await import('../../src/scheduler/framework/waiting-pod.js');
  const w = new WaitingPodImpl(member('m0'), 'a', new Map([['Coscheduling', 30]]));
  // The wait's own timer does not keep a process alive; this test must.
  const alive = setTimeout(() => undefined, 5000);
  const s = await w.result;
  clearTimeout(alive);
  assert.equal(s.code, Code.Unschedulable);
  assert.equal(s.message(), 'rejected due to timeout after waiting 30ms at plugin Coscheduling');
  assert.deepEqual([goDuration(5000), goDuration(60_000), goDuration(5_400_000)], ['5s', '1m0s', '1h30m0s']);
});

test('releasing one held member releases the whole gang', () => {
  const h = gang(3, 3);
  const rejected: string[] = [];
  const waiting = ['m1', 'm2'].map((n) => ({ pod: h.pods.get(`default/${n}`)!, nodeName: 'a', allow() {}, reject: (_p: string, msg: string) => rejected.push(`${n}: ${msg}`), pendingPlugins: () => ['Coscheduling'] }));
  (h.fwk.handle as { waitingPods: () => unknown[] }).waitingPods = () => waiting;
  const r = h.schedule(h.pods.get('default/m0')!);
  h.fwk.runUnreserve(r.ctx, r.node!);
  assert.deepEqual(rejected, [
    'm1: rejected due to a member of the gang default/train being unreserved',
    'm2: rejected due to a member of the gang default/train being unreserved',
  ]);
});
