// Taints and tolerations as the node lifecycle and taint eviction controllers use them: which
// taints a node's conditions call for, whether a pod tolerates a taint, and for how long.
import { tolerates } from '../../api/core/v1/node-selector.js';
import type { Node, Taint, Toleration } from './types.js';
import {
  TAINT_DISK_PRESSURE, TAINT_MEMORY_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_NOT_READY, TAINT_PID_PRESSURE,
  TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE,
} from './types.js';

/** Condition type → condition status → the NoSchedule taint that condition calls for. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
};

/** Taint keys this controller owns (with NoSchedule, and not-ready/unreachable with NoExecute). */
const CONTROLLED_NO_SCHEDULE = new Set([TAINT_UNSCHEDULABLE, ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m))]);

/** The NoSchedule taints a node's conditions and spec.unschedulable call for (TaintNodesByCondition). */
export function conditionTaints(node: Node): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

/** The NoExecute taint a Ready status calls for: not-ready when False, unreachable when Unknown. */
export function readinessNoExecuteTaint(readyStatus: string | undefined): Taint | undefined {
  if (readyStatus === 'False') return { key: TAINT_NOT_READY, effect: 'NoExecute' };
  if (readyStatus === 'True') return undefined;
  return { key: TAINT_UNREACHABLE, effect: 'NoExecute' };
}

const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/**
 * The node's taints with the controller-owned ones replaced by `wantNoSchedule` and
 * `wantNoExecute`; other taints (users', other controllers') stay. Taints the node keeps keep their
 * timeAdded; new ones get `nowIso`. Returns undefined when nothing changes.
 */
export function reconcileTaints(current: Taint[] | undefined, wantNoSchedule: Taint[], wantNoExecute: Taint[], nowIso: string): Taint[] | undefined {
  const have = current ?? [];
  const owned = (t: Taint) =>
    (t.effect === 'NoSchedule' && CONTROLLED_NO_SCHEDULE.has(t.key)) ||
    (t.effect === 'NoExecute' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE));
  const want = [...wantNoSchedule, ...wantNoExecute];
  const next: Taint[] = have.filter((t) => !owned(t) || want.some((w) => same(w, t)));
  for (const w of want) {
    if (!next.some((t) => same(t, w))) next.push({ key: w.key, ...(w.value ? { value: w.value } : {}), effect: w.effect, timeAdded: nowIso });
  }
  const changed = next.length !== have.length || next.some((t) => !have.some((h) => same(h, t)));
  return changed ? next : undefined;
}

export function noExecuteTaints(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** v1 Toleration.ToleratesTaint, shared with the scheduler and the kubelet. */
export { tolerates as toleratesTaint };

/** Whether every taint is tolerated, and the tolerations that do it (GetMatchingTolerations). */
export function matchingTolerations(taints: Taint[], tolerations: Toleration[] | undefined): { all: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((tol) => tolerates(tol, taint));
    if (!t) return { all: false, used: [] };
    used.push(t);
  }
  return { all: true, used };
}

/** The shortest tolerationSeconds in ms: 0 for none or a non-positive one, Infinity when all are unbounded. */
export function minTolerationMs(used: Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds * 1000);
  }
  return min;
}
