// The pod status the kubelet reports, computed from what the runtime holds (generateAPIPodStatus):
// container statuses with their state, last state, restart count and readiness; the phase; and the
// conditions PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled.
import type { ContainerStatus as RuntimeContainer } from '../runtime.js';
import { latest, previous, type PodRuntimeState } from '../pod/runtime-state.js';
import {
  isSidecar, wireTime,
  type Container, type ContainerState, type ContainerStatus, type Pod, type PodCondition, type PodStatus,
} from '../types.js';

export interface WaitingReason {
  reason: string;
  message?: string;
}

export interface StatusInput {
  pod: Pod;
  state: PodRuntimeState;
  /** Why a container is waiting (image pull, config error, back-off), by container name. */
  reasons: Map<string, WaitingReason>;
  /** Readiness result (undefined: no readiness probe) and startup state of a running container. */
  ready(containerId: string): boolean | undefined;
  started(containerId: string): boolean;
  /** Termination messages read from the containers' files or logs, by container id. */
  messages?: Map<string, string>;
  runtimeName: string;
  hostIP: string;
  podIP?: string;
  startTime: string;
  /** The pod is being stopped for good (deleted, evicted, past its deadline): Always pods end too. */
  podIsTerminal?: boolean;
  /** Phase Failed with this reason and message (Evicted, DeadlineExceeded). */
  failure?: { reason: string; message: string };
}

/** Kubelet-owned condition types, in the order Kubernetes lists them. */
export const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

function terminatedState(c: RuntimeContainer, runtimeName: string, message?: string): ContainerState {
  const exitCode = c.exitCode ?? 0;
  const t: NonNullable<ContainerState['terminated']> = {
    exitCode,
    reason: c.reason || (exitCode === 0 ? 'Completed' : 'Error'),
    startedAt: c.startedAt ? wireTime(c.startedAt) : undefined,
    finishedAt: c.finishedAt ? wireTime(c.finishedAt) : undefined,
    containerID: `${runtimeName}://${c.id}`,
  };
  const msg = message ?? c.message;
  if (msg) t.message = msg;
  if (t.startedAt === undefined) delete t.startedAt;
  if (t.finishedAt === undefined) delete t.finishedAt;
  return { terminated: t };
}

function statusImage(spec: Container, c: RuntimeContainer | undefined): string {
  const img = c?.image;
  return img && !img.startsWith('sha256:') ? img : spec.image ?? '';
}

function containerStatus(input: StatusInput, spec: Container, isInit: boolean, defaultWaiting: string): ContainerStatus {
  const { state, reasons, runtimeName } = input;
  const cur = latest(state, spec.name);
  const prev = previous(state, spec.name);
  const msgOf = (c: RuntimeContainer) => input.messages?.get(c.id);
  const status: ContainerStatus = {
    name: spec.name,
    state: {},
    lastState: {},
    ready: false,
    restartCount: cur?.attempt ?? 0,
    image: statusImage(spec, cur),
    imageID: cur?.imageRef ?? '',
    started: false,
  };
  const waiting = reasons.get(spec.name);
  if (!cur) {
    status.state = { waiting: waiting ?? { reason: defaultWaiting } };
    return status;
  }
  status.containerID = `${runtimeName}://${cur.id}`;
  if (cur.state === 'running') {
    status.state = { running: { startedAt: wireTime(cur.startedAt ?? cur.createdAt) } };
    status.started = input.started(cur.id);
    const r = input.ready(cur.id);
    status.ready = status.started && (r ?? true);
    if (isInit && !isSidecar(spec)) status.ready = false;
    if (prev && prev.state === 'exited') status.lastState = terminatedState(prev, runtimeName, msgOf(prev));
  } else if (cur.state === 'exited') {
    if (waiting) {
      // Waiting to start again (back-off, a failing pull): the exit is the last state.
      status.state = { waiting };
      status.lastState = terminatedState(cur, runtimeName, msgOf(cur));
    } else {
      status.state = terminatedState(cur, runtimeName, msgOf(cur));
      if (prev && prev.state === 'exited') status.lastState = terminatedState(prev, runtimeName, msgOf(prev));
      if (isInit && !isSidecar(spec) && (cur.exitCode ?? 0) === 0) status.ready = true;
    }
  } else {
    status.state = { waiting: waiting ?? { reason: 'ContainerCreating' } };
    if (prev && prev.state === 'exited') status.lastState = terminatedState(prev, runtimeName, msgOf(prev));
  }
  return status;
}

