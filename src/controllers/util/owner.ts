// Controller references (metav1.OwnerReference with controller=true): who manages an object, and
// the reference a controller stamps on what it creates.
import type { KObject, OwnerReference } from '../../api/resource.js';
import type { Indexer } from '../../client/index.js';

export function getControllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r?.controller === true);
}

/** metav1.NewControllerRef: controller and blockOwnerDeletion both true. */
export function newControllerRef(owner: KObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** Index of objects by their controller's UID; orphans file under ORPHAN_KEY(namespace). */
export const CONTROLLER_UID_INDEX = 'controllers/controllerUID';
export const orphanKey = (namespace: string | undefined) => `orphan/${namespace ?? ''}`;

export function controllerUIDIndexFunc(obj: KObject): string[] {
  const ref = getControllerOf(obj);
  return [ref ? ref.uid : orphanKey(obj.metadata.namespace)];
}

/** Adds the controller-UID index to a shared informer's cache unless another controller did. */
export function ensureControllerUIDIndex(indexer: Indexer<KObject> | Indexer<any>): void {
  try {
    indexer.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
  } catch {
    // Already there: the index is shared by every controller that asks for it.
  }
}

/**
 * Objects that `owner` controls plus the orphans of its namespace (controller.FilterPodsByOwner
 * with orphans): everything a claim may keep, adopt or release.
 */
export function ownedAndOrphans<T extends KObject>(indexer: Indexer<T>, owner: KObject): T[] {
  const owned = indexer.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid ?? '');
  const orphans = indexer.byIndex(CONTROLLER_UID_INDEX, orphanKey(owner.metadata.namespace));
  return owned.length === 0 ? orphans : orphans.length === 0 ? owned : [...owned, ...orphans];
}
