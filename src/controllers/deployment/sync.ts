// What every deployment sync may do besides rolling out: scale the ReplicaSets when only the
// replica count changed (proportionally across old and new during a rollout), delete ReplicaSets
// beyond revisionHistoryLimit, and compute the status from the ReplicaSets.
import { isNotFound } from '../../client/index.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../util/types.js';
import type { DeploymentController } from './controller.js';
import {
  actualReplicaCount, AVAILABLE, availableReplicaCount, bySizeNewer, bySizeOlder, byRevision, filterActiveReplicaSets,
  findActiveOrLatest, hasRevisionHistoryLimit, isRollingUpdate, isSaturated, maxSurge, maxUnavailable, newCondition,
  readyReplicaCount, Reason, replicaCount, replicaSetProportion, replicasOf, rsReplicas, setCondition,
} from './util.js';

/** DeploymentController.sync: scale only (paused deployments, replica-count changes). */
export async function syncScale(dc: DeploymentController, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await dc.getAllReplicaSetsAndSyncRevision(d, rsList, false);
  await scale(dc, d, newRS, oldRSs);
  if (d.spec.paused) await cleanupDeployment(dc, oldRSs, d);
  await syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

export async function scale(dc: DeploymentController, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const desired = replicasOf(d);
  // One active ReplicaSet (or none: the newest) takes the whole count.
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (rsReplicas(activeOrLatest) === desired) return;
    await dc.scaleReplicaSetAndRecordEvent(activeOrLatest, desired, d);
    return;
  }
  // A saturated new ReplicaSet: the old ones go to zero.
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) await dc.scaleReplicaSetAndRecordEvent(old, 0, d);
    return;
  }
  // Mid-rollout: share the change among all active ReplicaSets in proportion to their size.
  if (!isRollingUpdate(d)) return;
  const allRSs = filterActiveReplicaSets([...oldRSs, newRS]);
  const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowedSize - replicaCount(allRSs);
  let operation = '';
  if (toAdd > 0) {
    allRSs.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    allRSs.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<ReplicaSet, number>();
  for (const rs of allRSs) {
    if (toAdd !== 0) {
      const proportion = replicaSetProportion(rs, d, toAdd, added);
      sizes.set(rs, rsReplicas(rs) + proportion);
      added += proportion;
    } else {
      sizes.set(rs, rsReplicas(rs));
    }
  }
  for (let i = 0; i < allRSs.length; i++) {
    const rs = allRSs[i];
    // Leftovers go to the biggest ReplicaSet.
    if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added));
    await dc.scaleReplicaSet(rs, sizes.get(rs)!, d, operation);
  }
}

/** Deletes the oldest idle ReplicaSets beyond spec.revisionHistoryLimit. */
export async function cleanupDeployment(dc: DeploymentController, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - d.spec.revisionHistoryLimit!;
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    try {
      await dc.deleteReplicaSet(rs);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** calculateStatus: counts from the ReplicaSets, and the Available condition. */
export function calculateStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = replicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Writes the status when it differs from what is stored. */
export async function syncDeploymentStatus(dc: DeploymentController, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d, dc.now());
  if (sameStatus(d.status, status)) return;
  d.status = status;
  await dc.updateStatus(d);
}

/** Status equality as Go's DeepEqual sees it: zero counts equal absent ones. */
export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  const norm = (s: DeploymentStatus | undefined) => JSON.stringify({
    observedGeneration: s?.observedGeneration ?? 0,
    replicas: s?.replicas ?? 0,
    updatedReplicas: s?.updatedReplicas ?? 0,
    readyReplicas: s?.readyReplicas ?? 0,
    availableReplicas: s?.availableReplicas ?? 0,
    unavailableReplicas: s?.unavailableReplicas ?? 0,
    collisionCount: s?.collisionCount ?? null,
    conditions: (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '', c.lastUpdateTime ?? '', c.lastTransitionTime ?? '']),
  });
  return norm(a) === norm(b);
}
