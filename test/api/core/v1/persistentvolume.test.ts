// PersistentVolumes and PersistentVolumeClaims: defaults, validation, update rules, rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const pvs = resources.find((r) => r.plural === 'persistentvolumes')!;
const pvcs = resources.find((r) => r.plural === 'persistentvolumeclaims')!;
const NOW = Date.parse('2025-01-01T12:00:00Z');
const meta = (name: string, ns?: string) => ({ name, ...(ns ? { namespace: ns } : {}), creationTimestamp: '2025-01-01T11:00:00Z' });
const msgs = (errs: Array<{ field: string; message: string }>) => errs.map((e) => `${e.field}: ${e.message.split('\n')[0]}`);

test('a hostPath PV: Retain, Filesystem, Pending; row as kubectl prints it', () => {
  const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: meta('pv1'), spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], hostPath: { path: '/data/pv1' } } } as KObject;
  pvs.defaults!(pv);
  pvs.prepareForCreate!(pv);
  const spec = pv.spec as any;
  assert.equal(spec.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(spec.volumeMode, 'Filesystem');
  assert.equal(spec.hostPath.type, '');
  assert.equal((pv.status as any).phase, 'Pending');
  assert.ok((pv.status as any).lastPhaseTransitionTime);
  assert.deepEqual(pvs.validate!(pv, {}), []);
  spec.claimRef = { namespace: 'default', name: 'data' };
  (pv.status as any).phase = 'Bound';
  assert.deepEqual(pvs.row!(pv, NOW), ['pv1', '5Gi', 'RWO,ROX', 'Retain', 'Bound', 'default/data', '', '<unset>', '', '60m', 'Filesystem']);
});

test('PV validation and immutable source', () => {
  const bad = { metadata: meta('pv2'), spec: { capacity: { storage: '0', cpu: '1' }, nfs: { server: 'nas', path: 'export' }, hostPath: { path: '/x' } } } as KObject;
  pvs.defaults!(bad);
  assert.deepEqual(msgs(pvs.validate!(bad, {})), [
    'spec.accessModes: Required value',
    'spec.capacity: Unsupported value: {"storage":"0","cpu":"1"}: supported values: "storage"',
    'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
    'spec.nfs: Forbidden: may not specify more than 1 volume type',
  ]);
  const old = { metadata: meta('pv3'), spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disk' } } } as KObject;
  pvs.defaults!(old);
  assert.deepEqual(msgs(pvs.validate!(old, {})), ['spec.nodeAffinity: Required value: Local volumes require node affinity']);
  const next = structuredClone(old);
  (next.spec as any).local.path = '/mnt/other';
  assert.ok(msgs(pvs.validate!(next, { old })).includes('spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation'));
});

test('a PVC: Filesystem, Pending; storage request required and positive', () => {
  const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data', 'default'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as KObject;
  pvcs.defaults!(pvc);
  assert.equal((pvc.spec as any).volumeMode, 'Filesystem');
  assert.equal((pvc.status as any).phase, 'Pending');
  assert.deepEqual(pvcs.validate!(pvc, {}), []);
  assert.deepEqual(pvcs.row!(pvc, NOW), ['data', 'Pending', '', '', '', '', '<unset>', '60m', 'Filesystem']);
  const bad = { metadata: meta('bad', 'default'), spec: { accessModes: ['ReadWriteOncePod', 'ReadWriteMany', 'Sometimes'], resources: { requests: { storage: '0' } } } } as KObject;
  pvcs.defaults!(bad);
  assert.deepEqual(msgs(pvcs.validate!(bad, {})), [
    'spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
    'spec.resources[storage]: Invalid value: "0": must be greater than zero',
  ]);
  const none = { metadata: meta('none', 'default'), spec: { accessModes: ['ReadWriteOnce'] } } as KObject;
  pvcs.defaults!(none);
  assert.deepEqual(msgs(pvcs.validate!(none, {})), ['spec.resources[storage]: Required value']);
});

test('PVC updates: binding sets volumeName once; only bound claims grow', () => {
  const old = { metadata: meta('data', 'default'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local' } } as KObject;
  pvcs.defaults!(old);
  const bind = structuredClone(old);
  (bind.spec as any).volumeName = 'pv1';
  assert.deepEqual(pvcs.validate!(bind, { old }), []);
  const grow = structuredClone(old);
  (grow.spec as any).resources.requests.storage = '2Gi';
  assert.deepEqual(msgs(pvcs.validate!(grow, { old })), ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims']);
  const bound = structuredClone(bind);
  bound.status = { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } };
  const grown = structuredClone(bound);
  (grown.spec as any).resources.requests.storage = '2Gi';
  assert.deepEqual(pvcs.validate!(grown, { old: bound }), []);
  const shrunk = structuredClone(bound);
  (shrunk.spec as any).resources.requests.storage = '500Mi';
  assert.deepEqual(msgs(pvcs.validate!(shrunk, { old: bound })), ['spec.resources.requests.storage: Forbidden: field can not be less than previous value']);
  assert.deepEqual(pvcs.row!(bound, NOW), ['data', 'Bound', 'pv1', '1Gi', 'RWO', 'local', '<unset>', '60m', 'Filesystem']);
});

test('ephemeral volumes validate their claim template', () => {
  const pods = resources.find((r) => r.plural === 'pods')!;
  const p = { metadata: meta('p', 'default'), spec: { containers: [{ name: 'a', image: 'a' }], volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '1Gi' } } } } } }] } } as KObject;
  pods.defaults!(p);
  assert.equal((p.spec as any).volumes[0].ephemeral.volumeClaimTemplate.spec.volumeMode, 'Filesystem');
  assert.deepEqual(msgs(pods.validate!(p, {})), ['spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required']);
});
