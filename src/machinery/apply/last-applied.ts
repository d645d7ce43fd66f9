// Moving from client-side `kubectl apply` to `kubectl apply --server-side` without conflicts:
// fields the last-applied-configuration annotation still matches are the kubectl user's own, so
// the "kubectl" applier may take them over; and the annotation keeps following what "kubectl"
// applies, so that a later client-side apply still computes the right patch.
import type { Definitions } from '../schema.js';
import { compare } from './compare.js';
import { toFieldSet } from './fieldset-of.js';
import type { FieldSet } from './fieldset.js';
import { goJSON } from './path.js';
import { isObject, type TypeRef } from './types.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Only kubectl's own applier gets this treatment; other managers opt out by their name. */
export const KUBECTL_MANAGER = 'kubectl';

function lastAppliedOf(obj: unknown): string | undefined {
  const meta = isObject(obj) ? obj.metadata : undefined;
  const ann = isObject(meta) ? meta.annotations : undefined;
  const v = isObject(ann) ? ann[LAST_APPLIED] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The fields whose live value still equals the last client-side applied one; undefined without a usable annotation. */
export function fieldsStillAsLastApplied(
  liveObj: unknown, apiVersion: string, ref: TypeRef, defs: Definitions,
): FieldSet | undefined {
  const text = lastAppliedOf(liveObj);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
  const set = toFieldSet(last, ref, defs, {});
  const c = compare(last, liveObj, ref, defs);
  return set.difference(c.modified).difference(c.added).difference(c.removed);
}

/** Sets the annotation to the applied configuration, when the object has one. */
export function syncLastApplied(result: Record<string, unknown>, config: Record<string, unknown>): void {
  if (!lastAppliedOf(result)) return;
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
  if (isObject(copy.metadata) && isObject(copy.metadata.annotations)) {
    delete copy.metadata.annotations[LAST_APPLIED];
  }
  const meta = isObject(result.metadata) ? result.metadata : (result.metadata = {});
  const ann = isObject(meta.annotations) ? meta.annotations : (meta.annotations = {});
  // Written as Kubernetes' JSON encoder writes it: keys sorted, newline-terminated.
  ann[LAST_APPLIED] = goJSON(copy) + '\n';
}
