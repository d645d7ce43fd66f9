import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EvictionManager, rankForEviction } from '../../src/kubelet/eviction.js';
import type { Pod } from '../../src/kubelet/types.js';

const MI = 1024 * 1024;
const pod = (name: string, requests?: Record<string, string>, limits?: Record<string, string>, priority = 0): Pod => ({
  metadata: { name, namespace: 'd', uid: name },
  spec: { priority, containers: [{ name: 'c', resources: { requests, limits } }] },
});

const besteffort = pod('besteffort');
const burstable = pod('burstable', { memory: '100Mi' });
const guaranteed = pod('guaranteed', { memory: '100Mi', cpu: '1' }, { memory: '100Mi', cpu: '1' });

test('ranking: pods over their requests first, then priority, then how far over', () => {
  const names = (r: ReturnType<typeof rankForEviction>) => r.map((x) => x.pod.metadata.name);
  // Without usage figures: BestEffort first, then Burstable, then Guaranteed.
  assert.deepEqual(names(rankForEviction([guaranteed, burstable, besteffort].map((p) => ({ pod: p, usage: undefined, request: 0 })))), ['besteffort', 'burstable', 'guaranteed']);
  // With figures: a Burstable pod far over its request before one under it.
  const ranked = rankForEviction([
    { pod: burstable, usage: 50 * MI, request: 100 * MI },
    { pod: pod('hog', { memory: '10Mi' }), usage: 500 * MI, request: 10 * MI },
    { pod: besteffort, usage: 20 * MI, request: 0 },
  ]);
  assert.deepEqual(names(ranked), ['hog', 'besteffort', 'burstable']);
  // Priority decides among pods over their requests.
  assert.deepEqual(names(rankForEviction([
    { pod: pod('important', undefined, undefined, 1000), usage: 900 * MI, request: 0 },
    { pod: pod('cheap', undefined, undefined, -5), usage: 1 * MI, request: 0 },
  ])), ['cheap', 'important']);
});

test('the manager reports pressure and evicts one pod per check while below the threshold', async () => {
  let available = 500 * MI;
  const evicted: string[] = [];
  const pressure: boolean[] = [];
  const active = [guaranteed, burstable, besteffort];
  const m = new EvictionManager({
    thresholdBytes: 100 * MI, intervalMs: 1000,
    memoryAvailable: async () => available,
    podUsage: async () => undefined,
    activePods: () => active.filter((p) => !evicted.includes(p.metadata.name!)),
    evict: (p, msg) => {
      evicted.push(p.metadata.name!);
      assert.equal(msg, 'The node was low on resource: memory. Threshold quantity: 102400Ki, available: 51200Ki. ');
    },
    onPressureChange: (p) => pressure.push(p),
  });
  assert.equal(await m.check(), undefined);
  available = 50 * MI;
  await m.check();
  assert.deepEqual(evicted, ['besteffort']);
  assert.equal(m.memoryPressure, true);
  await m.check();
  assert.deepEqual(evicted, ['besteffort', 'burstable']);
  available = 300 * MI;
  await m.check();
  assert.deepEqual(evicted, ['besteffort', 'burstable']);
  assert.deepEqual(pressure, [true, false]);
});
