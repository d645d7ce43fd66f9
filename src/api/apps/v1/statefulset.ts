// apps/v1 StatefulSet: pods with stable names, stable storage and ordered rollout.
import { enumOf, int32, int64, intOrString, list, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateAnnotations, validateDNS1035Label, validateLabels } from '../../../machinery/names.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, arr, col, conditionList, containerCells, containersColumn, deepEqual, goIntOrString, imagesColumn, invalidRaw,
  kindSchema, nameColumn, nonNegative, notMoreThan100Percent, o, templateMatchesSelector, validatePositiveIntOrPercent,
  validateRequiredSelector, type Obj,
} from './common.js';
import { defaultPersistentVolumeClaimSpec, defaultTemplate } from './pod-template.js';

const A = 'io.k8s.api.apps.v1';
export const STATEFUL_SET = `${A}.StatefulSet`;

export const definitions: Record<string, Schema> = {
  [STATEFUL_SET]: kindSchema('apps', 'v1', 'StatefulSet', {
    spec: ref(`${A}.StatefulSetSpec`, 'The desired identities, storage and number of pods.'),
    status: ref(`${A}.StatefulSetStatus`, 'The most recently observed state, written by the statefulset controller.'),
  }, 'Manages pods with stable identities (name-0, name-1, ...) and per-pod persistent volume claims.'),
  [`${A}.StatefulSetSpec`]: obj({
    replicas: int32('Number of pods wanted. Defaults to 1.'),
    selector: ref(META.LabelSelector, "Label query over the pods this set manages; must match the template's labels."),
    template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'The pods to create; each gets a stable name <set>-<ordinal>.'),
    volumeClaimTemplates: list(ref('io.k8s.api.core.v1.PersistentVolumeClaim'), 'Claims created for each pod and mounted by the template under the same names.'),
    serviceName: str('Headless Service that gives the pods their network identity: <pod>.<serviceName>.<namespace>.svc.'),
    podManagementPolicy: enumOf(['OrderedReady', 'Parallel'], 'OrderedReady (one pod at a time, in order) or Parallel. Defaults to OrderedReady.'),
    updateStrategy: ref(`${A}.StatefulSetUpdateStrategy`, 'How pods are replaced when the template changes.'),
    revisionHistoryLimit: int32('Old ControllerRevisions kept. Defaults to 10.'),
    minReadySeconds: int32('Seconds a new pod must be ready to count as available. Defaults to 0.'),
    persistentVolumeClaimRetentionPolicy: ref(`${A}.StatefulSetPersistentVolumeClaimRetentionPolicy`, 'What happens to the claims when the set is deleted or scaled down.'),
    ordinals: ref(`${A}.StatefulSetOrdinals`, 'The numbering of the pods.'),
  }, { description: 'The desired behaviour of a StatefulSet.', required: ['selector', 'template'] }),
  [`${A}.StatefulSetUpdateStrategy`]: obj({
    type: enumOf(['OnDelete', 'RollingUpdate'], 'RollingUpdate (replace pods in reverse ordinal order) or OnDelete (only when deleted by hand). Defaults to RollingUpdate.'),
    rollingUpdate: ref(`${A}.RollingUpdateStatefulSetStrategy`, 'Parameters of a rolling update.'),
  }, 'How a StatefulSet replaces its pods.'),
  [`${A}.RollingUpdateStatefulSetStrategy`]: obj({
    partition: int32('Only pods with an ordinal at or above this are updated. Defaults to 0.'),
    maxUnavailable: intOrString('Pods (or percentage) that may be unavailable during the update (alpha, MaxUnavailableStatefulSet). Defaults to 1.'),
  }, 'Bounds of a StatefulSet rolling update.'),
  [`${A}.StatefulSetPersistentVolumeClaimRetentionPolicy`]: obj({
    whenDeleted: enumOf(['Retain', 'Delete'], 'Retain or Delete the claims when the set is deleted. Defaults to Retain.'),
    whenScaled: enumOf(['Retain', 'Delete'], 'Retain or Delete the claims of pods removed by a scale-down. Defaults to Retain.'),
  }, 'The lifecycle of the claims created from volumeClaimTemplates.'),
  [`${A}.StatefulSetOrdinals`]: obj({
    start: int32('The number of the first pod. Defaults to 0.'),
  }, 'The numbering of StatefulSet pods.'),
  [`${A}.StatefulSetStatus`]: obj({
    observedGeneration: int64('The generation the controller last acted on.'),
    replicas: int32('Pods created by the controller.'),
    readyReplicas: int32('Pods with a Ready condition.'),
    currentReplicas: int32('Pods at currentRevision.'),
    updatedReplicas: int32('Pods at updateRevision.'),
    currentRevision: str('Revision that created the pods of ordinals below the partition... i.e. the old revision.'),
    updateRevision: str('Revision of the current template.'),
    collisionCount: int32('Count of hash collisions, used to name ControllerRevisions uniquely.'),
    conditions: conditionList(ref(`${A}.StatefulSetCondition`), 'Latest observations.'),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
  }, { description: 'The observed state of a StatefulSet.', required: ['replicas'] }),
  [`${A}.StatefulSetCondition`]: obj({
    type: str('Type of the condition.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: ref(META.Time, 'Last time the status changed.'),
    reason: str('One-word CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, { description: 'One observation of a StatefulSet.', required: ['type', 'status'] }),
};

/** Claim templates get the defaults of a PersistentVolumeClaim (volumeMode, status phase). */
function defaultClaimTemplate(pvc: Obj): void {
  defaultPersistentVolumeClaimSpec(pvc.spec ??= {});
  const status = (pvc.status ??= {}) as Obj;
  status.phase ??= 'Pending';
}

export function defaultStatefulSet(s: KObject): void {
  const spec = (s.spec ??= {}) as Obj;
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const us = (spec.updateStrategy ??= {}) as Obj;
  if (!us.type) us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {}) as Obj;
    ru.partition ??= 0;
  }
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {}) as Obj;
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  for (const pvc of arr(spec.volumeClaimTemplates)) if (pvc && typeof pvc === 'object') defaultClaimTemplate(pvc);
  defaultTemplate(spec.template ??= {});
}

