// Slow start: batches of 1, 2, 4 ... so that a call failing every time fails once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachLimited, slowStartBatch } from '../../../src/controllers/util/slow-start.js';

test('batches double until the count is reached', async () => {
  const batches: number[] = [];
  let inBatch = 0;
  let calls = 0;
  const { successes, error } = await slowStartBatch(20, 1, async () => {
    calls++;
    inBatch++;
    await new Promise((r) => setImmediate(r));
    if (inBatch > 0) {
      batches.push(inBatch);
      inBatch = 0;
    }
  }, 1000);
  assert.equal(successes, 20);
  assert.equal(error, undefined);
  assert.equal(calls, 20);
  assert.deepEqual(batches.filter((b) => b > 0), [1, 2, 4, 8, 5]);
});

test('the first failing batch stops the rest and reports its first error', async () => {
  let calls = 0;
  const { successes, error } = await slowStartBatch(100, 1, async () => {
    calls++;
    if (calls >= 3) throw new Error(`boom ${calls}`);
  });
  // Batches 1 (ok) and 2 (one ok, one failed): 4 and later never start.
  assert.equal(calls, 3);
  assert.equal(successes, 2);
  assert.equal((error as Error).message, 'boom 3');
});

test('no more than maxInFlight calls run at once', async () => {
  let running = 0;
  let peak = 0;
  await slowStartBatch(64, 64, async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 2));
    running--;
  }, 8);
  assert.equal(peak, 8);
  peak = 0;
  await forEachLimited(Array.from({ length: 30 }, (_, i) => i), 5, async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 1));
    running--;
  });
  assert.equal(peak, 5);
});
