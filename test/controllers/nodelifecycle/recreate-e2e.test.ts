// A machine dies: its node goes NotReady, its pods are evicted, and the Deployment's ReplicaSet
// recreates them on the nodes that are still alive.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3', '--node-monitor-grace-period', '4s'] });
});
after(() => server.stop());

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
      containers: [{name: web, image: nginx}]
`;

interface Pod { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status?: { phase?: string } }

async function livePods(): Promise<Pod[]> {
  const { stdout } = await server.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']);
  return (JSON.parse(stdout).items as Pod[]).filter((p) => !p.metadata.deletionTimestamp);
}

test("a dead node's pods are recreated on the other nodes", { timeout: 90_000 }, async () => {
  await server.kubectl(['apply', '-f', '-'], { input: deployment });
  const before = await waitFor('3 running pods on 3 nodes', async () => {
    const pods = await livePods();
    const running = pods.filter((p) => p.status?.phase === 'Running');
    return running.length === 3 && new Set(running.map((p) => p.spec.nodeName)).size === 3 ? running : undefined;
  }, { timeoutMs: 30_000, context: () => server.output().slice(-2000) });
  const victim = before[0].spec.nodeName!;
  const lost = before.filter((p) => p.spec.nodeName === victim).map((p) => p.metadata.name);

  // The machine stops: no more heartbeats, no kubelet.
  await server.kubectl(['annotate', 'node', victim, 'sim.k8ts.io/stopped=true']);
  await waitFor(`${victim} to be NotReady`, async () => {
    const r = await server.kubectl(['get', 'node', victim, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
    return r.stdout === 'Unknown' || undefined;
  }, { timeoutMs: 30_000 });

  const after = await waitFor('3 running replacements off the dead node', async () => {
    const running = (await livePods()).filter((p) => p.status?.phase === 'Running');
    return running.length === 3 && running.every((p) => p.spec.nodeName !== victim) ? running : undefined;
  }, { timeoutMs: 40_000, context: () => server.output().slice(-2000) });
  assert.ok(after.every((p) => !lost.includes(p.metadata.name)), 'the lost pods were replaced by new ones');
  const { stdout } = await server.kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}']);
  assert.equal(stdout, '3');
});
