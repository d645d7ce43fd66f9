// Label and field selectors applied to a resource's objects, for list, watch and deletecollection.
import type { KObject, ResourceDef } from '../api/resource.js';
import { parseSelector } from '../machinery/labels.js';
import { parseFieldSelector } from '../machinery/fields.js';
import { errors } from '../machinery/status.js';

export interface ListFilter {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface Matcher {
  /** No selector at all: everything matches. */
  all: boolean;
  test(obj: KObject): boolean;
}

/** The fields a field selector may name for this resource's objects. */
export function selectableFields(def: ResourceDef, obj: KObject): Record<string, string> {
  const f: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (def.namespaced) f['metadata.namespace'] = obj.metadata.namespace ?? '';
  return { ...f, ...(def.selectableFields?.(obj) ?? {}) };
}

export function selectorFor(def: ResourceDef, opts: ListFilter): Matcher {
  const labels = opts.labelSelector ? parseSelector(opts.labelSelector) : undefined;
  const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : undefined;
  if (labels?.empty) { /* an empty selector string selects everything */ }
  const noLabels = !labels || labels.empty;
  const noFields = !fields || fields.requirements.length === 0;
  if (noLabels && noFields) return { all: true, test: () => true };
  if (!noFields) {
    // Kubernetes refuses a field it cannot select on whether or not any object would be looked at.
    const known = selectableFields(def, { metadata: {} } as KObject);
    for (const r of fields!.requirements) {
      if (!(r.field in known)) throw errors.badRequest(`field label not supported: ${r.field}`);
    }
  }
  return {
    all: false,
    test(obj) {
      if (!noLabels && !labels!.matches(obj.metadata.labels ?? {})) return false;
      if (!noFields) {
        if (!fields!.matches(selectableFields(def, obj))) return false;
      }
      return true;
    },
  };
}
