// What a simulated kubelet does with one pod, as pure functions of the pod and the time: wait
// before starting it, report it Running, finish it (restartPolicy Never/OnFailure), or finalize
// its deletion. Nothing here talks to the API server, so the state machine is tested directly.
import { podQOSClass } from '../../api/core/v1/index.js';
import { parseDuration } from '../../machinery/duration.js';
import type { ContainerSpec, ContainerStatus, Pod, PodCondition, PodStatus } from './types.js';
import { wireTime } from './types.js';

/** Go duration (`2s`, `500ms`): how long after the pod reaches the node it starts. */
export const ANNOTATION_START_DELAY = 'sim.k8ts.io/start-delay';
/** Go duration, default 1s: how long a Never/OnFailure pod runs before it finishes. */
export const ANNOTATION_DURATION = 'sim.k8ts.io/duration';
/** Integer exit code of a finishing pod's containers, default 0 (Succeeded); others mean Failed. */
export const ANNOTATION_EXIT_CODE = 'sim.k8ts.io/exit-code';

export const DEFAULT_RUN_DURATION_MS = 1000;

export type PodStep =
  /** Nothing to do, now or later, unless the pod changes. */
  | { kind: 'none' }
  /** Look at the pod again after `ms`. */
  | { kind: 'wait'; ms: number }
  /** Report the pod accepted and its containers being created, then look again after `ms`. */
  | { kind: 'accept'; ms: number }
  /** Report the pod Running and Ready (again, when it was marked otherwise). */
  | { kind: 'run' }
  /** Report the pod's containers exited with `exitCode`: Succeeded when 0, else Failed. */
  | { kind: 'finish'; exitCode: number }
  /** The pod is being deleted: its containers are gone, so delete it for good. */
  | { kind: 'delete' };

export interface PodStepContext {
  nowMs: number;
  /** When the pod was first seen bound to the node. */
  boundAtMs: number;
  /** When its containers started, if this process saw it (finer than the status' seconds). */
  startedAtMs?: number;
  defaultStartDelayMs: number;
  /** The node it would run on, for the running status the decision compares with. */
  hostIP: string;
}

const annotation = (pod: Pod, key: string): string | undefined => pod.metadata?.annotations?.[key];

/** A Go duration annotation in ms, or `fallback` when absent or malformed. */
export function durationAnnotation(pod: Pod, key: string, fallback: number): number {
  const v = annotation(pod, key);
  if (v === undefined || v.trim() === '') return fallback;
  try {
    const ms = parseDuration(v.trim());
    return ms >= 0 ? ms : fallback;
  } catch {
    return fallback;
  }
}

/** The exit code a finishing pod reports; a malformed annotation counts as 1, as a crash would. */
export function exitCodeOf(pod: Pod): number {
  const v = annotation(pod, ANNOTATION_EXIT_CODE);
  if (v === undefined || v.trim() === '') return 0;
  const n = Number(v.trim());
  return Number.isInteger(n) && n >= 0 && n <= 255 ? n : 1;
}

export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** restartPolicy Never and OnFailure pods run to completion; Always pods run until deleted. */
export function runsToCompletion(pod: Pod): boolean {
  const p = pod.spec?.restartPolicy;
  return p === 'Never' || p === 'OnFailure';
}

/** When the pod's containers started, from the status: the earliest running startedAt, else startTime. */
export function statusStartedAtMs(pod: Pod): number | undefined {
  let best: number | undefined;
  for (const cs of pod.status?.containerStatuses ?? []) {
    const t = Date.parse(cs.state?.running?.startedAt ?? '');
    if (Number.isFinite(t) && (best === undefined || t < best)) best = t;
  }
  if (best !== undefined) return best;
  const t = Date.parse(pod.status?.startTime ?? '');
  return Number.isFinite(t) ? t : undefined;
}

