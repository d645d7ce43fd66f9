// The arithmetic of a PodDisruptionBudget's status (Kubernetes' disruption controller): how many
// pods are expected, how many must stay healthy, how many are, and so how many may be disrupted;
// plus the DisruptionAllowed condition.
import { isPodReady, type Pod } from '../endpoints/service-pods.js';

export type IntOrString = number | string;

export interface PDBCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface PDBStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: PDBCondition[];
}

/** A pod is treated as disrupted (evicted) this long before it is expected to be deleted. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** intstr.GetScaledValueFromIntOrPercent with rounding up. */
export function scaledValue(v: IntOrString, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  if (/^\d+$/.test(v)) return Number(v);
  throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or percentage (e.g '5%')`);
}

export const isPercent = (v: IntOrString | undefined): boolean => typeof v === 'string' && v.endsWith('%');

/**
 * The pods recently evicted that are still waiting to be deleted (status.disruptedPods), dropping
 * entries for pods now deleting, gone or overdue; `recheckAt` is when the next entry expires.
 */
export function buildDisruptedPodMap(pods: Pod[], disrupted: Record<string, string> | undefined, nowMs: number, onOverdue?: (pod: Pod, expectedAt: string) => void): { disrupted: Record<string, string>; recheckAt?: number } {
  const out: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const t = disrupted?.[pod.metadata.name!];
    if (!t) continue;
    const at = Date.parse(t);
    if (!Number.isFinite(at)) continue;
    const expected = at + DELETION_TIMEOUT_MS;
    if (expected < nowMs) {
      onOverdue?.(pod, new Date(expected).toISOString());
      continue;
    }
    out[pod.metadata.name!] = t;
    recheckAt = recheckAt === undefined ? expected : Math.min(recheckAt, expected);
  }
  return { disrupted: out, recheckAt };
}

export function countHealthyPods(pods: Pod[], disrupted: Record<string, string>): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (disrupted[pod.metadata.name!]) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

export function disruptionAllowedCondition(allowed: number, generation: number | undefined): PDBCondition {
  return allowed > 0
    ? { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: generation }
    : { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: generation };
}

export function syncFailedCondition(message: string, generation: number | undefined): PDBCondition {
  return { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message, observedGeneration: generation };
}

/** Sets `cond` among `conditions`, keeping lastTransitionTime unless the status changes. */
export function setCondition(conditions: PDBCondition[] | undefined, cond: PDBCondition, now: string): PDBCondition[] {
  const out = (conditions ?? []).filter((c) => c.type !== cond.type);
  const prev = (conditions ?? []).find((c) => c.type === cond.type);
  out.push({ ...cond, lastTransitionTime: prev && prev.status === cond.status && prev.lastTransitionTime ? prev.lastTransitionTime : now });
  return out;
}
