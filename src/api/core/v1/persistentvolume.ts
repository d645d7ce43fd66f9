// core/v1 PersistentVolume: a piece of storage in the cluster, bound to at most one claim.
import { bool, int32, list, obj, str, strMap, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Subdomain } from '../../../machinery/names.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn, resourceList } from './common.js';
import { defaultVolumeSource } from './pod-defaults.js';
import { defaultResourceList } from './resource-list.js';
import { validateNodeSelector } from './pod-validation.js';
import { ACCESS_MODES, accessModesString } from './persistentvolumeclaim.js';
import { arr, diffPaths, IMMUTABLE, isObj, quantityAt, semanticEqual, strOf, validateResourceQuantity, type O } from './validation.js';

const fsType = str('Filesystem type to mount, e.g. ext4, xfs.');
const readOnly = bool('Mount read-only. Defaults to false.');
const secretRef = cref('SecretReference', 'Secret with the credentials.');

/** The sources a PersistentVolume may be one of, in the order Kubernetes checks them. */
const PV_SOURCES: Record<string, Schema> = {
  hostPath: cref('HostPathVolumeSource', 'A directory on the node; for single-node testing only.'),
  gcePersistentDisk: cref('GCEPersistentDiskVolumeSource', 'Deprecated: a GCE persistent disk.'),
  awsElasticBlockStore: cref('AWSElasticBlockStoreVolumeSource', 'Deprecated: an AWS EBS disk.'),
  glusterfs: cref('GlusterfsPersistentVolumeSource', 'Deprecated: a Glusterfs mount.'),
  flocker: cref('FlockerVolumeSource', 'Deprecated: a Flocker dataset.'),
  nfs: cref('NFSVolumeSource', 'An NFS export.'),
  rbd: cref('RBDPersistentVolumeSource', 'Deprecated: a Ceph RBD device.'),
  quobyte: cref('QuobyteVolumeSource', 'Deprecated: a Quobyte mount.'),
  cephfs: cref('CephFSPersistentVolumeSource', 'Deprecated: a CephFS mount.'),
  iscsi: cref('ISCSIPersistentVolumeSource', 'An iSCSI disk.'),
  cinder: cref('CinderPersistentVolumeSource', 'Deprecated: an OpenStack Cinder volume.'),
  fc: cref('FCVolumeSource', 'A Fibre Channel disk.'),
  flexVolume: cref('FlexPersistentVolumeSource', 'Deprecated: a FlexVolume driver volume.'),
  azureFile: cref('AzureFilePersistentVolumeSource', 'Deprecated: an Azure File share.'),
  vsphereVolume: cref('VsphereVirtualDiskVolumeSource', 'Deprecated: a vSphere disk.'),
  photonPersistentDisk: cref('PhotonPersistentDiskVolumeSource', 'Deprecated: a Photon Controller disk.'),
  portworxVolume: cref('PortworxVolumeSource', 'Deprecated: a Portworx volume.'),
  azureDisk: cref('AzureDiskVolumeSource', 'Deprecated: an Azure data disk.'),
  scaleIO: cref('ScaleIOPersistentVolumeSource', 'Deprecated: a ScaleIO volume.'),
  local: cref('LocalVolumeSource', 'A local disk or directory of one node; needs nodeAffinity.'),
  storageos: cref('StorageOSPersistentVolumeSource', 'Deprecated: a StorageOS volume.'),
  csi: cref('CSIPersistentVolumeSource', 'A volume managed by a CSI driver.'),
};
const SOURCE_FIELDS = Object.keys(PV_SOURCES);

