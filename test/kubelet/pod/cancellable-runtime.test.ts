import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancellableRuntime, isPodWorkCancelled, PodWorkCancelled, rethrowIfCancelled } from '../../../src/kubelet/pod/cancellable-runtime.js';
import type { RuntimeDriver } from '../../../src/kubelet/runtime.js';

/** A runtime whose calls end when the test says so. */
function fakeRuntime() {
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const calls: string[] = [];
  const call = (name: string) => (...args: unknown[]) => {
    calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(',')})`);
    return new Promise((resolve, reject) => pending.set(name, { resolve, reject }));
  };
  const runtime = {
    name: 'fake',
    isolated: true,
    runPodSandbox: call('runPodSandbox'),
    stopContainer: call('stopContainer'),
    pullImage: call('pullImage'),
    containerStatus: call('containerStatus'),
  } as unknown as RuntimeDriver;
  return { runtime, pending, calls };
}

/** Follows a promise's outcome from now on (so its rejection is handled). */
const track = (p: Promise<unknown>) => {
  let state = 'pending';
  p.then(() => (state = 'resolved'), (e) => (state = isPodWorkCancelled(e) ? 'cancelled' : `rejected: ${(e as Error).message}`));
  return () => state;
};
const tick = () => new Promise((r) => setImmediate(r));

test('calls pass through with their results and errors until cancelled; properties are the driver\'s', async () => {
  const { runtime, pending, calls } = fakeRuntime();
  const c = cancellableRuntime(runtime);
  assert.equal(c.runtime.name, 'fake');
  assert.equal(c.runtime.isolated, true);
  const sb = c.runtime.runPodSandbox({ name: 'p' } as never);
  pending.get('runPodSandbox')!.resolve('sandbox-1');
  assert.equal(await sb, 'sandbox-1');
  const st = c.runtime.containerStatus('x');
  pending.get('containerStatus')!.reject(new Error('not there'));
  await assert.rejects(st, /not there/);
  assert.deepEqual(calls, ['runPodSandbox({"name":"p"})', 'containerStatus("x")']);
  assert.equal(c.signal.aborted, false);
  assert.equal(await c.settled(1000), true);
});

test('cancel: waits in flight reject at once, new calls are refused, settled() waits only for calls that make or remove things', async () => {
  const { runtime, pending, calls } = fakeRuntime();
  const c = cancellableRuntime(runtime);
  const stopping = track(c.runtime.stopContainer('ctr', 30));
  const pulling = track(c.runtime.pullImage('busybox'));
  const creating = track(c.runtime.runPodSandbox({ name: 'p' } as never));
  await tick();
  assert.deepEqual([stopping(), pulling(), creating()], ['pending', 'pending', 'pending']);
  c.cancel();
  assert.equal(c.signal.aborted, true);
  await tick();
  assert.deepEqual([stopping(), pulling(), creating()], ['cancelled', 'cancelled', 'cancelled']);
  await assert.rejects(c.runtime.containerStatus('ctr'), (err: unknown) => err instanceof PodWorkCancelled && /containerStatus/.test(err.message));
  assert.equal(calls.length, 3, 'a call after cancel never reaches the runtime');

  // The sandbox the runtime is still making is waited for; the 30 s stop is not.
  assert.equal(await c.settled(50), false);
  const done = c.settled(5000);
  pending.get('runPodSandbox')!.resolve('sandbox-1');
  assert.equal(await done, true);
});

test('rethrowIfCancelled lets other errors be handled', () => {
  assert.throws(() => rethrowIfCancelled(new PodWorkCancelled('stopContainer')), PodWorkCancelled);
  assert.doesNotThrow(() => rethrowIfCancelled(new Error('image not found')));
});
