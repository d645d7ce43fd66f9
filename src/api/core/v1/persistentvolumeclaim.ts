// core/v1 PersistentVolumeClaim: a request for storage, bound to a PersistentVolume.
import { list, mapList, obj, str, strMap, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Subdomain } from '../../../machinery/names.js';
import { validateLabelSelector } from '../../../machinery/labels.js';
import type { ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn, resourceList } from './common.js';
import { defaultPersistentVolumeClaimSpec } from './pod-defaults.js';
import { defaultResourceList } from './resource-list.js';
import { arr, diffPaths, isObj, quantityAt, semanticEqual, strOf, validateResourceQuantity, type O } from './validation.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];

export const definitions: Record<string, Schema> = {
  [core('PersistentVolumeClaim')]: kindObj('', 'PersistentVolumeClaim', {
    spec: cref('PersistentVolumeClaimSpec', 'The storage asked for.'),
    status: cref('PersistentVolumeClaimStatus', 'The state of the claim; read-only.'),
  }, 'A request for storage by a user, satisfied by binding a PersistentVolume.'),
  [core('PersistentVolumeClaimSpec')]: obj({
    accessModes: list(enumOf(ACCESS_MODES), 'Access modes the volume must support: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.'),
    selector: ref(META.LabelSelector, 'Only volumes with matching labels may be bound.'),
    resources: cref('VolumeResourceRequirements', 'Least storage the volume must have (requests.storage).'),
    volumeName: str('Name of the PersistentVolume bound to the claim.'),
    storageClassName: str('StorageClass of the volume; "" asks for a volume with no class.'),
    volumeMode: enumOf(VOLUME_MODES, 'Filesystem or Block. Defaults to Filesystem.'),
    dataSource: cref('TypedLocalObjectReference', 'Populate the new volume from a VolumeSnapshot or another claim.'),
    dataSourceRef: cref('TypedObjectReference', 'Populate the new volume from any populator object, possibly in another namespace.'),
    volumeAttributesClassName: str('VolumeAttributesClass to apply to the volume.'),
  }, 'The storage a claim asks for.'),
  [core('VolumeResourceRequirements')]: obj({
    limits: resourceList('Most storage the volume may have.'),
    requests: resourceList('Least storage the volume must have.'),
  }, 'Storage requests and limits of a claim.'),
  [core('PersistentVolumeClaimStatus')]: obj({
    phase: enumOf(['Bound', 'Lost', 'Pending'], 'Pending, Bound or Lost.'),
    accessModes: list(str(), 'Access modes of the bound volume.'),
    capacity: resourceList('Capacity of the bound volume.'),
    conditions: mapList(cref('PersistentVolumeClaimCondition'), ['type'], 'Current conditions, e.g. Resizing.'),
    allocatedResources: resourceList('Storage allocated for the claim, during and after a resize.'),
    allocatedResourceStatuses: { ...strMap('State of a resize per resource.'), 'x-kubernetes-map-type': 'granular' },
    currentVolumeAttributesClassName: str('VolumeAttributesClass applied to the volume now.'),
    modifyVolumeStatus: cref('ModifyVolumeStatus', 'State of a change of VolumeAttributesClass.'),
  }, 'The observed state of a claim.'),
  [core('PersistentVolumeClaimCondition')]: obj({
    type: str('Condition type, e.g. Resizing, FileSystemResizePending.'),
    status: str('True, False or Unknown.'),
    lastProbeTime: ref(META.Time, 'When the condition was last checked.'),
    lastTransitionTime: ref(META.Time, 'When the status last changed.'),
    reason: str('Why, in one CamelCase word.'),
    message: str('Details, for people.'),
  }, { description: 'A condition of a claim.', required: ['type', 'status'] }),
  [core('ModifyVolumeStatus')]: obj({
    targetVolumeAttributesClassName: str('The class being applied.'),
    status: str('Pending, InProgress or Infeasible.'),
  }, { description: 'State of a volume attributes change.', required: ['status'] }),
};

/** Kubernetes' ValidatePersistentVolumeClaimSpec (also used for ephemeral volumes' claim templates). */
export function validatePersistentVolumeClaimSpec(spec: unknown, path: string): FieldError[] {
  const s: O = isObj(spec) ? spec : {};
  const errs: FieldError[] = [];
  const modes = arr(s.accessModes);
  if (modes.length === 0) errs.push(field.required(`${path}.accessModes`, 'at least 1 access mode is required'));
  if (s.selector !== undefined && s.selector !== null) errs.push(...validateLabelSelector(s.selector, `${path}.selector`));
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) errs.push(field.notSupported(`${path}.accessModes`, m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) errs.push(field.forbidden(`${path}.accessModes`, 'may not use ReadWriteOncePod with other access modes'));
  const requests = isObj(s.resources) && isObj(s.resources.requests) ? s.resources.requests : {};
  const storagePath = `${path}.resources[storage]`;
  if (!('storage' in requests)) {
    errs.push(field.required(storagePath));
  } else {
    const q = quantityAt(requests.storage, storagePath, errs);
    if (q && q.sign() <= 0) errs.push(field.invalid(storagePath, q.toString(), 'must be greater than zero'));
    else if (q) validateResourceQuantity('storage', requests.storage, storagePath, errs);
  }
  if (s.storageClassName) {
    for (const m of validateDNS1123Subdomain(strOf(s.storageClassName))) errs.push(field.invalid(`${path}.storageClassName`, s.storageClassName, m));
  }
  if (s.volumeMode !== undefined && s.volumeMode !== null && !VOLUME_MODES.includes(s.volumeMode)) {
    errs.push(field.notSupported(`${path}.volumeMode`, s.volumeMode, VOLUME_MODES));
  }
  for (const k of ['dataSource', 'dataSourceRef']) {
    const ds = s[k];
    if (!isObj(ds)) continue;
    if (!ds.name) errs.push(field.required(`${path}.${k}.name`));
    if (!ds.kind) errs.push(field.required(`${path}.${k}.kind`));
    if (!ds.apiGroup && ds.kind && ds.kind !== 'PersistentVolumeClaim') {
      errs.push(field.notSupported(`${path}.${k}`, ds.kind, ['PersistentVolumeClaim']));
    }
  }
  return errs;
}

