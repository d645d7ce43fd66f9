// autoscaling/v1 HorizontalPodAutoscaler, served from autoscaling/v2 storage. v1 can only say
// "target CPU utilization"; every other metric, the behavior, the current metrics and the
// conditions travel in annotations, as Kubernetes converts them, so nothing is lost either way.
import { int32, int64, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { arr, isObj, kindSchema, o, type Obj } from '../../apps/v1/common.js';
import { defaultHPA, hpaColumns, hpaRow, validateHPA } from '../v2/hpa.js';

const V1 = 'io.k8s.api.autoscaling.v1';
export const HPA_V1 = `${V1}.HorizontalPodAutoscaler`;

export const ANNOTATION_METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
export const ANNOTATION_CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const ANNOTATION_CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
export const ANNOTATION_BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';

export const definitions: Record<string, Schema> = {
  [HPA_V1]: kindSchema('autoscaling', 'v1', 'HorizontalPodAutoscaler', {
    spec: ref(`${V1}.HorizontalPodAutoscalerSpec`, 'What to scale, within which bounds, at which CPU utilization.'),
    status: ref(`${V1}.HorizontalPodAutoscalerStatus`, 'The most recently observed state, written by the autoscaler.'),
  }, "Scales a workload's replicas to hold its average CPU utilization at a target (autoscaling/v2 has more metrics)."),
  [`${V1}.HorizontalPodAutoscalerSpec`]: obj({
    scaleTargetRef: ref(`${V1}.CrossVersionObjectReference`, 'The workload to scale, e.g. a Deployment.'),
    minReplicas: int32('Fewest replicas. Defaults to 1.'),
    maxReplicas: int32('Most replicas; at least minReplicas.'),
    targetCPUUtilizationPercentage: int32('Target average CPU utilization, in percent of the requested CPU. Defaults to 80.'),
  }, { description: 'The desired behaviour of a HorizontalPodAutoscaler.', required: ['scaleTargetRef', 'maxReplicas'] }),
  [`${V1}.CrossVersionObjectReference`]: obj({
    kind: str('Kind of the referent, e.g. Deployment.'),
    name: str('Name of the referent.'),
    apiVersion: str('API version of the referent, e.g. apps/v1.'),
  }, { description: 'Refers to an object in the same namespace by kind and name.', required: ['kind', 'name'], 'x-kubernetes-map-type': 'atomic' }),
  [`${V1}.HorizontalPodAutoscalerStatus`]: obj({
    observedGeneration: int64('The generation the autoscaler last acted on.'),
    lastScaleTime: ref(META.Time, 'When the replica count was last changed.'),
    currentReplicas: int32('Replicas of the target as last seen.'),
    desiredReplicas: int32('Replicas the autoscaler last asked for.'),
    currentCPUUtilizationPercentage: int32('Average CPU utilization of the pods, in percent of requested CPU.'),
  }, { description: 'The observed state of a HorizontalPodAutoscaler.', required: ['currentReplicas', 'desiredReplicas'] }),
};

// ---- metric conversions between the v2 shape and the v1 annotation shape (autoscaling/v2beta1-like)

type Conv = (m: Obj) => Obj;
const compact = (x: Obj): Obj => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== null));

const specToAnnotation: Conv = (m) => {
  const out: Obj = { type: m.type };
  const t = (s: Obj) => o(s.target);
  if (isObj(m.object)) {
    const s = m.object;
    out.object = compact({ target: s.describedObject, metricName: o(s.metric).name, targetValue: t(s).value, selector: o(s.metric).selector, averageValue: t(s).averageValue });
  }
  if (isObj(m.pods)) out.pods = compact({ metricName: o(m.pods.metric).name, targetAverageValue: t(m.pods).averageValue, selector: o(m.pods.metric).selector });
  if (isObj(m.resource)) out.resource = compact({ name: m.resource.name, targetAverageUtilization: t(m.resource).averageUtilization, targetAverageValue: t(m.resource).averageValue });
  if (isObj(m.containerResource)) {
    const s = m.containerResource;
    out.containerResource = compact({ name: s.name, targetAverageUtilization: t(s).averageUtilization, targetAverageValue: t(s).averageValue, container: s.container });
  }
  if (isObj(m.external)) {
    const s = m.external;
    out.external = compact({ metricName: o(s.metric).name, metricSelector: o(s.metric).selector, targetValue: t(s).value, targetAverageValue: t(s).averageValue });
  }
  return out;
};

