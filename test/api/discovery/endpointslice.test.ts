import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from '../apps/helpers.js';

const slices = def('discovery.k8s.io', 'endpointslices');

const slice = (): any => ({
  metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' }, creationTimestamp: ago(20) },
  addressType: 'IPv4',
  endpoints: [
    { addresses: ['10.42.0.5'], conditions: { ready: true }, nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } },
    { addresses: ['10.42.0.6'], conditions: { ready: false } },
  ],
  ports: [{ name: 'http', port: 80 }, { port: 443 }],
});

test('endpointslice defaults: port name "" and protocol TCP', () => {
  const s = slice();
  assert.deepEqual(create(slices, s), []);
  assert.deepEqual(s.ports, [{ name: 'http', port: 80, protocol: 'TCP' }, { name: '', port: 443, protocol: 'TCP' }]);
});

test('endpointslice validation: address type, addresses of that type, ports, immutability', () => {
  const s = slice();
  s.endpoints = [{ addresses: [] }, { addresses: ['fe80::1', '127.0.0.1', 'not-an-ip'] }];
  s.ports = [{ name: 'http', port: 80 }, { name: 'http', port: 81, protocol: 'ICMP' }];
  assert.deepEqual(create(slices, s), [
    'endpoints[0].addresses: Required value: must contain at least 1 address',
    'endpoints[1].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address',
    'endpoints[1].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'endpoints[1].addresses[2]: Invalid value: "not-an-ip": must be a valid IPv4 address',
    'ports[1].name: Duplicate value: "http"',
    'ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
  ]);
  const t = slice();
  t.addressType = 'IPX';
  assert.ok(create(slices, t).includes('addressType: Unsupported value: "IPX": supported values: "FQDN", "IPv4", "IPv6"'));
  const old = slice();
  create(slices, old);
  const next = clone(old);
  next.addressType = 'IPv6';
  next.endpoints = [{ addresses: ['2001:db8::1'] }];
  assert.deepEqual(update(slices, next, old), ['addressType: Invalid value: "IPv6": field is immutable']);
  const fqdn = slice();
  fqdn.addressType = 'FQDN';
  fqdn.endpoints = [{ addresses: ['db.example.com'] }];
  assert.deepEqual(create(slices, fqdn), []);
});

test('endpointslice printer: ADDRESSTYPE PORTS ENDPOINTS, three of each at most', () => {
  assert.deepEqual(slices.columns!.map((c) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  const s = slice();
  create(slices, s);
  assert.deepEqual(cells(slices, s, NOW), { Name: 'web-abc12', AddressType: 'IPv4', Ports: '80,443', Endpoints: '10.42.0.5,10.42.0.6', Age: '20s' });
  s.endpoints = [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3', '10.0.0.4', '10.0.0.5'] }];
  s.ports = [];
  const c = cells(slices, s, NOW);
  assert.deepEqual([c.Ports, c.Endpoints], ['<unset>', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...']);
});
