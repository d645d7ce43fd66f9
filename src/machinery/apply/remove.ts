// Removing a set of fields from an object: a member path is removed with everything below it;
// a map or list left empty by the removal disappears as well (Kubernetes' types drop empty
// values the same way when the object is decoded).
import type { Definitions } from '../schema.js';
import type { FieldSet } from './fieldset.js';
import { listElements } from './elements.js';
import { fieldElement, type PathElement } from './path.js';
import { fieldRef, isObject, nodeType, DEDUCED, type NodeType, type TypeRef } from './types.js';

/** The object without the set's members; an object emptied entirely comes back as `{}`. */
export function removeItems(obj: unknown, set: FieldSet, ref: TypeRef, defs: Definitions): unknown {
  if (set.isEmpty()) return obj;
  return remove(obj, set, nodeType(ref, defs), [], defs) ?? {};
}

/** undefined when everything in the value was removed. */
function remove(v: unknown, set: FieldSet, t: NodeType, path: PathElement[], defs: Definitions): unknown {
  if (isObject(v) && t.map) {
    if (t.map.atomic || Object.keys(v).length === 0) return v;
    const out: Record<string, unknown> = {};
    for (const [k, cv] of Object.entries(v)) {
      const pe = fieldElement(k);
      if (set.hasMember(pe)) continue;
      const sub = set.withPrefix(pe);
      if (sub.isEmpty()) {
        out[k] = cv;
        continue;
      }
      path.push(pe);
      const nv = remove(cv, sub, nodeType(fieldRef(t.map, k) ?? DEDUCED, defs), path, defs);
      path.pop();
      if (nv !== undefined) out[k] = nv;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (Array.isArray(v) && t.list) {
    if (t.list.relation === 'atomic' || v.length === 0) return v;
    let names;
    try {
      names = listElements(v, t.list, defs, path);
    } catch {
      return v;
    }
    const et = nodeType(t.list.elem, defs);
    const out: unknown[] = [];
    v.forEach((item, i) => {
      const pe = names.pes[i];
      if (set.hasMember(pe)) return;
      const sub = set.withPrefix(pe);
      if (sub.isEmpty()) {
        out.push(item);
        return;
      }
      path.push(pe);
      const nv = remove(item, sub, et, path, defs);
      path.pop();
      if (nv !== undefined) out.push(nv);
    });
    return out.length > 0 ? out : undefined;
  }
  return v;
}