const metric = (name: unknown, selector: unknown): Obj => compact({ name, selector });

const specFromAnnotation: Conv = (m) => {
  const out: Obj = { type: m.type };
  if (isObj(m.object)) {
    const s = m.object;
    out.object = {
      describedObject: s.target, metric: metric(s.metricName, s.selector),
      target: compact({ type: s.averageValue == null ? 'Value' : 'AverageValue', value: s.targetValue, averageValue: s.averageValue }),
    };
  }
  if (isObj(m.pods)) out.pods = { metric: metric(m.pods.metricName, m.pods.selector), target: compact({ type: 'AverageValue', averageValue: m.pods.targetAverageValue }) };
  const resource = (s: Obj) => compact({
    type: s.targetAverageUtilization == null ? 'AverageValue' : 'Utilization', averageUtilization: s.targetAverageUtilization, averageValue: s.targetAverageValue,
  });
  if (isObj(m.resource)) out.resource = { name: m.resource.name, target: resource(m.resource) };
  if (isObj(m.containerResource)) out.containerResource = { name: m.containerResource.name, target: resource(m.containerResource), container: m.containerResource.container };
  if (isObj(m.external)) {
    const s = m.external;
    out.external = {
      metric: metric(s.metricName, s.metricSelector),
      target: compact({ type: s.targetValue != null ? 'Value' : 'AverageValue', value: s.targetValue, averageValue: s.targetAverageValue }),
    };
  }
  return out;
};

const statusToAnnotation: Conv = (m) => {
  const out: Obj = { type: m.type };
  const c = (s: Obj) => o(s.current);
  if (isObj(m.object)) {
    const s = m.object;
    out.object = compact({ target: s.describedObject, metricName: o(s.metric).name, currentValue: c(s).value, selector: o(s.metric).selector, averageValue: c(s).averageValue });
  }
  if (isObj(m.pods)) out.pods = compact({ metricName: o(m.pods.metric).name, currentAverageValue: c(m.pods).averageValue, selector: o(m.pods.metric).selector });
  if (isObj(m.resource)) out.resource = compact({ name: m.resource.name, currentAverageUtilization: c(m.resource).averageUtilization, currentAverageValue: c(m.resource).averageValue });
  if (isObj(m.containerResource)) {
    const s = m.containerResource;
    out.containerResource = compact({ name: s.name, currentAverageUtilization: c(s).averageUtilization, currentAverageValue: c(s).averageValue, container: s.container });
  }
  if (isObj(m.external)) {
    const s = m.external;
    out.external = compact({ metricName: o(s.metric).name, metricSelector: o(s.metric).selector, currentValue: c(s).value, currentAverageValue: c(s).averageValue });
  }
  return out;
};

const statusFromAnnotation: Conv = (m) => {
  const out: Obj = { type: m.type };
  if (isObj(m.object)) {
    const s = m.object;
    out.object = { describedObject: s.target, metric: metric(s.metricName, s.selector), current: compact({ value: s.currentValue, averageValue: s.averageValue }) };
  }
  if (isObj(m.pods)) out.pods = { metric: metric(m.pods.metricName, m.pods.selector), current: compact({ averageValue: m.pods.currentAverageValue }) };
  const resource = (s: Obj) => compact({ averageUtilization: s.currentAverageUtilization, averageValue: s.currentAverageValue });
  if (isObj(m.resource)) out.resource = { name: m.resource.name, current: resource(m.resource) };
  if (isObj(m.containerResource)) out.containerResource = { name: m.containerResource.name, current: resource(m.containerResource), container: m.containerResource.container };
  if (isObj(m.external)) {
    const s = m.external;
    out.external = { metric: metric(s.metricName, s.metricSelector), current: compact({ value: s.currentValue, averageValue: s.currentAverageValue }) };
  }
  return out;
};

const isCPUUtilization = (m: Obj) =>
  m.type === 'Resource' && isObj(m.resource) && m.resource.name === 'cpu' && o(m.resource.target).averageUtilization != null;

function parseAnnotation(annotations: Record<string, string>, key: string): unknown {
  const raw = annotations[key];
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw);
    delete annotations[key];
    return v;
  } catch {
    // Kubernetes leaves an annotation it cannot parse where it is.
    return undefined;
  }
}