export const definitions: Record<string, Schema> = {
  [core('PersistentVolume')]: kindObj('', 'PersistentVolume', {
    spec: cref('PersistentVolumeSpec', 'The storage the volume provides.'),
    status: cref('PersistentVolumeStatus', 'Phase of the volume; read-only.'),
  }, 'A piece of storage provisioned by an administrator or a StorageClass, claimed by a PersistentVolumeClaim.'),
  [core('PersistentVolumeSpec')]: obj({
    capacity: resourceList('Size of the volume (storage).'),
    ...PV_SOURCES,
    accessModes: list(enumOf(ACCESS_MODES), 'Ways the volume can be mounted.'),
    claimRef: { ...cref('ObjectReference', 'The claim bound to the volume; set by the binder, or ahead of time to reserve it.'), 'x-kubernetes-map-type': 'granular' },
    persistentVolumeReclaimPolicy: enumOf(['Delete', 'Recycle', 'Retain'], 'What happens when the claim goes: Retain (default for manual volumes), Delete, or the deprecated Recycle.'),
    storageClassName: str('StorageClass of the volume; empty for none.'),
    mountOptions: list(str(), 'Mount options, e.g. ro, soft; not validated.'),
    volumeMode: enumOf(['Block', 'Filesystem'], 'Filesystem or Block. Defaults to Filesystem.'),
    nodeAffinity: cref('VolumeNodeAffinity', 'Nodes from which the volume can be reached.'),
    volumeAttributesClassName: str('VolumeAttributesClass of the volume.'),
  }, 'The desired state of a persistent volume.'),
  [core('PersistentVolumeStatus')]: obj({
    phase: enumOf(['Available', 'Bound', 'Failed', 'Pending', 'Released'], 'Pending, Available, Bound, Released or Failed.'),
    message: str('Details of the phase, for people.'),
    reason: str('Why the volume failed, one CamelCase word.'),
    lastPhaseTransitionTime: ref(META.Time, 'When the phase last changed.'),
  }, 'The observed state of a persistent volume.'),
  [core('VolumeNodeAffinity')]: obj({
    required: cref('NodeSelector', 'Nodes that can reach the volume.'),
  }, 'Which nodes a volume can be used from.'),
  [core('LocalVolumeSource')]: obj({
    path: str('Full path on the node of the disk, partition or directory.'),
    fsType: str('Filesystem type, for block devices; ext4 when unset.'),
  }, { description: 'A local disk or directory.', required: ['path'] }),
  [core('GlusterfsPersistentVolumeSource')]: obj({
    endpoints: str('Endpoints object naming the Glusterfs servers.'), endpointsNamespace: str('Namespace of the endpoints.'),
    path: str('Volume path.'), readOnly,
  }, { description: 'A Glusterfs mount.', required: ['endpoints', 'path'] }),
  [core('RBDPersistentVolumeSource')]: obj({
    monitors: list(str(), 'Ceph monitors.'), image: str('RBD image name.'), fsType, pool: str('RADOS pool. Defaults to rbd.'),
    user: str('RADOS user. Defaults to admin.'), keyring: str('Keyring path. Defaults to /etc/ceph/keyring.'), secretRef, readOnly,
  }, { description: 'A Ceph RBD device.', required: ['monitors', 'image'] }),
  [core('CephFSPersistentVolumeSource')]: obj({
    monitors: list(str(), 'Ceph monitors.'), path: str('Path within the filesystem.'), user: str('RADOS user.'),
    secretFile: str('Path of the key ring.'), secretRef, readOnly,
  }, { description: 'A CephFS mount.', required: ['monitors'] }),
  [core('ISCSIPersistentVolumeSource')]: obj({
    targetPortal: str('Target portal, IP or ip:port.'), iqn: str('Target IQN.'), lun: int32('Target LUN.'),
    iscsiInterface: str('iSCSI interface name. Defaults to default.'), fsType, readOnly, portals: list(str(), 'More target portals.'),
    chapAuthDiscovery: bool('Use CHAP for discovery.'), chapAuthSession: bool('Use CHAP for the session.'), secretRef,
    initiatorName: str('Custom initiator name.'),
  }, { description: 'An iSCSI disk.', required: ['targetPortal', 'iqn', 'lun'] }),
  [core('CinderPersistentVolumeSource')]: obj({
    volumeID: str('Cinder volume ID.'), fsType, readOnly, secretRef,
  }, { description: 'An OpenStack Cinder volume.', required: ['volumeID'] }),
  [core('FlexPersistentVolumeSource')]: obj({
    driver: str('Driver name.'), fsType, secretRef, readOnly, options: strMap('Driver options.'),
  }, { description: 'A FlexVolume driver volume.', required: ['driver'] }),
  [core('AzureFilePersistentVolumeSource')]: obj({
    secretName: str('Secret with the storage account name and key.'), shareName: str('Share name.'), readOnly,
    secretNamespace: str('Namespace of the secret; defaults to the pod\'s.'),
  }, { description: 'An Azure File share.', required: ['secretName', 'shareName'] }),
  [core('ScaleIOPersistentVolumeSource')]: obj({
    gateway: str('Gateway address.'), system: str('Storage system name.'), secretRef, sslEnabled: bool('Use SSL to the gateway.'),
    protectionDomain: str('Protection domain.'), storagePool: str('Storage pool.'), storageMode: str('ThickProvisioned or ThinProvisioned.'),
    volumeName: str('Volume name.'), fsType, readOnly,
  }, { description: 'A ScaleIO volume.', required: ['gateway', 'system', 'secretRef'] }),
  [core('StorageOSPersistentVolumeSource')]: obj({
    volumeName: str('Volume name.'), volumeNamespace: str('StorageOS namespace.'), fsType, readOnly,
    secretRef: cref('ObjectReference', 'Secret with the API credentials.'),
  }, 'A StorageOS volume.'),
  [core('CSIPersistentVolumeSource')]: obj({
    driver: str('Name of the CSI driver.'),
    volumeHandle: str('ID of the volume as the driver knows it.'),
    readOnly,
    fsType,
    volumeAttributes: strMap('Driver-specific properties.'),
    controllerPublishSecretRef: cref('SecretReference', 'Secret passed to ControllerPublishVolume calls.'),
    nodeStageSecretRef: cref('SecretReference', 'Secret passed to NodeStageVolume calls.'),
    nodePublishSecretRef: cref('SecretReference', 'Secret passed to NodePublishVolume calls.'),
    controllerExpandSecretRef: cref('SecretReference', 'Secret passed to ControllerExpandVolume calls.'),
    nodeExpandSecretRef: cref('SecretReference', 'Secret passed to NodeExpandVolume calls.'),
  }, { description: 'A volume managed by a CSI driver.', required: ['driver', 'volumeHandle'] }),
};

