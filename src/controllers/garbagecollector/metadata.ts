// Read-modify-write of an object's metadata lists (finalizers, ownerReferences) for any resource,
// custom ones included: a JSON merge patch carrying the resourceVersion it was computed from, so
// a concurrent writer makes it fail with Conflict (and it is recomputed) instead of being undone.
import type { KObject, ObjectMeta } from '../../api/resource.js';
import { isConflict, isNotFound, type ResourceRef, type RestClient } from '../../client/index.js';

const MAX_ATTEMPTS = 5;

export type MetaMutation = (meta: ObjectMeta) => Partial<Pick<ObjectMeta, 'finalizers' | 'ownerReferences'>> | undefined;

/**
 * Applies `mutate` to the live object `uid` until it sticks. `mutate` returns the fields to
 * write, or undefined when there is nothing to change. Returns false when the object is gone
 * (or was replaced by another with the same name).
 */
export async function updateMetadata(client: RestClient, res: ResourceRef, namespace: string | undefined, name: string, uid: string, mutate: MetaMutation): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    let cur: KObject;
    try {
      cur = await client.get(res, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    if (cur.metadata.uid !== uid) return false;
    const change = mutate(cur.metadata);
    if (!change) return true;
    const metadata: Record<string, unknown> = { resourceVersion: cur.metadata.resourceVersion };
    for (const [k, v] of Object.entries(change)) metadata[k] = Array.isArray(v) && v.length === 0 ? null : v;
    try {
      await client.patch(res, namespace, name, { metadata }, 'merge');
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (isConflict(err) && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
}

/** Removes finalizer `finalizer` from the object; false when the object is gone. */
export function removeFinalizer(client: RestClient, res: ResourceRef, namespace: string | undefined, name: string, uid: string, finalizer: string): Promise<boolean> {
  return updateMetadata(client, res, namespace, name, uid, (m) => {
    const list = m.finalizers ?? [];
    if (!list.includes(finalizer)) return undefined;
    return { finalizers: list.filter((f) => f !== finalizer) };
  });
}
