// The endpoints and endpointslice controllers end to end, with the real kubectl on simulated
// nodes: a Service with a selector gets an Endpoints object and an EndpointSlice listing its
// Ready pods at the resolved target port; they follow scaling and go with the Service; a
// Service without a selector keeps the Endpoints its user wrote.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { getJSON } from '../../helpers/kubectl-json.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '2'] });
});

after(async () => {
  await server?.stop();
});

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
    const list = await getJSON(server, ['pods', '-l', 'app=web']);
    return (list.items as Array<{ status: { podIP?: string } }>).map((p) => p.status.podIP).filter(Boolean).sort() as string[];
  };
  const ips = await waitFor('3 pod IPs', podIPs, { until: (v) => v.length === 3 });

  const ep = await waitFor('Endpoints with 3 addresses', () => getJSON(server, ['endpoints', 'web']),
    { until: (e) => (e?.subsets?.[0]?.addresses ?? []).length === 3 });
  assert.equal(ep.subsets.length, 1);
  assert.deepEqual(ep.subsets[0].ports, [{ name: 'web', port: 8080, protocol: 'TCP' }], 'the named targetPort resolved to the container port');
  assert.deepEqual(ep.subsets[0].addresses.map((a: { ip: string }) => a.ip).sort(), ips);
  assert.ok(ep.subsets[0].addresses.every((a: { nodeName?: string; targetRef?: { kind: string } }) => a.nodeName?.startsWith('sim-') && a.targetRef?.kind === 'Pod'));
  assert.equal(ep.metadata.labels.tier, 'front', 'the Service\'s labels are copied');

  const slices = await waitFor('an EndpointSlice with 3 ready endpoints', () => getJSON(server, ['endpointslices', '-l', 'kubernetes.io/service-name=web']),
    { until: (l) => (l?.items ?? []).length === 1 && ((l.items[0] as Slice).endpoints ?? []).filter((e) => e.conditions.ready).length === 3 });
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
  await waitFor('Endpoints down to 1 address', () => getJSON(server, ['endpoints', 'web']),
    { until: (e) => (e?.subsets ?? []).flatMap((s: { addresses?: unknown[] }) => s.addresses ?? []).length === 1 });
  await waitFor('the slice down to 1 ready endpoint', () => getJSON(server, ['endpointslices', '-l', 'kubernetes.io/service-name=web']),
    { until: (l) => (l?.items ?? []).length === 1 && (((l.items[0] as Slice).endpoints) ?? []).filter((e) => e.conditions.ready).length === 1 });

  await server.kubectl(['delete', 'service', 'web']);
  await waitFor('Endpoints and slices gone with the Service',
    async () => [await getJSON(server, ['endpoints', 'web']), (await getJSON(server, ['endpointslices', '-l', 'kubernetes.io/service-name=web']))?.items ?? []],
    { until: ([e, s]) => e === undefined && (s as unknown[]).length === 0 });
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
  const ep = await getJSON(server, ['endpoints', 'external']);
  assert.deepEqual(ep.subsets[0].addresses, [{ ip: '192.0.2.10' }]);
  const slices = await getJSON(server, ['endpointslices', '-l', 'kubernetes.io/service-name=external']);
  assert.deepEqual(slices?.items ?? [], [], 'the endpointslice controller leaves it alone too');
});
