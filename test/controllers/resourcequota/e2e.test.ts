// ResourceQuota status end to end with the real kubectl on simulated nodes: `kubectl describe
// quota` shows what the namespace uses, and the numbers follow the workloads.
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

async function used(ns: string, name: string): Promise<Record<string, string>> {
  const r = await server.kubectl(['-n', ns, 'get', 'resourcequota', name, '-o', 'jsonpath={.status.used}']);
  return r.stdout ? JSON.parse(r.stdout) : {};
}

function eventuallyUsed(ns: string, name: string, want: Record<string, string>): Promise<unknown> {
  return waitFor(`status.used ${JSON.stringify(want)}`, () => used(ns, name), { until: (u) => Object.entries(want).every(([k, v]) => u[k] === v) });
}

test('a quota reports what its namespace uses, and follows it', { timeout: 60_000 }, async () => {
  await server.kubectl(['create', 'namespace', 'team']);
  await server.kubectl(['-n', 'team', 'create', 'quota', 'compute',
    '--hard=pods=10,requests.cpu=2,requests.memory=1Gi,limits.memory=2Gi,configmaps=5,services=2,count/deployments.apps=3,persistentvolumeclaims=4,requests.storage=10Gi']);
  await server.kubectl(['-n', 'team', 'apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } } }] },
        },
      },
    }),
  });
  await server.kubectl(['-n', 'team', 'expose', 'deployment', 'api', '--port=80']);
  await server.kubectl(['-n', 'team', 'apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '3Gi' } } } }),
  });
  await eventuallyUsed('team', 'compute', {
    pods: '3', 'requests.cpu': '300m', 'requests.memory': '192Mi', 'limits.memory': '384Mi', services: '1',
    'count/deployments.apps': '1', persistentvolumeclaims: '1', 'requests.storage': '3Gi',
    // kube-root-ca.crt
    configmaps: '1',
  });
  const described = await server.kubectl(['-n', 'team', 'describe', 'quota', 'compute']);
  assert.match(described.stdout, /requests\.cpu\s+300m\s+2/);
  assert.match(described.stdout, /pods\s+3\s+10/);

  await server.kubectl(['-n', 'team', 'scale', 'deployment', 'api', '--replicas=1']);
  await server.kubectl(['-n', 'team', 'create', 'configmap', 'extra']);
  await eventuallyUsed('team', 'compute', { pods: '1', 'requests.cpu': '100m', 'limits.memory': '128Mi', configmaps: '2' });

  // Raising a limit is reflected in status.hard.
  await server.kubectl(['-n', 'team', 'patch', 'quota', 'compute', '--type=merge', '-p', '{"spec":{"hard":{"pods":"20"}}}']);
  await waitFor('status.hard updated', async () => (await server.kubectl(['-n', 'team', 'get', 'quota', 'compute', '-o', 'jsonpath={.status.hard.pods}'])).stdout === '20',
    { timeoutMs: 10_000 });
});
