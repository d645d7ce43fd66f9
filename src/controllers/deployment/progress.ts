// The Progressing condition of a rollout (Kubernetes' progress.go): NewReplicaSetAvailable once
// complete, ReplicaSetUpdated while pods move, ProgressDeadlineExceeded when nothing has moved
// for progressDeadlineSeconds; ReplicaFailure copied up from the ReplicaSets.
import type { Deployment, DeploymentCondition, ReplicaSet } from '../util/types.js';
import type { DeploymentController } from './controller.js';
import { calculateStatus, sameStatus } from './sync.js';
import {
  deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, newCondition, PROGRESSING,
  Reason, removeCondition, REPLICA_FAILURE, setCondition,
} from './util.js';

export async function syncRolloutStatus(dc: DeploymentController, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const now = dc.now();
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);

  const current = getCondition(d.status, PROGRESSING);
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === Reason.NewRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    if (deploymentComplete(d, status)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(status, newCondition(PROGRESSING, 'True', Reason.NewRSAvailable, msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const cond = newCondition(PROGRESSING, 'True', Reason.ReplicaSetUpdated, msg, now);
      // Progress refreshes lastUpdateTime even when the reason stays the same.
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, PROGRESSING);
      }
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(status, newCondition(PROGRESSING, 'False', Reason.TimedOut, msg, now));
    }
  }

  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, REPLICA_FAILURE);

  if (sameStatus(d.status, status)) {
    requeueStuckDeployment(dc, d, status, now);
    return;
  }
  d.status = status;
  await dc.updateStatus(d);
}

/** The ReplicaFailure condition of the new ReplicaSet, else of any old one. */
function replicaFailure(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  const toDeployment = (c: { status: string; reason?: string; message?: string; lastTransitionTime?: string }): DeploymentCondition => ({
    type: REPLICA_FAILURE, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message,
  });
  const fromNew = newRS?.status?.conditions?.find((c) => c.type === REPLICA_FAILURE);
  if (fromNew) return toDeployment(fromNew);
  for (const rs of allRSs) {
    const c = rs?.status?.conditions?.find((x) => x.type === REPLICA_FAILURE);
    if (c) return toDeployment(c);
  }
  return undefined;
}

/**
 * A rollout without visible progress is looked at again when its deadline would pass, so
 * ProgressDeadlineExceeded is reported without waiting for an unrelated event.
 */
function requeueStuckDeployment(dc: DeploymentController, d: Deployment, status: Parameters<typeof deploymentComplete>[1], now: number): void {
  const current = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !current) return;
  if (deploymentComplete(d, status) || current.reason === Reason.TimedOut) return;
  const from = current.lastUpdateTime ? Date.parse(current.lastUpdateTime) : NaN;
  if (Number.isNaN(from)) return;
  const after = from + d.spec.progressDeadlineSeconds! * 1000 - now;
  if (after < 1000) {
    dc.enqueueRateLimited(d);
    return;
  }
  dc.enqueueAfter(d, after + 1000);
}
