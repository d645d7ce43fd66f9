// Which volume a claim binds, the volume the local-path provisioner makes, the default class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultClass, findMatchingVolume, localPathStorageClass, localPathVolume, volumeNameFor,
  type PersistentVolume, type PersistentVolumeClaim, type StorageClass,
} from '../../../src/controllers/volume/index.js';

function pv(name: string, size: string, opts: Partial<NonNullable<PersistentVolume['spec']>> & { phase?: string; labels?: Record<string, string> } = {}): PersistentVolume {
  const { phase, labels, ...spec } = opts;
  return {
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, labels },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', ...spec },
    status: { phase: phase ?? 'Available' },
  };
}

function claim(size: string, spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default', uid: 'claim-uid' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: 'manual', ...spec },
  };
}

test('the smallest Available volume of the class that holds the request wins', () => {
  const vols = [pv('big', '100Gi'), pv('small', '1Gi'), pv('fits', '5Gi'), pv('exact', '2Gi'), pv('other-class', '2Gi', { storageClassName: 'fast' })];
  assert.equal(findMatchingVolume(claim('2Gi'), vols, false)?.metadata.name, 'exact');
  assert.equal(findMatchingVolume(claim('3Gi'), vols, false)?.metadata.name, 'fits');
  assert.equal(findMatchingVolume(claim('1Ti'), vols, false), undefined);
});

test('access modes, volume mode, selector, phase, claimRef and deletion rule volumes out', () => {
  assert.equal(findMatchingVolume(claim('1Gi', { accessModes: ['ReadWriteMany'] }), [pv('rwo', '5Gi')], false), undefined);
  assert.equal(findMatchingVolume(claim('1Gi', { volumeMode: 'Block' }), [pv('fs', '5Gi')], false), undefined);
  assert.equal(findMatchingVolume(claim('1Gi', { selector: { matchLabels: { tier: 'gold' } } }), [pv('plain', '5Gi'), pv('gold', '9Gi', { labels: { tier: 'gold' } })], false)?.metadata.name, 'gold');
  assert.equal(findMatchingVolume(claim('1Gi'), [pv('released', '5Gi', { phase: 'Released' })], false), undefined);
  assert.equal(findMatchingVolume(claim('1Gi'), [pv('taken', '5Gi', { claimRef: { namespace: 'default', name: 'other', uid: 'x' } })], false), undefined);
  const deleting = pv('deleting', '5Gi');
  deleting.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  assert.equal(findMatchingVolume(claim('1Gi'), [deleting], false), undefined);
});

test('a volume pre-bound to the claim wins even when small; WaitForFirstConsumer leaves the rest to the scheduler', () => {
  const pre = pv('pre', '1Gi', { claimRef: { namespace: 'default', name: 'data' }, phase: 'Available' });
  assert.equal(findMatchingVolume(claim('5Gi'), [pv('fits', '5Gi'), pre], false)?.metadata.name, 'pre');
  assert.equal(findMatchingVolume(claim('5Gi'), [pv('fits', '5Gi'), pre], true)?.metadata.name, 'pre');
  assert.equal(findMatchingVolume(claim('5Gi'), [pv('fits', '5Gi')], true), undefined);
  const otherUid = pv('stale', '9Gi', { claimRef: { namespace: 'default', name: 'data', uid: 'an-older-claim' } });
  assert.equal(findMatchingVolume(claim('1Gi'), [otherUid], false), undefined, 'bound to an earlier claim of the same name');
});

test('the local-path volume: named after the claim, under the root, on the selected node, pre-bound', () => {
  const c = claim('2Gi', { storageClassName: 'local-path' });
  c.metadata.resourceVersion = '42';
  const cls = localPathStorageClass();
  const v = localPathVolume(c, cls, 'node-a', 'node-a.example', '/data/storage');
  assert.equal(v.metadata.name, volumeNameFor(c));
  assert.equal(v.metadata.name, 'pvc-claim-uid');
  assert.deepEqual(v.spec!.hostPath, { path: '/data/storage/pvc-claim-uid', type: 'DirectoryOrCreate' });
  assert.deepEqual(v.spec!.capacity, { storage: '2Gi' });
  assert.equal(v.spec!.persistentVolumeReclaimPolicy, 'Delete');
  assert.equal(v.spec!.storageClassName, 'local-path');
  assert.deepEqual(v.spec!.nodeAffinity!.required!.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a.example'] }] }]);
  assert.deepEqual(v.spec!.claimRef, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'claim-uid', resourceVersion: '42' });
  assert.equal(v.metadata.annotations!['pv.kubernetes.io/provisioned-by'], 'rancher.io/local-path');
  const noLabel = localPathVolume(c, cls, 'node-b', undefined, '/x');
  assert.deepEqual(noLabel.spec!.nodeAffinity!.required!.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b'] }] }]);
});

test('the local-path class is the default; of several defaults the newest wins', () => {
  const lp = localPathStorageClass();
  assert.deepEqual([lp.provisioner, lp.volumeBindingMode, lp.metadata.annotations], ['rancher.io/local-path', 'WaitForFirstConsumer', { 'storageclass.kubernetes.io/is-default-class': 'true' }]);
  const cls = (name: string, created: string, def: boolean): StorageClass => ({
    metadata: { name, creationTimestamp: created, annotations: def ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} }, provisioner: 'x',
  });
  assert.equal(defaultClass([cls('old', '2024-01-01T00:00:00Z', true), cls('new', '2024-06-01T00:00:00Z', true), cls('plain', '2025-01-01T00:00:00Z', false)])?.metadata.name, 'new');
  assert.equal(defaultClass([cls('plain', '2025-01-01T00:00:00Z', false)]), undefined);
});
