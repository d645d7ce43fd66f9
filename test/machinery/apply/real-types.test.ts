// Server-side apply against the real built-in schemas of src/api, where their list types, map
// keys and key defaults (container port protocol) decide the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitions } from '../../../src/api/index.js';
import { apply, recordUpdate, type ManagedObject } from '../../../src/machinery/apply/index.js';
import { StatusError } from '../../../src/machinery/status.js';
import { ownedBy, stored, T0, T1 } from './fixtures.js';

const deployment = definitions.get('io.k8s.api.apps.v1.Deployment')!;
const pod = definitions.get('io.k8s.api.core.v1.Pod')!;

const manifest = (replicas: number): ManagedObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } } as ManagedObject['metadata'],
  spec: {
    replicas, selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
  },
});

test('kubectl apply --server-side of a Deployment records the managedFields Kubernetes records', () => {
  const created = apply(null, manifest(3), { manager: 'kubectl', force: false, apiVersion: 'apps/v1', time: T0 }, deployment, definitions);
  assert.deepEqual(created.metadata!.managedFields, [{
    manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1',
    fieldsV1: JSON.parse(
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},'
      + '"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},'
      + '"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
    ),
  }]);
});

test('a client-side-applied Deployment conflicts on spec.replicas with Kubernetes\' message', () => {
  const live = stored(manifest(3));
  live.metadata!.managedFields = recordUpdate(null, live, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', time: T0 }, deployment, definitions);
  assert.throws(
    () => apply(live, manifest(5), { manager: 'kubectl', force: false, apiVersion: 'apps/v1', time: T1 }, deployment, definitions),
    (e: unknown) => e instanceof StatusError && e.code === 409
      && e.message === 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
  );
});

test('a Pod\'s status written through the status subresource is owned apart from its spec', () => {
  const config: ManagedObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'busybox', env: [{ name: 'A', value: '1' }] }] },
  };
  const created = stored(apply(null, config, { manager: 'kubectl', force: false, apiVersion: 'v1', time: T0, resetFields: ['status'] }, pod, definitions));
  const withStatus = { ...created, status: { phase: 'Running' } };
  withStatus.metadata = { ...created.metadata, managedFields: recordUpdate(created, withStatus, { manager: 'kubelet', apiVersion: 'v1', time: T1, subresource: 'status', resetFields: ['spec', 'metadata'] }, pod, definitions) };
  const kubelet = withStatus.metadata.managedFields!.find((e) => e.manager === 'kubelet')!;
  assert.equal(kubelet.subresource, 'status');
  assert.ok(ownedBy(withStatus, 'kubelet', 'Update').includes('.status.phase'));
  assert.ok(ownedBy(withStatus, 'kubectl').includes('.spec.containers[name="app"].env[name="A"].value'));
});
