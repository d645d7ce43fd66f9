// apps/v1 ReplicaSet: keeps a number of identical pods running.
import { int32, int64, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, col, conditionList, containerCells, containersColumn, goLabelSelector, imagesColumn, immutable, kindSchema,
  nameColumn, nonNegative, o, selectorColumn, selectorString, templateMatchesSelector, validateLongRunningTemplate,
  validateRequiredSelector, type Obj,
} from './common.js';
import { defaultTemplate, validateTemplate } from './pod-template.js';

const A = 'io.k8s.api.apps.v1';
export const REPLICA_SET = `${A}.ReplicaSet`;

export const definitions: Record<string, Schema> = {
  [REPLICA_SET]: kindSchema('apps', 'v1', 'ReplicaSet', {
    spec: ref(`${A}.ReplicaSetSpec`, 'The desired number of pods and their template.'),
    status: ref(`${A}.ReplicaSetStatus`, 'The most recently observed state, written by the replicaset controller.'),
  }, 'Keeps a given number of pods matching a selector running. Usually owned by a Deployment.'),
  [`${A}.ReplicaSetSpec`]: obj({
    replicas: int32('Number of pods wanted. Defaults to 1.'),
    minReadySeconds: int32('Seconds a new pod must be ready, with no container crashing, to count as available. Defaults to 0.'),
    selector: ref(META.LabelSelector, "Label query over the pods to count; must match the template's labels. Immutable in apps/v1."),
    template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'The pods created when too few exist.'),
  }, { description: 'The desired behaviour of a ReplicaSet.', required: ['selector'] }),
  [`${A}.ReplicaSetStatus`]: obj({
    replicas: int32('Most recently observed number of pods.'),
    fullyLabeledReplicas: int32('Pods whose labels match the template\'s labels.'),
    readyReplicas: int32('Pods with a Ready condition.'),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
    observedGeneration: int64('The generation the controller last acted on.'),
    conditions: conditionList(ref(`${A}.ReplicaSetCondition`), 'Latest observations, e.g. ReplicaFailure.'),
  }, { description: 'The observed state of a ReplicaSet.', required: ['replicas'] }),
  [`${A}.ReplicaSetCondition`]: obj({
    type: str('Type of the condition, e.g. ReplicaFailure.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: ref(META.Time, 'Last time the status changed.'),
    reason: str('One-word CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, { description: 'One observation of a ReplicaSet.', required: ['type', 'status'] }),
};

export function validateReplicaSet(rs: KObject, old?: KObject): FieldError[] {
  const spec = o(rs.spec);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateRequiredSelector(spec, 'spec', 'empty selector is invalid for deployment'));
  errs.push(...templateMatchesSelector(spec, 'spec'));
  errs.push(...validateTemplate(spec.template, 'spec.template'));
  errs.push(...validateLongRunningTemplate(spec.template, 'spec.template', 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  if (old) errs.push(...immutable(spec.selector, o(old.spec).selector, 'spec.selector', goLabelSelector));
  errs.push(...validateReplicaSetStatus(o(rs.status)));
  return errs;
}

function validateReplicaSetStatus(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) errs.push(...nonNegative(s[k], `status.${k}`));
  const msg = 'cannot be greater than status.replicas';
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    if (typeof s[k] === 'number' && s[k] > (s.replicas ?? 0)) errs.push(field.invalid(`status.${k}`, s[k], msg));
  }
  if (typeof s.availableReplicas === 'number' && s.availableReplicas > (s.readyReplicas ?? 0)) {
    errs.push(field.invalid('status.availableReplicas', s.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errs;
}

export const replicaSets: ResourceDef = {
  group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset',
  namespaced: true, shortNames: ['rs'], categories: ['all'], schemaName: REPLICA_SET,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
  defaults(rs) {
    const spec = (rs.spec ??= {}) as Obj;
    spec.replicas ??= 1;
    defaultTemplate(spec.template ??= {});
  },
  validate: (rs, { old }) => validateReplicaSet(rs, old),
  columns: [
    nameColumn,
    col('Desired', 'integer', 'Number of desired pods.'),
    col('Current', 'integer', 'Number of actually running pods.'),
    col('Ready', 'integer', 'Number of ready pods.'),
    ageColumn, containersColumn, imagesColumn, selectorColumn,
  ],
  row(rs, now) {
    const spec = o(rs.spec);
    const status = o(rs.status);
    const [containers, images] = containerCells(spec.template);
    return [
      rs.metadata.name, spec.replicas ?? 0, status.replicas ?? 0, status.readyReplicas ?? 0,
      age(rs.metadata.creationTimestamp, now), containers, images, selectorString(spec.selector),
    ];
  },
};
