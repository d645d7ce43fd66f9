// Pod facts the workload controllers share (Kubernetes' podutil and controller_utils): readiness,
// availability after minReadySeconds, and which pods still count as replicas.
import type { Pod, PodCondition } from './types.js';

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c?.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod last became ready, ms since the epoch; undefined when not ready or unknown. */
export function podReadyTime(pod: Pod): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Ready for at least minReadySeconds (podutil.IsPodAvailable). A pod ready with no known
 * transition time is not available yet when minReadySeconds asks for a wait.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/** Not finished and not being deleted: the pods that count towards a controller's replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function filterActivePods(pods: Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

/** The highest restart count of the pod's containers (restartable init containers included). */
export function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c?.restartCount ?? 0);
  const spec = pod.spec as { initContainers?: Array<{ name?: string; restartPolicy?: string }> } | undefined;
  const sidecars = new Set((spec?.initContainers ?? []).filter((c) => c?.restartPolicy === 'Always').map((c) => c.name));
  for (const c of pod.status?.initContainerStatuses ?? []) if (sidecars.has(c?.name)) max = Math.max(max, c?.restartCount ?? 0);
  return max;
}

/** `namespace/name`, the key expectations track deletions by (controller.PodKey). */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
