// The Recreate strategy (Kubernetes' recreate.go): scale every old ReplicaSet to zero, wait until
// none of their pods is left running, then create or scale up the new ReplicaSet.
import type { Deployment, Pod, ReplicaSet } from '../util/types.js';
import type { DeploymentController } from './controller.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment } from './sync.js';
import { actualReplicaCount, deploymentComplete, filterActiveReplicaSets, replicasOf, rsReplicas } from './util.js';

export async function rolloutRecreate(dc: DeploymentController, d: Deployment, rsList: ReplicaSet[], podMap: Map<string, Pod[]>): Promise<void> {
  // Not creating the new ReplicaSet yet: nothing may scale up before the old pods are gone.
  let { newRS, oldRSs } = await dc.getAllReplicaSetsAndSyncRevision(d, rsList, false);
  let allRSs: Array<ReplicaSet | undefined> = [...oldRSs, newRS];

  if (await scaleDownOldReplicaSetsForRecreate(dc, filterActiveReplicaSets(oldRSs), d)) {
    await syncRolloutStatus(dc, allRSs, newRS, d);
    return;
  }
  if (oldPodsRunning(newRS, oldRSs, podMap)) {
    await syncRolloutStatus(dc, allRSs, newRS, d);
    return;
  }
  if (!newRS) {
    ({ newRS, oldRSs } = await dc.getAllReplicaSetsAndSyncRevision(d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await dc.scaleReplicaSetAndRecordEvent(newRS!, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(dc, oldRSs, d);
  await syncRolloutStatus(dc, allRSs, newRS, d);
}

async function scaleDownOldReplicaSetsForRecreate(dc: DeploymentController, oldRSs: ReplicaSet[], d: Deployment): Promise<boolean> {
  let scaled = false;
  for (const rs of oldRSs) {
    if (rsReplicas(rs) === 0) continue;
    if ((await dc.scaleReplicaSetAndRecordEvent(rs, 0, d)).scaled) scaled = true;
  }
  return scaled;
}

/** Any old replica still counted, or any pod of an old ReplicaSet not yet finished. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
