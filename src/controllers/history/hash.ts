// The short hashes that name ControllerRevisions and label the pods made from them: a 32-bit
// FNV-1a, mixed with the owner's collisionCount so that a name clash can be stepped around, and
// written as its decimal digits mapped into the alphabet of generated names (rand.SafeEncodeString)
// so a hash never spells a word.
import type { PodTemplateSpec } from '../util/types.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** JSON with object keys sorted, as Go's encoding/json writes maps: equal values, equal text. */
export function canonicalJSON(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val);
}

function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

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
