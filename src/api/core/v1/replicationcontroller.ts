// core/v1 ReplicationController: the original replica keeper, superseded by ReplicaSet but still served.
import { int32, int64, mapList, obj, str, strMap, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateLabels } from '../../../machinery/names.js';
import type { ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn } from './common.js';
import { labelsString } from './labels-string.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { containerCells, isObj, NON_NEGATIVE, type O } from './validation.js';

export const definitions: Record<string, Schema> = {
  [core('ReplicationController')]: kindObj('', 'ReplicationController', {
    spec: cref('ReplicationControllerSpec', 'The desired replicas and their template.'),
    status: cref('ReplicationControllerStatus', 'The observed replicas; read-only.'),
  }, 'Keeps a number of pod replicas running. Use a Deployment instead.'),
  [core('ReplicationControllerSpec')]: obj({
    replicas: int32('Number of pods to run. Defaults to 1.'),
    minReadySeconds: int32('Seconds a new pod must be ready before it counts as available. Defaults to 0.'),
    selector: { ...strMap('Labels of the pods this controller owns; defaults to the template\'s labels.'), 'x-kubernetes-map-type': 'atomic' },
    template: cref('PodTemplateSpec', 'Pods made when there are too few.'),
  }, 'The desired state of a replication controller.'),
  [core('ReplicationControllerStatus')]: obj({
    replicas: int32('Pods currently owned.'),
    fullyLabeledReplicas: int32('Pods whose labels match the template\'s.'),
    readyReplicas: int32('Pods that are ready.'),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
    observedGeneration: int64('The generation last acted upon.'),
    conditions: mapList(cref('ReplicationControllerCondition'), ['type'], 'Current conditions, e.g. ReplicaFailure.'),
  }, { description: 'The observed state of a replication controller.', required: ['replicas'] }),
  [core('ReplicationControllerCondition')]: obj({
    type: str('Condition type.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: ref(META.Time, 'When the status last changed.'),
    reason: str('Why, in one CamelCase word.'),
    message: str('Details, for people.'),
  }, { description: 'A condition of a replication controller.', required: ['type', 'status'] }),
};

function matches(selector: Record<string, string>, labels: unknown): boolean {
  const l = isObj(labels) ? labels : {};
  return Object.entries(selector).every(([k, v]) => l[k] === v);
}

function validateRC(rc: O): FieldError[] {
  const spec: O = isObj(rc.spec) ? rc.spec : {};
  const errs: FieldError[] = [];
  if (typeof spec.minReadySeconds === 'number' && spec.minReadySeconds < 0) errs.push(field.invalid('spec.minReadySeconds', spec.minReadySeconds, NON_NEGATIVE));
  const selector: Record<string, string> = isObj(spec.selector) ? spec.selector : {};
  if (Object.keys(selector).length === 0) errs.push(field.required('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  if (typeof spec.replicas === 'number' && spec.replicas < 0) errs.push(field.invalid('spec.replicas', spec.replicas, NON_NEGATIVE));
  const tpl = spec.template;
  if (!isObj(tpl)) {
    errs.push(field.required('spec.template'));
    return errs;
  }
  const labels = isObj(tpl.metadata) ? tpl.metadata.labels : undefined;
  if (Object.keys(selector).length && !matches(selector, labels)) {
    errs.push(field.invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(tpl, 'spec.template'));
  const tspec: O = isObj(tpl.spec) ? tpl.spec : {};
  if (tspec.restartPolicy !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', tspec.restartPolicy ?? '', ['Always']));
  if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

export const replicationControllers: ResourceDef = {
  group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', singular: 'replicationcontroller',
  namespaced: true, shortNames: ['rc'], categories: ['all'], schemaName: core('ReplicationController'),
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
  defaults(rc) {
    if (!isObj(rc.spec)) rc.spec = {};
    const spec = rc.spec as O;
    const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
    if (isObj(labels)) {
      if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
      if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
    }
    if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
    if (isObj(spec.template)) defaultPodTemplateSpec(spec.template);
  },
  prepareForCreate(rc) {
    rc.status = { replicas: 0 };
  },
  validate: (rc) => validateRC(rc),
  columns: [
    nameColumn,
    col('Desired', 'integer', 'Number of replicas asked for.'),
    col('Current', 'integer', 'Number of replicas owned.'),
    col('Ready', 'integer', 'Number of ready replicas.'),
    ageColumn,
    col('Containers', 'string', 'Names of the containers in the template.', 1),
    col('Images', 'string', 'Images of the containers in the template.', 1),
    col('Selector', 'string', 'Labels of the pods the controller owns.', 1),
  ],
  row(rc, now) {
    const spec: O = isObj(rc.spec) ? rc.spec : {};
    const status: O = isObj(rc.status) ? rc.status : {};
    const { names, images } = containerCells(isObj(spec.template) ? spec.template.spec : undefined);
    return [
      rc.metadata.name, spec.replicas ?? 0, status.replicas ?? 0, status.readyReplicas ?? 0, age(rc.metadata.creationTimestamp, now),
      names, images, labelsString(spec.selector),
    ];
  },
  selectableFields: (rc) => ({ 'status.replicas': String((rc.status as O | undefined)?.replicas ?? 0) }),
};
