// What the job controller needs to know about one of its pods: its completion index, whether it
// failed or succeeded, when it finished, whether it still holds the tracking finalizer.
import { isPodReady } from '../util/pod.js';
import {
  JOB_COMPLETION_INDEX, JOB_INDEX_FAILURE_COUNT, JOB_INDEX_IGNORED_FAILURE_COUNT, JOB_TRACKING_FINALIZER, type Job, type Pod,
} from './types.js';

export const UNKNOWN_INDEX = -1;
const INT32_MAX = 2147483647;

export function isIndexedJob(job: Job): boolean {
  return job.spec.completionMode === 'Indexed';
}

export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec.backoffLimitPerIndex != null;
}

/** The pod's completion index from its annotation, or UNKNOWN_INDEX. */
export function completionIndex(pod: Pod): number {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !/^\+?\d+$/.test(v)) return UNKNOWN_INDEX;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : UNKNOWN_INDEX;
}

/** A valid completion index of an Indexed job: known and below completions. */
export function validIndex(job: Job, pod: Pod): number {
  const ix = completionIndex(pod);
  return ix !== UNKNOWN_INDEX && ix < (job.spec.completions ?? 0) ? ix : UNKNOWN_INDEX;
}

export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

export function isSucceeded(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded';
}

/** Not finished and not being deleted: counts towards status.active. */
export function isActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Being deleted but not yet finished: counts towards status.terminating. */
export function isTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Replacement pods wait for the old one to fail, not merely to be terminating. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy != null;
}

/**
 * A failed pod: phase Failed or, unless replacements wait for failure, deleted before it
 * succeeded (an orphan the pod GC removed never reaches Failed).
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

export { isPodReady };

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * When the pod finished, ms: the last container exit, else when it stopped being ready, else
 * when it was deleted (less its grace period), else its creation.
 */
export function finishedTime(pod: Pod): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let allTerminated = statuses.length > 0;
  for (const cs of statuses) {
    const t = parseTime(cs.state?.terminated?.finishedAt);
    if (t === undefined) {
      allTerminated = false;
      break;
    }
    if (latest === undefined || t > latest) latest = t;
  }
  if (allTerminated && latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? parseTime(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = parseTime(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return parseTime(pod.metadata.creationTimestamp) ?? 0;
}

function annotationInt(pod: Pod | undefined, key: string): number {
  const v = pod?.metadata.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n <= INT32_MAX ? n : 0;
}

/** Counted failures of the pod's index before this pod (backoffLimitPerIndex). */
export function indexFailureCount(pod: Pod | undefined): number {
  return annotationInt(pod, JOB_INDEX_FAILURE_COUNT);
}

/** Counted plus ignored failures of the pod's index before this pod. */
export function indexAbsoluteFailureCount(pod: Pod | undefined): number {
  return annotationInt(pod, JOB_INDEX_FAILURE_COUNT) + annotationInt(pod, JOB_INDEX_IGNORED_FAILURE_COUNT);
}

export function ignoredIndexFailureCount(pod: Pod | undefined): number {
  return annotationInt(pod, JOB_INDEX_IGNORED_FAILURE_COUNT);
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  let max = 0;
  for (const cs of pod.status?.containerStatuses ?? []) max = Math.max(max, cs.restartCount ?? 0);
  return max;
}

/**
 * controller.ActivePods ordering: the pods to delete first come first — unscheduled before
 * scheduled, pending before running, not ready before ready, more restarts first, newer first.
 */
export function compareForRemoval(a: Pod, b: Pod): number {
  const an = a.spec?.nodeName ? 1 : 0;
  const bn = b.spec?.nodeName ? 1 : 0;
  if (an !== bn) return an - bn;
  const ap = phaseRank[a.status?.phase ?? 'Pending'] ?? 0;
  const bp = phaseRank[b.status?.phase ?? 'Pending'] ?? 0;
  if (ap !== bp) return ap - bp;
  const ar = isPodReady(a) ? 1 : 0;
  const br = isPodReady(b) ? 1 : 0;
  if (ar !== br) return ar - br;
  const rr = restarts(b) - restarts(a);
  if (rr !== 0) return rr;
  const ac = parseTime(a.metadata.creationTimestamp) ?? 0;
  const bc = parseTime(b.metadata.creationTimestamp) ?? 0;
  return bc - ac;
}
