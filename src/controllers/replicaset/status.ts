// ReplicaSet (and ReplicationController) status, as Kubernetes' calculateStatus computes it from
// the pods the controller owns: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
// and the ReplicaFailure condition while creating or deleting pods fails.
import { selectorFromSet } from '../../machinery/labels.js';
import { isPodAvailable, isPodReady } from '../util/pod.js';
import type { Pod, ReplicaCondition, ReplicaSet, ReplicaSetStatus, ReplicationController } from '../util/types.js';
import { errorMessage } from '../util/pod-control.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

/** metav1.Time on the wire: second precision, UTC. */
export const wireTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function calculateStatus(rs: ReplicaSet | ReplicationController, pods: Pod[], manageErr: unknown, now: number): ReplicaSetStatus {
  const templateLabels = selectorFromSet(rs.spec.template?.metadata?.labels);
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions: ReplicaCondition[] = (rs.status?.conditions ?? []).map((c) => ({ ...c }));
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageErr !== undefined && !failure) {
    const diff = pods.length - (rs.spec.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: REPLICA_FAILURE, status: 'True', lastTransitionTime: wireTime(now), reason, message: errorMessage(manageErr) });
  } else if (manageErr === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.status?.observedGeneration,
  };
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/** Whether writing `next` would change anything (updateReplicaSetStatus' short cut). */
export function statusChanged(rs: ReplicaSet | ReplicationController, next: ReplicaSetStatus): boolean {
  const cur = rs.status ?? { replicas: 0 };
  return (cur.replicas ?? 0) !== next.replicas
    || (cur.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0)
    || (cur.readyReplicas ?? 0) !== (next.readyReplicas ?? 0)
    || (cur.availableReplicas ?? 0) !== (next.availableReplicas ?? 0)
    || (rs.metadata.generation ?? 0) !== (cur.observedGeneration ?? 0)
    || JSON.stringify(cur.conditions ?? []) !== JSON.stringify(next.conditions ?? []);
}

/**
 * The merge patch that sets the status subresource to `next` observed at `generation`. Zero
 * counts and empty conditions are removed, as Go's omitempty leaves them out.
 */
export function statusPatch(next: ReplicaSetStatus, generation: number | undefined): Record<string, unknown> {
  const orNull = (n: number | undefined) => (n ? n : null);
  return {
    status: {
      replicas: next.replicas,
      fullyLabeledReplicas: orNull(next.fullyLabeledReplicas),
      readyReplicas: orNull(next.readyReplicas),
      availableReplicas: orNull(next.availableReplicas),
      observedGeneration: orNull(generation),
      conditions: next.conditions?.length ? next.conditions : null,
    },
  };
}
