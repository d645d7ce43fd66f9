// The pod-template-hash: names a Deployment's ReplicaSet after its pod template. Like Kubernetes'
// controller.ComputeHash it is a 32-bit FNV-1a of the template (here its canonical JSON) mixed
// with the collision count, written in the alphabet of generated names so it never spells words.
import type { PodTemplateSpec } from '../util/types.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function canonicalJSON(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val);
}

/** rand.SafeEncodeString: each character mapped into the safe alphabet. */
function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** Ten characters of [bcdfghjklmnpqrstvwxz2456789], stable for a template and collision count. */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv1a(new TextEncoder().encode(canonicalJSON(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(b, h);
  }
  return safeEncode(String(h).padStart(10, '0'));
}
