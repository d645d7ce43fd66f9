// apps/v1 DaemonSet: one pod on every (selected) node.
import { enumOf, int32, int64, intOrString, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, col, conditionList, containerCells, containersColumn, formatLabels, goIntOrString, goLabelSelector, imagesColumn,
  immutable, intOrPercentValue, invalidRaw, kindSchema, nameColumn, nonNegative, notMoreThan100Percent, o, selectorColumn,
  selectorIsEmpty, selectorString, templateMatchesSelector, validateLabelSelector, validateLongRunningTemplate,
  validatePositiveIntOrPercent, type Obj,
} from './common.js';
import { defaultTemplate, validateTemplate } from './pod-template.js';

const A = 'io.k8s.api.apps.v1';
export const DAEMON_SET = `${A}.DaemonSet`;

export const definitions: Record<string, Schema> = {
  [DAEMON_SET]: kindSchema('apps', 'v1', 'DaemonSet', {
    spec: ref(`${A}.DaemonSetSpec`, 'The desired pod and how it is updated.'),
    status: ref(`${A}.DaemonSetStatus`, 'The most recently observed state, written by the daemonset controller.'),
  }, 'Runs a copy of a pod on each node that matches its node selector and affinity.'),
  [`${A}.DaemonSetSpec`]: obj({
    selector: ref(META.LabelSelector, "Label query over the pods this set manages; must match the template's labels. Immutable."),
    template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'The pod run on each eligible node. Its restartPolicy must be Always.'),
    updateStrategy: ref(`${A}.DaemonSetUpdateStrategy`, 'How pods are replaced when the template changes.'),
    minReadySeconds: int32('Seconds a new pod must be ready to count as available. Defaults to 0.'),
    revisionHistoryLimit: int32('Old ControllerRevisions kept for rollback. Defaults to 10.'),
  }, { description: 'The desired behaviour of a DaemonSet.', required: ['selector', 'template'] }),
  [`${A}.DaemonSetUpdateStrategy`]: obj({
    type: enumOf(['OnDelete', 'RollingUpdate'], 'RollingUpdate or OnDelete (pods replaced only when deleted by hand). Defaults to RollingUpdate.'),
    rollingUpdate: ref(`${A}.RollingUpdateDaemonSet`, 'Parameters of a rolling update; only with type RollingUpdate.'),
  }, 'How a DaemonSet replaces its pods.'),
  [`${A}.RollingUpdateDaemonSet`]: obj({
    maxUnavailable: intOrString('Nodes (or percentage of nodes) whose pod may be unavailable during the update. Defaults to 1.'),
    maxSurge: intOrString('Nodes (or percentage) that may run an updated pod beside the old one during the update. Defaults to 0.'),
  }, 'Bounds of a DaemonSet rolling update; exactly one of the two is non-zero.'),
  [`${A}.DaemonSetStatus`]: obj({
    currentNumberScheduled: int32('Nodes running at least one daemon pod that should.'),
    numberMisscheduled: int32('Nodes running the daemon pod that should not.'),
    desiredNumberScheduled: int32('Nodes that should run the daemon pod.'),
    numberReady: int32('Nodes whose daemon pod is ready.'),
    observedGeneration: int64('The generation the controller last acted on.'),
    updatedNumberScheduled: int32('Nodes running the updated daemon pod.'),
    numberAvailable: int32('Nodes whose daemon pod has been ready for minReadySeconds.'),
    numberUnavailable: int32('Nodes that should run the pod but have none available.'),
    collisionCount: int32('Count of hash collisions, used to name ControllerRevisions uniquely.'),
    conditions: conditionList(ref(`${A}.DaemonSetCondition`), 'Latest observations.'),
  }, { description: 'The observed state of a DaemonSet.', required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] }),
  [`${A}.DaemonSetCondition`]: obj({
    type: str('Type of the condition.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: ref(META.Time, 'Last time the status changed.'),
    reason: str('One-word CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, { description: 'One observation of a DaemonSet.', required: ['type', 'status'] }),
};

export function defaultDaemonSet(ds: KObject): void {
  const spec = (ds.spec ??= {}) as Obj;
  const us = (spec.updateStrategy ??= {}) as Obj;
  if (!us.type) us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {}) as Obj;
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec.template ??= {});
}

function goDaemonSetStrategy(s: Obj): string {
  const ru = s.rollingUpdate ? '(*apps.RollingUpdateDaemonSet)(0xc000000000)' : '(*apps.RollingUpdateDaemonSet)(nil)';
  return `apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(String(s.type ?? ''))}, RollingUpdate:${ru}}`;
}

function validateUpdateStrategy(us: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (us.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate': {
      if (us.rollingUpdate === undefined || us.rollingUpdate === null) return [field.required(`${path}.rollingUpdate`)];
      const ru = o(us.rollingUpdate);
      const p = `${path}.rollingUpdate`;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...notMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(invalidRaw(`${p}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errs.push(field.required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      break;
    }
    default:
      errs.push({
        type: 'FieldValueNotSupported', field: path,
        message: `Unsupported value: ${goDaemonSetStrategy(us)}: supported values: "RollingUpdate", "OnDelete"`,
      });
  }
  return errs;
}

export function validateDaemonSet(ds: KObject, old?: KObject): FieldError[] {
  const spec = o(ds.spec);
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  errs.push(...templateMatchesSelector(spec, 'spec'));
  if (spec.selector && selectorIsEmpty(spec.selector)) {
    errs.push(invalidRaw('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validateTemplate(spec.template, 'spec.template'));
  errs.push(...validateLongRunningTemplate(spec.template, 'spec.template', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.templateGeneration, 'spec.templateGeneration'));
  errs.push(...validateUpdateStrategy(o(spec.updateStrategy), 'spec.updateStrategy'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (old) errs.push(...immutable(spec.selector, o(old.spec).selector, 'spec.selector', goLabelSelector));
  const st = o(ds.status);
  for (const k of ['numberMisscheduled', 'currentNumberScheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount']) {
    errs.push(...nonNegative(st[k], `status.${k}`));
  }
  return errs;
}

export const daemonSets: ResourceDef = {
  group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset',
  namespaced: true, shortNames: ['ds'], categories: ['all'], schemaName: DAEMON_SET,
  subresources: { status: true },
  defaults: defaultDaemonSet,
  validate: (ds, { old }) => validateDaemonSet(ds, old),
  columns: [
    nameColumn,
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod.'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds).'),
    col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn, containersColumn, imagesColumn, selectorColumn,
  ],
  row(ds, now) {
    const spec = o(ds.spec);
    const st = o(ds.status);
    const [containers, images] = containerCells(spec.template);
    return [
      ds.metadata.name, st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0,
      st.updatedNumberScheduled ?? 0, st.numberAvailable ?? 0, formatLabels(o(o(spec.template).spec).nodeSelector),
      age(ds.metadata.creationTimestamp, now), containers, images, selectorString(spec.selector),
    ];
  },
};
