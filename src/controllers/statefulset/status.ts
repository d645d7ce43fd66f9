// StatefulSet status as Kubernetes writes it: a rolling update is complete once every replica is
// updated and ready (the update revision becomes the current one); the status is written only
// when it differs, with Go's omitempty leaving zero counts out.
import type { StatefulSet, StatefulSetStatus } from './types.js';
import { replicasOf } from './identity.js';

/** completeRollingUpdate: the update revision becomes current when the rollout is done. */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): void {
  const n = replicasOf(set);
  if (set.spec.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === n && status.readyReplicas === n && status.replicas === n) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** Whether `status` differs from what the set has (inconsistentStatus). */
export function statusDiffers(set: StatefulSet, status: StatefulSetStatus): boolean {
  const cur = set.status ?? { replicas: 0 };
  return (status.observedGeneration ?? 0) > (cur.observedGeneration ?? 0)
    || status.replicas !== (cur.replicas ?? 0)
    || (status.currentReplicas ?? 0) !== (cur.currentReplicas ?? 0)
    || (status.readyReplicas ?? 0) !== (cur.readyReplicas ?? 0)
    || (status.updatedReplicas ?? 0) !== (cur.updatedReplicas ?? 0)
    || (status.availableReplicas ?? 0) !== (cur.availableReplicas ?? 0)
    || (status.currentRevision ?? '') !== (cur.currentRevision ?? '')
    || (status.updateRevision ?? '') !== (cur.updateRevision ?? '')
    || (status.collisionCount ?? 0) !== (cur.collisionCount ?? -1);
}

/** The merge patch that makes the status subresource `status`. */
export function statusPatch(status: StatefulSetStatus): Record<string, unknown> {
  const orNull = <T>(v: T | undefined) => (v ? v : null);
  return {
    status: {
      observedGeneration: orNull(status.observedGeneration),
      replicas: status.replicas,
      readyReplicas: orNull(status.readyReplicas),
      currentReplicas: orNull(status.currentReplicas),
      updatedReplicas: orNull(status.updatedReplicas),
      currentRevision: orNull(status.currentRevision),
      updateRevision: orNull(status.updateRevision),
      collisionCount: status.collisionCount ?? 0,
      availableReplicas: status.availableReplicas ?? 0,
    },
  };
}
