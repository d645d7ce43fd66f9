// autoscaling/v2 HorizontalPodAutoscaler: scales a workload's replicas to hold metrics at targets.
// v2 is the storage version; autoscaling/v1 is served from it by conversion.
import { enumOf, int32, int64, list, obj, quantity, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { canonicalQuantity, parseQuantity } from '../../../machinery/quantity.js';
import { validateDNS1123Label } from '../../../machinery/names.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { ageColumn, arr, col, conditionList, isObj, kindSchema, nameColumn, nonNegative, o, pathSegmentErrors, type Obj } from '../../apps/v1/common.js';

const V2 = 'io.k8s.api.autoscaling.v2';
export const HPA_V2 = `${V2}.HorizontalPodAutoscaler`;

const target = (d: string) => ref(`${V2}.MetricTarget`, d);
const identifier = ref(`${V2}.MetricIdentifier`, 'Which metric.');
const valueStatus = ref(`${V2}.MetricValueStatus`, 'The current value of the metric.');

export const definitions: Record<string, Schema> = {
  [HPA_V2]: kindSchema('autoscaling', 'v2', 'HorizontalPodAutoscaler', {
    spec: ref(`${V2}.HorizontalPodAutoscalerSpec`, 'What to scale, within which bounds, on which metrics.'),
    status: ref(`${V2}.HorizontalPodAutoscalerStatus`, 'The most recently observed state, written by the autoscaler.'),
  }, "Automatically scales a workload's replicas (through its scale subresource) so that metrics stay at their targets."),
  [`${V2}.HorizontalPodAutoscalerSpec`]: obj({
    scaleTargetRef: ref(`${V2}.CrossVersionObjectReference`, 'The workload to scale, e.g. a Deployment.'),
    minReplicas: int32('Fewest replicas. Defaults to 1.'),
    maxReplicas: int32('Most replicas; at least minReplicas.'),
    metrics: list(ref(`${V2}.MetricSpec`), 'Metrics to hold at their targets; the largest replica count any of them asks for wins. Defaults to 80% average CPU utilization.'),
    behavior: ref(`${V2}.HorizontalPodAutoscalerBehavior`, 'How fast to scale up and down.'),
  }, { description: 'The desired behaviour of a HorizontalPodAutoscaler.', required: ['scaleTargetRef', 'maxReplicas'] }),
  [`${V2}.CrossVersionObjectReference`]: obj({
    kind: str('Kind of the referent, e.g. Deployment.'),
    name: str('Name of the referent.'),
    apiVersion: str('API version of the referent, e.g. apps/v1.'),
  }, { description: 'Refers to an object in the same namespace by kind and name.', required: ['kind', 'name'] }),
  [`${V2}.MetricSpec`]: obj({
    type: enumOf(['ContainerResource', 'External', 'Object', 'Pods', 'Resource'], 'Which source below is set: Object, Pods, Resource, ContainerResource or External.'),
    object: ref(`${V2}.ObjectMetricSource`, 'A metric describing one object, e.g. requests per second of an Ingress.'),
    pods: ref(`${V2}.PodsMetricSource`, 'A metric of each pod, averaged.'),
    resource: ref(`${V2}.ResourceMetricSource`, 'A resource (cpu, memory) of each pod, as known to the scheduler, averaged.'),
    containerResource: ref(`${V2}.ContainerResourceMetricSource`, 'A resource of one container of each pod, averaged.'),
    external: ref(`${V2}.ExternalMetricSource`, 'A metric not tied to any Kubernetes object.'),
  }, { description: 'One metric to scale on.', required: ['type'] }),
  [`${V2}.ObjectMetricSource`]: obj({
    describedObject: ref(`${V2}.CrossVersionObjectReference`, 'The object the metric describes.'),
    target: target('The target value.'),
    metric: identifier,
  }, { description: 'A metric of a single Kubernetes object.', required: ['describedObject', 'target', 'metric'] }),
  [`${V2}.PodsMetricSource`]: obj({
    metric: identifier,
    target: target('The target average value per pod.'),
  }, { description: 'A metric of each pod of the target, averaged.', required: ['metric', 'target'] }),
  [`${V2}.ResourceMetricSource`]: obj({
    name: str('Resource name: cpu or memory.'),
    target: target('Target utilization (percent of requests) or average value.'),
  }, { description: 'A resource of each pod of the target, averaged.', required: ['name', 'target'] }),
  [`${V2}.ContainerResourceMetricSource`]: obj({
    name: str('Resource name: cpu or memory.'),
    target: target('Target utilization (percent of requests) or average value.'),
    container: str('The container whose usage counts.'),
  }, { description: 'A resource of one container of each pod, averaged.', required: ['name', 'target', 'container'] }),
  [`${V2}.ExternalMetricSource`]: obj({
    metric: identifier,
    target: target('The target value or average value per pod.'),
  }, { description: 'A metric from outside the cluster.', required: ['metric', 'target'] }),
  [`${V2}.MetricIdentifier`]: obj({
    name: str('Name of the metric.'),
    selector: ref(META.LabelSelector, 'Label query narrowing the metric series.'),
  }, { description: 'Names a metric, with an optional label selector.', required: ['name'] }),
  [`${V2}.MetricTarget`]: obj({
    type: enumOf(['AverageValue', 'Utilization', 'Value'], 'Utilization, Value or AverageValue.'),
    value: quantity('Target value of the metric.'),
    averageValue: quantity('Target value of the metric averaged over the pods.'),
    averageUtilization: int32('Target percentage of the requested resource, averaged over the pods.'),
  }, { description: 'The target of a metric.', required: ['type'] }),
  [`${V2}.HorizontalPodAutoscalerBehavior`]: obj({
    scaleUp: ref(`${V2}.HPAScalingRules`, 'Rules for scaling up. Default: no stabilization; add 4 pods or 100% each 15s, whichever is more.'),
    scaleDown: ref(`${V2}.HPAScalingRules`, 'Rules for scaling down. Default: 300s stabilization; remove up to 100% each 15s.'),
  }, 'How fast the autoscaler changes the replica count in each direction.'),
  [`${V2}.HPAScalingRules`]: obj({
    stabilizationWindowSeconds: int32('Seconds of past recommendations considered, to avoid flapping (0 to 3600).'),
    selectPolicy: enumOf(['Disabled', 'Max', 'Min'], 'Which policy wins when several apply: Max, Min, or Disabled (no scaling this way). Defaults to Max.'),
    policies: list(ref(`${V2}.HPAScalingPolicy`), 'Limits on the change per period.'),
  }, 'Scaling rules for one direction.'),
  [`${V2}.HPAScalingPolicy`]: obj({
    type: enumOf(['Percent', 'Pods'], 'Pods (absolute count) or Percent (of current replicas).'),
    value: int32('The amount of change allowed; positive.'),
    periodSeconds: int32('Window the limit applies to, 1 to 1800 seconds.'),
  }, { description: 'One limit on scaling.', required: ['type', 'value', 'periodSeconds'] }),
  [`${V2}.HorizontalPodAutoscalerStatus`]: obj({
    observedGeneration: int64('The generation the autoscaler last acted on.'),
    lastScaleTime: ref(META.Time, 'When the replica count was last changed.'),
    currentReplicas: int32('Replicas of the target as last seen.'),
    desiredReplicas: int32('Replicas the autoscaler last asked for.'),
    currentMetrics: list(ref(`${V2}.MetricStatus`), 'Last read values of the metrics.'),
    conditions: conditionList(ref(`${V2}.HorizontalPodAutoscalerCondition`), 'AbleToScale, ScalingActive, ScalingLimited.'),
  }, { description: 'The observed state of a HorizontalPodAutoscaler.', required: ['desiredReplicas'] }),
  [`${V2}.HorizontalPodAutoscalerCondition`]: obj({
    type: str('AbleToScale, ScalingActive or ScalingLimited.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: ref(META.Time, 'Last time the status changed.'),
    reason: str('One-word CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, { description: 'One observation of a HorizontalPodAutoscaler.', required: ['type', 'status'] }),
  [`${V2}.MetricStatus`]: obj({
    type: enumOf(['ContainerResource', 'External', 'Object', 'Pods', 'Resource'], 'Which source below is set.'),
    object: ref(`${V2}.ObjectMetricStatus`, 'Current value of an object metric.'),
    pods: ref(`${V2}.PodsMetricStatus`, 'Current value of a pods metric.'),
    resource: ref(`${V2}.ResourceMetricStatus`, 'Current value of a resource metric.'),
    containerResource: ref(`${V2}.ContainerResourceMetricStatus`, 'Current value of a container resource metric.'),
    external: ref(`${V2}.ExternalMetricStatus`, 'Current value of an external metric.'),
  }, { description: 'The last read state of one metric.', required: ['type'] }),
  [`${V2}.ObjectMetricStatus`]: obj({ metric: identifier, current: valueStatus, describedObject: ref(`${V2}.CrossVersionObjectReference`, 'The object the metric describes.') }, { description: 'Current value of an object metric.', required: ['metric', 'current', 'describedObject'] }),
  [`${V2}.PodsMetricStatus`]: obj({ metric: identifier, current: valueStatus }, { description: 'Current value of a pods metric.', required: ['metric', 'current'] }),
  [`${V2}.ResourceMetricStatus`]: obj({ name: str('Resource name.'), current: valueStatus }, { description: 'Current value of a resource metric.', required: ['name', 'current'] }),
  [`${V2}.ContainerResourceMetricStatus`]: obj({ name: str('Resource name.'), current: valueStatus, container: str('The container.') }, { description: 'Current value of a container resource metric.', required: ['name', 'current', 'container'] }),
  [`${V2}.ExternalMetricStatus`]: obj({ metric: identifier, current: valueStatus }, { description: 'Current value of an external metric.', required: ['metric', 'current'] }),
  [`${V2}.MetricValueStatus`]: obj({
    value: quantity('Current value.'),
    averageValue: quantity('Current value averaged over the pods.'),
    averageUtilization: int32('Current percentage of the requested resource, averaged over the pods.'),
  }, 'A current metric value.'),
};

// ---- defaults ----------------------------------------------------------------------------------

const scaleUpDefaults = (): Obj => ({
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
});
const scaleDownDefaults = (): Obj => ({
  stabilizationWindowSeconds: 300, selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

/** Fills the unset parts of a direction's rules from its defaults. */
function fillRules(rules: unknown, defaults: Obj): Obj {
  if (!isObj(rules)) return defaults;
  for (const k of ['stabilizationWindowSeconds', 'selectPolicy', 'policies']) if (rules[k] == null) rules[k] = defaults[k];
  return rules;
}

export const DEFAULT_CPU_UTILIZATION = 80;

export function defaultHPA(hpa: KObject): void {
  const spec = (hpa.spec ??= {}) as Obj;
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (isObj(spec.behavior)) {
    spec.behavior.scaleUp = fillRules(spec.behavior.scaleUp, scaleUpDefaults());
    spec.behavior.scaleDown = fillRules(spec.behavior.scaleDown, scaleDownDefaults());
  }
}

// ---- validation --------------------------------------------------------------------------------

export function validateCrossVersionObjectReference(ref: unknown, path: string): FieldError[] {
  const r = o(ref);
  const errs: FieldError[] = [];
  for (const k of ['kind', 'name']) {
    const v = typeof r[k] === 'string' ? r[k] : '';
    if (!v) errs.push(field.required(`${path}.${k}`));
    else for (const msg of pathSegmentErrors(v)) errs.push(field.invalid(`${path}.${k}`, v, msg));
  }
  return errs;
}

function quantitySign(v: unknown): number | undefined {
  if (v == null) return undefined;
  try {
    return parseQuantity(v as string | number).sign();
  } catch {
    return 0;
  }
}

function validateMetricTarget(t: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!t.type) errs.push(field.required(`${path}.type`, 'must specify a metric target type'));
  if (t.type !== 'Utilization' && t.type !== 'Value' && t.type !== 'AverageValue') {
    errs.push(field.invalid(`${path}.type`, t.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  }
  if (t.value != null && quantitySign(t.value) !== 1) errs.push(field.invalid(`${path}.value`, String(t.value), 'must be positive'));
  if (t.averageValue != null && quantitySign(t.averageValue) !== 1) errs.push(field.invalid(`${path}.averageValue`, String(t.averageValue), 'must be positive'));
  if (typeof t.averageUtilization === 'number' && t.averageUtilization < 1) errs.push(field.invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(id: Obj, path: string): FieldError[] {
  const name = typeof id.name === 'string' ? id.name : '';
  if (!name) return [field.required(`${path}.name`, 'must specify a metric name')];
  return pathSegmentErrors(name).map((msg) => field.invalid(`${path}.name`, name, msg));
}

const SOURCES: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };
const SOURCE_TYPES = Object.keys(SOURCES).sort();

function validateSource(kind: string, src: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const t = o(src.target);
  const tp = `${path}.target`;
  switch (kind) {
    case 'object':
      errs.push(...validateCrossVersionObjectReference(src.describedObject, `${path}.describedObject`));
      errs.push(...validateMetricIdentifier(o(src.metric), `${path}.metric`));
      errs.push(...validateMetricTarget(t, tp));
      if (t.value == null && t.averageValue == null) errs.push(field.required(`${tp}.averageValue`, 'must set either a target value or averageValue'));
      break;
    case 'external':
      errs.push(...validateMetricIdentifier(o(src.metric), `${path}.metric`));
      errs.push(...validateMetricTarget(t, tp));
      if (t.value == null && t.averageValue == null) errs.push(field.required(`${tp}.averageValue`, 'must set either a target value for metric or a per-pod target'));
      if (t.value != null && t.averageValue != null) errs.push(field.forbidden(`${tp}.value`, 'may not set both a target value for metric and a per-pod target'));
      break;
    case 'pods':
      errs.push(...validateMetricIdentifier(o(src.metric), `${path}.metric`));
      errs.push(...validateMetricTarget(t, tp));
      if (t.averageValue == null) errs.push(field.required(`${tp}.averageValue`, 'must specify a positive target averageValue'));
      break;
    case 'resource':
    case 'containerResource':
      if (!src.name) errs.push(field.required(`${path}.name`, 'must specify a resource name'));
      if (kind === 'containerResource') {
        if (!src.container) errs.push(field.required(`${path}.container`, 'must specify a container'));
        else for (const msg of validateDNS1123Label(String(src.container))) errs.push(field.invalid(`${path}.container`, src.container, msg));
      }
      errs.push(...validateMetricTarget(t, tp));
      if (t.averageUtilization == null && t.averageValue == null) errs.push(field.required(`${tp}.averageUtilization`, 'must set either a target raw value or a target utilization'));
      if (t.averageUtilization != null && t.averageValue != null) errs.push(field.forbidden(`${tp}.averageValue`, 'may not set both a target raw value and a target utilization'));
      break;
  }
  return errs;
}

function validateMetricSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.type) errs.push(field.required(`${path}.type`, 'must specify a metric source type'));
  const present: string[] = [];
  for (const k of ['object', 'external', 'pods', 'resource', 'containerResource']) {
    if (spec[k] == null) continue;
    present.push(k);
    if (present.length === 1) errs.push(...validateSource(k, o(spec[k]), `${path}.${k}`));
  }
  const expected = SOURCES[spec.type];
  if (!expected) {
    if (spec.type) errs.push(field.notSupported(`${path}.type`, spec.type, SOURCE_TYPES));
  } else if (spec[expected] == null) {
    errs.push(field.required(`${path}.${expected}`, 'must populate information for the given metric source'));
  }
  if (present.length !== 1) {
    for (const k of present.filter((p) => p !== expected).sort()) errs.push(field.forbidden(`${path}.${k}`, 'must populate the given metric source only'));
  }
  return errs;
}

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

function validateScalingRules(rules: unknown, path: string): FieldError[] {
  if (!isObj(rules)) return [];
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (typeof w === 'number' && w < 0) errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (typeof w === 'number' && w > MAX_STABILIZATION_WINDOW_SECONDS) errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  if (rules.selectPolicy != null && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) {
    errs.push(field.notSupported(`${path}.selectPolicy`, rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies = arr(rules.policies);
  if (policies.length === 0) errs.push(field.required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pol = o(p);
    const pp = `${path}.policies[${i}]`;
    if (pol.type !== 'Pods' && pol.type !== 'Percent') errs.push(field.notSupported(`${pp}.type`, pol.type ?? '', ['Percent', 'Pods']));
    if (!(typeof pol.value === 'number' && pol.value > 0)) errs.push(field.invalid(`${pp}.value`, pol.value ?? 0, 'must be greater than zero'));
    if (!(typeof pol.periodSeconds === 'number' && pol.periodSeconds > 0)) errs.push(field.invalid(`${pp}.periodSeconds`, pol.periodSeconds ?? 0, 'must be greater than zero'));
    if (typeof pol.periodSeconds === 'number' && pol.periodSeconds > MAX_PERIOD_SECONDS) errs.push(field.invalid(`${pp}.periodSeconds`, pol.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

export function validateHPA(hpa: KObject): FieldError[] {
  const spec = o(hpa.spec);
  const errs: FieldError[] = [];
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1) errs.push(field.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
  if (max < 1) errs.push(field.invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof spec.minReplicas === 'number' && max < spec.minReplicas) errs.push(field.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  // As in Kubernetes, metrics are checked only with a valid target, and behavior only with valid metrics.
  const refErrs = validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef');
  if (refErrs.length) errs.push(...refErrs);
  else {
    const metricErrs = arr(spec.metrics).flatMap((m, i) => validateMetricSpec(o(m), `spec.metrics[${i}]`));
    if (metricErrs.length) errs.push(...metricErrs);
    else if (isObj(spec.behavior)) {
      errs.push(...validateScalingRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'));
      errs.push(...validateScalingRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
    }
  }
  const st = o(hpa.status);
  errs.push(...nonNegative(st.currentReplicas, 'status.currentReplicas'));
  errs.push(...nonNegative(st.desiredReplicas, 'status.desiredReplicas'));
  return errs;
}

// ---- printing ----------------------------------------------------------------------------------

function q(v: unknown): string {
  if (v == null) return '0';
  try {
    return canonicalQuantity(v as string | number);
  } catch {
    return String(v);
  }
}

/** The TARGETS column: `cpu: 45%/80%`, `<unknown>/10 (avg)`, at most two then `+ N more...`. */
export function formatHPAMetrics(specs: unknown, statuses: unknown): string {
  const ms = arr(specs).map(o);
  const ss = arr(statuses).map(o);
  if (ms.length === 0) return '<none>';
  const list = ms.map((m, i) => {
    const st = ss[i] ?? {};
    switch (m.type) {
      case 'External':
      case 'Object': {
        const key = m.type === 'External' ? 'external' : 'object';
        const t = o(o(m[key]).target);
        const cur = o(o(st[key]).current);
        if (t.averageValue != null) return `${st[key] && cur.averageValue != null ? q(cur.averageValue) : '<unknown>'}/${q(t.averageValue)} (avg)`;
        return `${st[key] ? q(cur.value) : '<unknown>'}/${q(t.value)}`;
      }
      case 'Pods': {
        const t = o(o(m.pods).target);
        return `${st.pods ? q(o(o(st.pods).current).averageValue) : '<unknown>'}/${q(t.averageValue)}`;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const src = o(m[key]);
        const t = o(src.target);
        const cur = o(o(st[key]).current);
        if (t.averageValue != null) return `${src.name}: ${st[key] ? q(cur.averageValue) : '<unknown>'}/${q(t.averageValue)}`;
        const current = st[key] && cur.averageUtilization != null ? `${cur.averageUtilization}%` : '<unknown>';
        const tgt = t.averageUtilization != null ? `${t.averageUtilization}%` : '<auto>';
        return `${src.name}: ${current}/${tgt}`;
      }
      default:
        return '<unknown type>';
    }
  });
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

export const hpaColumns = [
  nameColumn,
  col('Reference', 'string', 'The reference to the resource the autoscaler scales.'),
  col('Targets', 'string', 'The current and target values of the metrics.'),
  col('MinPods', 'string', 'Lower limit for the number of pods that can be set by the autoscaler, default 1.'),
  col('MaxPods', 'string', 'Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.'),
  col('Replicas', 'string', 'Current number of replicas of pods managed by this autoscaler.'),
  ageColumn,
];

export function hpaRow(hpa: KObject, now: number): unknown[] {
  const spec = o(hpa.spec);
  const ref = o(spec.scaleTargetRef);
  return [
    hpa.metadata.name, `${ref.kind ?? ''}/${ref.name ?? ''}`, formatHPAMetrics(spec.metrics, o(hpa.status).currentMetrics),
    spec.minReplicas == null ? '<unset>' : String(spec.minReplicas), spec.maxReplicas ?? 0, o(hpa.status).currentReplicas ?? 0,
    age(hpa.metadata.creationTimestamp, now),
  ];
}

export const horizontalPodAutoscalersV2: ResourceDef = {
  group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler',
  namespaced: true, shortNames: ['hpa'], categories: ['all'], schemaName: HPA_V2,
  subresources: { status: true },
  defaults: defaultHPA,
  validate: (hpa) => validateHPA(hpa),
  columns: hpaColumns,
  row: hpaRow,
};
