// JSON Merge Patch (RFC 7386, `application/merge-patch+json`): objects merge recursively, null
// deletes, anything else (lists included) replaces. Applied as kube-apiserver applies it.
import { StatusError } from './status.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets a field as JSON means it: "__proto__" becomes an ordinary key, never the object's prototype. */
function setField(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Drops null-valued object keys at any depth (list elements that are null stay, as in Kubernetes). */
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => (e === null ? e : pruneNulls(e)));
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setField(out, k, pruneNulls(x));
  return out;
}

function mergeInto(doc: Obj, patch: Obj): Obj {
  for (const [k, pv] of Object.entries(patch)) {
    if (pv === null) {
      delete doc[k];
      continue;
    }
    const cur = has(doc, k) ? doc[k] : null;
    if (cur === null || cur === undefined || !isObj(cur)) setField(doc, k, pruneNulls(pv));
    else if (!isObj(pv)) setField(doc, k, structuredClone(pv));
    else setField(doc, k, mergeInto(cur, pv));
  }
  return doc;
}

/**
 * Applies an RFC 7386 merge patch to a copy of doc (doc is not changed). A null patch is a
 * 400 "Invalid JSON Patch", as in Kubernetes; a patch that is not an object replaces the document.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null || patch === undefined) throw new StatusError(400, 'BadRequest', 'Invalid JSON Patch');
  if (!isObj(patch)) return pruneNulls(structuredClone(patch));
  const base = isObj(doc) ? structuredClone(doc) : {};
  return mergeInto(base, patch);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => has(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function diff(a: Obj, b: Obj): Obj {
  const into: Obj = {};
  for (const [k, bv] of Object.entries(b)) {
    if (!has(a, k)) {
      setField(into, k, structuredClone(bv));
      continue;
    }
    const av = a[k];
    if (kindOf(av) !== kindOf(bv)) setField(into, k, structuredClone(bv));
    else if (isObj(av)) {
      const d = diff(av, bv as Obj);
      if (Object.keys(d).length > 0) setField(into, k, d);
    } else if (!sameJson(av, bv)) setField(into, k, structuredClone(bv));
  }
  for (const k of Object.keys(a)) if (!has(b, k)) setField(into, k, null);
  return into;
}

/** The merge patch that turns original into modified (both objects); `{}` when they are equal. */
export function createMergePatch(original: unknown, modified: unknown): Record<string, unknown> {
  return diff(isObj(original) ? original : {}, isObj(modified) ? modified : {});
}
