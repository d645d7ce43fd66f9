import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordUpdate, type ManagedFieldsEntry, type ManagedObject, type UpdateOptions } from '../../../src/machinery/apply/index.js';
import { defs, deploymentSchema, fieldsToPaths, managersOf, nginx, ownedBy, stored, T0, T1, T2 } from './fixtures.js';

type Obj = ManagedObject & { spec?: any; status?: any };

function write(live: Obj | null, updated: Obj, manager: string, time: string, extra: Partial<UpdateOptions> = {}): Obj {
  const managedFields = recordUpdate(live, updated, { manager, apiVersion: 'apps/v1', time, ...extra }, deploymentSchema, defs);
  const meta: Record<string, unknown> = { ...updated.metadata };
  if (managedFields.length > 0) meta.managedFields = managedFields;
  else delete meta.managedFields;
  return { ...updated, metadata: meta as Obj['metadata'] };
}

const withReplicas = (o: Obj, n: number): Obj => ({ ...o, spec: { ...o.spec, replicas: n } });

test('a create is owned by its writer, new maps and elements marked as owned themselves', () => {
  const created = write(null, stored(nginx({ replicas: 2 })), 'kubectl-create', T0);
  assert.deepEqual(managersOf(created), ['kubectl-create/Update']);
  const entry = created.metadata!.managedFields![0];
  assert.deepEqual(
    { manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion, time: entry.time, fieldsType: entry.fieldsType },
    { manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1' },
  );
  assert.deepEqual((entry.fieldsV1 as any)['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  const paths = ownedBy(created, 'kubectl-create', 'Update');
  assert.ok(paths.includes('.spec.replicas'));
  assert.ok(paths.includes('.spec.template.spec.containers[name="nginx"]'));
  assert.ok(!paths.some((p) => /^\.metadata\.(uid|name|namespace|resourceVersion|creationTimestamp)$/.test(p)), 'server-owned fields are nobody\'s');
});

test('updates by the same manager accumulate; another manager takes what it changes', () => {
  const created = stored(write(null, stored(nginx({ replicas: 2 })), 'deployer', T0));
  const again = stored(write(created, { ...withReplicas(created, 3), metadata: { ...created.metadata, labels: { app: 'nginx', v: '2' } } as Obj['metadata'] }, 'deployer', T1));
  assert.deepEqual(managersOf(again), ['deployer/Update']);
  assert.equal(again.metadata!.managedFields![0].time, T1);
  assert.ok(ownedBy(again, 'deployer', 'Update').includes('.metadata.labels.v'));

  const scaled = write(again, withReplicas(again, 5), 'hpa', T2);
  assert.deepEqual(managersOf(scaled), ['deployer/Update', 'hpa/Update']);
  assert.deepEqual(ownedBy(scaled, 'hpa', 'Update'), ['.spec.replicas']);
  assert.ok(!ownedBy(scaled, 'deployer', 'Update').includes('.spec.replicas'));
});

test('a write that changes nothing changes no entry', () => {
  const created = stored(write(null, stored(nginx({ replicas: 2 })), 'deployer', T0));
  const same = write(created, created, 'someone-else', T1);
  assert.deepEqual(same.metadata!.managedFields, created.metadata!.managedFields);
});

test('removed fields are owned by no one and emptied managers disappear', () => {
  const created = stored(write(null, stored(nginx({ replicas: 2 })), 'deployer', T0));
  const scaled = stored(write(created, withReplicas(created, 4), 'hpa', T1));
  const spec = { ...scaled.spec };
  delete spec.replicas;
  const unset = write(scaled, { ...scaled, spec }, 'deployer', T2);
  assert.deepEqual(managersOf(unset), ['deployer/Update'], 'hpa owned only replicas');
});

test('managedFields sent with a write replace the stored ones; [] or [{}] clear them', () => {
  const created = stored(write(null, stored(nginx({ replicas: 2 })), 'deployer', T0));
  const custom: ManagedFieldsEntry[] = [{
    manager: 'someone', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  }];
  const replaced = write(created, { ...created, metadata: { ...created.metadata, managedFields: custom } }, 'deployer', T1);
  assert.deepEqual(replaced.metadata!.managedFields, custom);

  for (const reset of [[], [{}]] as ManagedFieldsEntry[][]) {
    const cleared = write(created, { ...created, metadata: { ...created.metadata, managedFields: reset } }, 'deployer', T1);
    assert.equal(cleared.metadata!.managedFields, undefined);
  }
  // Untracked objects stay untracked until the next apply, as in Kubernetes.
  const untracked = stored(nginx({ replicas: 2 }));
  assert.deepEqual(recordUpdate(untracked, withReplicas(untracked, 3), { manager: 'x', apiVersion: 'apps/v1', time: T1 }, deploymentSchema, defs), []);

  // Unreadable managedFields in a request fall back to the stored ones.
  const garbage = [{ manager: 'x', operation: 'Delete', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' }] as unknown as ManagedFieldsEntry[];
  const kept = write(created, { ...withReplicas(created, 3), metadata: { ...created.metadata, managedFields: garbage } }, 'deployer', T1);
  assert.deepEqual(managersOf(kept), ['deployer/Update']);
});

test('a subresource write gets its own entry and cannot rewrite managedFields', () => {
  const created = stored(write(null, stored(nginx({ replicas: 2 })), 'deployer', T0));
  const status = write(created, { ...created, status: { replicas: 2 }, metadata: { ...created.metadata, managedFields: [] } }, 'kube-controller-manager', T1, { subresource: 'status' });
  const entry = status.metadata!.managedFields!.find((e) => e.subresource === 'status')!;
  assert.equal(entry.manager, 'kube-controller-manager');
  assert.deepEqual(fieldsToPaths(entry.fieldsV1!), ['.status', '.status.replicas'], 'status was added, so it is owned itself too');
  assert.equal(status.metadata!.managedFields!.length, 2);
});

test('reset fields are not credited to the writer', () => {
  const created = stored(write(null, stored(nginx({ replicas: 2 })), 'deployer', T0));
  const withStatus = write(created, { ...withReplicas(created, 3), status: { replicas: 9 } }, 'kubectl-edit', T1, { resetFields: ['status'] });
  assert.deepEqual(ownedBy(withStatus, 'kubectl-edit', 'Update'), ['.spec.replicas']);
});

test('at most ten Update managers are kept; the oldest are folded into "ancient-changes"', () => {
  let obj = stored(write(null, stored(nginx({ replicas: 0 })), 'creator', '2025-01-01T00:00:00Z'));
  for (let i = 1; i <= 11; i++) {
    const labels = { ...obj.metadata!.labels, [`l${i}`]: 'x' };
    obj = stored(write(obj, { ...obj, metadata: { ...obj.metadata, labels } as Obj['metadata'] }, `writer-${i}`, `2025-01-01T00:${String(i).padStart(2, '0')}:00Z`));
  }
  const names = managersOf(obj);
  assert.equal(names.length, 10);
  assert.ok(names.includes('ancient-changes/Update'));
  assert.ok(!names.includes('creator/Update') && !names.includes('writer-1/Update') && !names.includes('writer-2/Update'));
  const ancient = ownedBy(obj, 'ancient-changes', 'Update');
  assert.ok(ancient.includes('.metadata.labels.l1') && ancient.includes('.metadata.labels.l2') && ancient.includes('.spec.replicas'));
});

test('a write leaves the entries of managers it did not touch exactly as they were stored', () => {
  const created = write(null, stored(nginx({ replicas: 2 })), 'kubectl-create', T0);
  const scaled = write(created, withReplicas(created, 3), 'scaler', T1);
  const statusWrite = write(scaled, { ...scaled, status: { replicas: 3 } }, 'kubelet', T2, { subresource: 'status', resetFields: ['spec'] });
  const before = scaled.metadata!.managedFields!.find((e) => e.manager === 'kubectl-create')!;
  const after = statusWrite.metadata!.managedFields!.find((e) => e.manager === 'kubectl-create')!;
  assert.deepEqual(after, before);
  assert.deepEqual(ownedBy(statusWrite, 'kubelet', 'Update'), ['.status', '.status.replicas']);
});

test('a status write that also changes the spec credits nobody with the spec change', () => {
  const created = write(null, stored(nginx({ replicas: 2 })), 'kubectl-create', T0);
  const sneaky = write(created, { ...withReplicas(created, 7), status: { replicas: 1 } }, 'kubelet', T1, { subresource: 'status', resetFields: ['spec'] });
  assert.deepEqual(ownedBy(sneaky, 'kubelet', 'Update'), ['.status', '.status.replicas']);
  assert.ok(ownedBy(sneaky, 'kubectl-create', 'Update').includes('.spec.replicas'), 'the spec stays with its owner');
});
