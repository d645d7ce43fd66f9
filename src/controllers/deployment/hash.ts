// The pod-template-hash: names a Deployment's ReplicaSet after its pod template. Like Kubernetes'
// controller.ComputeHash it is a 32-bit FNV-1a of the template (here its canonical JSON) mixed
// with the collision count, written in the alphabet of generated names so it never spells words.
import type { PodTemplateSpec } from '../util/types.js';
import { canonicalJSON, fnv1a, safeEncode, utf8 } from '../util/hash.js';

/** Ten characters of [bcdfghjklmnpqrstvwxz2456789], stable for a template and collision count. */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv1a(utf8(canonicalJSON(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(b, h);
  }
  return safeEncode(String(h).padStart(10, '0'));
}
