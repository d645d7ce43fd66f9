// Kubelet admission end to end, on the host driver: pods bound straight to the node (spec.nodeName,
// no scheduler) that do not fit it are rejected by the kubelet, Failed with Kubernetes' reason,
// message and event; the ones that fit run, and a finished pod gives its share back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../src/client/index.js';
import type { Node } from '../../src/kubelet/types.js';
import { parseQuantity } from '../../src/machinery/quantity.js';
import { createPod, getPod, podEvents, startKubeletEnv, waitForPod, waitForPodGone, type KubeletEnv } from './helpers.js';

let env: KubeletEnv;
let allocatable: Record<string, string>;
before(async () => {
  env = await startKubeletEnv();
  allocatable = (await env.client.get<Node>(resources.nodes, undefined, env.nodeName)).status!.allocatable!;
});
after(async () => {
  await env?.stop();
});

const sleeper = (name: string, requests: Record<string, string>, extra: Record<string, unknown> = {}) => createPod(env, {
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '600'], resources: { requests } }], ...extra },
});
const failed = (name: string) => waitForPod(env, name, (p) => p.status?.phase === 'Failed', 'Failed');

test('a pod asking for more cpu than the node has is rejected as OutOfcpu', async () => {
  const capacity = parseQuantity(allocatable.cpu).milliValue();
  await sleeper('hungry', { cpu: String(Number(capacity) * 2 / 1000) });
  const p = await failed('hungry');
  const message = `Node didn't have enough resource: cpu, requested: ${capacity * 2n}, used: 0, capacity: ${capacity}`;
  assert.equal(p.status?.reason, 'OutOfcpu');
  assert.equal(p.status?.message, `Pod was rejected: ${message}`);
  const events = await podEvents(env, 'hungry');
  assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'OutOfcpu' && e.message === message), JSON.stringify(events));
  const row = (await env.server.kubectl(['get', 'pod', 'hungry', '--no-headers'])).stdout;
  assert.match(row, /^hungry\s+0\/1\s+OutOfcpu\s+0\s+/);
});

test('memory is shared between admitted pods; a finished pod gives its share back', async () => {
  const half = (parseQuantity(allocatable.memory).value() * 6n) / 10n;
  await sleeper('first', { memory: String(half) });
  await waitForPod(env, 'first', (p) => p.status?.phase === 'Running', 'Running');
  await sleeper('second', { memory: String(half) });
  const p = await failed('second');
  assert.equal(p.status?.reason, 'OutOfmemory');
  assert.match(p.status?.message ?? '', new RegExp(`^Pod was rejected: Node didn't have enough resource: memory, requested: ${half}, used: ${half}, capacity: \\d+$`));
  // The kubelet deletes the pod for good once its containers stopped.
  await env.client.delete(resources.pods, 'default', 'first');
  await waitForPodGone(env, 'first');
  await sleeper('third', { memory: String(half) });
  await waitForPod(env, 'third', (x) => x.status?.phase === 'Running', 'Running');
  await env.client.delete(resources.pods, 'default', 'third', { gracePeriodSeconds: 0 });
});

test('a pod whose node selector the node does not match is rejected as NodeAffinity', async () => {
  await sleeper('elsewhere', {}, { nodeSelector: { 'disktype': 'ssd' } });
  const p = await failed('elsewhere');
  assert.equal(p.status?.reason, 'NodeAffinity');
  assert.equal(p.status?.message, 'Pod was rejected: Predicate NodeAffinity failed: node(s) didn\'t match Pod\'s node affinity/selector');
  // Once the node carries the label, the same spec runs.
  await env.client.patch(resources.nodes, undefined, env.nodeName, { metadata: { labels: { disktype: 'ssd' } } }, 'merge');
  await sleeper('labelled', {}, { nodeSelector: { 'disktype': 'ssd' } });
  await waitForPod(env, 'labelled', (x) => x.status?.phase === 'Running', 'Running');
  assert.equal((await getPod(env, 'elsewhere')).status?.phase, 'Failed', 'a rejected pod stays rejected');
});
