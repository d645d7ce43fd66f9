import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue, runWorkers } from '../../src/client/workqueue.js';
import {
  BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, TokenBucket, defaultControllerRateLimiter,
} from '../../src/client/rate-limiter.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a key added many times while waiting is handed out once, in FIFO order', async () => {
  const q = new WorkQueue<string>();
  q.add('a'); q.add('b'); q.add('a'); q.add('c'); q.add('b');
  assert.equal(q.length(), 3);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
  assert.equal(q.length(), 0);
  q.shutDown();
});

test('a key being processed is not handed out again until done, then comes back once', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const k = await q.get();
  assert.equal(k, 'a');
  q.add('a');
  q.add('a');
  assert.equal(q.length(), 0, 'key in flight must not be queued');
  let second: string | undefined;
  const pending = q.get().then((v) => (second = v));
  await sleep(5);
  assert.equal(second, undefined, 'a second worker must not get the key while it is processed');
  q.done('a');
  await pending;
  assert.equal(second, 'a');
  q.done('a');
  assert.equal(q.length(), 0);
  q.shutDown();
});

test('workers never process one key concurrently and re-added keys are processed again', async () => {
  const q = new WorkQueue<string>();
  const active = new Set<string>();
  const processed: string[] = [];
  let overlap = false;
  const keys = ['k0', 'k1', 'k2'];
  const workers = runWorkers(q, 4, async (key) => {
    if (active.has(key)) overlap = true;
    active.add(key);
    await sleep(3);
    processed.push(key);
    active.delete(key);
  });
  for (let round = 0; round < 10; round++) {
    for (const k of keys) q.add(k);
    await sleep(1);
  }
  await sleep(50);
  q.shutDown();
  await workers;
  assert.equal(overlap, false);
  for (const k of keys) {
    const n = processed.filter((p) => p === k).length;
    assert.ok(n >= 2, `${k} processed ${n} times; adds during processing must cause another pass`);
    assert.ok(n <= 10, `${k} processed ${n} times for 10 adds`);
  }
});

test('addAfter delays a key; the earliest of several pending delays wins', async () => {
  const q = new WorkQueue<string>();
  const t0 = performance.now();
  q.addAfter('late', 40);
  q.addAfter('soon', 200);
  q.addAfter('soon', 10);
  q.addAfter('soon', 300);
  assert.equal(q.length(), 0);
  assert.equal(await q.get(), 'soon');
  const t1 = performance.now() - t0;
  assert.ok(t1 >= 9 && t1 < 150, `soon came after ${t1} ms`);
  assert.equal(await q.get(), 'late');
  assert.ok(performance.now() - t0 >= 38);
  q.addAfter('now', 0);
  assert.equal(q.length(), 1);
  q.shutDown();
});

test('per-key exponential backoff: 5 ms doubling, capped at 1000 s, reset by forget', () => {
  const l = new ItemExponentialFailureRateLimiter<string>(5, 1000_000);
  assert.deepEqual([l.when('a'), l.when('a'), l.when('a'), l.when('a')], [5, 10, 20, 40]);
  assert.equal(l.when('b'), 5, 'keys back off independently');
  assert.equal(l.numRequeues('a'), 4);
  for (let i = 0; i < 2000; i++) l.when('a');
  assert.equal(l.when('a'), 1000_000);
  l.forget('a');
  assert.equal(l.numRequeues('a'), 0);
  assert.equal(l.when('a'), 5);
});

test('token bucket: a burst of 100 passes at once, then 10 per second', () => {
  let now = 0;
  const b = new BucketRateLimiter<string>(10, 100, () => now);
  for (let i = 0; i < 100; i++) assert.equal(b.when(`k${i}`), 0);
  assert.equal(Math.round(b.when('x')), 100);
  assert.equal(Math.round(b.when('y')), 200);
  now += 1000; // ten tokens come back, two of them already owed
  for (let i = 0; i < 8; i++) assert.equal(b.when(`z${i}`), 0);
  assert.equal(Math.round(b.when('w')), 100);

  const t = new TokenBucket(1, 2, () => now);
  assert.equal(t.tryAccept(), true);
  assert.equal(t.tryAccept(), true);
  assert.equal(t.tryAccept(), false, 'tryAccept does not borrow');
  now += 1000;
  assert.equal(t.tryAccept(), true);
});

