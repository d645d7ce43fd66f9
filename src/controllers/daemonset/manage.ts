// What the DaemonSet wants on one node (podsShouldBeOnNode): a pod where it should run and has
// none; failed and finished pods replaced; duplicates removed (keeping the oldest, or with surge
// the oldest old and oldest new, dropping the old one once the new is available); every pod
// gone from a node where it may no longer run.
import { isPodAvailable, isPodReady } from '../util/pod.js';
import type { Placement } from './placement.js';
import { byCreation } from './pods.js';
import { HASH_LABEL, type Pod } from './types.js';

export interface NodePlanOptions {
  hash: string;
  surge: boolean;
  minReadySeconds: number;
  now: number;
  /**
   * A failed pod was found; true when it should be deleted now, false while the node is in
   * failure backoff (the caller records the event and schedules the retry).
   */
  onFailedPod(pod: Pod): boolean;
}

export interface NodePlan {
  needsPod: boolean;
  toDelete: Pod[];
}

export function planNode(placement: Placement, daemonPods: Pod[] | undefined, o: NodePlanOptions): NodePlan {
  const plan: NodePlan = { needsPod: false, toDelete: [] };
  const exists = !!daemonPods && daemonPods.length > 0;
  if (placement.shouldRun && !exists) {
    plan.needsPod = true;
    return plan;
  }
  if (placement.shouldContinueRunning) {
    const running: Pod[] = [];
    for (const pod of daemonPods ?? []) {
      if (pod.metadata.deletionTimestamp) continue;
      const phase = pod.status?.phase;
      if (phase === 'Failed') {
        if (o.onFailedPod(pod)) plan.toDelete.push(pod);
      } else if (phase === 'Succeeded') {
        plan.toDelete.push(pod);
      } else {
        running.push(pod);
      }
    }
    if (running.length <= 1) return plan;
    running.sort(byCreation);
    if (!o.surge) {
      plan.toDelete.push(...running.slice(1));
      return plan;
    }
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const pod of running) {
      if (pod.metadata.labels?.[HASH_LABEL] === o.hash) {
        if (!oldestNew) {
          oldestNew = pod;
          continue;
        }
      } else if (!oldestOld) {
        oldestOld = pod;
        continue;
      }
      plan.toDelete.push(pod);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, o.minReadySeconds, o.now))) plan.toDelete.push(oldestOld);
    return plan;
  }
  if (exists) for (const pod of daemonPods!) if (!pod.metadata.deletionTimestamp) plan.toDelete.push(pod);
  return plan;
}
