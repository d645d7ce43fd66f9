// Namespaces: the kubernetes finalizer, phases, the metadata.name label, and names as DNS labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const namespaces = resources.find((r) => r.plural === 'namespaces')!;
const ns = (name: string, spec?: unknown): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: '2025-01-01T00:00:00Z' }, spec } as KObject);

test('create: finalizer kubernetes, phase Active, the metadata.name label', () => {
  const n = ns('team-a');
  namespaces.defaults!(n);
  namespaces.prepareForCreate!(n);
  assert.deepEqual(n.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(n.status, { phase: 'Active' });
  assert.deepEqual(n.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(namespaces.validate!(n, {}), []);
  assert.deepEqual(namespaces.row!(n, Date.parse('2025-01-03T00:00:00Z')), ['team-a', 'Active', '2d']);
  assert.deepEqual(namespaces.selectableFields!(n), { 'status.phase': 'Active' });
});

test('updates cannot change spec.finalizers (only namespaces/finalize can)', () => {
  const old = ns('team-a');
  namespaces.defaults!(old);
  namespaces.prepareForCreate!(old);
  const next = structuredClone(old);
  next.spec = { finalizers: [] };
  namespaces.prepareForUpdate!(next, old);
  assert.deepEqual(next.spec, { finalizers: ['kubernetes'] });
});

test('deletion waits for spec.finalizers and marks the namespace Terminating', () => {
  const n = ns('team-a');
  namespaces.defaults!(n);
  namespaces.prepareForCreate!(n);
  assert.equal(namespaces.holdDeletion!(n), true);
  assert.equal((n.status as any).phase, 'Terminating');
  n.spec = { finalizers: [] };
  assert.equal(namespaces.holdDeletion!(n), false);
});

test('names are DNS labels; finalizers standard or qualified', () => {
  const n = ns('team.a', { finalizers: ['custom', 'example.com/cleanup'] });
  namespaces.defaults!(n);
  assert.deepEqual(namespaces.nameValidator!('team.a'), ['must not contain dots']);
  assert.deepEqual(namespaces.validate!(n, {}).map((e) => `${e.field}: ${e.message}`), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});
