// Pod-event batching: a lone event syncs at once, a burst is folded into one later sync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../../src/client/index.js';
import { SyncThrottle } from '../../../src/controllers/util/throttle.js';

test('events right after a sync wait for the interval and are handled once', async () => {
  const queue = new WorkQueue<string>();
  let now = 1000;
  const throttle = new SyncThrottle(queue, 50, () => now);
  throttle.enqueue('ns/a');
  assert.equal(queue.length(), 1, 'never synced: at once');
  const key = (await queue.get())!;
  throttle.syncing(key);
  queue.done(key);

  now += 10;
  for (let i = 0; i < 20; i++) throttle.enqueue('ns/a');
  assert.equal(queue.length(), 0, 'a burst right after a sync waits');
  const started = performance.now();
  assert.equal(await queue.get(), 'ns/a');
  assert.ok(performance.now() - started >= 30, 'released after the rest of the interval');
  assert.equal(queue.length(), 0, 'once');
  queue.done('ns/a');

  now += 1000;
  throttle.enqueue('ns/a');
  assert.equal(queue.length(), 1, 'long after the last sync: at once');
  throttle.forget('ns/a');
  queue.shutDown();
});
