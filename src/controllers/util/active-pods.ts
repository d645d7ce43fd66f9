// Which pods a ReplicaSet deletes first when it scales down (Kubernetes' ActivePodsWithRanks with
// the PodDeletionCost and LogarithmicScaleDown features on, as in 1.32):
//   1. unscheduled before scheduled        2. Pending before Unknown before Running
//   3. not ready before ready              4. lower controller.kubernetes.io/pod-deletion-cost first
//   5. more related pods on the same node first
//   6. ready more recently first (compared on a log2 scale of how long, ties broken by UID)
//   7. more container restarts first       8. created more recently first (log2 scale, then UID)
import type { Pod } from './types.js';
import { isPodActive, isPodReady, maxContainerRestarts, podReadyTime } from './pod.js';

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** The pod-deletion-cost annotation as an int32; absent or malformed counts as 0. */
export function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST];
  if (v === undefined || !/^[+-]?\d+$/.test(v.trim())) return 0;
  const n = Number(v.trim());
  return n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? n : 0;
}

/** floor(log2(age in ns)) of t1 minus that of t2; -1 for a time not in the past. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** Negative when pod a should be deleted before pod b. */
export function compareForDeletion(a: Pod, b: Pod, rankA: number, rankB: number, now: number): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra && rb) {
    const c = compareTimes(podReadyTime(a), podReadyTime(b), a, b, now);
    if (c !== 0) return c;
  }
  const restarts = maxContainerRestarts(b) - maxContainerRestarts(a);
  if (restarts !== 0) return restarts;
  return compareTimes(parseTime(a.metadata.creationTimestamp), parseTime(b.metadata.creationTimestamp), a, b, now);
}

/** Newer (or unknown) times first, on a logarithmic scale of age; equal times compare equal. */
function compareTimes(t1: number | undefined, t2: number | undefined, a: Pod, b: Pod, now: number): number {
  if (t1 === t2) return 0;
  if (t1 === undefined || t2 === undefined) return t1 === undefined ? -1 : 1;
  const diff = logarithmicRankDiff(t1, t2, now);
  if (diff !== 0) return diff;
  const ua = a.metadata.uid ?? '';
  const ub = b.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function parseTime(ts: string | undefined): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The `diff` pods of `pods` to delete first. `related` are the pods of the controller and of its
 * siblings (ReplicaSets of the same Deployment); pods doubled up with them on a node go first.
 */
export function podsToDelete(pods: Pod[], related: Pod[], diff: number, now = Date.now()): Pod[] {
  if (diff >= pods.length) return pods.slice();
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => compareForDeletion(x.pod, y.pod, x.rank, y.rank, now));
  return ranked.slice(0, diff).map((r) => r.pod);
}
