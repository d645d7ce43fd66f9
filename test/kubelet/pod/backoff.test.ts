import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackOff, goDuration } from '../../../src/kubelet/pod/backoff.js';

test('crash-loop back-off: first restart at once, then 10s doubling to 5m, reset after 10 idle minutes', () => {
  let now = 1_000_000;
  const b = new BackOff(10_000, 300_000, () => now);
  const key = 'uid/c';
  // First exit: no entry yet, so no back-off; the restart records one.
  assert.equal(b.isInBackOffSince(key, now), false);
  b.next(key, now);
  assert.equal(b.get(key), 10_000);
  // Second exit right after: within 10s of it.
  const exit2 = now + 1000;
  now = exit2 + 5000;
  assert.equal(b.isInBackOffSince(key, exit2), true);
  assert.equal(b.remaining(key, exit2), 5000);
  now = exit2 + 10_000;
  assert.equal(b.isInBackOffSince(key, exit2), false);
  const delays: number[] = [];
  for (let i = 0; i < 7; i++) {
    b.next(key, now);
    delays.push(b.get(key));
    now += 1000;
  }
  assert.deepEqual(delays, [20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  // Ten minutes after the last update the entry has expired: back to 10s.
  now += 600_001;
  assert.equal(b.isInBackOffSince(key, now), false);
  b.next(key, now);
  assert.equal(b.get(key), 10_000);
  b.resetPrefix('uid/');
  assert.equal(b.get(key), 0);
});

test('back-off since the last update (image pulls)', () => {
  let now = 0;
  const b = new BackOff(1000, 4000, () => now);
  assert.equal(b.isInBackOffSinceUpdate('img'), false);
  b.next('img', now);
  now = 500;
  assert.equal(b.isInBackOffSinceUpdate('img'), true);
  now = 1000;
  assert.equal(b.isInBackOffSinceUpdate('img'), false);
  b.next('img', now);
  now = 2500;
  assert.equal(b.isInBackOffSinceUpdate('img'), true);
  now = 100_000;
  b.gc();
  assert.equal(b.get('img'), 0);
});

test('durations print as Go prints them', () => {
  assert.equal(goDuration(0), '0s');
  assert.equal(goDuration(523), '523ms');
  assert.equal(goDuration(1000), '1s');
  assert.equal(goDuration(1234), '1.234s');
  assert.equal(goDuration(10_000), '10s');
  assert.equal(goDuration(80_000), '1m20s');
  assert.equal(goDuration(300_000), '5m0s');
  assert.equal(goDuration(3_723_500), '1h2m3.5s');
});
