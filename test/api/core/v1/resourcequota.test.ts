// ResourceQuotas and LimitRanges: validation, limit range defaults, and their rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const quotas = resources.find((r) => r.plural === 'resourcequotas')!;
const limitRanges = resources.find((r) => r.plural === 'limitranges')!;
const obj = (kind: string, spec: unknown, status?: unknown): KObject =>
  ({ apiVersion: 'v1', kind, metadata: { name: 'q', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' }, spec, status } as KObject);
const msgs = (errs: Array<{ field: string; message: string }>) => errs.map((e) => `${e.field}: ${e.message}`);

test('quota: resource names and scopes', () => {
  assert.deepEqual(quotas.validate!(obj('ResourceQuota', { hard: { pods: '10', 'requests.cpu': '4', 'count/deployments.apps': '5' } }), {}), []);
  assert.deepEqual(msgs(quotas.validate!(obj('ResourceQuota', { hard: { gpus: '1', pods: '-1' }, scopes: ['BestEffort', 'NotBestEffort'] }), {})), [
    'spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota',
    'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
    'spec.scopes: Invalid value: ["BestEffort","NotBestEffort"]: conflicting scopes',
  ]);
});

test('quota row: used/hard, limits.* in LIMIT', () => {
  const q = obj('ResourceQuota', {}, { hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '2Gi' }, used: { pods: '3', 'requests.cpu': '500m' } });
  assert.deepEqual(quotas.row!(q, Date.parse('2025-01-01T00:00:10Z')), ['q', '10s', 'pods: 3/10, requests.cpu: 500m/2', 'limits.memory: 0/2Gi']);
});

test('limit range: container defaults fall back to max, then to the default limit', () => {
  const lr = obj('LimitRange', { limits: [{ type: 'Container', max: { cpu: '2' }, default: { memory: '512Mi' }, min: { memory: '64Mi' } }] });
  limitRanges.defaults!(lr);
  assert.deepEqual((lr.spec as any).limits[0].default, { memory: '512Mi', cpu: '2' });
  assert.deepEqual((lr.spec as any).limits[0].defaultRequest, { memory: '512Mi', cpu: '2' });
  assert.deepEqual(limitRanges.validate!(lr, {}), []);
  assert.deepEqual(limitRanges.row!(lr, 0), ['q', '2025-01-01T00:00:00Z']);
});

test('limit range: min above max, defaults on Pod items, duplicate types', () => {
  const lr = obj('LimitRange', { limits: [
    { type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } },
    { type: 'Pod', default: { cpu: '1' } },
    { type: 'Container' },
  ] });
  assert.deepEqual(msgs(limitRanges.validate!(lr, {})), [
    'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
    "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
    'spec.limits[2].type: Duplicate value: "Container"',
  ]);
});
