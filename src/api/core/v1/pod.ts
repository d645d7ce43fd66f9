// core/v1 Pod (and Binding, the body of pods/binding): declaration, server-side preparation,
// update rules, graceful deletion and the `kubectl get pods` columns.
import type { Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { parseQuantity, type Quantity } from '../../../machinery/quantity.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn } from './common.js';
import { defaultPod } from './pod-defaults.js';
import { validatePodSpec, validateTolerations } from './pod-validation.js';
import { arr, diffPaths, inclusiveRange, isObj, semanticEqual, strOf, type O } from './validation.js';

export const definitions: Record<string, Schema> = {
  [core('Pod')]: kindObj('', 'Pod', {
    spec: cref('PodSpec', 'What the pod runs and how.'),
    status: cref('PodStatus', 'What the pod is doing, as reported by the kubelet; read-only.'),
  }, 'A group of containers that run together on one node, sharing network and storage.'),
  [core('Binding')]: kindObj('', 'Binding', {
    target: cref('ObjectReference', 'The node to bind to.'),
  }, 'Binds a pod to a node; the scheduler posts it to pods/<name>/binding.', ['target']),
};

// ---- quality of service --------------------------------------------------------------------------

const QOS_RESOURCES = ['cpu', 'memory'];

/** Kubernetes' QoS class of a pod, from its containers' (and init containers') requests and limits. */
export function podQOSClass(pod: { spec?: unknown; [k: string]: unknown }): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec: O = isObj(pod.spec) ? pod.spec : {};
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const sum = (m: Map<string, Quantity>, k: string, q: Quantity) => m.set(k, m.has(k) ? m.get(k)!.add(q) : q);
  const positive = (v: unknown): Quantity | undefined => {
    try {
      const q = parseQuantity(typeof v === 'number' ? v : strOf(v).trim());
      return q.sign() > 0 ? q : undefined;
    } catch {
      return undefined;
    }
  };
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    const r = isObj(c) && isObj(c.resources) ? c.resources : {};
    for (const [k, v] of Object.entries(isObj(r.requests) ? r.requests : {})) {
      const q = QOS_RESOURCES.includes(k) ? positive(v) : undefined;
      if (q) sum(requests, k, q);
    }
    const found = new Set<string>();
    for (const [k, v] of Object.entries(isObj(r.limits) ? r.limits : {})) {
      const q = QOS_RESOURCES.includes(k) ? positive(v) : undefined;
      if (q) { found.add(k); sum(limits, k, q); }
    }
    if (!QOS_RESOURCES.every((k) => found.has(k))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, req] of requests) {
      const lim = limits.get(k);
      if (!lim || lim.cmp(req) !== 0) { guaranteed = false; break; }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** matchLabelKeys / mismatchLabelKeys become In / NotIn requirements on the pod's own label values. */
function applyMatchLabelKeys(pod: KObject): void {
  const spec = pod.spec as O | undefined;
  const labels = pod.metadata.labels ?? {};
  if (!isObj(spec) || !isObj(spec.affinity)) return;
  for (const k of ['podAffinity', 'podAntiAffinity']) {
    const pa = spec.affinity[k];
    if (!isObj(pa)) continue;
    const terms = [
      ...arr(pa.requiredDuringSchedulingIgnoredDuringExecution),
      ...arr(pa.preferredDuringSchedulingIgnoredDuringExecution).map((w) => (isObj(w) ? w.podAffinityTerm : undefined)),
    ].filter(isObj);
    for (const t of terms) {
      if (!isObj(t.labelSelector)) continue;
      const add = (key: string, operator: string) => {
        if (!(key in labels)) return;
        t.labelSelector.matchExpressions = [...arr(t.labelSelector.matchExpressions), { key, operator, values: [labels[key]] }];
      };
      for (const key of arr(t.matchLabelKeys)) add(key, 'In');
      for (const key of arr(t.mismatchLabelKeys)) add(key, 'NotIn');
    }
  }
}

// ---- validation ----------------------------------------------------------------------------------

const UPDATABLE = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function validatePodCreate(pod: KObject): FieldError[] {
  const spec: O = isObj(pod.spec) ? pod.spec : {};
  const errs = validatePodSpec(spec, 'spec');
  if (arr(spec.ephemeralContainers).length > 0) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (spec.nodeName && arr(spec.schedulingGates).length > 0) errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

/** Kubernetes' ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations and removed scheduling gates may change. */
export function validatePodUpdate(pod: KObject, old: KObject): FieldError[] {
  const spec: O = isObj(pod.spec) ? pod.spec : {};
  const oldSpec: O = isObj(old.spec) ? old.spec : {};
  const errs = validatePodSpec(spec, 'spec');
  for (const k of ['containers', 'initContainers']) {
    const now = arr(spec[k]);
    const before = arr(oldSpec[k]);
    if (now.length !== before.length) {
      errs.push(field.forbidden(`spec.${k}`, 'pod updates may not add or remove containers'));
      return errs;
    }
  }
  const ads = spec.activeDeadlineSeconds;
  const oldAds = oldSpec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (typeof ads !== 'number' || ads < 0 || ads > 2147483647) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', ads, inclusiveRange(0, 2147483647)));
      return errs;
    }
    if (typeof oldAds === 'number' && oldAds < ads) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldAds !== undefined && oldAds !== null) {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Tolerations may only be added; an existing one may change only its tolerationSeconds.
  const newTols = arr(spec.tolerations);
  for (const o of arr(oldSpec.tolerations)) {
    const found = newTols.some((n) => semanticEqual({ ...o, tolerationSeconds: n?.tolerationSeconds }, n));
    if (!found) {
      errs.push(field.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  errs.push(...validateTolerations(spec.tolerations, 'spec.tolerations'));
  // Scheduling gates may only be removed.
  const oldGates = new Set(arr(oldSpec.schedulingGates).map((g) => g?.name));
  arr(spec.schedulingGates).forEach((g, i) => {
    if (!oldGates.has(g?.name)) errs.push(field.forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${g?.name}'`));
  });
  const munged: O = structuredClone(spec);
  for (const k of ['containers', 'initContainers']) {
    arr(munged[k]).forEach((c, i) => { if (isObj(c)) c.image = oldSpec[k][i]?.image; });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  for (const k of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations', 'terminationGracePeriodSeconds']) if (munged[k] === undefined) delete munged[k];
  if (!semanticEqual(munged, oldSpec)) {
    const changed = diffPaths(oldSpec, munged, 'spec');
    errs.push(field.forbidden('spec', `${UPDATABLE}\n  changed: ${changed.join(', ')}`));
  }
  return errs;
}

// ---- printing ------------------------------------------------------------------------------------

const isSidecar = (c: unknown) => isObj(c) && c.restartPolicy === 'Always';
const timeOf = (t: unknown): number => (typeof t === 'string' ? Date.parse(t) || 0 : 0);

/** The STATUS and READY and RESTARTS cells, computed as kubectl's pod printer does. */
export function podStatusCells(pod: KObject, now: number): { ready: string; status: string; restarts: string } {
  const spec: O = isObj(pod.spec) ? pod.spec : {};
  const status: O = isObj(pod.status) ? pod.status : {};
  const inits = arr(spec.initContainers);
  const total = arr(spec.containers).length + inits.filter(isSidecar).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let reason: string = status.reason || status.phase || '';
  for (const c of arr(status.conditions)) {
    if (isObj(c) && c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initSpec = new Map(inits.filter(isObj).map((c) => [c.name, c]));
  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses).filter(isObj);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const state: O = isObj(cs.state) ? cs.state : {};
    const last: O = isObj(cs.lastState) ? cs.lastState : {};
    restarts += cs.restartCount ?? 0;
    const lastEnd = isObj(last.terminated) ? timeOf(last.terminated.finishedAt) : 0;
    if (lastEnd > lastRestart) lastRestart = lastEnd;
    const sidecar = isSidecar(initSpec.get(cs.name));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      if (lastEnd > lastSidecarRestart) lastSidecarRestart = lastEnd;
    }
    if (isObj(state.terminated) && state.terminated.exitCode === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (isObj(state.terminated)) {
      const t = state.terminated;
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
    } else if (isObj(state.waiting) && state.waiting.reason && state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${inits.length}`;
    }
    initializing = true;
    break;
  }
  const initialized = arr(status.conditions).some((c) => isObj(c) && c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses).filter(isObj);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      const state: O = isObj(cs.state) ? cs.state : {};
      const last: O = isObj(cs.lastState) ? cs.lastState : {};
      restarts += cs.restartCount ?? 0;
      const lastEnd = isObj(last.terminated) ? timeOf(last.terminated.finishedAt) : 0;
      if (lastEnd > lastRestart) lastRestart = lastEnd;
      if (isObj(state.waiting) && state.waiting.reason) reason = state.waiting.reason;
      else if (isObj(state.terminated) && state.terminated.reason) reason = state.terminated.reason;
      else if (isObj(state.terminated)) reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode ?? 0}`;
      else if (cs.ready && isObj(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = arr(status.conditions).some((c) => isObj(c) && c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart > 0) restartsCell = `${restarts} (${age(new Date(lastRestart).toISOString(), now)} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell };
}

function readinessGatesCell(pod: KObject): string {
  const gates = arr((pod.spec as O | undefined)?.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = arr((pod.status as O | undefined)?.conditions).filter(isObj);
  let trueCount = 0;
  for (const g of gates) {
    const c = conditions.find((x) => x.type === g?.conditionType);
    if (c?.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

// ---- the resource --------------------------------------------------------------------------------

export const pods: ResourceDef = {
  group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true,
  shortNames: ['po'], categories: ['all'], schemaName: core('Pod'),
  subresources: { status: true },
  tracksGeneration: false,
  defaults: (pod) => defaultPod(pod),
  prepareForCreate(pod) {
    const status: O = { phase: 'Pending', qosClass: podQOSClass(pod) };
    const spec = pod.spec as O | undefined;
    if (isObj(spec) && typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
      spec.terminationGracePeriodSeconds = 1;
    }
    if (isObj(spec) && arr(spec.schedulingGates).length > 0) {
      status.conditions = [{
        type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null,
        reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates',
      }];
    }
    pod.status = status;
    applyMatchLabelKeys(pod);
  },
  prepareForUpdate(pod, old) {
    // Priority admission resolved these on create; an update that leaves them out keeps them.
    const spec = (isObj(pod.spec) ? pod.spec : (pod.spec = {})) as O;
    const oldSpec: O = isObj(old.spec) ? old.spec : {};
    if ((spec.priority === undefined || spec.priority === null) && oldSpec.priority !== undefined) spec.priority = oldSpec.priority;
    if (!spec.preemptionPolicy && oldSpec.preemptionPolicy) spec.preemptionPolicy = oldSpec.preemptionPolicy;
  },
  validate: (pod, { old, subresource }) => {
    // A status write carries the stored spec unchanged (the registry copies it), so there is no
    // spec to check again; that is most of what a kubelet's status updates would cost here.
    if (subresource === 'status') return [];
    return old ? validatePodUpdate(pod, old) : validatePodCreate(pod);
  },
  deletionGracePeriod(pod, requested) {
    const spec: O = isObj(pod.spec) ? pod.spec : {};
    const phase = (pod.status as O | undefined)?.phase;
    let period = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 0);
    if (!spec.nodeName) period = 0;
    if (phase === 'Failed' || phase === 'Succeeded') period = 0;
    if (period < 0) period = 1;
    return period;
  },
  columns: [
    nameColumn,
    col('Ready', 'string', 'Ready containers of all containers.'),
    col('Status', 'string', 'The aggregate status of the containers in the pod.'),
    col('Restarts', 'string', 'Container restarts, and how long ago the last one was.'),
    ageColumn,
    col('IP', 'string', 'IP address of the pod.', 1),
    col('Node', 'string', 'Node the pod is bound to.', 1),
    col('Nominated Node', 'string', 'Node the pod is expected to run on after preemption.', 1),
    col('Readiness Gates', 'string', 'Readiness gates that are True, of all.', 1),
  ],
  row(pod, now) {
    const spec: O = isObj(pod.spec) ? pod.spec : {};
    const status: O = isObj(pod.status) ? pod.status : {};
    const cells = podStatusCells(pod, now);
    const ips = arr(status.podIPs);
    const ip = (isObj(ips[0]) && ips[0].ip) || '<none>';
    return [
      pod.metadata.name, cells.ready, cells.status, cells.restarts, age(pod.metadata.creationTimestamp, now),
      ip, spec.nodeName || '<none>', status.nominatedNodeName || '<none>', readinessGatesCell(pod),
    ];
  },
  selectableFields(pod) {
    const spec: O = isObj(pod.spec) ? pod.spec : {};
    const status: O = isObj(pod.status) ? pod.status : {};
    const ips = arr(status.podIPs);
    return {
      'spec.nodeName': strOf(spec.nodeName),
      'spec.restartPolicy': strOf(spec.restartPolicy),
      'spec.schedulerName': strOf(spec.schedulerName),
      'spec.serviceAccountName': strOf(spec.serviceAccountName),
      'spec.hostNetwork': String(spec.hostNetwork === true),
      'status.phase': strOf(status.phase),
      'status.podIP': strOf(isObj(ips[0]) ? ips[0].ip : ''),
      'status.nominatedNodeName': strOf(status.nominatedNodeName),
    };
  },
};

