// Merging an applied configuration into the live object, by schema: structs and granular maps key
// by key, keyed lists element by element (by their list-map keys), sets by value; leaves, atomic
// lists and atomic maps are replaced whole by the configuration's value.
import type { Definitions } from '../schema.js';
import { listElements, type Elements } from './elements.js';
import { fieldElement, type PathElement } from './path.js';
import { fieldRef, isObject, nodeType, DEDUCED, type ListType, type MapType, type NodeType, type TypeRef } from './types.js';

export function merge(lhs: unknown, rhs: unknown, ref: TypeRef, defs: Definitions): unknown {
  return mergeNode(lhs, rhs, nodeType(ref, defs), [], defs);
}

type Shape = 'map' | 'list' | 'scalar' | 'null';

function shape(v: unknown, t: NodeType): Shape {
  if (v === null) return 'null';
  if (isObject(v) && t.map) return 'map';
  if (Array.isArray(v) && t.list) return 'list';
  return 'scalar';
}

function mergeNode(l: unknown, r: unknown, t: NodeType, path: PathElement[], defs: Definitions): unknown {
  if (r === undefined) return l;
  if (l === undefined) return r;
  const sl = shape(l, t);
  const sr = shape(r, t);
  let s: Shape;
  if (sl === sr) s = sr;
  else if (sl === 'null' && sr !== 'scalar') s = sr;
  else if (sr === 'null' && sl !== 'scalar') s = sl;
  else return r;
  if (s === 'map') return mergeMap(isObject(l) ? l : {}, isObject(r) ? r : {}, t.map!, r, path, defs);
  if (s === 'list') return mergeList(Array.isArray(l) ? l : [], Array.isArray(r) ? r : [], t.list!, r, path, defs);
  return r;
}

function mergeMap(
  lm: Record<string, unknown>, rm: Record<string, unknown>, m: MapType, r: unknown, path: PathElement[], defs: Definitions,
): unknown {
  if (m.atomic || (Object.keys(lm).length === 0 && Object.keys(rm).length === 0)) return r;
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown, ref: TypeRef | undefined) => {
    if (v === undefined) return;
    // A null the schema does not allow means "no value", as decoding into Kubernetes' types makes it.
    if (v === null && ref?.schema && !ref.schema.nullable) return;
    out[k] = v;
  };
  for (const [k, lv] of Object.entries(lm)) {
    const ref = fieldRef(m, k);
    path.push(fieldElement(k));
    put(k, mergeNode(lv, rm[k], nodeType(ref ?? DEDUCED, defs), path, defs), ref);
    path.pop();
  }
  for (const [k, rv] of Object.entries(rm)) if (!Object.hasOwn(lm, k)) put(k, rv, fieldRef(m, k));
  return out;
}

const DUPLICATE = Symbol('duplicate');

/**
 * Elements of both lists are merged in the configuration's order; elements only in the live list
 * keep their place relative to their neighbours; new elements come where the configuration has them.
 */
function mergeList(ll: unknown[], rl: unknown[], lt: ListType, r: unknown, path: PathElement[], defs: Definitions): unknown {
  if (lt.relation === 'atomic' || (ll.length === 0 && rl.length === 0)) return r;
  let ln: Elements, rn: Elements;
  try {
    rn = listElements(rl, lt, defs, path);
    ln = listElements(ll, lt, defs, path);
  } catch {
    return r;
  }
  const inL = new Map<string, unknown>();
  ln.keys.forEach((k, i) => inL.set(k, inL.has(k) ? DUPLICATE : ll[i]));
  const inR = new Map<string, unknown>();
  rn.keys.forEach((k, i) => inR.set(k, rl[i]));
  const shared = rn.keys.filter((k) => inL.has(k));
  let nextShared = 0;
  const taken = new Set<string>();
  const et = nodeType(lt.elem, defs);
  const out: unknown[] = [];
  const mergeItem = (pe: PathElement, lv: unknown, rv: unknown) => {
    path.push(pe);
    const v = mergeNode(lv === DUPLICATE ? null : lv, rv, et, path, defs);
    path.pop();
    if (v !== undefined) out.push(v);
  };
  let li = 0;
  let ri = 0;
  while (li < ln.keys.length || ri < rn.keys.length) {
    if (li < ln.keys.length && ri < rn.keys.length) {
      const lk = ln.keys[li];
      if (lk === rn.keys[ri]) {
        taken.add(lk);
        mergeItem(ln.pes[li], inL.get(lk), inR.get(lk));
        li++;
        ri++;
        if (shared[nextShared] === lk) nextShared++;
        continue;
      }
      // A shared element out of the configuration's order waits until the configuration reaches it.
      if (inR.has(lk) && nextShared < shared.length && shared[nextShared] !== lk) {
        li++;
        continue;
      }
    }
    if (li < ln.keys.length) {
      const lk = ln.keys[li];
      if (!inR.has(lk)) {
        mergeItem(ln.pes[li], ll[li], undefined);
        li++;
        continue;
      }
      if (taken.has(lk)) li++;
    }
    if (ri < rn.keys.length) {
      const rk = rn.keys[ri];
      taken.add(rk);
      mergeItem(rn.pes[ri], inL.get(rk), inR.get(rk));
      ri++;
      if (shared[nextShared] === rk) nextShared++;
    }
  }
  return out;
}