/** Only a bound claim's storage request (growing) and its volume attributes class may change. */
function validatePVCUpdate(pvc: O, old: O): FieldError[] {
  const errs: FieldError[] = [];
  const spec: O = isObj(pvc.spec) ? structuredClone(pvc.spec) : {};
  const oldSpec: O = isObj(old.spec) ? structuredClone(old.spec) : {};
  // Binding fills volumeName once.
  if (!oldSpec.volumeName) oldSpec.volumeName = spec.volumeName;
  const bound = (old.status as O | undefined)?.phase === 'Bound';
  const newStorage = spec.resources?.requests?.storage;
  const oldStorage = oldSpec.resources?.requests?.storage;
  if (bound) {
    if (isObj(oldSpec.resources)) oldSpec.resources = { ...oldSpec.resources, requests: spec.resources?.requests };
    else if (isObj(spec.resources)) oldSpec.resources = { requests: spec.resources.requests };
  }
  oldSpec.volumeAttributesClassName = spec.volumeAttributesClassName;
  if (!semanticEqual(spec, oldSpec)) {
    errs.push(field.forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n  changed: ${diffPaths(oldSpec, spec, 'spec').join(', ')}`));
  }
  if (bound && newStorage !== undefined && oldStorage !== undefined) {
    const scratch: FieldError[] = [];
    const a = quantityAt(newStorage, 'spec.resources.requests.storage', scratch);
    const b = quantityAt(oldStorage, 'spec.resources.requests.storage', scratch);
    if (a && b && a.cmp(b) < 0) errs.push(field.forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  return errs;
}

const MODE_ABBREV: Array<[string, string]> = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
/** "RWO,ROX": access modes as kubectl abbreviates them, in a fixed order. */
export function accessModesString(modes: unknown): string {
  const set = new Set(arr(modes));
  return MODE_ABBREV.filter(([m]) => set.has(m)).map(([, a]) => a).join(',');
}

export const persistentVolumeClaims: ResourceDef = {
  group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim',
  namespaced: true, shortNames: ['pvc'], schemaName: core('PersistentVolumeClaim'),
  subresources: { status: true },
  tracksGeneration: false,
  defaults(pvc) {
    if (!isObj(pvc.spec)) pvc.spec = {};
    defaultPersistentVolumeClaimSpec(pvc.spec);
    if (!isObj(pvc.status)) pvc.status = {};
    const status = pvc.status as O;
    if (!status.phase) status.phase = 'Pending';
    defaultResourceList(status.capacity);
    defaultResourceList(status.allocatedResources);
  },
  validate(pvc, { old }) {
    const errs = validatePersistentVolumeClaimSpec(pvc.spec, 'spec');
    if (old) errs.push(...validatePVCUpdate(pvc, old));
    return errs;
  },
  columns: [
    nameColumn,
    col('Status', 'string', 'Phase of the claim.'),
    col('Volume', 'string', 'PersistentVolume bound to the claim.'),
    col('Capacity', 'string', 'Capacity of the bound volume.'),
    col('Access Modes', 'string', 'Access modes of the bound volume.'),
    col('StorageClass', 'string', 'StorageClass of the claim.'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the claim.'),
    ageColumn,
    col('VolumeMode', 'string', 'Filesystem or Block.', 1),
  ],
  row(pvc, now) {
    const spec: O = isObj(pvc.spec) ? pvc.spec : {};
    const status: O = isObj(pvc.status) ? pvc.status : {};
    const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : strOf(status.phase);
    const cls = pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? strOf(spec.storageClassName);
    let capacity = '';
    let modes = '';
    if (spec.volumeName) {
      modes = accessModesString(status.accessModes);
      capacity = isObj(status.capacity) && status.capacity.storage !== undefined ? String(status.capacity.storage) : '0';
    }
    return [
      pvc.metadata.name, phase, strOf(spec.volumeName), capacity, modes, cls,
      spec.volumeAttributesClassName || '<unset>', age(pvc.metadata.creationTimestamp, now), spec.volumeMode || '<unset>',
    ];
  },
};
