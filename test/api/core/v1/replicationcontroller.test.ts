// ReplicationControllers, PodTemplates and ServiceAccounts: defaults from the template, validation
// of the template with its path, scale paths and rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const rcs = resources.find((r) => r.plural === 'replicationcontrollers')!;
const podTemplates = resources.find((r) => r.plural === 'podtemplates')!;
const serviceAccounts = resources.find((r) => r.plural === 'serviceaccounts')!;
const NOW = Date.parse('2025-01-01T00:05:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' };
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };

test('selector, labels and replicas default from the template', () => {
  const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { ...meta }, spec: { template: structuredClone(template) } } as KObject;
  rcs.defaults!(rc);
  rcs.prepareForCreate!(rc);
  const spec = rc.spec as any;
  assert.deepEqual(spec.selector, { app: 'web' });
  assert.deepEqual(rc.metadata.labels, { app: 'web' });
  assert.equal(spec.replicas, 1);
  assert.equal(spec.template.spec.restartPolicy, 'Always');
  assert.deepEqual(rcs.validate!(rc, {}), []);
  assert.deepEqual(rcs.row!(rc, NOW), ['web', 1, 0, 0, '5m', 'nginx', 'nginx:1.27', 'app=web']);
  assert.deepEqual(rcs.subresources?.scale, { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' });
});

test('the template must match the selector and restart Always', () => {
  const rc = { metadata: { ...meta }, spec: { selector: { app: 'api' }, replicas: -1, template: { ...structuredClone(template), spec: { restartPolicy: 'OnFailure', containers: [{ name: 'nginx', image: 'nginx' }] } } } } as KObject;
  rcs.defaults!(rc);
  assert.deepEqual(rcs.validate!(rc, {}).map((e) => `${e.field}: ${e.message}`), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  ]);
  const noTemplate = { metadata: { ...meta }, spec: { selector: { app: 'x' } } } as KObject;
  rcs.defaults!(noTemplate);
  assert.deepEqual(rcs.validate!(noTemplate, {}).map((e) => `${e.field}: ${e.message}`), ['spec.template: Required value']);
});

test('pod templates are defaulted and validated under template', () => {
  const pt = { apiVersion: 'v1', kind: 'PodTemplate', metadata: { ...meta }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx' }] } } } as KObject;
  podTemplates.defaults!(pt);
  assert.equal((pt.template as any).spec.dnsPolicy, 'ClusterFirst');
  assert.deepEqual(podTemplates.validate!(pt, {}).map((e) => e.field), ['template.spec.containers[0].image']);
  assert.deepEqual(podTemplates.row!(pt, NOW), ['web', 'nginx', '', 'app=web']);
});

test('service accounts count their secrets', () => {
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...meta, name: 'default' }, secrets: [{ name: 'default-token' }] } as KObject;
  assert.deepEqual(serviceAccounts.row!(sa, NOW), ['default', 1, '5m']);
});
