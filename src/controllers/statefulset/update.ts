// One pass of the StatefulSet algorithm (defaultStatefulSetControl.updateStatefulSet): keep one
// pod per ordinal in [start, start+replicas), replace failed ones, remove the others, then roll
// the template out. OrderedReady works one pod at a time, each step waiting for every earlier pod
// to be Running and Ready: creation in ascending order, removal in descending order. Parallel
// acts on all pods at once. A rolling update replaces pods from the highest ordinal down to the
// partition, one at a time (or maxUnavailable at a time), each once its successor is healthy.
import { isPodAvailable, isPodReady } from '../util/pod.js';
import { slowStartBatch } from '../util/slow-start.js';
import { endOrdinal, inOrdinalRange, newVersionedPod, ordinalOf, podRevision, replicasOf, startOrdinal } from './identity.js';
import { identityMatches, storageMatches } from './identity.js';
import type { StatefulPodOps } from './pod-control.js';
import type { IntOrString } from '../util/types.js';
import type { Pod, StatefulSet, StatefulSetStatus } from './types.js';

export interface UpdateInput {
  set: StatefulSet;
  /** The set with the current revision's template. */
  currentSet: StatefulSet;
  /** The set with the update revision's template. */
  updateSet: StatefulSet;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  /** The set's member pods (claimed, as the cache and our own writes know them). */
  pods: Pod[];
  now: number;
}

export interface UpdateResult {
  status: StatefulSetStatus;
  error?: unknown;
}

export const isCreated = (pod: Pod): boolean => !!pod.status?.phase;
export const isTerminating = (pod: Pod): boolean => !!pod.metadata.deletionTimestamp;
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);
const isFailed = (pod: Pod) => pod.status?.phase === 'Failed';
const isSucceeded = (pod: Pod) => pod.status?.phase === 'Succeeded';
const isPending = (pod: Pod) => pod.status?.phase === 'Pending';

export function isOrderedReady(set: StatefulSet): boolean {
  return set.spec.podManagementPolicy !== 'Parallel';
}

/** Counts the pods into `status` (updateStatus/computeReplicaStatus). */
export function countPods(status: StatefulSetStatus, set: StatefulSet, currentRevision: string, updateRevision: string, pods: Iterable<Pod>, now: number): void {
  let replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
  const minReady = set.spec.minReadySeconds ?? 0;
  for (const pod of pods) {
    if (isCreated(pod)) replicas++;
    if (isRunningAndReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const rev = podRevision(pod);
      if (rev === currentRevision) current++;
      if (rev === updateRevision) updated++;
    }
  }
  Object.assign(status, { replicas, readyReplicas: ready, availableReplicas: available, currentReplicas: current, updatedReplicas: updated });
}

/**
 * maxUnavailable of a rolling update scaled to the replica count, rounded down but at least 1
 * (getStatefulSetMaxUnavailable).
 */
export function scaledMaxUnavailable(v: IntOrString | undefined, replicas: number): number {
  let n = 1;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v.trim());
    n = m ? Math.floor((Number(m[1]) * replicas) / 100) : Number.parseInt(v, 10) || 1;
  }
  return Math.max(1, n);
}

/**
 * Runs `fn` on each index: in order, stopping at the first that asks to stop or fails, when
 * `monotonic`; else all of them in slow-start batches. Resolves true when the caller must stop.
 */
async function runForAll(count: number, monotonic: boolean, fn: (i: number) => Promise<boolean>): Promise<{ stop: boolean; error?: unknown }> {
  if (monotonic) {
    for (let i = 0; i < count; i++) {
      try {
        if (await fn(i)) return { stop: true };
      } catch (error) {
        return { stop: true, error };
      }
    }
    return { stop: false };
  }
  let next = 0;
  const { error } = await slowStartBatch(count, 1, async () => {
    await fn(next++);
  });
  return error === undefined ? { stop: false } : { stop: true, error };
}

