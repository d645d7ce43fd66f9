import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../../src/client/index.js';
import { readyToRun } from '../../../src/controllers/util/ready-to-run.js';

const cache = (synced: boolean, delayMs = 0) => ({ waitForSync: () => new Promise<boolean>((r) => setTimeout(() => r(synced), delayMs)) });

test('readyToRun: true once every cache has synced; the queues shut down when the signal aborts', async () => {
  const ac = new AbortController();
  const a = new WorkQueue<string>();
  const b = new WorkQueue<string>();
  assert.equal(await readyToRun(ac.signal, { queues: [a, b], informers: [cache(true), cache(true, 5)] }), true);
  assert.equal(a.isShuttingDown() || b.isShuttingDown(), false);
  ac.abort();
  assert.deepEqual([a.isShuttingDown(), b.isShuttingDown()], [true, true]);
  assert.equal(await a.get(), undefined, 'a worker waiting on the queue returns');
});

test('readyToRun: false when a cache does not sync, or the controller stops while waiting', async () => {
  const q = new WorkQueue<string>();
  assert.equal(await readyToRun(new AbortController().signal, { queues: [q], informers: [cache(true), cache(false)] }), false);

  const ac = new AbortController();
  const waiting = readyToRun(ac.signal, { queues: [q], informers: [cache(true, 20)] });
  ac.abort();
  assert.equal(await waiting, false);
  assert.equal(q.isShuttingDown(), true);
});

test('readyToRun: a controller started after the stop shuts its queues at once and does not wait', async () => {
  const q = new WorkQueue<string>();
  const never = { waitForSync: () => new Promise<boolean>(() => {}) };
  assert.equal(await readyToRun(AbortSignal.abort(), { queues: [q], informers: [never] }), false);
  assert.equal(q.isShuttingDown(), true);
});
