// The kubelet's events, with Kubernetes' reasons, and references to the container an event is
// about (`spec.containers{name}`), so `kubectl describe pod` reads as it does on a real node.
import type { EventRecorder, ObjectReference } from '../client/index.js';
import type { Container, Pod } from './types.js';

export const Reasons = {
  Pulling: 'Pulling',
  Pulled: 'Pulled',
  Failed: 'Failed',
  BackOff: 'BackOff',
  ErrImageNeverPull: 'ErrImageNeverPull',
  InspectFailed: 'InspectFailed',
  Created: 'Created',
  Started: 'Started',
  Killing: 'Killing',
  Unhealthy: 'Unhealthy',
  ProbeWarning: 'ProbeWarning',
  FailedMount: 'FailedMount',
  FailedPostStartHook: 'FailedPostStartHook',
  FailedPreStopHook: 'FailedPreStopHook',
  SandboxChanged: 'SandboxChanged',
  FailedCreatePodSandBox: 'FailedCreatePodSandBox',
  FailedKillPod: 'FailedKillPod',
  InvalidEnvironmentVariableNames: 'InvalidEnvironmentVariableNames',
  Evicted: 'Evicted',
  DeadlineExceeded: 'DeadlineExceeded',
  Starting: 'Starting',
  NodeReady: 'NodeReady',
  RegisteredNode: 'RegisteredNode',
  NodeHasSufficientMemory: 'NodeHasSufficientMemory',
  NodeHasInsufficientMemory: 'NodeHasInsufficientMemory',
  NodeUnisolated: 'NodeUnisolated',
} as const;

export function podRef(pod: Pod): ObjectReference {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1' };
}

/** `spec.containers{name}`, `spec.initContainers{name}`: where in the pod a container is. */
export function containerFieldPath(pod: Pod, name: string): string {
  if ((pod.spec?.initContainers ?? []).some((c) => c.name === name)) return `spec.initContainers{${name}}`;
  return `spec.containers{${name}}`;
}

export function containerRef(pod: Pod, c: Container | string): ObjectReference {
  const name = typeof c === 'string' ? c : c.name;
  return { ...podRef(pod), fieldPath: containerFieldPath(pod, name) };
}

/** The recorder, tolerant of a missing one (unit tests). */
export type Recorder = Pick<EventRecorder, 'event'>;
