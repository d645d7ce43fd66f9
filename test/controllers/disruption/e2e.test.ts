// PodDisruptionBudget status end to end with the real kubectl on simulated nodes, and the
// eviction subresource obeying it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '2'] });
});

after(async () => {
  await server?.stop();
});

interface PDBStatus { currentHealthy: number; desiredHealthy: number; expectedPods: number; disruptionsAllowed: number; observedGeneration?: number; conditions?: Array<{ type: string; status: string; reason: string }> }

async function pdbStatus(name: string): Promise<PDBStatus | undefined> {
  const r = await server.kubectl(['get', 'pdb', name, '-o', 'jsonpath={.status}']);
  return r.stdout ? JSON.parse(r.stdout) : undefined;
}

function eventuallyStatus(name: string, want: Partial<PDBStatus>, timeoutMs?: number): Promise<PDBStatus> {
  return waitFor(`pdb ${name} status ${JSON.stringify(want)}`, () => pdbStatus(name), {
    until: (s): s is PDBStatus => !!s && Object.entries(want).every(([k, v]) => (s as unknown as Record<string, unknown>)[k] === v),
    timeoutMs,
  });
}

function evict(pod: string) {
  return server.kubectl(['create', '--raw', `/api/v1/namespaces/default/pods/${pod}/eviction`, '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: 'default' } }),
    allowFail: true,
  });
}

test('budgets report healthy and allowed disruptions; eviction is refused when none is allowed', { timeout: 60_000 }, async () => {
  await server.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
  await server.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
  await server.kubectl(['create', 'pdb', 'min2', '--selector=app=web', '--min-available=2']);
  await server.kubectl(['create', 'pdb', 'half', '--selector=app=web', '--max-unavailable=50%']);
  const min2 = await eventuallyStatus('min2', { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
  assert.deepEqual(min2.conditions?.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'True', 'SufficientPods']]);
  assert.equal(min2.observedGeneration, 1);
  // 50% of the Deployment's 3 replicas, rounded up, may be unavailable: 2.
  await eventuallyStatus('half', { currentHealthy: 3, desiredHealthy: 1, expectedPods: 3, disruptionsAllowed: 2 });
  const table = await server.kubectl(['get', 'pdb', 'min2']);
  assert.match(table.stdout, /min2\s+2\s+N\/A\s+1\s+/);

  await server.kubectl(['delete', 'pdb', 'half']);
  await server.kubectl(['patch', 'pdb', 'min2', '--type=merge', '-p', '{"spec":{"minAvailable":3}}']);
  const strict = await eventuallyStatus('min2', { desiredHealthy: 3, disruptionsAllowed: 0, observedGeneration: 2 });
  assert.deepEqual(strict.conditions?.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);
  const pods = (await server.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ');
  const refused = await evict(pods[0]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Cannot evict pod as it would violate the pod's disruption budget/);

  await server.kubectl(['patch', 'pdb', 'min2', '--type=merge', '-p', '{"spec":{"minAvailable":2}}']);
  await eventuallyStatus('min2', { disruptionsAllowed: 1 });
  const allowed = await evict(pods[0]);
  assert.equal(allowed.code, 0, allowed.stderr);
  // The ReplicaSet replaces the evicted pod; the budget recovers.
  await eventuallyStatus('min2', { currentHealthy: 3, disruptionsAllowed: 1 }, 30_000);
});
