// apps/v1 Deployment: declarative updates of ReplicaSets and their pods.
import { bool, enumOf, int32, int64, intOrString, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, col, conditionList, containerCells, containersColumn, goLabelSelector, imagesColumn, immutable, intOrPercentValue,
  invalidRaw, kindSchema, nameColumn, nonNegative, notMoreThan100Percent, o, selectorColumn, selectorString,
  templateMatchesSelector, validateLongRunningTemplate, validatePositiveIntOrPercent, validateRequiredSelector, type Obj,
} from './common.js';
import { defaultTemplate, validateTemplate } from './pod-template.js';

const A = 'io.k8s.api.apps.v1';
export const DEPLOYMENT = `${A}.Deployment`;
const POD_TEMPLATE_SPEC = 'io.k8s.api.core.v1.PodTemplateSpec';

export const definitions: Record<string, Schema> = {
  [DEPLOYMENT]: kindSchema('apps', 'v1', 'Deployment', {
    spec: ref(`${A}.DeploymentSpec`, 'The desired state: how many pods of which template, and how to roll out changes.'),
    status: ref(`${A}.DeploymentStatus`, 'The most recently observed state, written by the deployment controller.'),
  }, 'Keeps a set of identical pods running and rolls out changes to them through ReplicaSets.'),
  [`${A}.DeploymentSpec`]: obj({
    replicas: int32('Number of pods wanted. Defaults to 1.'),
    selector: ref(META.LabelSelector, "Label query over the pods this deployment manages; must match the template's labels. Immutable in apps/v1."),
    template: ref(POD_TEMPLATE_SPEC, 'The pods to create. Its restartPolicy must be Always.'),
    strategy: {
      ...ref(`${A}.DeploymentStrategy`, 'How old pods are replaced by new ones.'),
      'x-kubernetes-patch-strategy': 'retainKeys',
    },
    minReadySeconds: int32('Seconds a new pod must be ready, with no container crashing, to count as available. Defaults to 0.'),
    revisionHistoryLimit: int32('Old ReplicaSets kept for rollback. Defaults to 10.'),
    paused: bool('Stops rollouts of template changes while true.'),
    progressDeadlineSeconds: int32('Seconds a rollout may go without progress before it is reported as failed (Progressing condition False, ProgressDeadlineExceeded). Defaults to 600.'),
  }, { description: 'The desired behaviour of a Deployment.', required: ['selector', 'template'] }),
  [`${A}.DeploymentStrategy`]: obj({
    type: enumOf(['Recreate', 'RollingUpdate'], 'Recreate (kill all old pods first) or RollingUpdate (replace gradually). Defaults to RollingUpdate.'),
    rollingUpdate: ref(`${A}.RollingUpdateDeployment`, 'Parameters of a rolling update; only with type RollingUpdate.'),
  }, 'How a Deployment replaces its pods.'),
  [`${A}.RollingUpdateDeployment`]: obj({
    maxUnavailable: intOrString('Pods (or percentage of desired pods, rounded down) that may be unavailable during the update. Defaults to 25%.'),
    maxSurge: intOrString('Pods (or percentage of desired pods, rounded up) that may be created above the desired count. Defaults to 25%.'),
  }, 'Bounds of a rolling update.'),
  [`${A}.DeploymentStatus`]: obj({
    observedGeneration: int64('The generation the controller last acted on.'),
    replicas: int32('Pods targeted by this deployment (their labels match the selector).'),
    updatedReplicas: int32('Pods with the current template.'),
    readyReplicas: int32('Pods with a Ready condition.'),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
    unavailableReplicas: int32('Pods still needed for 100% availability.'),
    conditions: conditionList(ref(`${A}.DeploymentCondition`), 'Latest observations: Available, Progressing, ReplicaFailure.'),
    collisionCount: int32('Count of hash collisions, used to name new ReplicaSets uniquely.'),
  }, 'The observed state of a Deployment.'),
  [`${A}.DeploymentCondition`]: obj({
    type: str('Type of the condition: Available, Progressing or ReplicaFailure.'),
    status: str('True, False or Unknown.'),
    lastUpdateTime: ref(META.Time, 'Last time this condition was updated.'),
    lastTransitionTime: ref(META.Time, 'Last time the status changed.'),
    reason: str('One-word CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, { description: 'One observation of a Deployment.', required: ['type', 'status'] }),
};

const strategyTypes = ['Recreate', 'RollingUpdate'];

function goStrategy(s: Obj): string {
  const ru = s.rollingUpdate ? '(*apps.RollingUpdateDeployment)(0xc000000000)' : '(*apps.RollingUpdateDeployment)(nil)';
  return `apps.DeploymentStrategy{Type:${JSON.stringify(String(s.type ?? ''))}, RollingUpdate:${ru}}`;
}

function validateStrategy(strategy: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (strategy.type) {
    case 'Recreate':
      if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
        errs.push(field.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
      }
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (ru === undefined || ru === null) {
        errs.push(field.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil'));
        break;
      }
      const p = `${path}.rollingUpdate`;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(typeof ru.maxUnavailable === 'string'
          ? invalidRaw(`${p}.maxUnavailable`, `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(ru.maxUnavailable)}}`, 'may not be 0 when `maxSurge` is 0')
          : invalidRaw(`${p}.maxUnavailable`, `intstr.IntOrString{Type:0, IntVal:${ru.maxUnavailable ?? 0}, StrVal:""}`, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      break;
    }
    default:
      errs.push({
        type: 'FieldValueNotSupported', field: path,
        message: `Unsupported value: ${goStrategy(strategy)}: supported values: ${strategyTypes.map((t) => `"${t}"`).join(', ')}`,
      });
  }
  return errs;
}

export function defaultDeployment(d: KObject): void {
  const spec = (d.spec ??= {}) as Obj;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {}) as Obj;
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {}) as Obj;
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template ??= {});
}

export function validateDeployment(d: KObject, old?: KObject): FieldError[] {
  const spec = o(d.spec);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateRequiredSelector(spec, 'spec', 'empty selector is invalid for deployment'));
  errs.push(...templateMatchesSelector(spec, 'spec'));
  errs.push(...validateTemplate(spec.template, 'spec.template'));
  errs.push(...validateLongRunningTemplate(spec.template, 'spec.template', 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  errs.push(...validateStrategy(o(spec.strategy), 'spec.strategy'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) errs.push(...immutable(spec.selector, o(old.spec).selector, 'spec.selector', goLabelSelector));
  errs.push(...validateDeploymentStatus(o(d.status)));
  return errs;
}

function validateDeploymentStatus(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount']) {
    errs.push(...nonNegative(s[k], `status.${k}`));
  }
  const msg = 'cannot be greater than status.replicas';
  for (const k of ['updatedReplicas', 'readyReplicas', 'availableReplicas']) {
    if (typeof s[k] === 'number' && s[k] > (s.replicas ?? 0)) errs.push(field.invalid(`status.${k}`, s[k], msg));
  }
  if (typeof s.availableReplicas === 'number' && s.availableReplicas > (s.readyReplicas ?? 0)) {
    errs.push(field.invalid('status.availableReplicas', s.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errs;
}

export const deployments: ResourceDef = {
  group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment',
  namespaced: true, shortNames: ['deploy'], categories: ['all'], schemaName: DEPLOYMENT,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
  defaults: defaultDeployment,
  validate: (d, { old }) => validateDeployment(d, old),
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn, containersColumn, imagesColumn, selectorColumn,
  ],
  row(d, now) {
    const spec = o(d.spec);
    const status = o(d.status);
    const [containers, images] = containerCells(spec.template);
    return [
      d.metadata.name, `${status.readyReplicas ?? 0}/${spec.replicas ?? 0}`, status.updatedReplicas ?? 0, status.availableReplicas ?? 0,
      age(d.metadata.creationTimestamp, now), containers, images, selectorString(spec.selector),
    ];
  },
};