function validatePV(pv: KObject): FieldError[] {
  const s: O = isObj(pv.spec) ? pv.spec : {};
  const errs: FieldError[] = [];
  const modes = arr(s.accessModes);
  if (modes.length === 0) errs.push(field.required('spec.accessModes'));
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) errs.push(field.notSupported('spec.accessModes', m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) errs.push(field.forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  const capacity: O = isObj(s.capacity) ? s.capacity : {};
  const keys = Object.keys(capacity);
  if (keys.length === 0) errs.push(field.required('spec.capacity'));
  if (!('storage' in capacity) || keys.length > 1) errs.push(field.notSupported('spec.capacity', capacity, ['storage']));
  for (const k of keys) {
    const q = quantityAt(capacity[k], `spec.capacity[${k}]`, errs);
    if (q && q.sign() <= 0) errs.push(field.invalid(`spec.capacity[${k}]`, q.toString(), 'must be greater than zero'));
    else if (q) validateResourceQuantity(k, capacity[k], `spec.capacity[${k}]`, errs);
  }
  if (s.storageClassName) for (const m of validateDNS1123Subdomain(strOf(s.storageClassName))) errs.push(field.invalid('spec.storageClassName', s.storageClassName, m));
  if (s.volumeMode !== undefined && s.volumeMode !== null && !['Block', 'Filesystem'].includes(s.volumeMode)) {
    errs.push(field.notSupported('spec.volumeMode', s.volumeMode, ['Block', 'Filesystem']));
  }
  const policies = ['Delete', 'Recycle', 'Retain'];
  if (s.persistentVolumeReclaimPolicy && !policies.includes(s.persistentVolumeReclaimPolicy)) {
    errs.push(field.notSupported('spec.persistentVolumeReclaimPolicy', s.persistentVolumeReclaimPolicy, policies));
  }
  if (isObj(s.nodeAffinity)) {
    if (!isObj(s.nodeAffinity.required)) errs.push(field.required('spec.nodeAffinity.required', 'must specify required node constraints'));
    else errs.push(...validateNodeSelector(s.nodeAffinity.required, 'spec.nodeAffinity.required'));
  }
  let n = 0;
  for (const k of SOURCE_FIELDS) {
    const src = s[k];
    if (!isObj(src)) continue;
    if (n++ > 0) {
      errs.push(field.forbidden(`spec.${k}`, 'may not specify more than 1 volume type'));
      continue;
    }
    const p = `spec.${k}`;
    if (k === 'hostPath' || k === 'local') {
      if (!src.path) errs.push(field.required(`${p}.path`));
      else if (strOf(src.path).split('/').includes('..')) errs.push(field.invalid(`${p}.path`, src.path, "must not contain '..'"));
    }
    if (k === 'nfs') {
      if (!src.server) errs.push(field.required(`${p}.server`));
      if (!src.path) errs.push(field.required(`${p}.path`));
      else if (!strOf(src.path).startsWith('/')) errs.push(field.invalid(`${p}.path`, src.path, 'must be an absolute path'));
    }
    if (k === 'csi') {
      if (!src.driver) errs.push(field.required(`${p}.driver`));
      if (!src.volumeHandle) errs.push(field.required(`${p}.volumeHandle`));
    }
    if (k === 'local' && !isObj(s.nodeAffinity)) errs.push(field.required('spec.nodeAffinity', 'Local volumes require node affinity'));
  }
  if (n === 0) errs.push(field.required('spec', 'must specify a volume type'));
  if (isObj(s.hostPath) && strOf(s.hostPath.path).replace(/\/+$/, '') === '' && s.hostPath.path && s.persistentVolumeReclaimPolicy === 'Recycle') {
    errs.push(field.forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  return errs;
}

function validatePVUpdate(pv: KObject, old: KObject): FieldError[] {
  const s: O = isObj(pv.spec) ? pv.spec : {};
  const o: O = isObj(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  const pick = (x: O) => Object.fromEntries(SOURCE_FIELDS.filter((k) => x[k] !== undefined).map((k) => [k, x[k]]));
  if (!semanticEqual(pick(s), pick(o))) {
    errs.push(field.forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n  changed: ${diffPaths(pick(o), pick(s), 'spec').join(', ')}`));
  }
  if ((s.volumeMode ?? '') !== (o.volumeMode ?? '')) errs.push(field.invalid('volumeMode', s.volumeMode ?? null, IMMUTABLE));
  if (isObj(o.nodeAffinity) && !semanticEqual(s.nodeAffinity, o.nodeAffinity)) errs.push(field.invalid('nodeAffinity', s.nodeAffinity ?? null, IMMUTABLE));
  return errs;
}

export const persistentVolumes: ResourceDef = {
  group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', singular: 'persistentvolume', namespaced: false,
  shortNames: ['pv'], schemaName: core('PersistentVolume'),
  subresources: { status: true },
  tracksGeneration: false,
  defaults(pv) {
    const s = (isObj(pv.spec) ? pv.spec : (pv.spec = {})) as O;
    if (!s.persistentVolumeReclaimPolicy) s.persistentVolumeReclaimPolicy = 'Retain';
    if (!s.volumeMode) s.volumeMode = 'Filesystem';
    defaultVolumeSource(s);
    defaultResourceList(s.capacity);
    const status = (isObj(pv.status) ? pv.status : (pv.status = {})) as O;
    if (!status.phase) status.phase = 'Pending';
  },
  prepareForCreate(pv) {
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  },
  validate(pv, { old }) {
    const errs = validatePV(pv);
    if (old) errs.push(...validatePVUpdate(pv, old));
    return errs;
  },
  columns: [
    nameColumn,
    col('Capacity', 'string', 'Size of the volume.'),
    col('Access Modes', 'string', 'Ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'What happens to the volume when its claim goes.'),
    col('Status', 'string', 'Phase of the volume.'),
    col('Claim', 'string', 'The claim bound to the volume.'),
    col('StorageClass', 'string', 'StorageClass of the volume.'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the volume.'),
    col('Reason', 'string', 'Why the volume is in its phase.'),
    ageColumn,
    col('VolumeMode', 'string', 'Filesystem or Block.', 1),
  ],
  row(pv, now) {
    const s: O = isObj(pv.spec) ? pv.spec : {};
    const status: O = isObj(pv.status) ? pv.status : {};
    const claim = isObj(s.claimRef) ? `${strOf(s.claimRef.namespace)}/${strOf(s.claimRef.name)}` : '';
    const cls = pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? strOf(s.storageClassName);
    return [
      pv.metadata.name, isObj(s.capacity) && s.capacity.storage !== undefined ? String(s.capacity.storage) : '0', accessModesString(s.accessModes),
      strOf(s.persistentVolumeReclaimPolicy), pv.metadata.deletionTimestamp ? 'Terminating' : strOf(status.phase), claim, cls,
      s.volumeAttributesClassName ?? '<unset>', strOf(status.reason), age(pv.metadata.creationTimestamp, now), s.volumeMode || '<unset>',
    ];
  },
};
