import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from '../apps/helpers.js';

const storageClasses = def('storage.k8s.io', 'storageclasses');
const csiDrivers = def('storage.k8s.io', 'csidrivers');
const csiNodes = def('storage.k8s.io', 'csinodes');
const attachments = def('storage.k8s.io', 'volumeattachments');

const localPath = (): any => ({
  metadata: { name: 'local-path', creationTimestamp: ago(70), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'rancher.io/local-path',
});

test('storageclass defaults: reclaimPolicy Delete, volumeBindingMode Immediate', () => {
  const sc = localPath();
  assert.deepEqual(create(storageClasses, sc), []);
  assert.deepEqual([sc.reclaimPolicy, sc.volumeBindingMode], ['Delete', 'Immediate']);
});

test('storageclass validation, and its immutable parts', () => {
  assert.deepEqual(create(storageClasses, { metadata: { name: 'x' }, provisioner: '', reclaimPolicy: 'Recycle' }), [
    'provisioner: Required value',
    'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
  ]);
  const old = localPath();
  create(storageClasses, old);
  const next = clone(old);
  next.parameters = { type: 'ssd' };
  next.provisioner = 'example.com/other';
  next.volumeBindingMode = 'WaitForFirstConsumer';
  next.allowVolumeExpansion = true;
  assert.deepEqual(update(storageClasses, next, old), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]);
});

test('storageclass printer marks the default class', () => {
  assert.deepEqual(storageClasses.columns!.map((c) => c.name), ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
  const sc = localPath();
  create(storageClasses, sc);
  assert.deepEqual(cells(storageClasses, sc, NOW), {
    Name: 'local-path (default)', Provisioner: 'rancher.io/local-path', ReclaimPolicy: 'Delete', VolumeBindingMode: 'Immediate', AllowVolumeExpansion: false, Age: '70s',
  });
  delete sc.metadata.annotations;
  assert.equal(cells(storageClasses, sc, NOW).Name, 'local-path');
});

test('csidriver defaults and printer', () => {
  const d: any = { metadata: { name: 'hostpath.csi.k8s.io', creationTimestamp: ago(1) }, spec: {} };
  assert.deepEqual(create(csiDrivers, d), []);
  assert.deepEqual(d.spec, {
    attachRequired: true, podInfoOnMount: false, storageCapacity: false, fsGroupPolicy: 'ReadWriteOnceWithFSType',
    volumeLifecycleModes: ['Persistent'], requiresRepublish: false, seLinuxMount: false,
  });
  assert.deepEqual(cells(csiDrivers, d, NOW), {
    Name: 'hostpath.csi.k8s.io', AttachRequired: true, PodInfoOnMount: false, StorageCapacity: false, TokenRequests: '<unset>', RequiresRepublish: false, Modes: 'Persistent', Age: '1s',
  });
  const next = clone(d);
  next.spec.attachRequired = false;
  assert.deepEqual(update(csiDrivers, next, d), ['spec.attachRequired: Invalid value: false: field is immutable']);
});

test('csinode and volumeattachment', () => {
  const n: any = { metadata: { name: 'node-1', creationTimestamp: ago(2) }, spec: { drivers: [{ name: 'a.csi', nodeID: 'n1' }, { name: 'a.csi' }] } };
  assert.deepEqual(create(csiNodes, n), ['spec.drivers[1].name: Duplicate value: "a.csi"', 'spec.drivers[1].nodeID: Required value']);
  assert.equal(cells(csiNodes, n, NOW).Drivers, 2);
  const va: any = { metadata: { name: 'csi-123', creationTimestamp: ago(2) }, spec: { attacher: 'a.csi', source: { persistentVolumeName: 'pv-1' }, nodeName: 'node-1' }, status: { attached: true } };
  assert.deepEqual(create(attachments, va), []);
  assert.deepEqual(cells(attachments, va, NOW), { Name: 'csi-123', Attacher: 'a.csi', PV: 'pv-1', Node: 'node-1', Attached: true, Age: '2s' });
  const none: any = { metadata: { name: 'v' }, spec: { attacher: 'a.csi', source: {}, nodeName: 'n' } };
  assert.deepEqual(create(attachments, none), ['spec.source: Invalid value: "": must specify exactly one of inlineVolumeSpec and persistentVolumeName']);
});