function validateUpdateStrategy(us: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (us.type) {
    case undefined: case null: case '':
      errs.push(field.required(path));
      break;
    case 'OnDelete':
      if (us.rollingUpdate) errs.push(field.invalid(`${path}.rollingUpdate`, us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate': {
      const ru = o(us.rollingUpdate);
      errs.push(...nonNegative(ru.partition, `${path}.rollingUpdate.partition`));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        const p = `${path}.rollingUpdate.maxUnavailable`;
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, p));
        if (parseInt(String(ru.maxUnavailable), 10) === 0) errs.push(invalidRaw(p, goIntOrString(ru.maxUnavailable), 'cannot be 0'));
        errs.push(...notMoreThan100Percent(ru.maxUnavailable, p));
      }
      break;
    }
    default:
      errs.push(field.invalid(path, us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  return errs;
}

export function validateStatefulSet(s: KObject, old?: KObject): FieldError[] {
  const spec = o(s.spec);
  const errs: FieldError[] = [];
  switch (spec.podManagementPolicy) {
    case undefined: case null: case '': errs.push(field.required('spec.podManagementPolicy')); break;
    case 'OrderedReady': case 'Parallel': break;
    default: errs.push(field.invalid('spec.podManagementPolicy', spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errs.push(...validateUpdateStrategy(o(spec.updateStrategy), 'spec.updateStrategy'));
  const retention = o(spec.persistentVolumeClaimRetentionPolicy);
  for (const k of ['whenDeleted', 'whenScaled']) {
    if (retention[k] !== undefined && retention[k] !== 'Retain' && retention[k] !== 'Delete') {
      errs.push(field.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, retention[k], ['Retain', 'Delete']));
    }
  }
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(o(spec.ordinals).start, 'spec.ordinals.start'));
  if (spec.serviceName) {
    for (const msg of validateDNS1035Label(String(spec.serviceName))) errs.push(field.invalid('spec.serviceName', spec.serviceName, msg));
  }
  errs.push(...validateRequiredSelector(spec, 'spec', 'empty selector is invalid for statefulset'));
  errs.push(...templateMatchesSelector(spec, 'spec'));
  // Like Kubernetes, the pod spec itself is not validated here: its volume mounts may name claim
  // templates, which only become volumes when the controller creates each pod.
  const tmeta = o(o(spec.template).metadata);
  errs.push(...validateLabels(tmeta.labels, 'spec.template.labels'));
  errs.push(...validateAnnotations(tmeta.annotations, 'spec.template.annotations'));
  const pod = o(o(spec.template).spec);
  if (pod.restartPolicy !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', pod.restartPolicy ?? '', ['Always']));
  if (pod.activeDeadlineSeconds !== undefined && pod.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  arr(spec.volumeClaimTemplates).forEach((pvc, i) => {
    const name = o(o(pvc).metadata).name;
    if (!name) errs.push(field.required(`spec.volumeClaimTemplates[${i}].metadata.name`, 'name or generateName is required'));
  });
  if (old) errs.push(...validateStatefulSetUpdate(spec, o(old.spec)));
  return errs;
}

const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function validateStatefulSetUpdate(spec: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const rest = (x: Obj) => Object.fromEntries(Object.entries(x).filter(([k, v]) => !MUTABLE.includes(k) && v !== undefined && v !== null));
  if (!deepEqual(rest(spec), rest(old))) {
    errs.push(field.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return errs;
}

export const statefulSets: ResourceDef = {
  group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset',
  namespaced: true, shortNames: ['sts'], categories: ['all'], schemaName: STATEFUL_SET,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
  defaults: defaultStatefulSet,
  validate: (s, { old }) => validateStatefulSet(s, old),
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn, containersColumn, imagesColumn,
  ],
  row(s, now) {
    const spec = o(s.spec);
    const [containers, images] = containerCells(spec.template);
    return [s.metadata.name, `${o(s.status).readyReplicas ?? 0}/${spec.replicas ?? 0}`, age(s.metadata.creationTimestamp, now), containers, images];
  },
};
