import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, create, def, NOW } from '../apps/helpers.js';

const leases = def('coordination.k8s.io', 'leases');

test('lease validation: positive duration, non-negative transitions, preferredHolder needs a strategy', () => {
  const l: any = { metadata: { name: 'kube-scheduler', namespace: 'kube-system' }, spec: { holderIdentity: 'node-1_abc', leaseDurationSeconds: 15, renewTime: '2025-01-01T11:59:58.123456Z', leaseTransitions: 2 } };
  assert.deepEqual(create(leases, l), []);
  l.spec.leaseDurationSeconds = 0;
  l.spec.leaseTransitions = -1;
  l.spec.preferredHolder = 'node-2';
  assert.deepEqual(create(leases, l), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    'spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
  ]);
});

test('lease printer: HOLDER, empty without a holder', () => {
  const l: any = { metadata: { name: 'node-1', namespace: 'kube-node-lease', creationTimestamp: ago(125) }, spec: { holderIdentity: 'node-1' } };
  assert.deepEqual(cells(leases, l, NOW), { Name: 'node-1', Holder: 'node-1', Age: '2m5s' });
  assert.equal(cells(leases, { metadata: { name: 'x' }, spec: {} }, NOW).Holder, '');
});
