// The scheduling queue: priority then age; backoff 1 s doubling to 10 s; unschedulable pods wait
// for an event that concerns a plugin that rejected them, or for 60 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulingQueue } from '../../src/scheduler/queue.js';
import type { Pod } from '../../src/scheduler/types.js';

const pod = (name: string, priority = 0): Pod => ({ metadata: { name, namespace: 'default', uid: name }, spec: { containers: [], priority } });

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('pops the highest priority first, then the oldest', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now });
  q.add(pod('low-old', 0));
  c.advance(1);
  q.add(pod('high', 100));
  c.advance(1);
  q.add(pod('low-new', 0));
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await q.pop())!.key);
  assert.deepEqual(order, ['default/high', 'default/low-old', 'default/low-new']);
  q.close();
});

test('unschedulable pods move back only on events their rejecting plugins care about', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now, interested: (plugins, e) => plugins.has('NodeResourcesFit') && e === 'NodeAdd' });
  q.add(pod('a'));
  const qi = (await q.pop())!;
  q.requeue(qi, new Set(['NodeResourcesFit']));
  // No event happened during the attempt, so it waits as unschedulable.
  assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
  c.advance(1000); // its backoff is over
  q.moveAllToActiveOrBackoff('PvAdd');
  assert.equal(q.stats().unschedulable, 1);
  q.moveAllToActiveOrBackoff('NodeAdd');
  assert.equal(q.stats().active, 1);
  q.close();
});

test('an event during the attempt sends the failed pod to backoff instead of waiting', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now });
  q.add(pod('a'));
  const qi = (await q.pop())!;
  q.moveAllToActiveOrBackoff('NodeAdd');
  q.requeue(qi, new Set(['NodeResourcesFit']));
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
  q.close();
});

test('a pod moved while still backing off waits out its backoff first', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now });
  q.add(pod('a'));
  q.requeue((await q.pop())!, new Set(['NodeResourcesFit']));
  q.moveAllToActiveOrBackoff('NodeAdd');
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
  c.advance(1000);
  q.flushBackoffCompleted();
  assert.equal(q.stats().active, 1);
  q.close();
});

test('backoff is 1 s doubling to at most 10 s', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now });
  q.add(pod('a'));
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    const qi = (await q.pop())!;
    q.requeue(qi, new Set()); // an error: always backs off
    waits.push(qi.backoffExpiry - c.now());
    c.advance(qi.backoffExpiry - c.now() - 1);
    q.flushBackoffCompleted();
    assert.equal(q.stats().active, 0, 'not before its backoff ends');
    c.advance(1);
    q.flushBackoffCompleted();
    assert.equal(q.stats().active, 1);
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10000, 10000]);
  q.close();
});

test('pods wait as unschedulable at most 60 s', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now, interested: () => false });
  q.add(pod('a'));
  const qi = (await q.pop())!;
  q.requeue(qi, new Set(['X']));
  c.advance(59_000);
  q.flushUnschedulableLeftover();
  assert.equal(q.stats().unschedulable, 1);
  c.advance(1_000);
  q.flushUnschedulableLeftover();
  assert.equal(q.stats().active, 1);
  q.close();
});

test('a deleted pod leaves every sub-queue; an in-flight one is not requeued', async () => {
  const q = new SchedulingQueue();
  q.add(pod('a'));
  const qi = (await q.pop())!;
  q.delete('default/a');
  q.requeue(qi, new Set(['X']));
  assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  q.close();
  assert.equal(await q.pop(), undefined);
});

test('activate moves waiting pods to the active queue at once', async () => {
  const q = new SchedulingQueue({ interested: () => false });
  q.add(pod('a'));
  const qi = (await q.pop())!;
  q.requeue(qi, new Set(['Coscheduling']));
  q.activate(['default/a']);
  assert.equal(q.stats().active, 1);
  q.close();
});
