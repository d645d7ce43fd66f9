import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, create, def, NOW } from '../apps/helpers.js';
import { definitions } from '../../../src/api/index.js';

const pdbs = def('policy', 'poddisruptionbudgets');

test('pdb validation: one of minAvailable and maxUnavailable, counts or percentages up to 100%', () => {
  assert.deepEqual(create(pdbs, { metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } }), []);
  assert.deepEqual(create(pdbs, { metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 1, maxUnavailable: '10%' } }), [
    'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:intstr.IntOrString{Type:0, IntVal:1, StrVal:""}, MaxUnavailable:intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}}: minAvailable and maxUnavailable cannot be both set',
  ]);
  assert.deepEqual(create(pdbs, { metadata: { name: 'web', namespace: 'default' }, spec: { maxUnavailable: '150%', unhealthyPodEvictionPolicy: 'Never' } }), [
    'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
  ]);
  assert.deepEqual(create(pdbs, { metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: -1 } }), ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
});

test('pdb printer: MIN AVAILABLE, MAX UNAVAILABLE (N/A when unset), ALLOWED DISRUPTIONS', () => {
  assert.deepEqual(pdbs.columns!.map((c) => c.name), ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
  const p: any = { metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(9) }, spec: { maxUnavailable: '25%' }, status: { disruptionsAllowed: 1 } };
  assert.deepEqual(cells(pdbs, p, NOW), { Name: 'web', 'Min Available': 'N/A', 'Max Unavailable': '25%', 'Allowed Disruptions': 1, Age: '9s' });
  assert.deepEqual(pdbs.shortNames, ['pdb']);
});

test('the Eviction body is defined for pods/eviction', () => {
  const ev = definitions.get('io.k8s.api.policy.v1.Eviction');
  assert.ok(ev?.properties?.deleteOptions && ev.properties.metadata);
});
