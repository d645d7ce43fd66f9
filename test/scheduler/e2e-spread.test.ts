// End to end: a Deployment's replicas kept apart by pod anti-affinity, and pods spread evenly
// over zones by a topology spread constraint, on simulated nodes labelled with kubectl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../src/client/index.js';
import type { Pod } from '../../src/scheduler/types.js';
import { podManifest, startSimCluster, type SimCluster } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let c: SimCluster;
before(async () => {
  c = await startSimCluster(4, 'cpu=8,memory=16Gi,pods=110');
  await c.kubectl(['label', 'node', 'sim-0', 'sim-1', 'topology.kubernetes.io/zone=a']);
  await c.kubectl(['label', 'node', 'sim-2', 'topology.kubernetes.io/zone=b']);
  await c.kubectl(['label', 'node', 'sim-3', 'topology.kubernetes.io/zone=c']);
});
after(async () => {
  await c?.stop();
});

async function podsOf(selector: string): Promise<Pod[]> {
  return (await c.client.list<Pod>(resources.pods, 'default', { labelSelector: selector })).items;
}

test('required anti-affinity spreads a Deployment\'s replicas over nodes; the extra replica waits', async () => {
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 4, selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '100m' } } }],
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } },
        },
      },
    },
  };
  await c.kubectl(['apply', '-f', '-'], JSON.stringify(deployment));
  const nodes = await waitFor('4 replicas bound', async () => {
    const bound = (await podsOf('app=web')).map((p) => p.spec.nodeName).filter(Boolean);
    return bound.length === 4 && bound;
  });
  assert.equal(new Set(nodes).size, 4, `replicas share nodes: ${nodes}`);
  await c.kubectl(['scale', 'deployment', 'web', '--replicas=5']);
  const pending = await waitFor('a fifth replica', async () => (await podsOf('app=web')).find((p) => !p.spec.nodeName));
  assert.equal(await c.failedScheduling(pending.metadata.name!, /anti-affinity/),
    "0/4 nodes are available: 4 node(s) didn't match pod anti-affinity rules. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod.");
  await c.kubectl(['scale', 'deployment', 'web', '--replicas=0']);
  await waitFor('web pods gone', async () => (await podsOf('app=web')).length === 0);
});

test('topology spread keeps zones within maxSkew 1', async () => {
  for (let i = 0; i < 6; i++) {
    await c.kubectl(['apply', '-f', '-'], podManifest(`api-${i}`, { labels: { app: 'api' }, spec: {
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api' } } }],
    } }));
  }
  const zoneOf: Record<string, string> = { 'sim-0': 'a', 'sim-1': 'a', 'sim-2': 'b', 'sim-3': 'c' };
  const perZone = await waitFor('6 api pods bound', async () => {
    const bound = (await podsOf('app=api')).map((p) => p.spec.nodeName).filter(Boolean) as string[];
    if (bound.length < 6) return undefined;
    const counts: Record<string, number> = {};
    for (const n of bound) counts[zoneOf[n]] = (counts[zoneOf[n]] ?? 0) + 1;
    return counts;
  });
  assert.deepEqual(perZone, { a: 2, b: 2, c: 2 });
  // Zone c cordoned: a seventh pod may go to a or b (skew 1 against c's 2 is fine), an eighth not.
  await c.kubectl(['cordon', 'sim-3']);
  for (const i of [6, 7, 8]) {
    await c.kubectl(['apply', '-f', '-'], podManifest(`api-${i}`, { labels: { app: 'api' }, spec: {
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api' } } }],
    } }));
  }
  await waitFor('two more bound', async () => (await podsOf('app=api')).filter((p) => p.spec.nodeName).length === 8);
  const waiting = (await podsOf('app=api')).find((p) => !p.spec.nodeName)!;
  assert.match(await c.failedScheduling(waiting.metadata.name!, /topology spread/),
    /^0\/4 nodes are available: 1 node\(s\) were unschedulable, 3 node\(s\) didn't match pod topology spread constraints\./);
});
