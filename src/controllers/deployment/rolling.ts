// The RollingUpdate strategy (Kubernetes' rolling.go): grow the new ReplicaSet while the total
// stays within replicas + maxSurge, shrink the old ones while availability stays at least
// replicas - maxUnavailable; unhealthy old replicas go first, as they cost no availability.
import type { Deployment, ReplicaSet } from '../util/types.js';
import { newRSNewReplicas, type DeploymentController } from './controller.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment } from './sync.js';
import {
  availableReplicaCount, byCreationTimestamp, deploymentComplete, filterActiveReplicaSets, maxUnavailable, replicaCount, replicasOf,
  rsReplicas,
} from './util.js';

export async function rolloutRolling(dc: DeploymentController, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await dc.getAllReplicaSetsAndSyncRevision(d, rsList, true);
  const allRSs = [...oldRSs, newRS!];

  if (await reconcileNewReplicaSet(dc, allRSs, newRS!, d)) {
    await syncRolloutStatus(dc, allRSs, newRS, d);
    return;
  }
  if (await reconcileOldReplicaSets(dc, allRSs, filterActiveReplicaSets(oldRSs), newRS!, d)) {
    await syncRolloutStatus(dc, allRSs, newRS, d);
    return;
  }
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(dc, oldRSs, d);
  await syncRolloutStatus(dc, allRSs, newRS, d);
}

async function reconcileNewReplicaSet(dc: DeploymentController, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const desired = replicasOf(d);
  if (rsReplicas(newRS) === desired) return false;
  if (rsReplicas(newRS) > desired) return (await dc.scaleReplicaSetAndRecordEvent(newRS, desired, d)).scaled;
  const count = newRSNewReplicas(d, allRSs, newRS);
  return (await dc.scaleReplicaSetAndRecordEvent(newRS, count, d)).scaled;
}

async function reconcileOldReplicaSets(dc: DeploymentController, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const allPods = replicaCount(allRSs);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newRSUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  // Unavailable new pods count against the budget too, so scaling down never makes things worse.
  const maxScaledDown = allPods - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;

  let cleanup: { oldRSs: ReplicaSet[]; scaledDown: number };
  try {
    cleanup = await cleanupUnhealthyReplicas(dc, oldRSs, d, maxScaledDown);
  } catch {
    return false;
  }
  let scaledDown = 0;
  try {
    scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(dc, [...cleanup.oldRSs, newRS], cleanup.oldRSs, d);
  } catch {
    return false;
  }
  return cleanup.scaledDown + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable replicas, oldest first, up to `maxCleanup`. */
async function cleanupUnhealthyReplicas(dc: DeploymentController, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; scaledDown: number }> {
  const rss = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break;
    const rs = rss[i];
    if (rsReplicas(rs) === 0) continue;
    const available = rs.status?.availableReplicas ?? 0;
    if (rsReplicas(rs) === available) continue;
    const count = Math.min(maxCleanup - total, rsReplicas(rs) - available);
    const target = rsReplicas(rs) - count;
    if (target > rsReplicas(rs)) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${rsReplicas(rs)} -> ${target}`);
    const { rs: updated } = await dc.scaleReplicaSetAndRecordEvent(rs, target, d);
    total += count;
    rss[i] = updated;
  }
  return { oldRSs: rss, scaledDown: total };
}

/** Scales old ReplicaSets down, oldest first, as far as availability above minAvailable allows. */
async function scaleDownOldReplicaSetsForRollingUpdate(dc: DeploymentController, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const rss = [...oldRSs].sort(byCreationTimestamp);
  const toScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of rss) {
    if (total >= toScaleDown) break;
    if (rsReplicas(rs) === 0) continue;
    const count = Math.min(rsReplicas(rs), toScaleDown - total);
    const target = rsReplicas(rs) - count;
    if (target > rsReplicas(rs)) throw new Error(`when scaling down old RS, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${rsReplicas(rs)} -> ${target}`);
    await dc.scaleReplicaSetAndRecordEvent(rs, target, d);
    total += count;
  }
  return total;
}
