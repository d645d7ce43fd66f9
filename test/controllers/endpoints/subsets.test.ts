// Endpoints subsets from a Service and the pods it selects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeSubsets, findPort, truncateSubsets, MAX_ENDPOINT_ADDRESSES, serviceSelector, shouldPodBeInEndpoints, type Pod, type Service, type ServicePort,
} from '../../../src/controllers/endpoints/index.js';

function pod(name: string, ip: string | undefined, opts: { ready?: boolean; phase?: string; deleting?: boolean; ports?: Array<{ name?: string; containerPort: number; protocol?: string }>; node?: string; hostname?: string; subdomain?: string; restartPolicy?: string } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: {
      nodeName: opts.node ?? 'n1', hostname: opts.hostname, subdomain: opts.subdomain, restartPolicy: opts.restartPolicy,
      containers: [{ name: 'c', ports: opts.ports ?? [{ name: 'http', containerPort: 8080 }] }],
    },
    status: {
      phase: opts.phase ?? 'Running', podIP: ip,
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
}

function service(ports: ServicePort[], extra: Partial<NonNullable<Service['spec']>> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, clusterIP: '10.43.0.10', ports, ...extra } };
}

test('ready pods are addresses, others notReadyAddresses, with the port resolved by name', () => {
  const svc = service([{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  const subsets = computeSubsets(svc, [pod('b', '10.42.0.12'), pod('a', '10.42.0.3'), pod('c', '10.42.1.5', { ready: false })]);
  assert.deepEqual(subsets, [{
    addresses: [
      { ip: '10.42.0.3', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } },
      { ip: '10.42.0.12', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } },
    ],
    notReadyAddresses: [{ ip: '10.42.1.5', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'uid-c' } }],
    ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
  }]);
});

test('publishNotReadyAddresses lists every pod as ready, terminating ones included', () => {
  const svc = service([{ port: 80, targetPort: 9000 }], { publishNotReadyAddresses: true });
  const subsets = computeSubsets(svc, [pod('a', '10.42.0.3', { ready: false }), pod('b', '10.42.0.4', { deleting: true })]);
  assert.equal(subsets.length, 1);
  assert.deepEqual(subsets[0].addresses!.map((a) => a.ip), ['10.42.0.3', '10.42.0.4']);
  assert.equal(subsets[0].notReadyAddresses, undefined);
  assert.deepEqual(subsets[0].ports, [{ port: 9000, protocol: 'TCP' }]);
});

test('pods without an IP, finished or terminating are left out', () => {
  const svc = service([{ port: 80 }]);
  const subsets = computeSubsets(svc, [
    pod('no-ip', undefined), pod('done', '10.42.0.5', { phase: 'Succeeded', restartPolicy: 'Never' }), pod('going', '10.42.0.6', { deleting: true }),
    pod('ok', '10.42.0.7'),
  ]);
  assert.deepEqual(subsets.flatMap((s) => s.addresses ?? []).map((a) => a.targetRef!.name), ['ok']);
  assert.equal(shouldPodBeInEndpoints(pod('failed', '10.42.0.8', { phase: 'Failed', restartPolicy: 'OnFailure' }), false), true, 'an OnFailure pod may still restart');
});

test('pods resolving a named port differently land in different subsets; a pod without it is left out', () => {
  const svc = service([{ name: 'web', port: 80, targetPort: 'http' }]);
  const subsets = computeSubsets(svc, [
    pod('a', '10.42.0.3'),
    pod('b', '10.42.0.4', { ports: [{ name: 'http', containerPort: 9090 }] }),
    pod('c', '10.42.0.5', { ports: [{ name: 'metrics', containerPort: 9100 }] }),
  ]);
  assert.deepEqual(subsets.map((s) => [s.addresses!.map((a) => a.targetRef!.name), s.ports!.map((p) => p.port)]), [[['a'], [8080]], [['b'], [9090]]]);
  assert.equal(findPort(pod('udp', '1.2.3.4', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }), { port: 53, targetPort: 'dns', protocol: 'TCP' }), undefined, 'protocols must agree');
  assert.equal(findPort(pod('n', '1.2.3.4'), { port: 80 }), 80, 'targetPort defaults to the port');
});

test('a headless Service without ports lists addresses without ports, and hostnames of its subdomain', () => {
  const svc = service([], { clusterIP: 'None' });
  const subsets = computeSubsets(svc, [pod('db-0', '10.42.0.3', { hostname: 'db-0', subdomain: 'web' }), pod('db-1', '10.42.0.4', { hostname: 'db-1', subdomain: 'other' })]);
  assert.deepEqual(subsets.map((s) => [s.addresses!.map((a) => a.hostname ?? null), s.ports]), [[['db-0', null], undefined]]);
});

test('more than 1000 addresses are truncated, ready ones kept first', () => {
  const svc = service([{ port: 80, targetPort: 8080 }]);
  const pods: Pod[] = [];
  for (let i = 0; i < 1100; i++) pods.push(pod(`p${i}`, `10.42.${Math.floor(i / 250)}.${(i % 250) + 1}`, { ready: i % 2 === 0 }));
  const subsets = computeSubsets(svc, pods);
  assert.equal(truncateSubsets(subsets), true);
  const ready = subsets.flatMap((s) => s.addresses ?? []).length;
  const notReady = subsets.flatMap((s) => s.notReadyAddresses ?? []).length;
  assert.equal(ready + notReady, MAX_ENDPOINT_ADDRESSES);
  assert.equal(ready, 550);
  assert.equal(truncateSubsets(computeSubsets(svc, pods.slice(0, 10))), false);
});

test('only Services with a selector, and not ExternalName ones, get endpoints from the controllers', () => {
  assert.ok(serviceSelector(service([{ port: 80 }])));
  assert.equal(serviceSelector(service([{ port: 80 }], { selector: {} })), undefined);
  assert.equal(serviceSelector(service([{ port: 80 }], { selector: null })), undefined);
  assert.equal(serviceSelector(service([], { type: 'ExternalName' })), undefined);
});
