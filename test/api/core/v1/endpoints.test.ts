// Endpoints: validation and the ENDPOINTS column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources, formatEndpoints } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const endpoints = resources.find((r) => r.plural === 'endpoints')!;
const ep = (subsets: unknown): KObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' }, subsets } as KObject);

test('ports default to TCP; addresses and ports are validated', () => {
  const good = ep([{ addresses: [{ ip: '10.42.0.5', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } }], ports: [{ port: 80 }] }]);
  endpoints.defaults!(good);
  assert.equal((good.subsets as any)[0].ports[0].protocol, 'TCP');
  assert.deepEqual(endpoints.validate!(good, {}), []);
  const bad = ep([{ ports: [{ port: 80 }] }, { addresses: [{ ip: '10.42.0.300' }], ports: [{ port: 0, name: 'a' }, { port: 81 }] }]);
  endpoints.defaults!(bad);
  assert.deepEqual(endpoints.validate!(bad, {}).map((e) => `${e.field}: ${e.message}`), [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
    'subsets[1].addresses[0].ip: Invalid value: "10.42.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[1].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'subsets[1].ports[1].name: Required value',
  ]);
});

test('ENDPOINTS shows three addresses, then how many more', () => {
  assert.equal(formatEndpoints(undefined), '<none>');
  assert.equal(formatEndpoints([{ addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }], ports: [{ port: 80 }] }]), '10.42.0.5:80,10.42.0.6:80');
  assert.equal(formatEndpoints([{ addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }], ports: [{ port: 80 }, { port: 443 }] }]), '10.42.0.5:80,10.42.0.6:80,10.42.0.5:443 + 1 more...');
  assert.equal(formatEndpoints([{ addresses: [{ ip: 'fd00::5' }] }]), 'fd00::5');
  assert.equal(formatEndpoints([{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 80 }] }]), '[fd00::5]:80');
  assert.deepEqual(endpoints.row!(ep([]), Date.parse('2025-01-01T00:01:00Z')), ['web', '<none>', '60s']);
});