export function nextPodStep(pod: Pod, ctx: PodStepContext): PodStep {
  if (pod.metadata.deletionTimestamp) return { kind: 'delete' };
  if (isTerminal(pod)) return { kind: 'none' };
  if (pod.status?.phase !== 'Running') {
    const due = ctx.boundAtMs + durationAnnotation(pod, ANNOTATION_START_DELAY, ctx.defaultStartDelayMs);
    if (ctx.nowMs >= due) return { kind: 'run' };
    // While it "pulls images", the pod shows ContainerCreating as a kubelet's would.
    return pod.status?.hostIP ? { kind: 'wait', ms: due - ctx.nowMs } : { kind: 'accept', ms: due - ctx.nowMs };
  }
  if (runsToCompletion(pod)) {
    const started = ctx.startedAtMs ?? statusStartedAtMs(pod) ?? ctx.nowMs;
    const due = started + durationAnnotation(pod, ANNOTATION_DURATION, DEFAULT_RUN_DURATION_MS);
    if (ctx.nowMs >= due) return { kind: 'finish', exitCode: exitCodeOf(pod) };
    if (runningStatusDiffers(pod, ctx)) return { kind: 'run' };
    return { kind: 'wait', ms: due - ctx.nowMs };
  }
  return runningStatusDiffers(pod, ctx) ? { kind: 'run' } : { kind: 'none' };
}

/** Whether the pod's reported state is not what a healthy run reports (e.g. marked not ready while its node was down). */
function runningStatusDiffers(pod: Pod, ctx: PodStepContext): boolean {
  const want = runningStatus(pod, { nowMs: ctx.nowMs, hostIP: ctx.hostIP, podIP: pod.status?.podIP ?? '' });
  const have = pod.status ?? {};
  const key = (cs: PodCondition[] | undefined) => (cs ?? []).map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`).sort().join(',');
  if (key(want.conditions) !== key(have.conditions)) return true;
  const ck = (s: ContainerStatus[] | undefined) => (s ?? []).map((c) => `${c.name}:${c.ready}:${c.image}:${Object.keys(c.state ?? {}).join('')}`).join(',');
  return ck(want.containerStatuses) !== ck(have.containerStatuses) || ck(want.initContainerStatuses) !== ck(have.initContainerStatuses);
}

// ---- statuses ----

export const containerID = (pod: Pod, name: string) => `sim://${pod.metadata.uid ?? pod.metadata.name}-${name}`;
const imageOf = (c: ContainerSpec) => c.image ?? '';
const isSidecar = (c: ContainerSpec) => c.restartPolicy === 'Always';

/** Sets condition `c` in `list`, keeping its lastTransitionTime when its status did not change. */
function setCondition(list: PodCondition[], c: PodCondition, nowIso: string): void {
  const i = list.findIndex((x) => x.type === c.type);
  const old = i >= 0 ? list[i] : undefined;
  const next: PodCondition = {
    type: c.type, status: c.status, lastProbeTime: null,
    lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : nowIso,
  };
  if (c.reason) next.reason = c.reason;
  if (c.message) next.message = c.message;
  if (i >= 0) list[i] = next;
  else list.push(next);
}

function readyCondition(pod: Pod, conditions: PodCondition[]): PodCondition {
  const unready: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) unready.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') unready.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (unready.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', ') };
  return { type: 'Ready', status: 'True' };
}

function baseStatus(pod: Pod): { status: PodStatus; conditions: PodCondition[] } {
  const status: PodStatus = { ...(pod.status ?? {}) };
  status.qosClass ??= podQOSClass(pod);
  return { status, conditions: (pod.status?.conditions ?? []).map((c) => ({ ...c })) };
}

function runningStartedAt(pod: Pod, name: string, init: boolean): string | undefined {
  const list = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  const old = list?.find((s) => s.name === name);
  return old?.state?.running?.startedAt ?? old?.state?.terminated?.startedAt;
}

/** Go's %s of a []string: `[a b]`. */
const goList = (names: string[]) => `[${names.join(' ')}]`;

