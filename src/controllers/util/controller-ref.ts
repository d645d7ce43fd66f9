// Kubernetes' ControllerRefManager: a controller claims the objects it should manage. It keeps
// what it owns and still selects, adopts orphans its selector matches (after re-reading itself
// from the API server, so a controller being deleted does not adopt), and releases what it owns
// but no longer selects. Ownership changes are strategic merge patches of ownerReferences.
import type { KObject, OwnerReference } from '../../api/resource.js';
import { isInvalid, isNotFound } from '../../client/index.js';
import type { Selector } from '../../machinery/labels.js';
import { getControllerOf } from './owner.js';

export interface ClaimSpec<T extends KObject> {
  /** The claiming controller object (a ReplicaSet, a Deployment...). */
  owner: KObject;
  selector: Selector;
  /** Reads the owner from the API server, bypassing the cache (the adoption recheck). */
  getFresh(): Promise<KObject>;
  /** Makes `obj` ours; must patch ownerReferences. */
  adopt(obj: T): Promise<void>;
  /** Gives `obj` up; must patch ownerReferences. */
  release(obj: T): Promise<void>;
}

/** The patch that adds a controller reference (uid pins it to this very object). */
export function adoptPatch(ref: OwnerReference, uid: string | undefined): Record<string, unknown> {
  return { metadata: { ownerReferences: [ref], ...(uid ? { uid } : {}) } };
}

/** The patch that removes the reference to `ownerUID`. */
export function releasePatch(ownerUID: string, uid: string | undefined): Record<string, unknown> {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUID }], ...(uid ? { uid } : {}) } };
}

/**
 * The objects `spec.owner` manages after adopting and releasing as needed. Every object is
 * tried; if any adoption or release failed, the first error is thrown after the others ran.
 */
export async function claimObjects<T extends KObject>(objs: T[], spec: ClaimSpec<T>): Promise<T[]> {
  const owner = spec.owner;
  const ownerUID = owner.metadata.uid;
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  const claimed: T[] = [];
  const adopted = new Set<T>();
  const actions: Array<() => Promise<void>> = [];
  const errors: unknown[] = [];
  let recheck: Promise<void> | undefined;
  const canAdopt = () => (recheck ??= recheckOwner(owner, spec.getFresh));

  // One synchronous pass decides; only adoptions and releases wait on the API server.
  for (const obj of objs) {
    if (owner.metadata.namespace && obj.metadata.namespace !== owner.metadata.namespace) continue;
    const ref = getControllerOf(obj);
    const matches = spec.selector.matches(obj.metadata.labels);
    if (ref) {
      if (ref.uid !== ownerUID) continue; // someone else's
      if (matches) claimed.push(obj);
      else if (!ownerDeleting) {
        actions.push(async () => {
          try {
            await spec.release(obj);
          } catch (err) {
            if (!isNotFound(err) && !isInvalid(err)) errors.push(err);
          }
        });
      }
      continue;
    }
    // An orphan.
    if (ownerDeleting || !matches || obj.metadata.deletionTimestamp) continue;
    actions.push(async () => {
      try {
        await canAdopt();
        await spec.adopt(obj);
        adopted.add(obj);
      } catch (err) {
        if (!isNotFound(err)) errors.push(err);
      }
    });
  }
  if (actions.length > 0) await Promise.all(actions.map((a) => a()));
  if (errors.length > 0) throw errors[0];
  if (adopted.size === 0) return claimed;
  // Keep the caller's order: adoptions finish in any order.
  const owned = new Set(claimed);
  return objs.filter((o) => owned.has(o) || adopted.has(o));
}

async function recheckOwner(owner: KObject, getFresh: () => Promise<KObject>): Promise<void> {
  let fresh: KObject;
  try {
    fresh = await getFresh();
  } catch (err) {
    throw new Error(`can't recheck DeletionTimestamp: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (fresh.metadata.uid !== owner.metadata.uid) {
    throw new Error(`original ${owner.kind} ${owner.metadata.namespace}/${owner.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
  }
  if (fresh.metadata.deletionTimestamp) {
    throw new Error(`${fresh.metadata.namespace}/${fresh.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }
}
