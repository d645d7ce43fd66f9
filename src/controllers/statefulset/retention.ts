// persistentVolumeClaimRetentionPolicy through owner references: the garbage collector deletes a
// claim once its owner is gone, so the controller makes the set own a claim that should go with
// the set (whenDeleted: Delete) and the pod own a claim that should go when that pod is scaled
// away (whenScaled: Delete). Retain on both leaves claims unowned.
import type { KObject, OwnerReference } from '../../api/resource.js';
import { newControllerRef } from '../util/owner.js';
import { inOrdinalRange } from './identity.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from './types.js';

export function retentionPolicy(set: StatefulSet): { whenDeleted: string; whenScaled: string } {
  const p = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
  return { whenDeleted: p.whenDeleted || 'Retain', whenScaled: p.whenScaled || 'Retain' };
}

const refs = (claim: PersistentVolumeClaim): OwnerReference[] => claim.metadata.ownerReferences ?? [];

function matchesRef(ref: OwnerReference, obj: KObject, apiVersion: string, kind: string): boolean {
  return ref.apiVersion === apiVersion && ref.kind === kind && ref.name === obj.metadata.name;
}
const isSetRef = (ref: OwnerReference, set: StatefulSet) => matchesRef(ref, set, 'apps/v1', 'StatefulSet');
const isPodRef = (ref: OwnerReference, pod: Pod) => matchesRef(ref, pod, 'v1', 'Pod');

const hasOwnerRef = (claim: PersistentVolumeClaim, owner: KObject) => refs(claim).some((r) => r.uid === owner.metadata.uid);

/** A reference to an object of this name and kind but another uid: left by an earlier incarnation. */
export function hasStaleOwnerRef(claim: PersistentVolumeClaim, obj: KObject, apiVersion: string, kind: string): boolean {
  const ref = refs(claim).find((r) => matchesRef(r, obj, apiVersion, kind));
  return !!ref && ref.uid !== obj.metadata.uid;
}

/** Another controller manages the claim (only a concern when some policy is Delete). */
export function hasUnexpectedController(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const p = retentionPolicy(set);
  if (p.whenScaled === 'Retain' && p.whenDeleted === 'Retain') return false;
  for (const r of refs(claim)) {
    if (isSetRef(r, set)) {
      if (r.uid !== set.metadata.uid) return true;
      continue;
    }
    if (isPodRef(r, pod)) {
      if (r.uid !== pod.metadata.uid) return true;
      continue;
    }
    if (r.controller) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  return refs(claim).some((r) => (r.uid === set.metadata.uid || r.uid === pod.metadata.uid) && !r.controller);
}

/** Whether the claim's owners already say what the policy asks (isClaimOwnerUpToDate). */
export function claimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  // A claim left by a deleted set or pod of the same name is not ours to touch.
  if (hasStaleOwnerRef(claim, set, 'apps/v1', 'StatefulSet') || hasStaleOwnerRef(claim, pod, 'v1', 'Pod')) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const p = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  const wantSet = p.whenDeleted === 'Delete' && (p.whenScaled !== 'Delete' || !scaledDown);
  const wantPod = p.whenScaled === 'Delete' && scaledDown;
  return hasOwnerRef(claim, set) === wantSet && hasOwnerRef(claim, pod) === wantPod;
}

/** The claim's owner references as the policy wants them (updateClaimOwnerRefForSetAndPod). */
export function ownerRefsForPolicy(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const unexpected = hasUnexpectedController(claim, set, pod);
  const out = refs(claim).filter((r) => !isSetRef(r, set) && !isPodRef(r, pod));
  if (unexpected) return out;
  const p = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  const add = (owner: KObject, apiVersion: string, kind: string) => {
    if (!out.some((r) => r.uid === owner.metadata.uid)) out.push(newControllerRef(owner, apiVersion, kind));
  };
  if (p.whenScaled === 'Delete' && scaledDown) add(pod, 'v1', 'Pod');
  if (p.whenDeleted === 'Delete' && (p.whenScaled !== 'Delete' || !scaledDown)) add(set, 'apps/v1', 'StatefulSet');
  return out;
}
