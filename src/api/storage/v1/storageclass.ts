// storage.k8s.io/v1 StorageClass: a kind of storage that PersistentVolumeClaims ask for by name
// and a provisioner creates volumes of.
import { bool, enumOf, list, ref, str, strMap, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateQualifiedName } from '../../../machinery/names.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { ageColumn, arr, col, deepEqual, immutable, kindSchema, nameColumn, o } from '../../apps/v1/common.js';

export const STORAGE_CLASS = 'io.k8s.api.storage.v1.StorageClass';
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

export const definitions: Record<string, Schema> = {
  [STORAGE_CLASS]: kindSchema('storage.k8s.io', 'v1', 'StorageClass', {
    provisioner: str('The volume plugin or CSI driver that provisions volumes of this class. Immutable.'),
    parameters: strMap('Settings for the provisioner, at most 512. Immutable.'),
    reclaimPolicy: enumOf(['Delete', 'Retain'], 'What happens to provisioned volumes when released: Delete or Retain. Defaults to Delete. Immutable.'),
    mountOptions: list(str(), 'Mount options of the provisioned volumes, e.g. ro, soft; not validated.'),
    allowVolumeExpansion: bool('Whether claims of this class may grow.'),
    volumeBindingMode: enumOf(['Immediate', 'WaitForFirstConsumer'], 'When volumes are bound: Immediate, or WaitForFirstConsumer (once a pod using the claim is scheduled). Defaults to Immediate.'),
    allowedTopologies: list(ref('io.k8s.api.core.v1.TopologySelectorTerm'), 'Where volumes may be provisioned; empty: anywhere.'),
  }, `A class of storage. The class annotated ${DEFAULT_CLASS_ANNOTATION}=true is used for claims that name none.`, ['provisioner']),
};

export function isDefaultClass(obj: KObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

export const storageClasses: ResourceDef = {
  group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', singular: 'storageclass',
  namespaced: false, shortNames: ['sc'], schemaName: STORAGE_CLASS,
  defaults(sc) {
    if (!sc.reclaimPolicy) sc.reclaimPolicy = 'Delete';
    if (!sc.volumeBindingMode) sc.volumeBindingMode = 'Immediate';
  },
  validate(sc, { old }) {
    const errs: FieldError[] = [];
    if (old) {
      if (!deepEqual(sc.parameters ?? {}, old.parameters ?? {})) errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
      if (sc.provisioner !== old.provisioner) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
      if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
      errs.push(...immutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
      return errs;
    }
    const provisioner = typeof sc.provisioner === 'string' ? sc.provisioner : '';
    if (!provisioner) errs.push(field.required('provisioner'));
    else for (const msg of validateQualifiedName(provisioner.toLowerCase())) errs.push(field.invalid('provisioner', provisioner.toLowerCase(), msg));
    const params = o(sc.parameters);
    const keys = Object.keys(params);
    if (keys.length > 512) errs.push(field.tooLong('parameters', 512));
    else {
      let size = 0;
      for (const k of keys) {
        if (k.length < 1) errs.push(field.invalid('parameters', k, 'field can not be empty.'));
        size += k.length + String(params[k]).length;
      }
      if (size > 256 * 1024) errs.push(field.tooLong('parameters', 256 * 1024));
    }
    if (sc.reclaimPolicy && !['Delete', 'Retain'].includes(sc.reclaimPolicy as string)) errs.push(field.notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
    if (sc.volumeBindingMode == null) errs.push(field.required('volumeBindingMode'));
    else if (!['Immediate', 'WaitForFirstConsumer'].includes(sc.volumeBindingMode as string)) {
      errs.push(field.notSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
    }
    arr(sc.allowedTopologies).forEach((t, i) => {
      const exprs = arr(o(t).matchLabelExpressions);
      if (exprs.length === 0) errs.push(field.required(`allowedTopologies[${i}].matchLabelExpressions`, 'must have at least one label expression'));
      exprs.forEach((e, j) => {
        const p = `allowedTopologies[${i}].matchLabelExpressions[${j}]`;
        const key = String(o(e).key ?? '');
        for (const msg of validateQualifiedName(key)) errs.push(field.invalid(`${p}.key`, key, msg));
        if (arr(o(e).values).length === 0) errs.push(field.required(`${p}.values`, 'must specify as least one value'));
      });
    });
    return errs;
  },
  columns: [
    nameColumn,
    col('Provisioner', 'string', 'The volume plugin or CSI driver that provisions volumes.'),
    col('ReclaimPolicy', 'string', 'What happens to volumes of this class when released.'),
    col('VolumeBindingMode', 'string', 'When claims of this class are bound.'),
    col('AllowVolumeExpansion', 'string', 'Whether claims of this class may grow.'),
    ageColumn,
  ],
  row: (sc, now) => [
    `${sc.metadata.name}${isDefaultClass(sc) ? ' (default)' : ''}`, sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion === true, age(sc.metadata.creationTimestamp, now),
  ],
};
