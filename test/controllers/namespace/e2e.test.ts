// Namespace deletion end to end with the real kubectl: `kubectl delete namespace` returns once
// the namespace controller has emptied it and it is gone; content held by a finalizer keeps it
// Terminating, with conditions saying why, until the finalizer is removed.
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

test('deleting a namespace deletes everything in it, then the namespace', { timeout: 60_000 }, async () => {
  await server.kubectl(['create', 'namespace', 'doomed']);
  await server.kubectl(['-n', 'doomed', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
  await server.kubectl(['-n', 'doomed', 'expose', 'deployment', 'web', '--port=80']);
  await server.kubectl(['-n', 'doomed', 'create', 'configmap', 'settings', '--from-literal=a=b']);
  await server.kubectl(['-n', 'doomed', 'create', 'secret', 'generic', 'token', '--from-literal=t=x']);
  await server.kubectl(['-n', 'doomed', 'create', 'job', 'once', '--image=busybox']);
  await server.kubectl(['-n', 'doomed', 'rollout', 'status', 'deployment/web', '--timeout=30s']);

  const r = await server.kubectl(['delete', 'namespace', 'doomed', '--timeout=45s']);
  assert.match(r.stdout, /namespace "doomed" deleted/);
  const gone = await server.kubectl(['get', 'namespace', 'doomed'], { allowFail: true });
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /namespaces "doomed" not found/);
  for (const kind of ['pods', 'deployments', 'replicasets', 'services', 'configmaps', 'secrets', 'jobs', 'serviceaccounts', 'endpoints']) {
    const left = await server.kubectl(['get', kind, '-A', '--field-selector', 'metadata.namespace=doomed', '-o', 'name']);
    assert.equal(left.stdout.trim(), '', `${kind} left behind: ${left.stdout}`);
  }
});

test('content held by a finalizer keeps the namespace Terminating with conditions saying why', { timeout: 40_000 }, async () => {
  await server.kubectl(['create', 'namespace', 'stuck']);
  await server.kubectl(['-n', 'stuck', 'apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } }),
  });
  await server.kubectl(['-n', 'stuck', 'create', 'configmap', 'free']);
  await server.kubectl(['delete', 'namespace', 'stuck', '--wait=false']);
  type Condition = { type: string; status: string; reason: string; message: string };
  const status = await waitFor('the NamespaceFinalizersRemaining condition',
    async () => (JSON.parse((await server.kubectl(['get', 'namespace', 'stuck', '-o', 'json'])).stdout).status ?? {}) as { phase?: string; conditions?: Condition[] },
    { until: (st) => (st.conditions ?? []).some((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True') });
  assert.equal(status.phase, 'Terminating');
  const conds = status.conditions ?? [];
  const byType = new Map(conds.map((c) => [c.type, c]));
  assert.equal(byType.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
  assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
  assert.equal(byType.get('NamespaceDeletionContentFailure')?.reason, 'ContentDeleted');
  const described = await server.kubectl(['describe', 'namespace', 'stuck']);
  assert.match(described.stdout, /Status:\s+Terminating/);
  assert.match(described.stdout, /NamespaceFinalizersRemaining\s+True\s+.*SomeFinalizersRemain/);
  const left = await server.kubectl(['-n', 'stuck', 'get', 'configmaps', '-o', 'name']);
  assert.equal(left.stdout.trim(), 'configmap/held', 'everything else was deleted');
  // New content is refused while the namespace terminates.
  const refused = await server.kubectl(['-n', 'stuck', 'create', 'configmap', 'late'], { allowFail: true });
  assert.notEqual(refused.code, 0);

  await server.kubectl(['-n', 'stuck', 'patch', 'configmap', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  await server.kubectl(['wait', '--for=delete', 'namespace/stuck', '--timeout=20s']);
});
