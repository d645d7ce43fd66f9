import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './wait.js';

test('waitFor returns the first value that is not undefined, null or false; errors are retried', async () => {
  const seen: unknown[] = [undefined, null, false, new Error('not up yet'), 0];
  let calls = 0;
  const v = await waitFor('a value', () => {
    const next = seen[calls++];
    if (next instanceof Error) throw next;
    return next as number | undefined | null | false;
  }, { intervalMs: 1 });
  assert.equal(v, 0);
  assert.equal(calls, 5);
});

test('waitFor with until returns the value that satisfies it, even undefined', async () => {
  let n = 0;
  assert.equal(await waitFor('the count to reach 3', () => ++n, { until: (v) => v === 3, intervalMs: 1 }), 3);
  let gone = 2;
  assert.equal(await waitFor('the object to go', () => (--gone > 0 ? { name: 'x' } : undefined), { until: (v) => v === undefined, intervalMs: 1 }), undefined);
  let made = 0;
  // A type guard narrows what comes back: here, never undefined.
  const found: { name: string } = await waitFor('the object to come', () => (++made > 1 ? { name: 'y' } : undefined), { until: (v): v is { name: string } => v !== undefined, intervalMs: 1 });
  assert.equal(found.name, 'y');
});

test('on timeout waitFor names what it waited for, the last error, the last value and the context', async () => {
  await assert.rejects(waitFor('nothing', () => undefined, { timeoutMs: 20, intervalMs: 5 }), { message: 'timed out waiting for nothing' });
  await assert.rejects(
    waitFor('the server', () => { throw new Error('connection refused'); }, { timeoutMs: 20, intervalMs: 5, context: () => 'server log' }),
    { message: 'timed out waiting for the server: Error: connection refused\nserver log' },
  );
  await assert.rejects(
    waitFor('3 replicas', () => ({ replicas: 2 }), { until: (v) => v.replicas === 3, timeoutMs: 20, intervalMs: 5 }),
    { message: 'timed out waiting for 3 replicas; last: {"replicas":2}' },
  );
});