const setTime = (c: Omit<PodCondition, 'lastProbeTime' | 'lastTransitionTime'>): PodCondition => ({ ...c, lastProbeTime: null, lastTransitionTime: null });

export function generatePodStatus(input: StatusInput): PodStatus {
  const { pod, state } = input;
  const spec = pod.spec ?? {};
  const inits = spec.initContainers ?? [];
  const regular = spec.containers ?? [];
  const defaultWaiting = inits.length ? 'PodInitializing' : 'ContainerCreating';
  const initStatuses = inits.map((c) => containerStatus(input, c, true, defaultWaiting));
  const statuses = regular.map((c) => containerStatus(input, c, false, defaultWaiting)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // Initialization: regular init containers completed, sidecars started.
  const incomplete: string[] = [];
  let initFailed = false;
  inits.forEach((c, i) => {
    const st = initStatuses[i];
    if (isSidecar(c)) {
      if (!(st.state.running && st.started)) incomplete.push(c.name);
      return;
    }
    const t = st.state.terminated;
    if (t && t.exitCode === 0) return;
    incomplete.push(c.name);
    if ((t && t.exitCode !== 0) || st.lastState.terminated) initFailed = true;
  });
  const everStarted = regular.some((c) => latest(state, c.name));
  const initialized = incomplete.length === 0 || (everStarted && inits.every((c, i) => isSidecar(c) || initStatuses[i].state.terminated?.exitCode === 0));

  const phase = input.failure ? 'Failed' : podPhase(pod, statuses, initialized, initFailed, !!input.podIsTerminal);

  const sandboxReady = state.sandbox?.state === 'ready';
  const conditions: PodCondition[] = [];
  conditions.push(setTime({ type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' }));
  conditions.push(setTime(initialized
    ? { type: 'Initialized', status: 'True' }
    : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` }));

  const unready: string[] = [];
  inits.forEach((c, i) => { if (isSidecar(c) && !initStatuses[i].ready) unready.push(c.name); });
  for (const c of regular) if (!statuses.find((s) => s.name === c.name)?.ready) unready.push(c.name);
  let containersReady: PodCondition;
  if (phase === 'Succeeded') containersReady = setTime({ type: 'ContainersReady', status: 'False', reason: 'PodCompleted' });
  else if (unready.length) containersReady = setTime({ type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` });
  else containersReady = setTime({ type: 'ContainersReady', status: 'True' });

  let ready: PodCondition = { ...containersReady, type: 'Ready' };
  if (containersReady.status === 'True') {
    const gateMessages: string[] = [];
    for (const g of spec.readinessGates ?? []) {
      const c = pod.status?.conditions?.find((x) => x.type === g.conditionType);
      if (!c) gateMessages.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
      else if (c.status !== 'True') gateMessages.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
    }
    if (gateMessages.length) ready = setTime({ type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: gateMessages.join(', ') });
  }
  conditions.push(ready, containersReady, setTime({ type: 'PodScheduled', status: 'True' }));
  if (input.failure?.reason === 'Evicted') {
    conditions.unshift(setTime({ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: input.failure.message }));
  }

  const status: PodStatus = {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: input.startTime,
    containerStatuses: statuses,
  };
  if (input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  if (inits.length) status.initContainerStatuses = initStatuses;
  if (input.failure) {
    status.reason = input.failure.reason;
    status.message = input.failure.message;
  }
  return status;
}

/** Kubernetes' getPhase, from the container statuses just computed. */
function podPhase(pod: Pod, statuses: ContainerStatus[], initialized: boolean, initFailed: boolean, podIsTerminal: boolean): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (initFailed && policy === 'Never') return 'Failed';
  if (!initialized) return podIsTerminal ? 'Failed' : 'Pending';
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const s of statuses) {
    if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    }
  }
  if (waiting > 0) return podIsTerminal ? 'Failed' : 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always' && !podIsTerminal) return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never' || podIsTerminal) return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
