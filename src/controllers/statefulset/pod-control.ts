// Creating, fixing and deleting a StatefulSet's pods and their claims (StatefulPodControl), with
// the events Kubernetes records on the set: "create Pod web-0 in StatefulSet web successful",
// "create Claim www-web-0 Pod web-0 in StatefulSet web success", and Failed* variants.
import {
  isAlreadyExists, isConflict, isNotFound, isStatus, resources, type EventRecorder, type Lister, type RestClient,
} from '../../client/index.js';
import { errorMessage, isNamespaceTerminating } from '../util/pod-control.js';
import { claimsFor, identityMatches, ordinalOf, storageMatches, updateIdentity, updateStorage } from './identity.js';
import { claimOwnerUpToDate, hasStaleOwnerRef, hasUnexpectedController, ownerRefsForPolicy, retentionPolicy } from './retention.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from './types.js';

/** What the sync algorithm does to pods and claims; a fake stands in for it in tests. */
export interface StatefulPodOps {
  /** Creates the pod's missing claims, then the pod. Resolves with the created pod. */
  createPod(set: StatefulSet, pod: Pod): Promise<Pod>;
  /** Brings an existing pod's identity, storage and claim ownership in line with the set. */
  updatePod(set: StatefulSet, pod: Pod): Promise<void>;
  /** Deletes the pod; a pod already gone counts as deleted. */
  deletePod(set: StatefulSet, pod: Pod): Promise<void>;
  /** Creates the claims of a pending pod that are missing (and sets their owners). */
  createMissingClaims(set: StatefulSet, pod: Pod): Promise<void>;
  /** Whether the pod's claims have the owners the retention policy asks for. */
  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean;
  updateClaimsForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void>;
  /** A claim still owned by an earlier pod of this name blocks the new pod until it is gone. */
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean;
}

/** Attempts of a pod update that keeps meeting conflicts (retry.DefaultBackoff's steps). */
const UPDATE_ATTEMPTS = 5;

export interface StatefulPodControlOptions {
  client: RestClient;
  recorder: EventRecorder;
  claims: Lister<PersistentVolumeClaim>;
  /** Told of every pod written, so the next sync sees it before the informer does. */
  onPodWritten?(pod: Pod): void;
}

export class StatefulPodControl implements StatefulPodOps {
  constructor(private readonly opts: StatefulPodControlOptions) {}

  async createPod(set: StatefulSet, pod: Pod): Promise<Pod> {
    try {
      await this.createClaims(set, pod);
    } catch (err) {
      this.podEvent('create', set, pod, err);
      throw err;
    }
    let created: Pod;
    try {
      created = await this.opts.client.create<Pod>(resources.pods, set.metadata.namespace, pod);
    } catch (err) {
      // Someone (an earlier sync) made it already: nothing happened worth an event.
      if (!isAlreadyExists(err) && !isNamespaceTerminating(err)) this.podEvent('create', set, pod, err);
      throw err;
    }
    this.opts.onPodWritten?.(created);
    try {
      await this.updateClaimsForRetentionPolicy(set, created);
    } catch (err) {
      this.podEvent('update', set, created, err);
      throw err;
    }
    this.podEvent('create', set, created, undefined);
    return created;
  }

