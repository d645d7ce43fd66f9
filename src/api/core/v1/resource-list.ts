// Resource lists as Kubernetes stores them: each quantity rounded up to a thousandth and written in
// canonical form ("0.5" → "500m", 2 → "2"), so that what clients read back matches a real cluster
// and every reader can rely on strings.
import { parseQuantity, Quantity } from '../../../machinery/quantity.js';

const MILLI_NANOS = 1_000_000n;

/** The canonical string of a quantity rounded to milli precision; the input itself when it does not parse. */
export function canonicalResourceQuantity(v: unknown): unknown {
  if (typeof v !== 'string' && typeof v !== 'number') return v;
  let q: Quantity;
  try {
    q = parseQuantity(typeof v === 'string' ? v.trim() : v);
  } catch {
    return v;
  }
  const rem = q.nanos % MILLI_NANOS;
  // Away from zero, as Kubernetes rounds: a tiny request still asks for something, a tiny negative stays negative.
  if (rem !== 0n) q = new Quantity(q.nanos - rem + (q.nanos > 0n ? MILLI_NANOS : -MILLI_NANOS), q.format);
  return q.toString();
}

/** Canonicalizes every quantity of a resource list in place (Kubernetes' SetDefaults_ResourceList). */
export function defaultResourceList(list: unknown): void {
  if (typeof list !== 'object' || list === null || Array.isArray(list)) return;
  const l = list as Record<string, unknown>;
  for (const k of Object.keys(l)) l[k] = canonicalResourceQuantity(l[k]);
}

/** The requests and limits of a ResourceRequirements (or VolumeResourceRequirements). */
export function defaultResourceRequirements(r: unknown): void {
  if (typeof r !== 'object' || r === null) return;
  const rr = r as Record<string, unknown>;
  defaultResourceList(rr.requests);
  defaultResourceList(rr.limits);
}