test('the default controller limiter takes the larger of backoff and bucket', () => {
  let now = 0;
  const l = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 1000_000), new BucketRateLimiter<string>(10, 100, () => now));
  for (let i = 0; i < 100; i++) assert.equal(l.when(`k${i}`), 5);
  assert.equal(Math.round(l.when('k100')), 100, 'the bucket is empty: the overall limit wins over 5 ms');
  now += 60_000; // the bucket refills; the per-key backoff of k0 is now the larger
  assert.equal(l.when('k0'), 10);
  const d = defaultControllerRateLimiter<string>(() => now);
  assert.equal(d.when('x'), 5);
  assert.equal(d.when('x'), 10);
  d.forget('x');
  assert.equal(d.numRequeues('x'), 0);
});

test('addRateLimited requeues with growing delays; forget starts over', async () => {
  const q = new WorkQueue<string>({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(20, 1000) });
  const t0 = performance.now();
  q.addRateLimited('a'); // 20 ms
  assert.equal(await q.get(), 'a');
  const first = performance.now() - t0;
  q.done('a');
  const t1 = performance.now();
  q.addRateLimited('a'); // 40 ms
  assert.equal(await q.get(), 'a');
  const second = performance.now() - t1;
  q.done('a');
  assert.ok(first >= 18, `first retry after ${first} ms`);
  assert.ok(second >= 38, `second retry after ${second} ms`);
  assert.equal(q.numRequeues('a'), 2);
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
  q.shutDown();
});

test('shutDown: queued keys still drain, new and delayed adds are dropped, get answers undefined', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.addAfter('later', 10);
  const waiting = new WorkQueue<string>();
  const blocked = waiting.get();
  waiting.shutDown();
  assert.equal(await blocked, undefined, 'a blocked get is released by shutDown');
  q.shutDown();
  q.add('b');
  assert.equal(q.isShuttingDown(), true);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), undefined);
  await sleep(20);
  assert.equal(q.length(), 0, 'delayed adds are dropped on shutdown');
});

test('shutDownWithDrain waits for keys in flight', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const k = await q.get();
  let drained = false;
  const p = q.shutDownWithDrain().then(() => (drained = true));
  await sleep(5);
  assert.equal(drained, false);
  q.done(k!);
  await p;
  assert.equal(drained, true);
});

test('runWorkers requeues failures with backoff, forgets successes, and drops after maxRetries', async () => {
  const q = new WorkQueue<string>({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(1, 50) });
  const attempts = new Map<string, number>();
  const errors: Array<[string, number]> = [];
  const workers = runWorkers(q, 2, async (key) => {
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (key === 'flaky' && n < 3) throw new Error('not yet');
    if (key === 'broken') throw new Error('never');
  }, { maxRetries: 4, onError: (key, _err, retries) => errors.push([key, retries]) });
  q.add('ok'); q.add('flaky'); q.add('broken');
  await sleep(150);
  q.shutDown();
  await workers;
  assert.equal(attempts.get('ok'), 1);
  assert.equal(attempts.get('flaky'), 3);
  assert.equal(q.numRequeues('flaky'), 0, 'success forgets the failures');
  assert.equal(attempts.get('broken'), 5, 'first try plus four retries');
  assert.equal(q.numRequeues('broken'), 0, 'dropped keys are forgotten');
  assert.deepEqual(errors.filter(([k]) => k === 'broken').map(([, r]) => r), [0, 1, 2, 3, 4]);
});
