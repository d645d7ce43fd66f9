// The endpoints and endpointslice controllers end to end, with the real kubectl on simulated
// nodes: a Service with a selector gets an Endpoints object and an EndpointSlice listing its
// Ready pods at the resolved target port; they follow scaling and go with the Service; a
// Service without a selector keeps the Endpoints its user wrote.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';

let server: TestServer;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '2'] });
});

after(async () => {
  await server?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await sleep(200);
  }
}

const getJSON = async (args: string[]) => {
  const r = await server.kubectl(['get', ...args, '-o', 'json', '--ignore-not-found']);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
};

const manifest = JSON.stringify({
  apiVersion: 'v1', kind: 'List', items: [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } },
  ],
});

interface Slice { metadata: { name: string; labels: Record<string, string>; ownerReferences: Array<{ kind: string; name: string }> }; addressType: string; ports: unknown[]; endpoints?: Array<{ addresses: string[]; conditions: Record<string, boolean>; nodeName?: string; targetRef?: { kind: string; name: string } }> }

test('a Service with a selector gets Endpoints and an EndpointSlice of its Ready pods', { timeout: 60_000 }, async () => {
  await server.kubectl(['apply', '-f', '-'], { input: manifest });
  await server.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
  const podIPs = async () => {
    const list = await getJSON(['pods', '-l', 'app=web']);
    return (list.items as Array<{ status: { podIP?: string } }>).map((p) => p.status.podIP).filter(Boolean).sort() as string[];
  };
  const ips = await eventually('3 pod IPs', podIPs, (v) => v.length === 3);

  const ep = await eventually('Endpoints with 3 addresses', () => getJSON(['endpoints', 'web']),
    (e) => (e?.subsets?.[0]?.addresses ?? []).length === 3);
  assert.equal(ep.subsets.length, 1);
  assert.deepEqual(ep.subsets[0].ports, [{ name: 'web', port: 8080, protocol: 'TCP' }], 'the named targetPort resolved to the container port');
  assert.deepEqual(ep.subsets[0].addresses.map((a: { ip: string }) => a.ip).sort(), ips);
  assert.ok(ep.subsets[0].addresses.every((a: { nodeName?: string; targetRef?: { kind: string } }) => a.nodeName?.startsWith('sim-') && a.targetRef?.kind === 'Pod'));
  assert.equal(ep.metadata.labels.tier, 'front', 'the Service\'s labels are copied');

  const slices = await eventually('an EndpointSlice with 3 ready endpoints', () => getJSON(['endpointslices', '-l', 'kubernetes.io/service-name=web']),
    (l) => (l?.items ?? []).length === 1 && ((l.items[0] as Slice).endpoints ?? []).filter((e) => e.conditions.ready).length === 3);
  const slice = slices.items[0] as Slice;
  assert.equal(slice.addressType, 'IPv4');
  assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.deepEqual(slice.metadata.ownerReferences.map((r) => [r.kind, r.name]), [['Service', 'web']]);
  assert.deepEqual(slice.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(slice.endpoints!.map((e) => e.addresses[0]).sort(), ips);
  assert.ok(slice.endpoints!.every((e) => e.conditions.serving && !e.conditions.terminating && e.nodeName && e.targetRef?.kind === 'Pod'));

  const described = await server.kubectl(['describe', 'service', 'web']);
  assert.match(described.stdout, /Endpoints:\s+\S*:8080/);

  await server.kubectl(['scale', 'deployment', 'web', '--replicas=1']);
  await eventually('Endpoints down to 1 address', () => getJSON(['endpoints', 'web']),
    (e) => (e?.subsets ?? []).flatMap((s: { addresses?: unknown[] }) => s.addresses ?? []).length === 1);
  await eventually('the slice down to 1 ready endpoint', () => getJSON(['endpointslices', '-l', 'kubernetes.io/service-name=web']),
    (l) => (l?.items ?? []).length === 1 && (((l.items[0] as Slice).endpoints) ?? []).filter((e) => e.conditions.ready).length === 1);

  await server.kubectl(['delete', 'service', 'web']);
  await eventually('Endpoints and slices gone with the Service',
    async () => [await getJSON(['endpoints', 'web']), (await getJSON(['endpointslices', '-l', 'kubernetes.io/service-name=web']))?.items ?? []],
    ([e, s]) => e === undefined && (s as unknown[]).length === 0);
});

test('a Service without a selector keeps the Endpoints its user wrote', { timeout: 30_000 }, async () => {
  await server.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external' }, spec: { ports: [{ port: 5432 }] } },
        { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }] },
      ],
    }),
  });
  await sleep(1500);
  const ep = await getJSON(['endpoints', 'external']);
  assert.deepEqual(ep.subsets[0].addresses, [{ ip: '192.0.2.10' }]);
  const slices = await getJSON(['endpointslices', '-l', 'kubernetes.io/service-name=external']);
  assert.deepEqual(slices?.items ?? [], [], 'the endpointslice controller leaves it alone too');
});
