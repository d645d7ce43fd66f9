// The short hashes that name ControllerRevisions and label the pods made from them: a 32-bit
// FNV-1a, mixed with the owner's collisionCount so that a name clash can be stepped around, and
// written as its decimal digits mapped into the alphabet of generated names (rand.SafeEncodeString)
// so a hash never spells a word.
import type { PodTemplateSpec } from '../util/types.js';
import { canonicalJSON, fnv1a, safeEncode, utf8 } from '../util/hash.js';
export { canonicalJSON } from '../util/hash.js';

/**
 * history.HashControllerRevision: the hash of a revision's data, with the collision count
 * appended as decimal text when there is one.
 */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  let h = fnv1a(utf8(canonicalJSON(data)));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv1a(utf8(String(collisionCount)), h);
  return safeEncode(String(h));
}

/**
 * controller.ComputeHash: the hash of a pod template, with the collision count mixed in as a
 * little-endian uint32. DaemonSets name revisions and label pods with it.
 */
export function hashPodTemplate(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv1a(utf8(canonicalJSON(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(b, h);
  }
  return safeEncode(String(h));
}
