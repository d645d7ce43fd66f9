// The pieces of Kubernetes' short object hashes (pod-template-hash, controller-revision-hash):
// a 32-bit FNV-1a over canonical JSON, written in the alphabet of generated names.

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
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

/** rand.SafeEncodeString: each character mapped into the safe alphabet, so a hash never spells a word. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

export const utf8 = (s: string) => new TextEncoder().encode(s);
