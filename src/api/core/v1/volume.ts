// core/v1 Volume and its sources. The common ones (emptyDir, hostPath, configMap, secret,
// projected, downwardAPI, persistentVolumeClaim, ephemeral, csi, image, nfs) are described fully;
// the in-tree cloud and storage-vendor plugins, mostly deprecated, briefly.
import { bool, int32, int64, list, obj, str, strMap, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { core, cref } from './common.js';

const fsType = str('Filesystem type to mount, e.g. ext4, xfs.');
const readOnly = bool('Mount read-only. Defaults to false.');
const secretRefLocal = cref('LocalObjectReference', 'Secret with the credentials.');

/** The sources a pod volume may be one of; exactly one is set. */
const volumeSources: Record<string, Schema> = {
  hostPath: cref('HostPathVolumeSource', 'A file or directory on the node; for system agents, rarely for applications.'),
  emptyDir: cref('EmptyDirVolumeSource', 'A directory that starts empty and lives as long as the pod.'),
  gcePersistentDisk: cref('GCEPersistentDiskVolumeSource', 'Deprecated: a GCE persistent disk; use the CSI driver.'),
  awsElasticBlockStore: cref('AWSElasticBlockStoreVolumeSource', 'Deprecated: an AWS EBS disk; use the CSI driver.'),
  gitRepo: cref('GitRepoVolumeSource', 'Deprecated: a git repository cloned into an emptyDir; use an init container.'),
  secret: cref('SecretVolumeSource', 'A Secret\'s keys as files.'),
  nfs: cref('NFSVolumeSource', 'An NFS export.'),
  iscsi: cref('ISCSIVolumeSource', 'An iSCSI disk.'),
  glusterfs: cref('GlusterfsVolumeSource', 'Deprecated: a Glusterfs mount.'),
  persistentVolumeClaim: cref('PersistentVolumeClaimVolumeSource', 'A PersistentVolumeClaim in the pod\'s namespace.'),
  rbd: cref('RBDVolumeSource', 'Deprecated: a Ceph RBD device.'),
  flexVolume: cref('FlexVolumeSource', 'Deprecated: a volume handled by an exec-based FlexVolume driver.'),
  cinder: cref('CinderVolumeSource', 'Deprecated: an OpenStack Cinder volume.'),
  cephfs: cref('CephFSVolumeSource', 'Deprecated: a CephFS mount.'),
  flocker: cref('FlockerVolumeSource', 'Deprecated: a Flocker dataset.'),
  downwardAPI: cref('DownwardAPIVolumeSource', 'Fields of the pod as files.'),
  fc: cref('FCVolumeSource', 'A Fibre Channel disk.'),
  azureFile: cref('AzureFileVolumeSource', 'Deprecated: an Azure File share; use the CSI driver.'),
  configMap: cref('ConfigMapVolumeSource', 'A ConfigMap\'s keys as files.'),
  vsphereVolume: cref('VsphereVirtualDiskVolumeSource', 'Deprecated: a vSphere disk; use the CSI driver.'),
  quobyte: cref('QuobyteVolumeSource', 'Deprecated: a Quobyte mount.'),
  azureDisk: cref('AzureDiskVolumeSource', 'Deprecated: an Azure data disk; use the CSI driver.'),
  photonPersistentDisk: cref('PhotonPersistentDiskVolumeSource', 'Deprecated: a Photon Controller disk.'),
  projected: cref('ProjectedVolumeSource', 'Several sources (secrets, configMaps, downward API, service account token) in one directory.'),
  portworxVolume: cref('PortworxVolumeSource', 'Deprecated: a Portworx volume.'),
  scaleIO: cref('ScaleIOVolumeSource', 'Deprecated: a ScaleIO volume.'),
  storageos: cref('StorageOSVolumeSource', 'Deprecated: a StorageOS volume.'),
  csi: cref('CSIVolumeSource', 'An ephemeral volume provided by a CSI driver.'),
  ephemeral: cref('EphemeralVolumeSource', 'A volume from a PersistentVolumeClaim created for this pod and deleted with it.'),
  image: cref('ImageVolumeSource', 'The content of an OCI image or artifact, read-only.'),
};

/** Names of the volume source fields, for "exactly one source" validation. */
export const VOLUME_SOURCE_FIELDS = Object.keys(volumeSources);

const keyToPathItems = list(cref('KeyToPath'), 'Which keys to project and to which paths; all keys when empty.');
const defaultMode = int32('Permission bits of the files, 0000 to 0777 (decimal 0 to 511). Defaults to 0644.');

export const definitions: Record<string, Schema> = {
  [core('Volume')]: obj({
    name: str('Name of the volume, a DNS label unique within the pod; mounts refer to it.'),
    ...volumeSources,
  }, { description: 'A named volume in a pod that containers may mount.', required: ['name'] }),

  [core('HostPathVolumeSource')]: obj({
    path: str('Path on the node; a symlink is followed.'),
    type: enumOf(['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'], 'What must be at the path. Defaults to "" (no check).'),
  }, { description: 'A path on the node mapped into the pod.', required: ['path'] }),
  [core('EmptyDirVolumeSource')]: obj({
    medium: str('Storage medium: "" (the node\'s default) or Memory (tmpfs).'),
    sizeLimit: ref(META.Quantity, 'Most local storage the volume may use.'),
  }, 'An empty directory for the life of the pod.'),
  [core('SecretVolumeSource')]: obj({
    secretName: str('Name of the Secret in the pod\'s namespace.'),
    items: keyToPathItems,
    defaultMode,
    optional: bool('Whether the Secret or its keys may be missing.'),
  }, 'A Secret projected into files.'),
  [core('ConfigMapVolumeSource')]: obj({
    name: str('Name of the ConfigMap.'),
    items: keyToPathItems,
    defaultMode,
    optional: bool('Whether the ConfigMap or its keys may be missing.'),
  }, 'A ConfigMap projected into files.'),
  [core('KeyToPath')]: obj({
    key: str('The key to project.'),
    path: str('Relative path of the file; may not contain ".." or start with it.'),
    mode: int32('Permission bits of this file, 0000 to 0777; defaultMode when unset.'),
  }, { description: 'Maps a key to a file path.', required: ['key', 'path'] }),
  [core('DownwardAPIVolumeSource')]: obj({
    items: list(cref('DownwardAPIVolumeFile'), 'The files to create.'),
    defaultMode,
  }, 'Information about the pod as files.'),
  [core('DownwardAPIVolumeFile')]: obj({
    path: str('Relative path of the file.'),
    fieldRef: cref('ObjectFieldSelector', 'A field of the pod: metadata.name, metadata.namespace, metadata.labels, metadata.annotations, metadata.uid.'),
    resourceFieldRef: cref('ResourceFieldSelector', 'A container\'s resource limit or request.'),
    mode: int32('Permission bits of the file, 0000 to 0777.'),
  }, { description: 'One file of pod information.', required: ['path'] }),
  [core('ProjectedVolumeSource')]: obj({
    sources: list(cref('VolumeProjection'), 'The sources to combine.'),
    defaultMode,
  }, 'Several sources projected into one directory.'),
  [core('VolumeProjection')]: obj({
    secret: cref('SecretProjection', 'Keys of a Secret.'),
    downwardAPI: cref('DownwardAPIProjection', 'Fields of the pod.'),
    configMap: cref('ConfigMapProjection', 'Keys of a ConfigMap.'),
    serviceAccountToken: cref('ServiceAccountTokenProjection', 'A token for the pod\'s service account.'),
    clusterTrustBundle: cref('ClusterTrustBundleProjection', 'Certificates from ClusterTrustBundle objects.'),
  }, 'One source of a projected volume; exactly one field.'),
  [core('SecretProjection')]: obj({
    name: str('Name of the Secret.'), items: keyToPathItems, optional: bool('Whether the Secret or its keys may be missing.'),
  }, 'A Secret in a projected volume.'),
  [core('ConfigMapProjection')]: obj({
    name: str('Name of the ConfigMap.'), items: keyToPathItems, optional: bool('Whether the ConfigMap or its keys may be missing.'),
  }, 'A ConfigMap in a projected volume.'),
  [core('DownwardAPIProjection')]: obj({
    items: list(cref('DownwardAPIVolumeFile'), 'The files to create.'),
  }, 'Pod information in a projected volume.'),
  [core('ServiceAccountTokenProjection')]: obj({
    audience: str('Intended audience of the token; defaults to the API server\'s.'),
    expirationSeconds: int64('Requested validity of the token; at least 600. Defaults to 3600.'),
    path: str('Relative path of the token file.'),
  }, { description: 'A service account token written to a file and refreshed before it expires.', required: ['path'] }),
  [core('ClusterTrustBundleProjection')]: obj({
    name: str('Select one ClusterTrustBundle by name.'),
    signerName: str('Select ClusterTrustBundles of this signer.'),
    labelSelector: ref(META.LabelSelector, 'With signerName: select bundles by label.'),
    optional: bool('Whether no matching bundle is allowed.'),
    path: str('Relative path of the file.'),
  }, { description: 'Trust anchors from ClusterTrustBundle objects, concatenated into one file.', required: ['path'] }),
  [core('PersistentVolumeClaimVolumeSource')]: obj({
    claimName: str('Name of the PersistentVolumeClaim in the pod\'s namespace.'),
    readOnly,
  }, { description: 'A reference to a PersistentVolumeClaim.', required: ['claimName'] }),
  [core('EphemeralVolumeSource')]: obj({
    volumeClaimTemplate: cref('PersistentVolumeClaimTemplate', 'The claim to create, named <pod>-<volume>, owned by the pod.'),
  }, 'A volume whose claim is created with the pod and deleted with it.'),
  [core('PersistentVolumeClaimTemplate')]: obj({
    metadata: ref(META.ObjectMeta, 'Labels and annotations copied to the claim.'),
    spec: cref('PersistentVolumeClaimSpec', 'Spec of the claim, copied unchanged.'),
  }, { description: 'A template for a PersistentVolumeClaim.', required: ['spec'] }),
  [core('CSIVolumeSource')]: obj({
    driver: str('Name of the CSI driver.'),
    readOnly,
    fsType,
    volumeAttributes: strMap('Driver-specific properties.'),
    nodePublishSecretRef: cref('LocalObjectReference', 'Secret passed to the driver\'s NodePublishVolume calls.'),
  }, { description: 'An ephemeral volume from a CSI driver.', required: ['driver'] }),
  [core('ImageVolumeSource')]: obj({
    reference: str('Image or artifact reference, as for a container image.'),
    pullPolicy: enumOf(['Always', 'IfNotPresent', 'Never'], 'When to pull. Defaults to Always for :latest, IfNotPresent otherwise.'),
  }, 'An OCI image or artifact mounted read-only.'),
  [core('NFSVolumeSource')]: obj({
    server: str('Host name or IP of the NFS server.'),
    path: str('Path exported by the server.'),
    readOnly,
  }, { description: 'An NFS mount.', required: ['server', 'path'] }),

  // In-tree plugins, kept for manifests that still use them.
  [core('GCEPersistentDiskVolumeSource')]: obj({
    pdName: str('Name of the disk.'), fsType, partition: int32('Partition to mount.'), readOnly,
  }, { description: 'A GCE persistent disk.', required: ['pdName'] }),
  [core('AWSElasticBlockStoreVolumeSource')]: obj({
    volumeID: str('ID of the EBS volume.'), fsType, partition: int32('Partition to mount.'), readOnly,
  }, { description: 'An AWS EBS disk.', required: ['volumeID'] }),
  [core('GitRepoVolumeSource')]: obj({
    repository: str('Repository URL.'), revision: str('Commit hash.'), directory: str('Target directory name.'),
  }, { description: 'A git repository checked out into the volume.', required: ['repository'] }),
  [core('ISCSIVolumeSource')]: obj({
    targetPortal: str('Target portal, IP or ip:port.'), iqn: str('Target IQN.'), lun: int32('Target LUN.'),
    iscsiInterface: str('iSCSI interface name. Defaults to default.'), fsType, readOnly,
    portals: list(str(), 'More target portals.'), chapAuthDiscovery: bool('Use CHAP for discovery.'),
    chapAuthSession: bool('Use CHAP for the session.'), secretRef: secretRefLocal,
    initiatorName: str('Custom initiator name.'),
  }, { description: 'An iSCSI disk.', required: ['targetPortal', 'iqn', 'lun'] }),
  [core('GlusterfsVolumeSource')]: obj({
    endpoints: str('Endpoints object naming the Glusterfs servers.'), path: str('Volume path.'), readOnly,
  }, { description: 'A Glusterfs mount.', required: ['endpoints', 'path'] }),
  [core('RBDVolumeSource')]: obj({
    monitors: list(str(), 'Ceph monitors.'), image: str('RBD image name.'), fsType, pool: str('RADOS pool. Defaults to rbd.'),
    user: str('RADOS user. Defaults to admin.'), keyring: str('Keyring path. Defaults to /etc/ceph/keyring.'),
    secretRef: secretRefLocal, readOnly,
  }, { description: 'A Ceph RBD device.', required: ['monitors', 'image'] }),
  [core('FlexVolumeSource')]: obj({
    driver: str('Driver name.'), fsType, secretRef: secretRefLocal, readOnly, options: strMap('Driver options.'),
  }, { description: 'A FlexVolume driver volume.', required: ['driver'] }),
  [core('CinderVolumeSource')]: obj({
    volumeID: str('Cinder volume ID.'), fsType, readOnly, secretRef: secretRefLocal,
  }, { description: 'An OpenStack Cinder volume.', required: ['volumeID'] }),
  [core('CephFSVolumeSource')]: obj({
    monitors: list(str(), 'Ceph monitors.'), path: str('Path within the filesystem. Defaults to /.'), user: str('RADOS user. Defaults to admin.'),
    secretFile: str('Path of the key ring. Defaults to /etc/ceph/user.secret.'), secretRef: secretRefLocal, readOnly,
  }, { description: 'A CephFS mount.', required: ['monitors'] }),
  [core('FlockerVolumeSource')]: obj({
    datasetName: str('Dataset name.'), datasetUUID: str('Dataset UUID.'),
  }, 'A Flocker dataset.'),
  [core('FCVolumeSource')]: obj({
    targetWWNs: list(str(), 'Target world wide names.'), lun: int32('Target LUN.'), fsType, readOnly,
    wwids: list(str(), 'Volume world wide identifiers; instead of targetWWNs and lun.'),
  }, 'A Fibre Channel disk.'),
  [core('AzureFileVolumeSource')]: obj({
    secretName: str('Secret with the storage account name and key.'), shareName: str('Share name.'), readOnly,
  }, { description: 'An Azure File share.', required: ['secretName', 'shareName'] }),
  [core('VsphereVirtualDiskVolumeSource')]: obj({
    volumePath: str('Path of the disk.'), fsType, storagePolicyName: str('Storage policy name.'), storagePolicyID: str('Storage policy ID.'),
  }, { description: 'A vSphere disk.', required: ['volumePath'] }),
  [core('QuobyteVolumeSource')]: obj({
    registry: str('Registry services, host:port list.'), volume: str('Volume name.'), readOnly, user: str('User to map access to.'),
    group: str('Group to map access to.'), tenant: str('Tenant owning the volume.'),
  }, { description: 'A Quobyte mount.', required: ['registry', 'volume'] }),
  [core('AzureDiskVolumeSource')]: obj({
    diskName: str('Data disk name.'), diskURI: str('Data disk URI.'), cachingMode: str('None, ReadOnly or ReadWrite.'), fsType, readOnly,
    kind: str('Shared, Dedicated or Managed. Defaults to Shared.'),
  }, { description: 'An Azure data disk.', required: ['diskName', 'diskURI'] }),
  [core('PhotonPersistentDiskVolumeSource')]: obj({
    pdID: str('Disk ID.'), fsType,
  }, { description: 'A Photon Controller disk.', required: ['pdID'] }),
  [core('PortworxVolumeSource')]: obj({
    volumeID: str('Volume ID.'), fsType, readOnly,
  }, { description: 'A Portworx volume.', required: ['volumeID'] }),
  [core('ScaleIOVolumeSource')]: obj({
    gateway: str('Gateway address.'), system: str('Storage system name.'), secretRef: secretRefLocal, sslEnabled: bool('Use SSL to the gateway.'),
    protectionDomain: str('Protection domain.'), storagePool: str('Storage pool.'), storageMode: str('ThickProvisioned or ThinProvisioned.'),
    volumeName: str('Volume name.'), fsType, readOnly,
  }, { description: 'A ScaleIO volume.', required: ['gateway', 'system', 'secretRef'] }),
  [core('StorageOSVolumeSource')]: obj({
    volumeName: str('Volume name.'), volumeNamespace: str('StorageOS namespace.'), fsType, readOnly, secretRef: secretRefLocal,
  }, 'A StorageOS volume.'),
};
