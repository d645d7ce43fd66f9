// DaemonSet status (updateDaemonSetStatus): per node that should run the pod, whether one is
// there, ready, available and made from the current template; pods on other nodes are
// misscheduled. Written only when something changed, with Go's omitempty leaving zeros out.
import { isPodAvailable, isPodReady } from '../util/pod.js';
import { nodeShouldRunDaemonPod } from './placement.js';
import { byCreation, isPodUpdated, templateGeneration } from './pods.js';
import type { DaemonSet, DaemonSetStatus, Node, Pod } from './types.js';

export function computeStatus(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>, hash: string, now: number): DaemonSetStatus {
  let desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
  const generation = templateGeneration(ds);
  const minReady = ds.spec.minReadySeconds ?? 0;
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const pods = nodeToPods.get(node.metadata.name!) ?? [];
    if (!shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    if (pods.length === 0) continue;
    current++;
    const pod = [...pods].sort(byCreation)[0];
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
    if (isPodUpdated(pod, hash, generation)) updated++;
  }
  return {
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
}

/** Whether writing `next` (observed at `generation`, when given) would change the status. */
export function statusChanged(ds: DaemonSet, next: DaemonSetStatus, generation: number | undefined): boolean {
  const cur: Partial<DaemonSetStatus> = ds.status ?? {};
  const keys = ['desiredNumberScheduled', 'currentNumberScheduled', 'numberMisscheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;
  if (keys.some((k) => (cur[k] ?? 0) !== (next[k] ?? 0))) return true;
  return generation !== undefined && (cur.observedGeneration ?? 0) < generation;
}

export function statusPatch(next: DaemonSetStatus, generation: number | undefined): Record<string, unknown> {
  const orNull = (n: number | undefined) => (n ? n : null);
  const status: Record<string, unknown> = {
    desiredNumberScheduled: next.desiredNumberScheduled,
    currentNumberScheduled: next.currentNumberScheduled,
    numberMisscheduled: next.numberMisscheduled,
    numberReady: next.numberReady,
    updatedNumberScheduled: orNull(next.updatedNumberScheduled),
    numberAvailable: orNull(next.numberAvailable),
    numberUnavailable: orNull(next.numberUnavailable),
  };
  if (generation !== undefined) status.observedGeneration = orNull(generation);
  return { status };
}