/** The status of a pod the node accepted and whose containers are being created. */
export function pendingStatus(pod: Pod, at: { nowMs: number; hostIP: string }): PodStatus {
  const now = wireTime(at.nowMs);
  const { status, conditions } = baseStatus(pod);
  status.phase = 'Pending';
  status.hostIP = at.hostIP;
  status.hostIPs = [{ ip: at.hostIP }];
  status.startTime ??= now;
  const inits = pod.spec?.initContainers ?? [];
  const waiting = (c: ContainerSpec, reason: string): ContainerStatus => ({
    name: c.name, state: { waiting: { reason } }, lastState: {}, ready: false, restartCount: 0, image: imageOf(c), imageID: '', started: false,
  });
  status.initContainerStatuses = inits.map((c) => waiting(c, 'PodInitializing'));
  if (inits.length === 0) delete status.initContainerStatuses;
  const containers = pod.spec?.containers ?? [];
  status.containerStatuses = containers.map((c) => waiting(c, inits.length ? 'PodInitializing' : 'ContainerCreating'));
  const unready = `containers with unready status: ${goList([...inits.filter(isSidecar), ...containers].map((c) => c.name))}`;
  setCondition(conditions, { type: 'PodReadyToStartContainers', status: 'False' }, now);
  setCondition(conditions, inits.length
    ? { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${goList(inits.map((c) => c.name))}` }
    : { type: 'Initialized', status: 'True' }, now);
  setCondition(conditions, { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: unready }, now);
  setCondition(conditions, { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: unready }, now);
  setCondition(conditions, { type: 'PodScheduled', status: 'True' }, now);
  status.conditions = conditions;
  return status;
}

/** The status of a pod whose containers run and are ready, on `hostIP` with `podIP`. */
export function runningStatus(pod: Pod, at: { nowMs: number; hostIP: string; podIP: string }): PodStatus {
  const now = wireTime(at.nowMs);
  const { status, conditions } = baseStatus(pod);
  status.phase = 'Running';
  status.hostIP = at.hostIP;
  status.hostIPs = [{ ip: at.hostIP }];
  if (at.podIP) {
    status.podIP = at.podIP;
    status.podIPs = [{ ip: at.podIP }];
  }
  status.startTime ??= now;
  status.initContainerStatuses = (pod.spec?.initContainers ?? []).map((c): ContainerStatus => {
    const startedAt = runningStartedAt(pod, c.name, true) ?? status.startTime!;
    const base = { name: c.name, lastState: {}, restartCount: 0, image: imageOf(c), imageID: `sim://${imageOf(c)}`, containerID: containerID(pod, c.name) };
    return isSidecar(c)
      ? { ...base, state: { running: { startedAt } }, ready: true, started: true }
      : { ...base, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: startedAt, containerID: base.containerID } }, ready: true, started: false };
  });
  if (status.initContainerStatuses.length === 0) delete status.initContainerStatuses;
  status.containerStatuses = (pod.spec?.containers ?? []).map((c) => ({
    name: c.name,
    state: { running: { startedAt: runningStartedAt(pod, c.name, false) ?? now } },
    lastState: {}, ready: true, restartCount: 0, image: imageOf(c), imageID: `sim://${imageOf(c)}`,
    containerID: containerID(pod, c.name), started: true,
  }));
  setCondition(conditions, { type: 'PodReadyToStartContainers', status: 'True' }, now);
  setCondition(conditions, { type: 'Initialized', status: 'True' }, now);
  setCondition(conditions, readyCondition(pod, conditions), now);
  setCondition(conditions, { type: 'ContainersReady', status: 'True' }, now);
  setCondition(conditions, { type: 'PodScheduled', status: 'True' }, now);
  status.conditions = conditions;
  return status;
}

/** The status of a pod whose containers all exited with `exitCode`. */
export function finishedStatus(pod: Pod, at: { nowMs: number; exitCode: number }): PodStatus {
  const now = wireTime(at.nowMs);
  const { status, conditions } = baseStatus(pod);
  const ok = at.exitCode === 0;
  status.phase = ok ? 'Succeeded' : 'Failed';
  const reason = ok ? 'PodCompleted' : 'PodFailed';
  const terminated = (c: ContainerSpec, init: boolean, exitCode: number): ContainerStatus => {
    const startedAt = runningStartedAt(pod, c.name, init) ?? status.startTime ?? now;
    return {
      name: c.name,
      state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt: init && !isSidecar(c) ? startedAt : now, containerID: containerID(pod, c.name) } },
      lastState: {}, ready: init && !isSidecar(c), restartCount: 0, image: imageOf(c), imageID: `sim://${imageOf(c)}`,
      containerID: containerID(pod, c.name), started: false,
    };
  };
  status.initContainerStatuses = (pod.spec?.initContainers ?? []).map((c) => terminated(c, true, 0));
  if (status.initContainerStatuses.length === 0) delete status.initContainerStatuses;
  status.containerStatuses = (pod.spec?.containers ?? []).map((c) => terminated(c, false, at.exitCode));
  setCondition(conditions, { type: 'PodReadyToStartContainers', status: 'False' }, now);
  setCondition(conditions, { type: 'Initialized', status: 'True', reason: ok ? 'PodCompleted' : undefined }, now);
  setCondition(conditions, { type: 'Ready', status: 'False', reason }, now);
  setCondition(conditions, { type: 'ContainersReady', status: 'False', reason }, now);
  setCondition(conditions, { type: 'PodScheduled', status: 'True' }, now);
  status.conditions = conditions;
  return status;
}