  async updatePod(set: StatefulSet, pod: Pod): Promise<void> {
    let cur = structuredClone(pod);
    let lastErr: unknown;
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      let consistent = true;
      if (!identityMatches(set, cur)) {
        updateIdentity(set, cur);
        consistent = false;
      }
      if (!storageMatches(set, cur)) {
        updateStorage(set, cur);
        consistent = false;
        try {
          await this.createClaims(set, cur);
        } catch (err) {
          this.podEvent('update', set, cur, err);
          throw err;
        }
      }
      if (!this.claimsMatchRetentionPolicy(set, cur)) {
        try {
          await this.updateClaimsForRetentionPolicy(set, cur);
        } catch (err) {
          this.podEvent('update', set, cur, err);
          throw err;
        }
      }
      if (consistent) return;
      try {
        const updated = await this.opts.client.update<Pod>(resources.pods, set.metadata.namespace, cur);
        this.opts.onPodWritten?.(updated);
        this.podEvent('update', set, cur, undefined);
        return;
      } catch (err) {
        lastErr = err;
        if (!isConflict(err)) break;
        try {
          cur = await this.opts.client.get<Pod>(resources.pods, set.metadata.namespace, cur.metadata.name!);
        } catch (getErr) {
          lastErr = getErr;
          break;
        }
      }
    }
    this.podEvent('update', set, cur, lastErr);
    throw lastErr;
  }

  async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    let result: unknown;
    try {
      result = await this.opts.client.delete<Pod>(resources.pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      this.podEvent('delete', set, pod, err);
      throw err;
    }
    if (result && !isStatus(result) && (result as Pod).metadata?.deletionTimestamp) this.opts.onPodWritten?.(result as Pod);
    else {
      // Gone at once (never scheduled, or no grace period): remember it as terminating until
      // the informer reports the deletion.
      const rv = Number(pod.metadata.resourceVersion ?? '0') + 1;
      this.opts.onPodWritten?.({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString(), resourceVersion: String(rv) } });
    }
    this.podEvent('delete', set, pod, undefined);
  }

  async createMissingClaims(set: StatefulSet, pod: Pod): Promise<void> {
    await this.createClaims(set, pod);
    try {
      await this.updateClaimsForRetentionPolicy(set, pod);
    } catch (err) {
      this.podEvent('update', set, pod, err);
      throw err;
    }
  }

  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean {
    for (const want of claimsFor(set, pod)) {
      const claim = this.opts.claims.get(want.metadata.namespace, want.metadata.name!);
      // A missing claim is picked up by a later sync.
      if (claim && !claimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  async updateClaimsForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void> {
    for (const want of claimsFor(set, pod)) {
      const claim = this.opts.claims.get(want.metadata.namespace, want.metadata.name!);
      if (!claim) continue;
      if (hasUnexpectedController(claim, set, pod)) {
        this.opts.recorder.event(set, 'Warning', 'ConflictingController',
          `PersistentVolumeClaim ${claim.metadata.name} has a conflicting OwnerReference that acts as a managing controller, the retention policy is ignored for this claim`);
      }
      if (claimOwnerUpToDate(claim, set, pod)) continue;
      const refs = ownerRefsForPolicy(claim, set, pod);
      // Replacing the whole list with a merge patch, guarded by the claim's resourceVersion.
      try {
        await this.opts.client.patch(resources.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name!, {
          metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: claim.metadata.resourceVersion },
        }, 'merge');
      } catch (err) {
        throw new Error(`could not update claim ${claim.metadata.name} for delete policy ownerRefs: ${errorMessage(err)}`);
      }
    }
  }

  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    for (const want of claimsFor(set, pod)) {
      const claim = this.opts.claims.get(want.metadata.namespace, want.metadata.name!);
      if (claim && hasStaleOwnerRef(claim, pod, 'v1', 'Pod')) return true;
    }
    return false;
  }

  /** Creates the claims the cache does not hold; a claim being deleted is an error to retry. */
  private async createClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errors: string[] = [];
    if (ordinalOf(pod) < 0) return;
    for (const claim of claimsFor(set, pod)) {
      const existing = this.opts.claims.get(claim.metadata.namespace, claim.metadata.name!);
      if (existing) {
        if (existing.metadata.deletionTimestamp) errors.push(`pvc ${claim.metadata.name} is being deleted`);
        continue;
      }
      try {
        await this.opts.client.create(resources.persistentvolumeclaims, claim.metadata.namespace, claim);
        this.claimEvent(set, pod, claim, undefined);
      } catch (err) {
        // The cache was behind: the claim is there.
        if (isAlreadyExists(err)) continue;
        errors.push(`failed to create PVC ${claim.metadata.name}: ${errorMessage(err)}`);
        this.claimEvent(set, pod, claim, err);
      }
    }
    if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  }

  private podEvent(verb: string, set: StatefulSet, pod: Pod, err: unknown): void {
    const title = verb[0].toUpperCase() + verb.slice(1);
    if (err === undefined) {
      this.opts.recorder.event(set, 'Normal', `Successful${title}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } else {
      this.opts.recorder.event(set, 'Warning', `Failed${title}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(err)}`);
    }
  }

  private claimEvent(set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim, err: unknown): void {
    if (err === undefined) {
      this.opts.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    } else {
      this.opts.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(err)}`);
    }
  }
}