export async function updateStatefulSet(ops: StatefulPodOps, input: UpdateInput): Promise<UpdateResult> {
  const { set, currentSet, updateSet, currentRevision, updateRevision, pods, now } = input;
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    replicas: 0,
    currentRevision,
    updateRevision,
    collisionCount: input.collisionCount,
  };
  if (set.status?.conditions?.length) status.conditions = set.status.conditions;
  countPods(status, set, currentRevision, updateRevision, pods, now);

  const start = startOrdinal(set);
  const replicaCount = replicasOf(set);
  const replicas: Array<Pod | undefined> = new Array(replicaCount);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    if (inOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  for (let ord = start; ord <= endOrdinal(set); ord++) {
    if (!replicas[ord - start]) replicas[ord - start] = newVersionedPod(currentSet, updateSet, currentRevision, updateRevision, ord);
  }
  const live = replicas as Pod[];
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));

  let firstUnhealthy: Pod | undefined;
  for (const pod of live) if (!firstUnhealthy && !isHealthy(pod)) firstUnhealthy = pod;
  for (let i = condemned.length - 1; i >= 0 && !firstUnhealthy; i--) if (!isHealthy(condemned[i])) firstUnhealthy = condemned[i];

  const recount = () => countPods(status, set, currentRevision, updateRevision, [...live, ...condemned], now);

  // A set being deleted only reports.
  if (set.metadata.deletionTimestamp) return { status };

  const monotonic = isOrderedReady(set);
  const minReady = set.spec.minReadySeconds ?? 0;

  const processReplica = async (i: number): Promise<boolean> => {
    const pod = live[i];
    // Finished pods (evicted, or stopped on a node reboot) are replaced whatever their exit code.
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!isTerminating(pod)) await ops.deletePod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      if (ops.podClaimIsStale(set, pod)) return true;
      await ops.createPod(set, pod);
      if (monotonic) return true;
    }
    if (isPending(pod)) await ops.createMissingClaims(set, pod);
    if (isTerminating(pod) && monotonic) return true;
    if (!isRunningAndReady(pod) && monotonic) return true;
    if (!isPodAvailable(pod, minReady, now) && monotonic) return true;
    let retentionMatch = true;
    try {
      retentionMatch = ops.claimsMatchRetentionPolicy(updateSet, pod);
    } catch {
      retentionMatch = true;
    }
    if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
    await ops.updatePod(updateSet, pod);
    return false;
  };
  let r = await runForAll(live.length, monotonic, processReplica);
  if (r.stop || r.error !== undefined) {
    recount();
    return { status, error: r.error };
  }

  // Condemned pods' claims get the scale-down owners before the pods go.
  r = await runForAll(condemned.length, monotonic, async (i) => {
    if (!ops.claimsMatchRetentionPolicy(updateSet, condemned[i])) await ops.updateClaimsForRetentionPolicy(updateSet, condemned[i]);
    return false;
  });
  if (r.stop || r.error !== undefined) {
    recount();
    return { status, error: r.error };
  }

  // Every live replica is Running and Ready here (in OrderedReady); remove the extra pods from
  // the highest ordinal down, waiting for each to terminate.
  r = await runForAll(condemned.length, monotonic, async (i) => {
    const pod = condemned[i];
    if (isTerminating(pod)) return monotonic;
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isPodAvailable(pod, minReady, now))) return true;
    await ops.deletePod(set, pod);
    return true;
  });
  if (r.stop || r.error !== undefined) {
    recount();
    return { status, error: r.error };
  }
  recount();

  const strategy = set.spec.updateStrategy;
  if (strategy?.type === 'OnDelete') return { status };
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  const maxUnavailable = strategy?.rollingUpdate?.maxUnavailable;

  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    // With maxUnavailable, up to that many pods (counting those already unhealthy) go at once.
    const allowed = scaledMaxUnavailable(maxUnavailable, replicaCount);
    const unavailable = live.filter((p) => !isHealthy(p)).length;
    if (unavailable >= allowed) return { status };
    let toDelete = allowed - unavailable;
    for (let target = live.length - 1; target >= partition && toDelete > 0; target--) {
      const pod = live[target];
      if (podRevision(pod) === updateRevision || isTerminating(pod)) continue;
      try {
        await ops.deletePod(set, pod);
      } catch (error) {
        return { status, error };
      }
      toDelete--;
      if (podRevision(pod) === currentRevision) status.currentReplicas = (status.currentReplicas ?? 0) - 1;
    }
    return { status };
  }

  for (let target = live.length - 1; target >= partition; target--) {
    const pod = live[target];
    if (podRevision(pod) !== updateRevision && !isTerminating(pod)) {
      try {
        await ops.deletePod(set, pod);
      } catch (error) {
        return { status, error };
      }
      // Kubernetes decrements unconditionally; a pod of a third revision would drive it below 0.
      if (podRevision(pod) === currentRevision) status.currentReplicas = (status.currentReplicas ?? 0) - 1;
      return { status };
    }
    if (!isHealthy(pod)) return { status };
  }
  return { status };
}
