// The failed-daemon-pod backoff: 1 s doubling to the cap, starting over after a quiet spell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailedPodBackoff } from '../../../src/controllers/daemonset/backoff.js';

test('delays double up to the maximum and reset after twice the maximum', () => {
  const b = new FailedPodBackoff(1000, 8000);
  const key = 'ds/node';
  assert.equal(b.inBackoff(key, 0), false);
  b.next(key, 0);
  assert.equal(b.delay(key), 1000);
  assert.equal(b.inBackoff(key, 999), true);
  assert.equal(b.inBackoff(key, 1000), false);
  for (const [t, d] of [[1000, 2000], [3000, 4000], [7000, 8000], [15_000, 8000]]) {
    b.next(key, t);
    assert.equal(b.delay(key), d);
  }
  b.next(key, 15_000 + 16_001);
  assert.equal(b.delay(key), 1000, 'a long quiet spell starts over');
  b.gc(15_000 + 16_001 + 16_001);
  assert.equal(b.delay(key), 0);
});
