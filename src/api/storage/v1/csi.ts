// storage.k8s.io/v1 CSI objects: CSIDriver (how Kubernetes talks to a driver), CSINode (the drivers
// on a node), VolumeAttachment (a volume attached to a node) and CSIStorageCapacity.
import { bool, enumOf, int32, int64, list, mapList, obj, quantity, ref, set, str, strMap, time, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { canonicalQuantity } from '../../../machinery/quantity.js';
import { validateDNS1123Subdomain } from '../../../machinery/names.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { ResourceDef } from '../../resource.js';
import { ageColumn, arr, col, immutable, kindSchema, nameColumn, o, type Obj } from '../../apps/v1/common.js';

const S = 'io.k8s.api.storage.v1';
export const CSI_DRIVER = `${S}.CSIDriver`;
export const CSI_NODE = `${S}.CSINode`;
export const VOLUME_ATTACHMENT = `${S}.VolumeAttachment`;
export const CSI_STORAGE_CAPACITY = `${S}.CSIStorageCapacity`;

export const definitions: Record<string, Schema> = {
  [CSI_DRIVER]: kindSchema('storage.k8s.io', 'v1', 'CSIDriver', {
    spec: ref(`${S}.CSIDriverSpec`, 'How the driver is called.'),
  }, 'A CSI volume driver installed in the cluster; its name is the driver name.', ['spec']),
  [`${S}.CSIDriverSpec`]: obj({
    attachRequired: bool('Whether volumes need an attach step (a VolumeAttachment). Defaults to true. Immutable.'),
    podInfoOnMount: bool('Whether the pod\'s name, namespace, uid and service account are passed on mount. Defaults to false.'),
    volumeLifecycleModes: set(str(), 'Persistent and/or Ephemeral (inline) volumes. Defaults to Persistent. Immutable.'),
    storageCapacity: bool('Whether the scheduler considers published CSIStorageCapacity. Defaults to false.'),
    fsGroupPolicy: enumOf(['File', 'None', 'ReadWriteOnceWithFSType'], 'Whether volume ownership follows the pod\'s fsGroup. Defaults to ReadWriteOnceWithFSType.'),
    tokenRequests: list(ref(`${S}.TokenRequest`), 'Service account tokens passed to the driver on mount.'),
    requiresRepublish: bool('Whether NodePublishVolume is called periodically. Defaults to false.'),
    seLinuxMount: bool('Whether the driver supports the -o context mount option. Defaults to false.'),
  }, 'The behaviour of a CSI driver.'),
  [`${S}.TokenRequest`]: obj({
    audience: str('Audience of the token.'),
    expirationSeconds: int64('Lifetime of the token.'),
  }, { description: 'A service account token requested for the driver.', required: ['audience'] }),
  [CSI_NODE]: kindSchema('storage.k8s.io', 'v1', 'CSINode', {
    spec: ref(`${S}.CSINodeSpec`, 'The drivers on the node.'),
  }, 'The CSI drivers installed on a node; named like the node.', ['spec']),
  [`${S}.CSINodeSpec`]: obj({
    drivers: mapList(ref(`${S}.CSINodeDriver`), ['name'], 'Drivers registered on the node.'),
  }, { description: 'The CSI drivers of a node.', required: ['drivers'] }),
  [`${S}.CSINodeDriver`]: obj({
    name: str('Name of the driver.'),
    nodeID: str('The node as the driver knows it.'),
    topologyKeys: list(str(), 'Node label keys the driver uses for topology.'),
    allocatable: ref(`${S}.VolumeNodeResources`, 'Volume limits of the driver on the node.'),
  }, { description: 'One driver on a node.', required: ['name', 'nodeID'] }),
  [`${S}.VolumeNodeResources`]: obj({
    count: int32('Most volumes of this driver on the node.'),
  }, 'Volume limits.'),
  [VOLUME_ATTACHMENT]: kindSchema('storage.k8s.io', 'v1', 'VolumeAttachment', {
    spec: ref(`${S}.VolumeAttachmentSpec`, 'What to attach where. Immutable.'),
    status: ref(`${S}.VolumeAttachmentStatus`, 'Whether it is attached, written by the attacher.'),
  }, 'Asks for a volume to be attached to a node.', ['spec']),
  [`${S}.VolumeAttachmentSpec`]: obj({
    attacher: str('The driver that attaches the volume.'),
    source: ref(`${S}.VolumeAttachmentSource`, 'The volume.'),
    nodeName: str('The node to attach to.'),
  }, { description: 'The desired attachment.', required: ['attacher', 'source', 'nodeName'] }),
  [`${S}.VolumeAttachmentSource`]: obj({
    persistentVolumeName: str('A PersistentVolume to attach.'),
    inlineVolumeSpec: ref('io.k8s.api.core.v1.PersistentVolumeSpec', 'An inline volume migrated to CSI.'),
  }, 'The volume of an attachment; exactly one field.'),
  [`${S}.VolumeAttachmentStatus`]: obj({
    attached: bool('Whether the volume is attached.'),
    attachmentMetadata: strMap('Information from the attach step for later steps.'),
    attachError: ref(`${S}.VolumeError`, 'Last attach error.'),
    detachError: ref(`${S}.VolumeError`, 'Last detach error.'),
  }, { description: 'The observed attachment.', required: ['attached'] }),
  [`${S}.VolumeError`]: obj({
    time: time('When the error happened.'),
    message: str('What went wrong.'),
    errorCode: int32('Numeric code of the error.'),
  }, 'An attach or detach error.'),
  [CSI_STORAGE_CAPACITY]: kindSchema('storage.k8s.io', 'v1', 'CSIStorageCapacity', {
    nodeTopology: ref(META.LabelSelector, 'Nodes that can reach the storage.'),
    storageClassName: str('The StorageClass the capacity is for. Immutable.'),
    capacity: quantity('Capacity available for new volumes.'),
    maximumVolumeSize: quantity('Largest volume that can be created.'),
  }, 'Storage capacity available to a StorageClass in a topology segment, published by a CSI driver.', ['storageClassName']),
};

export const csiDrivers: ResourceDef = {
  group: 'storage.k8s.io', version: 'v1', kind: 'CSIDriver', plural: 'csidrivers', singular: 'csidriver',
  namespaced: false, schemaName: CSI_DRIVER,
  defaults(d) {
    const spec = (d.spec ??= {}) as Obj;
    spec.attachRequired ??= true;
    spec.podInfoOnMount ??= false;
    spec.storageCapacity ??= false;
    spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
    if (!Array.isArray(spec.volumeLifecycleModes) || spec.volumeLifecycleModes.length === 0) spec.volumeLifecycleModes = ['Persistent'];
    spec.requiresRepublish ??= false;
    spec.seLinuxMount ??= false;
  },
  validate(d, { old }) {
    const spec = o(d.spec);
    const errs: FieldError[] = [];
    if ((d.metadata.name ?? '').length > 63) errs.push(field.tooLong('metadata.name', 63));
    if (spec.fsGroupPolicy != null && !['File', 'None', 'ReadWriteOnceWithFSType'].includes(spec.fsGroupPolicy)) {
      errs.push(field.notSupported('spec.fsGroupPolicy', spec.fsGroupPolicy, ['File', 'None', 'ReadWriteOnceWithFSType']));
    }
    arr(spec.volumeLifecycleModes).forEach((m, i) => {
      if (m !== 'Persistent' && m !== 'Ephemeral') errs.push(field.notSupported(`spec.volumeLifecycleModes[${i}]`, m, ['Ephemeral', 'Persistent']));
    });
    const audiences = new Set<string>();
    arr(spec.tokenRequests).forEach((t, i) => {
      const a = String(o(t).audience ?? '');
      if (audiences.has(a)) errs.push(field.duplicate(`spec.tokenRequests[${i}].audience`, a));
      audiences.add(a);
      const exp = o(t).expirationSeconds;
      if (typeof exp === 'number' && exp < 600) errs.push(field.invalid(`spec.tokenRequests[${i}].expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
    });
    if (old) {
      const os = o(old.spec);
      errs.push(...immutable(spec.attachRequired, os.attachRequired, 'spec.attachRequired'));
      errs.push(...immutable(spec.volumeLifecycleModes, os.volumeLifecycleModes, 'spec.volumeLifecycleModes'));
    }
    return errs;
  },
  columns: [
    nameColumn,
    col('AttachRequired', 'boolean', 'Whether volumes need an attach step.'),
    col('PodInfoOnMount', 'boolean', 'Whether pod information is passed on mount.'),
    col('StorageCapacity', 'boolean', 'Whether storage capacity is considered when scheduling.'),
    col('TokenRequests', 'string', 'Audiences of the tokens passed on mount.'),
    col('RequiresRepublish', 'boolean', 'Whether volumes are republished periodically.'),
    col('Modes', 'string', 'Volume lifecycle modes supported.'),
    ageColumn,
  ],
  row(d, now) {
    const spec = o(d.spec);
    const tokens = arr(spec.tokenRequests).map((t) => String(o(t).audience ?? ''));
    const modes = arr(spec.volumeLifecycleModes).map(String);
    return [
      d.metadata.name, spec.attachRequired !== false, spec.podInfoOnMount === true, spec.storageCapacity === true,
      tokens.length ? tokens.join(',') : '<unset>', spec.requiresRepublish === true, modes.length ? modes.join(',') : '<none>',
      age(d.metadata.creationTimestamp, now),
    ];
  },
};

export const csiNodes: ResourceDef = {
  group: 'storage.k8s.io', version: 'v1', kind: 'CSINode', plural: 'csinodes', singular: 'csinode',
  namespaced: false, schemaName: CSI_NODE,
  validate(n) {
    const errs: FieldError[] = [];
    const names = new Set<string>();
    arr(o(n.spec).drivers).forEach((d, i) => {
      const drv = o(d);
      const p = `spec.drivers[${i}]`;
      if (!drv.name) errs.push(field.required(`${p}.name`));
      else if (names.has(drv.name)) errs.push(field.duplicate(`${p}.name`, drv.name));
      names.add(drv.name);
      if (!drv.nodeID) errs.push(field.required(`${p}.nodeID`));
      const count = o(drv.allocatable).count;
      if (typeof count === 'number' && count < 0) errs.push(field.invalid(`${p}.allocatable.count`, count, 'must be greater than or equal to 0'));
    });
    return errs;
  },
  columns: [nameColumn, col('Drivers', 'integer', 'Number of CSI drivers registered on the node.'), ageColumn],
  row: (n, now) => [n.metadata.name, arr(o(n.spec).drivers).length, age(n.metadata.creationTimestamp, now)],
};

export const volumeAttachments: ResourceDef = {
  group: 'storage.k8s.io', version: 'v1', kind: 'VolumeAttachment', plural: 'volumeattachments', singular: 'volumeattachment',
  namespaced: false, schemaName: VOLUME_ATTACHMENT,
  subresources: { status: true },
  validate(va, { old }) {
    const spec = o(va.spec);
    const errs: FieldError[] = [];
    if (!spec.attacher) errs.push(field.required('spec.attacher'));
    else for (const msg of validateDNS1123Subdomain(String(spec.attacher).toLowerCase())) errs.push(field.invalid('spec.attacher', spec.attacher, msg));
    const src = o(spec.source);
    const n = (src.persistentVolumeName != null ? 1 : 0) + (src.inlineVolumeSpec != null ? 1 : 0);
    if (n !== 1) errs.push(field.invalid('spec.source', '', 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
    if (!spec.nodeName) errs.push(field.required('spec.nodeName'));
    if (old) errs.push(...immutable(va.spec, old.spec, 'spec', () => 'storage.VolumeAttachmentSpec{...}'));
    return errs;
  },
  columns: [
    nameColumn,
    { name: 'Attacher', type: 'string', format: 'name', description: 'The driver that attaches the volume.', priority: 0 },
    col('PV', 'string', 'The PersistentVolume attached.'),
    col('Node', 'string', 'The node the volume is attached to.'),
    col('Attached', 'boolean', 'Whether the volume is attached.'),
    ageColumn,
  ],
  row(va, now) {
    const spec = o(va.spec);
    return [va.metadata.name, spec.attacher ?? '', o(spec.source).persistentVolumeName ?? '', spec.nodeName ?? '', o(va.status).attached === true, age(va.metadata.creationTimestamp, now)];
  },
};

export const csiStorageCapacities: ResourceDef = {
  group: 'storage.k8s.io', version: 'v1', kind: 'CSIStorageCapacity', plural: 'csistoragecapacities', singular: 'csistoragecapacity',
  namespaced: true, schemaName: CSI_STORAGE_CAPACITY,
  validate(c, { old }) {
    const errs: FieldError[] = [];
    const sc = typeof c.storageClassName === 'string' ? c.storageClassName : '';
    if (!sc) errs.push(field.required('storageClassName'));
    else for (const msg of validateDNS1123Subdomain(sc)) errs.push(field.invalid('storageClassName', sc, msg));
    if (old) errs.push(...immutable(c.storageClassName, old.storageClassName, 'storageClassName'));
    return errs;
  },
  columns: [
    nameColumn,
    col('StorageClassName', 'string', 'The StorageClass the capacity is for.'),
    col('Capacity', 'string', 'Capacity available for new volumes.'),
  ],
  row(c) {
    let capacity = '';
    if (c.capacity != null) {
      try {
        capacity = canonicalQuantity(c.capacity as string | number);
      } catch {
        capacity = String(c.capacity);
      }
    }
    return [c.metadata.name, c.storageClassName ?? '', capacity];
  },
};