/** autoscaling/v1 → autoscaling/v2 (the stored form), with v2's defaults. */
export function hpaV1ToV2(v1: KObject): KObject {
  const metadata = structuredClone(v1.metadata);
  const annotations = { ...(metadata.annotations ?? {}) };
  const spec = o(v1.spec);
  const status = o(v1.status);
  const metrics: Obj[] = arr(parseAnnotation(annotations, ANNOTATION_METRICS)).filter(isObj).map(specFromAnnotation);
  if (spec.targetCPUUtilizationPercentage != null) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  const behavior = parseAnnotation(annotations, ANNOTATION_BEHAVIOR);
  // The annotation, when present, holds every current metric (the CPU one included) in full.
  const annotated = parseAnnotation(annotations, ANNOTATION_CURRENT_METRICS);
  const currentMetrics: Obj[] = Array.isArray(annotated)
    ? annotated.filter(isObj).map(statusFromAnnotation)
    : status.currentCPUUtilizationPercentage != null
      ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }]
      : [];
  const conditions = arr(parseAnnotation(annotations, ANNOTATION_CONDITIONS));
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;

  const v2spec: Obj = compact({
    scaleTargetRef: spec.scaleTargetRef == null ? undefined : structuredClone(spec.scaleTargetRef),
    minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas,
    metrics: metrics.length ? metrics : undefined,
    behavior: isObj(behavior) ? behavior : undefined,
  });
  const out: KObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: v2spec };
  if (v1.status !== undefined) {
    out.status = compact({
      observedGeneration: status.observedGeneration, lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas, desiredReplicas: status.desiredReplicas ?? 0,
      currentMetrics: currentMetrics.length ? currentMetrics : undefined,
      conditions: conditions.length ? conditions : undefined,
    });
  }
  defaultHPA(out);
  return out;
}

/** autoscaling/v2 (stored) → autoscaling/v1. */
export function hpaV2ToV1(v2: KObject): KObject {
  const metadata = structuredClone(v2.metadata);
  const spec = o(v2.spec);
  const status = o(v2.status);
  const metrics = arr(spec.metrics).map(o);
  const cpu = metrics.find(isCPUUtilization);
  const others = metrics.filter((m) => m !== cpu).map(specToAnnotation);
  const currentMetrics = arr(status.currentMetrics).map(o);
  const currentCPU = currentMetrics.find((m) => m.type === 'Resource' && o(m.resource).name === 'cpu' && o(o(m.resource).current).averageUtilization != null);
  const conditions = arr(status.conditions);
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  if (others.length) annotations[ANNOTATION_METRICS] = JSON.stringify(others);
  if (currentMetrics.length) annotations[ANNOTATION_CURRENT_METRICS] = JSON.stringify(currentMetrics.map(statusToAnnotation));
  if (isObj(spec.behavior)) annotations[ANNOTATION_BEHAVIOR] = JSON.stringify(spec.behavior);
  if (conditions.length) annotations[ANNOTATION_CONDITIONS] = JSON.stringify(conditions);
  if (Object.keys(annotations).length) metadata.annotations = annotations;

  const out: KObject = {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata,
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef == null ? undefined : structuredClone(spec.scaleTargetRef),
      minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpu ? o(o(cpu.resource).target).averageUtilization : undefined,
    }),
  };
  if (v2.status !== undefined) {
    out.status = compact({
      observedGeneration: status.observedGeneration, lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: currentCPU ? o(o(currentCPU.resource).current).averageUtilization : undefined,
    });
  }
  return out;
}

export const horizontalPodAutoscalersV1: ResourceDef = {
  group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler',
  namespaced: true, shortNames: ['hpa'], categories: ['all'], schemaName: HPA_V1,
  subresources: { status: true },
  defaults(hpa) {
    const spec = (hpa.spec ??= {}) as Obj;
    spec.minReplicas ??= 1;
  },
  // Kubernetes validates the internal (v2-shaped) object, so errors name v2's fields.
  validate: (hpa) => validateHPA(hpaV1ToV2(hpa)),
  columns: hpaColumns,
  row: (hpa, now) => hpaRow(hpaV1ToV2(hpa), now),
  storage: { group: 'autoscaling', version: 'v2', toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
};
